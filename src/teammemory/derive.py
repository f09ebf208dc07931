"""Derived data, recomputed after every ingest in the same transaction.

- files.component from the config's component rules (first match wins);
- commits.is_bug_fix: by linked issue type where a linked issue is known (any linked issue of a
  bug type makes it a fix), else by the configured subject rule (word boundaries); merges never;
- developers and identities.developer_key by identity resolution;
- the summary tables of `store.summaries` (per component and per file), for the new commits and
  for the commits of files whose component changed.
Only what can have changed is recomputed, so incremental ingests stay cheap on large stores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from teammemory.components import component_of
from teammemory.config import Config
from teammemory.identity.resolve import resolve
from teammemory.model import Commit
from teammemory.store import Writer, summaries
from teammemory.store.write import get_cursor, set_cursor


def refresh(db: Writer, config: Config) -> None:
    """Bring every derived column up to date with the data and the config."""
    summaries.restate_files(db, refresh_components(db, config))
    refresh_bug_fixes(db, config)
    resolve(db, config)
    summaries.refresh(db)


def refresh_components(db: Writer, config: Config) -> list[tuple[str, str]]:
    """Set files.component by the config's rules; returns the (repo, path) of the files that changed.

    Git ingestion gives new files their component as it writes them, so while the rules stay the
    same (their fingerprint is kept as the cursor ('derive', 'component_rules')) only files without
    a component are looked at; new rules re-check every file once."""
    rules = json.dumps(config.component_rules)
    same = get_cursor(db, "derive", "component_rules") == rules
    changed = []
    for row in db.iterate("select repo, path, component from files" + (" where component = ''" if same else "")):
        component = component_of(row["path"], config.component_rules)
        if component != row["component"]:
            changed.append({"repo": row["repo"], "path": row["path"], "component": component})
    db.executemany("update files set component = :component where repo = :repo and path = :path", changed)
    if not same:
        set_cursor(db, "derive", "component_rules", rules, now=0)  # when does not matter: what does
    return [(str(r["repo"]), str(r["path"])) for r in changed]


def subject_classifier(config: Config) -> Callable[[Commit], tuple[int, str]]:
    """The subject rule as a function of a commit, for write_commits to apply as it writes."""
    rule = re.compile(config.bug_message_pattern, re.IGNORECASE)

    def classify(commit: Commit) -> tuple[int, str]:
        return classify_subject(commit.subject, commit.is_merge, rule)

    return classify


def component_classifier(config: Config) -> Callable[[str], str]:
    """A path's component under the config's rules, remembered per path (a history touches the
    same few thousand paths again and again), for write_commits to apply as it writes."""
    cache: dict[str, str] = {}

    def component(path: str) -> str:
        found = cache.get(path)
        if found is None:
            found = cache[path] = component_of(path, config.component_rules)
        return found

    return component


def classify_subject(subject: str, is_merge: bool, rule: re.Pattern[str]) -> tuple[int, str]:
    """(is_bug_fix, reason) by the subject rule; merges are never fixes (their PR's commits are)."""
    if is_merge:
        return 0, "merge commit"
    m = rule.search(subject)
    return (1, f"subject matches '{m.group(0)}'") if m else (0, "no rule matched")


def refresh_bug_fixes(db: Writer, config: Config) -> None:
    rule = re.compile(config.bug_message_pattern, re.IGNORECASE)
    updates = []
    for row in db.iterate("select repo, hash, subject, is_merge from commits where bug_fix_reason = ''"):
        fix, reason = classify_subject(row["subject"], bool(row["is_merge"]), rule)
        updates.append({"repo": row["repo"], "hash": row["hash"], "fix": fix, "reason": reason})
    updates += _issue_type_updates(db, config)
    db.executemany("update commits set is_bug_fix = :fix, bug_fix_reason = :reason"
                   " where repo = :repo and hash = :hash", updates)


def _issue_type_updates(db: Writer, config: Config) -> list[dict[str, object]]:
    """Commits linked to known issues: a fix iff a linked issue is of a bug type."""
    bug_types = {t.lower() for t in config.bug_issue_types}
    linked: dict[tuple[str, str], list[tuple[str, str]]] = {}
    current: dict[tuple[str, str], tuple[int, str]] = {}
    for row in db.iterate(
            "select c.repo, c.hash, c.is_merge, c.is_bug_fix, c.bug_fix_reason, i.key, i.issue_type"
            " from issues i cross join commit_issues ci cross join commits c"  # from the issues: none, no cost
            " where ci.issue_key = i.key and c.repo = ci.repo and c.hash = ci.hash"):
        if row["is_merge"]:
            continue
        linked.setdefault((row["repo"], row["hash"]), []).append((row["key"], row["issue_type"]))
        current[(row["repo"], row["hash"])] = (row["is_bug_fix"], row["bug_fix_reason"])
    out: list[dict[str, object]] = []
    for (repo, hash_), issues in sorted(linked.items()):
        issues = sorted(set(issues))
        bugs = [k for k, t in issues if t.lower() in bug_types]
        fix, reason = (1, f"linked issue {bugs[0]} is a {_type(issues, bugs[0])}") if bugs else \
            (0, f"linked issue {issues[0][0]} is a {issues[0][1] or 'issue of unknown type'}")
        if current[(repo, hash_)] != (fix, reason):
            out.append({"repo": repo, "hash": hash_, "fix": fix, "reason": reason})
    return out


def _type(issues: list[tuple[str, str]], key: str) -> str:
    return next(t for k, t in issues if k == key)

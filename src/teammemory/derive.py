"""Derived data, recomputed after every ingest in the same transaction.

- commit_issues and pr_issues, re-derived from the stored messages, titles, bodies and branch
  names when the rules that find issue links changed (their fingerprint is a cursor);
- files.component from the config's component rules (first match wins);
- commits.is_bug_fix: by linked issue type where a linked issue is known (any linked issue of a
  bug type makes it a fix), else by the configured subject rule (`SubjectRule`: word boundaries;
  MINOR:, docs, typo, javadoc, comment, refactor and upgrade subjects are not fixes unless they
  name a defect outright: [BUG], NPE, crash); merges never;
- developers and identities.developer_key by identity resolution;
- the summary tables of `store.summaries` (per component and per file), for the new commits and
  for the commits of files whose component changed.
Only what can have changed is recomputed, so incremental ingests stay cheap on large stores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from teammemory.components import LAYOUT, assign_components, component_of
from teammemory.config import Config, rules_fingerprint
from teammemory.identity.resolve import resolve
from teammemory.issue_keys import issue_project
from teammemory.model import Commit, Ref
from teammemory.store import Writer, fix_history, lineage, summaries, test_files, text_index
from teammemory.store.helper_steps import Helpers
from teammemory.store.write import get_cursor, set_cursor, upsert_tuples

LINK_RULES_CURSOR = ("derive", "link_rules")
BATCH = 5000


@dataclass(frozen=True)
class LinkRules:
    """The rules that find issue links in text, as the sources' parsers apply them (ingest hands
    them in: derive does not import the sources). `fingerprint` names everything they depend on,
    so that links written under other rules are known to be stale."""

    fingerprint: str
    commit_links: Callable[[str, str, bool], tuple[Ref, ...]]  # (repo, message, is_merge)
    pr_links: Callable[[str, str, str, str], tuple[Ref, ...]]  # (repo, title, body, head branch)


def _quiet(step: str) -> None:
    """No one to tell what derive is doing."""


STEP_NAMES = {"lineage": "lineage", "text_index": "text index"}  # helper steps, as a person reads them


def refresh(db: Writer, config: Config, *, links: LinkRules | None = None, helpers: Helpers | None = None,
            step: Callable[[str], None] = _quiet) -> None:
    """Bring every derived column up to date with the data and the config (and the link rules,
    when given: every ingest gives them).

    `helpers` (a first ingest built in a private file, store/fresh_build.py): the text index at
    once, lineage once the components are set (both read nothing the later steps write) run in
    helper processes while this one runs the rest; their tables are copied in at the end.
    `step` hears the name of each step as it starts: on a long history derive takes seconds
    after git's last commit (BookKeeper's 3,705: 1.5 s), and the CLI shows which step it is in."""
    if links is not None:
        step("links")
        refresh_links(db, links)
    handed = helpers.start(db, ("text_index",)) if helpers is not None else set()  # reads no component
    step("components")
    summaries.restate_files(db, refresh_components(db, config))
    if helpers is not None:
        handed |= helpers.start(db, ("lineage",))  # after the components, which lineage reads
    step("test files")
    test_files.refresh(db, config.test_patterns)  # files.test_kind/test_name (migration 0010)
    step("bug fixes")
    refresh_bug_fixes(db, config)
    step("identities")
    resolve(db, config)
    step("summaries")
    summaries.refresh(db)
    if "lineage" not in handed:
        step("lineage")
        lineage.refresh(db)  # the history replayed across renames (migration 0011)
    step("bug-fix history")
    fix_history.refresh(db)  # each file's bug fixes across renames, for risk (migration 0015)
    if "text_index" not in handed:
        step("text index")
        text_index.refresh(db)  # the text index behind `similar` (migration 0007)
    if helpers is not None:
        if handed:
            step(", ".join(STEP_NAMES[name] for name in sorted(handed)) + " (in helper processes)")
        helpers.finish(db, handed)


def refresh_components(db: Writer, config: Config) -> list[tuple[str, str]]:
    """Set files.component by the config's rules; returns the (repo, path) of the files that changed.

    Git ingestion gives new files their component as it writes them, so while the rules stay the
    same (their fingerprint is kept as the cursor ('derive', 'component_rules')) only files without
    a component are looked at; new rules re-check every file once."""
    rules = rules_fingerprint(config.component_rules)
    layout = uses_layout(config)  # new files can change the layout: every file is looked at again
    same = get_cursor(db, "derive", "component_rules") == rules and not layout
    rows = list(db.iterate("select repo, path, component from files" + (" where component = ''" if same else "")))
    by_repo: dict[str, list[str]] = {}
    for row in rows:
        by_repo.setdefault(row["repo"], []).append(row["path"])
    found = {repo: assign_components(paths, config.component_rules) for repo, paths in by_repo.items()}
    changed = []
    for row in rows:
        component = found[row["repo"]][row["path"]].component
        if component != row["component"]:
            changed.append({"repo": row["repo"], "path": row["path"], "component": component})
    db.executemany("update files set component = :component where repo = :repo and path = :path", changed)
    if not same:
        set_cursor(db, "derive", "component_rules", rules, now=0)  # when does not matter: what does
    return [(str(r["repo"]), str(r["path"])) for r in changed]


def refresh_links(db: Writer, rules: LinkRules) -> bool:
    """Re-derive commit_issues and pr_issues when the link rules changed; True when it did.

    The rules' fingerprint is the cursor ('derive', 'link_rules'): while it matches, this costs
    one lookup (ingestion wrote every new link by these rules). A store without it was written
    by the rules of the ingest that creates it, which only records them; migration 0005 gives
    a store written before fingerprints one that matches no rules. Re-deriving rewrites both
    tables from the stored text, so running it again gives the same rows; bug-fix flags that a
    link decided are classified again (refresh_bug_fixes)."""
    known = get_cursor(db, *LINK_RULES_CURSOR)
    if known == rules.fingerprint:
        return False
    if known is not None:
        _relink_commits(db, rules.commit_links)
        _relink_prs(db, rules.pr_links)
        db.execute("update commits set bug_fix_reason = '' where bug_fix_reason like 'linked issue %'")
    set_cursor(db, *LINK_RULES_CURSOR, rules.fingerprint, now=0)
    return known is not None


def _relink_commits(db: Writer, find: Callable[[str, str, bool], tuple[Ref, ...]]) -> None:
    db.execute("delete from commit_issues")
    rows = ((r["repo"], r["hash"], ref.target, issue_project(ref.target), ref.evidence)
            for r in _pages(db, "repo, hash, message, is_merge", "commits", ("repo", "hash"))
            for ref in find(r["repo"], r["message"], bool(r["is_merge"])))
    _write(db, "commit_issues", ("repo", "hash", "issue_key", "project", "found_by"), rows,
           ("repo", "hash", "issue_key", "found_by"))


def _relink_prs(db: Writer, find: Callable[[str, str, str, str], tuple[Ref, ...]]) -> None:
    db.execute("delete from pr_issues")
    rows = ((r["repo"], r["number"], ref.target, ref.evidence)
            for r in _pages(db, "repo, number, title, body, head_branch", "pull_requests", ("repo", "number"))
            for ref in find(r["repo"], r["title"], r["body"], r["head_branch"]))
    columns = ("repo", "number", "issue_key", "found_by")
    _write(db, "pr_issues", columns, rows, columns)


def _pages(db: Writer, columns: str, table: str, key: tuple[str, str]) -> Iterator[dict[str, Any]]:
    """Every row of `table`, BATCH at a time in `key` order (PostgreSQL's driver holds a whole
    result in memory: a million commit messages would be read at once)."""
    after: dict[str, Any] = {}
    while True:
        where = f" where ({key[0]}, {key[1]}) > (:a, :b)" if after else ""
        page = db.all(f"select {columns} from {table}{where} order by {key[0]}, {key[1]} limit {BATCH}", **after)
        yield from page
        if len(page) < BATCH:
            return
        after = {"a": page[-1][key[0]], "b": page[-1][key[1]]}


def _write(db: Writer, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]],
           keys: tuple[str, ...]) -> None:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            upsert_tuples(db, table, columns, batch, keys)
            batch = []
    upsert_tuples(db, table, columns, batch, keys)


@dataclass(frozen=True)
class SubjectRule:
    """The subject rule: `fix` finds a fix (or a symptom), `not_fix` takes back subjects about
    docs, typos, refactors, upgrades or MINOR: only, `always` names a defect outright."""

    fix: re.Pattern[str]
    not_fix: re.Pattern[str] | None
    always: re.Pattern[str] | None

    @classmethod
    def of(cls, config: Config) -> SubjectRule:
        def rx(text: str) -> re.Pattern[str] | None:
            return re.compile(text, re.IGNORECASE) if text else None

        fix = rx(config.bug_message_pattern) or re.compile(r"(?!)")
        return cls(fix, rx(config.bug_not_fix_pattern), rx(config.bug_always_fix_pattern))


def subject_classifier(config: Config) -> Callable[[Commit], tuple[int, str]]:
    """The subject rule as a function of a commit, for write_commits to apply as it writes."""
    rule = SubjectRule.of(config)

    def classify(commit: Commit) -> tuple[int, str]:
        return classify_subject(commit.subject, commit.is_merge, rule)

    return classify


def uses_layout(config: Config) -> bool:
    """True when a component rule asks for the repository's layout (`{layout}`, the default)."""
    return any(LAYOUT in template for _, template in config.component_rules)


def component_classifier(config: Config) -> Callable[[str], str] | None:
    """A path's component under the config's rules, remembered per path (a history touches the
    same few thousand paths again and again), for write_commits to apply as it writes. None when
    the rules need the whole layout: refresh_components assigns them once every path is known
    (and summaries.refresh summarizes those commits in SQL)."""
    if uses_layout(config):
        return None
    cache: dict[str, str] = {}

    def component(path: str) -> str:
        found = cache.get(path)
        if found is None:
            found = cache[path] = component_of(path, config.component_rules)
        return found

    return component


def classify_subject(subject: str, is_merge: bool, rule: SubjectRule | re.Pattern[str]) -> tuple[int, str]:
    """(is_bug_fix, reason) by the subject rule; merges are never fixes (their PR's commits are).
    Order: `always` (a fix), then `not_fix` (not one), then `fix`."""
    if is_merge:
        return 0, "merge commit"
    if isinstance(rule, re.Pattern):
        rule = SubjectRule(rule, None, None)
    strong = rule.always.search(subject) if rule.always else None
    if strong:
        return 1, f"subject matches '{strong.group(0)}'"
    m = rule.fix.search(subject)
    if not m:
        return 0, "no rule matched"
    veto = rule.not_fix.search(subject) if rule.not_fix else None
    return (0, f"not a fix: subject matches '{veto.group(0)}'") if veto else (1, f"subject matches '{m.group(0)}'")


def refresh_bug_fixes(db: Writer, config: Config) -> None:
    """Classify the commits not classified yet; when the subject rule changed (its patterns are the
    cursor ('derive', 'bug_fix_rule')), every commit the subject decided is classified again."""
    rule = SubjectRule.of(config)
    patterns = json.dumps([config.bug_message_pattern, config.bug_not_fix_pattern, config.bug_always_fix_pattern])
    known = get_cursor(db, "derive", "bug_fix_rule")
    if known != patterns:
        if known is not None:
            db.execute("update commits set bug_fix_reason = '' where bug_fix_reason like 'subject matches %'"
                       " or bug_fix_reason like 'not a fix: %' or bug_fix_reason = 'no rule matched'")
        set_cursor(db, "derive", "bug_fix_rule", patterns, now=0)
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

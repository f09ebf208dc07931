"""Pure: issue keys and pull-request numbers found in free text, each with how it was found.

Real histories are full of false keys (`UTF-8`, `SHA-1`, `CVE-2022-1234`, `ISO-8859`): keys
of ignored projects are dropped here; whether a key's project is *known* (configured, or seen
among ingested issues) is decided when answers are computed, so ingestion order never matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from teammemory.model import Ref

# The version of the rules that find issue links (issue_keys, closing_issue_keys, and how
# gitparse.issue_refs and github_parse.issue_refs apply them): bump it whenever they find other
# links or word their evidence otherwise, and the next ingest re-derives every stored link
# (derive.refresh_links; the configured key pattern and ignored projects count on their own).
LINK_RULES_VERSION = 2  # 2: keys of known projects in any letter case

# A PR or issue number is at most 2^31-1 (a PostgreSQL integer, as in the store): a longer
# number in text is no reference (and "#99999999999" could never be stored).
MAX_NUMBER = 2**31 - 1
MERGE_PR = re.compile(r"^Merge pull request #(\d+)\b")
SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
# GitHub's closing keywords: `fixes #12`, `Closes: owner/repo#3`; group 1 the repo, group 2 the number
# (GitHub owners have at most 39 characters, repository names 100)
CLOSING_KEY = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+([\w.-]{1,39}/[\w.-]{1,100})?#(\d+)\b",
                         re.I)


def is_number(digits: str) -> bool:
    """Digits that can be a PR or issue number (see MAX_NUMBER)."""
    return len(digits) <= 10 and int(digits) <= MAX_NUMBER


@lru_cache(maxsize=16)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@lru_cache(maxsize=16)
def _upper_set(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v.upper() for v in values)


def issue_keys(text: str, where: str, *, pattern: str, ignored: Iterable[str] = (),
               known: Iterable[str] = ()) -> tuple[Ref, ...]:
    """Issue keys in `text`, first occurrence order, e.g. Ref('PROJ-12', 'key PROJ-12 in commit message').

    Keys of the `known` projects count in any letter case too (`proj-1430`, as people type them),
    spelled in capitals with the key as written in the evidence ('key proj-1430 in commit
    message'); a key of an unknown project counts only as `pattern` finds it, so `utf-8` and
    `sha-256` stay text."""
    skip = _upper_set(tuple(ignored))
    seen: list[tuple[int, str, str]] = []  # (position, key, as written)
    for m in _compile(pattern).finditer(text or ""):
        project, number = m.group(1), m.group(2)
        if is_number(number) and project.upper() not in skip:
            key = f"{project}-{int(number)}"
            seen.append((m.start(), key, key))
    lower = _known_pattern(tuple(sorted(_upper_set(tuple(known)) - skip)))
    for m in lower.finditer(text or "") if lower is not None else ():
        if is_number(m.group(2)):
            seen.append((m.start(), f"{m.group(1).upper()}-{int(m.group(2))}", m.group(0)))
    found: dict[str, Ref] = {}
    for _, key, written in sorted(seen):
        found.setdefault(key, Ref(key, f"key {written} in {where}"))
    return tuple(found.values())


@lru_cache(maxsize=16)
def _known_pattern(projects: tuple[str, ...]) -> re.Pattern[str] | None:
    """Keys of `projects` in any letter case, bounded as the default key pattern bounds a key."""
    if not projects:
        return None
    names = "|".join(re.escape(p) for p in sorted(projects, key=lambda p: (-len(p), p)))
    return re.compile(rf"(?<![A-Za-z0-9])({names})-([1-9][0-9]{{0,6}})(?![A-Za-z0-9])", re.IGNORECASE)


def pr_numbers(subject: str, body: str = "") -> tuple[Ref, ...]:
    """PR numbers from a commit: `Merge pull request #N`, a squash subject `... (#N)`, `Closes #N`."""
    found: dict[str, Ref] = {}
    m = MERGE_PR.search(subject)
    if m and is_number(m.group(1)):
        found[m.group(1)] = Ref(m.group(1), f"'Merge pull request #{m.group(1)}' in commit subject")
    m = SQUASH_PR.search(subject)
    if m and m.group(1) not in found and is_number(m.group(1)):
        found[m.group(1)] = Ref(m.group(1), f"squash subject ends in '(#{m.group(1)})'")
    for m in CLOSING_KEY.finditer(f"{subject}\n{body}"):
        if is_number(m.group(2)):
            found.setdefault(m.group(2), Ref(m.group(2), f"'{m.group(0).strip()}' in commit message"))
    return tuple(found.values())


def closing_issue_keys(text: str, where: str, *, repo: str) -> tuple[Ref, ...]:
    """GitHub issue keys that closing keywords name, as GitHub defines them: `fixes #12` is issue
    12 of `repo` ('o/r#12'), `Closes other/lib#3` is 'other/lib#3'; evidence "'fixes #12' in PR body".

    A bare `#12` is no link (it may name a PR, or just a number). Without a repository (`repo`
    not OWNER/REPO, e.g. a git clone ingested under a plain name) only `owner/repo#N` counts.
    A prefix naming `repo` in other letter case is spelled as `repo` (GitHub names are
    case-insensitive), so keys from PRs, commits and issues meet.
    """
    found: dict[str, Ref] = {}
    if "#" not in (text or ""):  # most commit messages: skip the regex
        return ()
    for m in CLOSING_KEY.finditer(text):
        prefix = m.group(1) or ""
        owner_repo = repo if not prefix or prefix.lower() == repo.lower() else prefix
        if owner_repo.count("/") != 1 or not is_number(m.group(2)):
            continue
        key = f"{owner_repo}#{int(m.group(2))}"
        found.setdefault(key, Ref(key, f"'{m.group(0).strip()}' in {where}"))
    return tuple(found.values())


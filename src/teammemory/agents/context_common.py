"""Shared parts of the context agents (issue, PR, file): the records they answer with, how a
person is read in SQL, how "people in context" are grouped, and how commits meet PRs.

People: an identity belongs to developer `identities.developer_key`; the person key is
`coalesce(developer_key, identity key)` so unresolved identities still count. A person is a bot
when their developer or the identity itself is flagged.

People in context are grouped authors, then reviewers, then commenters; each person appears once,
in the first group they belong to; inside a group the order is (-count, name, key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from teammemory.agents.evidence import Person, iso_day, short

ROLES = ("author", "reviewer", "commenter")

# A commit (pc.hash) belongs to PR p when pr_commits names p's number, either in p's repository or
# in a repository with no PRs of its own (git and GitHub may name the same repository differently,
# so a git-side "Merge pull request #N" still counts).
PR_OF_COMMIT = ("p.number = pc.number and (p.repo = pc.repo or not exists"
                " (select 1 from pull_requests x where x.repo = pc.repo))")


def who(col: str, p: str) -> tuple[str, str]:
    """Select columns `{p}_key, {p}_name, {p}_bot` and the joins that read the person behind `col`."""
    name = (f"coalesce({p}d.name, nullif({p}i.display_name, ''), nullif({p}i.name, ''),"
            f" nullif({p}i.login, ''), nullif({p}i.email, ''), {col}) as {p}_name")
    return f"{_key(col, p)}, {name}, {_bot(p)}", _joins(col, p)


def who_key(col: str, p: str) -> tuple[str, str]:
    """`who` without the name (columns `{p}_key, {p}_bot`): for counting people over many rows."""
    return f"{_key(col, p)}, {_bot(p)}", _joins(col, p)


def _key(col: str, p: str) -> str:
    return f"coalesce({p}i.developer_key, {p}i.key, {col}) as {p}_key"


def _bot(p: str) -> str:
    return f"case when coalesce({p}d.is_bot, 0) = 1 or coalesce({p}i.is_bot, 0) = 1 then 1 else 0 end as {p}_bot"


def _joins(col: str, p: str) -> str:
    return (f"left join identities {p}i on {p}i.key = {col} "
            f"left join developers {p}d on {p}d.key = {p}i.developer_key")


def person(row: Mapping[str, Any], p: str) -> Person | None:
    """The Person in columns `{p}_key`/`{p}_name` of a row, or None when the column was empty."""
    key = row.get(f"{p}_key")
    return None if key is None else Person(str(key), str(row[f"{p}_name"]))


def excerpt(text: str, limit: int = 300) -> str:
    """Whitespace-folded text cut at `limit` characters (with an ellipsis when cut)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def key_order(key: str) -> tuple[str, int, str]:
    """Natural order of issue keys: PROJ-9 before PROJ-10, o/r#9 before o/r#10."""
    project, _, number = key.rpartition("#") if "#" in key else key.rpartition("-")
    return (project, int(number), key) if number.isdigit() else (key, 0, key)


@dataclass(frozen=True)
class CommitRef:
    repo: str
    hash: str
    short: str
    subject: str
    author: Person
    at: int
    date: str
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class PrRef:
    repo: str
    number: int
    title: str
    state: str
    author: Person | None
    at: int | None  # merged, else created
    date: str
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class IssueRef:
    key: str
    summary: str
    status: str
    ingested: bool
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class FileChurn:
    path: str
    commits: int
    added: int
    deleted: int


@dataclass(frozen=True)
class PersonInContext:
    key: str
    name: str
    role: str  # author | reviewer | commenter
    count: int


def commit_refs(rows: Iterable[Mapping[str, Any]]) -> tuple[list[CommitRef], list[CommitRef]]:
    """(non-merge commits, merge commits) from rows with repo, hash, subject, authored_at, is_merge,
    a_* person columns and found_by; one CommitRef per commit, newest first, found_by merged."""
    found: dict[tuple[str, str], set[str]] = {}
    first: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in rows:
        k = (str(row["repo"]), str(row["hash"]))
        found.setdefault(k, set()).add(str(row["found_by"]))
        first.setdefault(k, row)
    plain: list[CommitRef] = []
    merges: list[CommitRef] = []
    for k, row in first.items():
        author = person(row, "a") or Person("?", "?")
        ref = CommitRef(k[0], k[1], short(k[1]), str(row["subject"]), author, int(row["authored_at"]),
                        iso_day(int(row["authored_at"])), tuple(sorted(found[k])))
        (merges if row["is_merge"] else plain).append(ref)
    order = lambda c: (-c.at, c.repo, c.hash)  # noqa: E731
    return sorted(plain, key=order), sorted(merges, key=order)


def pr_refs(rows: Iterable[Mapping[str, Any]]) -> list[PrRef]:
    """One PrRef per (repo, number), found_by merged; newest (merged, else created) first."""
    found: dict[tuple[str, int], set[str]] = {}
    first: dict[tuple[str, int], Mapping[str, Any]] = {}
    for row in rows:
        k = (str(row["repo"]), int(row["number"]))
        found.setdefault(k, set()).add(str(row["found_by"]))
        first.setdefault(k, row)
    out = []
    for k, row in first.items():
        at = row["merged_at"] if row["merged_at"] is not None else row["created_at"]
        at = None if at is None else int(at)
        out.append(PrRef(k[0], k[1], str(row["title"]), str(row["state"]), person(row, "a"), at,
                         iso_day(at), tuple(sorted(found[k]))))
    return sorted(out, key=lambda p: (-(p.at or 0), p.repo, p.number))


def issue_refs(rows: Iterable[Mapping[str, Any]]) -> list[IssueRef]:
    """One IssueRef per key from rows with issue_key, summary, status (null when not ingested), found_by."""
    found: dict[str, set[str]] = {}
    first: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        key = str(row["issue_key"])
        if key not in first:
            first[key], found[key] = row, set()
        found[key].add(str(row["found_by"]))
    ordered = sorted(first.items(), key=lambda kv: key_order(kv[0]))
    return [IssueRef(k, str(r["summary"] or ""), str(r["status"] or ""), r["status"] is not None,
                     tuple(sorted(found[k]))) for k, r in ordered]


def file_churn(rows: Iterable[Mapping[str, Any]]) -> list[FileChurn]:
    """Per path: distinct commits and summed lines, from rows with repo, hash, path, added, deleted.
    Most commits first, then most lines changed, then path."""
    commits: dict[str, set[tuple[str, str]]] = {}
    lines: dict[str, list[int]] = {}
    for row in rows:
        path = str(row["path"])
        commits.setdefault(path, set()).add((str(row["repo"]), str(row["hash"])))
        tot = lines.setdefault(path, [0, 0])
        tot[0] += int(row["added"] or 0)
        tot[1] += int(row["deleted"] or 0)
    out = [FileChurn(p, len(commits[p]), lines[p][0], lines[p][1]) for p in commits]
    return sorted(out, key=lambda f: (-f.commits, -(f.added + f.deleted), f.path))


def rank_people(acts: Iterable[tuple[str, Person, bool]]) -> tuple[PersonInContext, ...]:
    """Pure: (role, person, is_bot) facts -> people in context. Bots are left out; each person is
    kept in the first of ROLES they act in, counted by their facts in that role; sorted by
    (role order, -count, name, key)."""
    counts: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for role, who_, bot in acts:
        if bot or role not in ROLES:
            continue
        counts[(role, who_.key)] = counts.get((role, who_.key), 0) + 1
        names.setdefault(who_.key, who_.name)
    placed: dict[str, PersonInContext] = {}
    for role in ROLES:
        for (r, key), n in counts.items():
            if r == role and key not in placed:
                placed[key] = PersonInContext(key, names[key], role, n)
    return tuple(sorted(placed.values(), key=lambda p: (ROLES.index(p.role), -p.count, p.name, p.key)))

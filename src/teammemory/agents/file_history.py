"""A store's change history up to `now`, replayed in time order so every file is one file across
its renames.

bus-factor needs every file's whole history (who created it, who changed it how often) and
coupling needs every file's revisions; following renames file by file (agents/paths.py, what
the one-file questions do) would cost one lineage walk per file. Replaying the history once
gives the same lineage for all files: a rename carries a file's identity from its old name to
its new one, a deletion ends it, an addition starts a new one (with its creator), and the files
that exist at `now` are the identities still alive after the last change.

Order: commits by (committed_at, repo, hash); within a commit renames, then deletions, then
additions and copies, then modifications (so a path renamed away and re-added in one commit is
two files). A change to a name the replay has not seen (a history that starts after the file
was created) starts a file with no known creator. Merge commits carry no changes of their own
(their branches' commits do). Bots are kept apart: a commit's `people` are its human authors and
co-authors, `bots` whether a bot authored it. SQL: agents/sql/file_history.sql. The same replay is
kept at ingest (store/lineage.py, one `step` for both) for a `now` after the newest commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import NamedTuple

from teammemory.agents import persons
from teammemory.agents.evidence import Person
from teammemory.store import Reader, lineage, queries

Q = queries.load("teammemory.agents.sql", "file_history.sql")


class ChangeRow(NamedTuple):
    repo: str
    hash: str
    path: str
    old_path: str
    change_type: str
    committed_at: int
    authored_at: int


class AuthorRow(NamedTuple):
    repo: str
    hash: str
    identity_key: str


class ActivityRow(NamedTuple):
    identity_key: str
    last_at: int


@dataclass(frozen=True)
class Commit:
    """One non-merge commit of the history: when, how many paths it changed, who wrote it."""

    ref: str  # 'repo@hash'
    authored_at: int
    committed_at: int
    size: int  # paths changed (commit_files rows)
    people: tuple[Person, ...]  # human authors and co-authors, by key
    bots: bool  # a bot authored or co-authored it


@dataclass
class History:
    """File identities (ints) and the commits that changed each, oldest first."""

    commits: dict[str, Commit] = field(default_factory=dict)
    touches: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))  # file -> refs
    files_of: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # ref -> files
    created: dict[int, str] = field(default_factory=dict)  # file -> the ref that added it
    name: dict[int, tuple[str, str]] = field(default_factory=dict)  # file -> (repo, its latest path)
    alive: dict[tuple[str, str], int] = field(default_factory=dict)  # (repo, path) at `now` -> file
    last: dict[tuple[str, str], int] = field(default_factory=dict)  # (repo, path) -> latest file of that name

    def path(self, file: int) -> str:
        return self.name[file][1]


def read(db: Reader, *, now: int, repo: str | None = None) -> History:
    """SQL only, then `replay`: the history of every repository (or of `repo`) up to `now`."""
    rows = db.fetch(Q["changes"], ChangeRow, now=now, repo=repo or "")
    authors = db.fetch(Q["authors"], AuthorRow, now=now, repo=repo or "")
    who = persons.lookup(db, {a.identity_key for a in authors})
    people: dict[str, list[persons.Who]] = defaultdict(list)
    for a in authors:
        people[f"{a.repo}@{a.hash}"].append(persons.who(who, a.identity_key))
    return replay(rows, people)


def replay(rows: Iterable[ChangeRow], people: dict[str, list[persons.Who]]) -> History:
    """Pure: follow every file through the changes (see the module docstring)."""
    h = History()
    ids = count()
    ordered = sorted(rows, key=lambda r: (r.committed_at, r.repo, r.hash, *lineage.change_order(r.change_type, r.path)))
    for r in ordered:
        ref = f"{r.repo}@{r.hash}"
        if ref not in h.commits:
            h.commits[ref] = _commit(ref, r, people.get(ref, ()))
        file = _step(h, r, ref, ids)
        h.touches[file].append(ref)
        h.files_of[ref].append(file)
        h.name[file] = (r.repo, r.path)
        h.last[(r.repo, r.path)] = file
    sizes = {ref: len(files) for ref, files in h.files_of.items()}
    h.commits = {ref: Commit(c.ref, c.authored_at, c.committed_at, sizes[ref], c.people, c.bots)
                 for ref, c in h.commits.items()}
    return h


def _step(h: History, r: ChangeRow, ref: str, ids: count[int]) -> int:
    """The file this change belongs to, updating which names are alive (store/lineage.py's step:
    the replay kept at ingest follows files by the same rule)."""
    old = (r.repo, r.old_path) if r.old_path and r.old_path != r.path else None
    file, made = lineage.step(h.alive, (r.repo, r.path), old, r.change_type, lambda: next(ids))
    if made:
        h.created[file] = ref
    return file


def _commit(ref: str, r: ChangeRow, who: Iterable[persons.Who]) -> Commit:
    who = list(who)
    humans = {w.person.key: w.person for w in who if not w.is_bot}
    return Commit(ref, r.authored_at, r.committed_at, 0, tuple(humans[k] for k in sorted(humans)),
                  any(w.is_bot for w in who))


def last_active(db: Reader, *, now: int) -> dict[str, int]:
    """person key -> their latest authored or co-authored commit at or before `now` (any repository)."""
    rows = db.fetch(Q["last-activity"], ActivityRow, now=now)
    who = persons.lookup(db, {r.identity_key for r in rows})
    out: dict[str, int] = {}
    for r in rows:
        key = persons.who(who, r.identity_key).person.key
        out[key] = max(out.get(key, 0), int(r.last_at))
    return out

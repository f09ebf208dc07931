"""What people did on a file or a component, read from the store for `expertise` to score.

A file's history comes back as Activity rows, one per (commit, path, account, role), per PR
review and per comment (expertise.sql's `file-activity`, renames followed through the `target`
spans). A component's history is most of the store's, so its commits are counted in SQL instead
(`Tally`): per account and role where no other account shares the credit for a commit, and per
person (the `persons` view) and commit where one does, which is exact because the score counts
distinct commits and a commit's churn once. Its newest commits per account still come back as
Activity rows, for evidence only, and so do its reviews and comments (when the store holds any).
Accounts become people through `persons`; nothing here decides who someone is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from teammemory.agents import persons
from teammemory.agents.evidence import Person, short
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "expertise.sql")
NO_PR = ("", -1)  # (repo, number) of no pull request: nothing skipped
_NEVER = -(2**62)  # before any commit time

Kind = Literal["commit", "review", "comment"]
# What an Activity is: a commit the person authored or co-authored, one whose trailer names them
# as reviewer, a review of a PR, or a comment (on a file, on a PR, or on a linked issue).
Source = Literal["author", "co-author", "trailer-review", "pr-review", "comment"]
KIND: dict[Source, Kind] = {"author": "commit", "co-author": "commit", "trailer-review": "review",
                            "pr-review": "review", "comment": "comment"}
FOUND_BY: dict[Source, str] = {"author": "author", "co-author": "co-author", "trailer-review": "reviewer trailer",
                               "pr-review": "reviewed PR", "comment": ""}
COMMIT_SOURCE: dict[str, Source] = {"author": "author", "co-author": "co-author", "reviewer": "trailer-review"}


@dataclass(frozen=True)
class Activity:
    """One thing a person did on a file: a commit, a review or a comment (what `rank` counts)."""

    root: str  # the file it counts for
    person: Person
    source: Source  # what it is; `kind` and `found_by` follow from it
    ref: str  # identity of the counted thing: 'repo@hash', 'repo#12', 'issue comment PROJ-1/7'
    at: int | None
    path: str = ""  # the path as the commit saw it (an earlier name after a rename)
    churn: int = 0
    label: str = ""  # shown in evidence: short hash or '#12'; '' = not shown
    summary: str = ""
    is_bot: bool = False

    @property
    def kind(self) -> Kind:
        """What the score counts it as: a commit, a review or a comment."""
        return KIND[self.source]

    @property
    def found_by(self) -> str:
        """How it was found, as evidence shows it: 'author', 'reviewer trailer', 'reviewed PR', ..."""
        return FOUND_BY[self.source]


@dataclass(frozen=True)
class Tally:
    """A person's commit work counted in SQL (a component's): the Activity rows of commits and
    trailer reviews given with it then serve as evidence only."""

    commits: int
    reviews: int  # commits naming the person in a reviewer trailer
    churn: int
    last_at: int | None


class ActivityRow(NamedTuple):
    """A row of `file-activity`."""

    kind: Kind
    root: str
    path: str
    repo: str
    hash: str
    number: int
    identity_key: str
    role: str  # a commit's: author | co-author | reviewer (trailer)
    at: int | None
    churn: int
    title: str
    ref: str  # a comment's identity


class ComponentRow(NamedTuple):
    """A row of `component-evidence` or `component-other`: an ActivityRow without root and path."""

    kind: Kind
    identity_key: str
    role: str
    repo: str
    hash: str
    number: int
    at: int | None
    churn: int
    title: str
    ref: str


class TallyRow(NamedTuple):
    """`component-tally`: one account's commits in one role."""

    identity_key: str
    role: str
    n: int
    churn: int
    last_at: int


class SharedRow(NamedTuple):
    """`component-shared`: one person's shared commits, authored (reviewed 0) or reviewed (1)."""

    person_key: str
    reviewed: int
    n: int
    churn: int
    last_at: int


class AnyRow(NamedTuple):
    x: int


def activity(db: Reader, target: str, params: dict[str, object], *, skip: tuple[str, int] = NO_PR
             ) -> list[Activity]:
    """Every commit, review and comment on the `target` files (paths.spans_cte and its `params`).

    `skip` = (repo, number) of a PR whose own commits, reviews and comments are left out.
    """
    rows = db.fetch(Q["file-activity"].fill(target=target), ActivityRow, **params,
                    skip_repo=skip[0], skip_number=skip[1])
    who = persons.lookup(db, {r.identity_key for r in rows})
    return [to_activity(r, r.root, r.path, persons.who(who, r.identity_key)) for r in rows]


def component_activity(db: Reader, name: str) -> tuple[list[Activity], dict[str, Tally]]:
    """A component's work: commits counted per person (Tally, mostly in SQL), plus as Activity rows
    the evidence candidates among them and every review and comment."""
    tally = db.fetch(Q["component-tally"], TallyRow, component=name)
    shared = db.fetch(Q["component-shared"], SharedRow, component=name)
    rows = db.fetch(Q["component-evidence"], ComponentRow, component=name)
    if db.fetch_one(Q["any-other"], AnyRow):
        rows += db.fetch(Q["component-other"], ComponentRow, component=name)
    who = persons.lookup(db, {r.identity_key for r in rows} | {r.identity_key for r in tally})
    out = [to_activity(r, name, "", persons.who(who, r.identity_key)) for r in rows]
    return out, tallies(tally, shared, lambda key: persons.who(who, key).person.key)


def tallies(counted: list[TallyRow], shared: list[SharedRow], person_of: Callable[[str], str]
            ) -> dict[str, Tally]:
    """Per person: commits and churn (author, co-author), trailer reviews, last commit time, from
    `counted` rows per (account, role) and `shared` rows per (person, reviewed), already deduped."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, _NEVER])  # commits, reviews, churn, last

    def add(person: str, reviewed: bool, n: int, churn: int, at: int) -> None:
        t = sums[person]
        t[1 if reviewed else 0] += n
        t[2] += 0 if reviewed else churn
        t[3] = max(t[3], at)

    for r in counted:
        add(person_of(r.identity_key), COMMIT_SOURCE[r.role] == "trailer-review", r.n, r.churn, r.last_at)
    for s in shared:
        add(s.person_key, s.reviewed == 1, s.n, s.churn, s.last_at)
    return {k: Tally(t[0], t[1], t[2], t[3]) for k, t in sums.items()}


def to_activity(r: ActivityRow | ComponentRow, root: str, path: str, w: persons.Who) -> Activity:
    """The Activity of one row, counting for `root`: what it is (`source`) follows from the row's
    kind and role, never from its text."""
    if r.kind == "commit":
        source = COMMIT_SOURCE[r.role]
        churn = 0 if source == "trailer-review" else r.churn
        return Activity(root, w.person, source, f"{r.repo}@{r.hash}", r.at, path=path, churn=churn,
                        label=short(r.hash), summary=r.title, is_bot=w.is_bot)
    if r.kind == "review":
        return Activity(root, w.person, "pr-review", f"{r.repo}#{r.number}", r.at, label=f"#{r.number}",
                        summary=r.title, is_bot=w.is_bot)
    return Activity(root, w.person, "comment", r.ref, r.at, is_bot=w.is_bot)

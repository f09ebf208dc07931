"""What people did on a file or a component, read from the store for `expertise` to score.

A file's history comes back as Activity rows, one per (commit, path, account, role), per PR
review and per comment (expertise.sql's `file-activity`, renames followed through the `target`
spans). A component's history is most of the store's, so its commits are counted in SQL instead
(`Tally`): per account and role where no other account shares the credit for a commit, and per
person (the `persons` view) and commit where one does, which is exact because the score counts
distinct commits and a commit's churn once. Its newest commits per account still come back as
Activity rows, for evidence only, and so do its reviews and comments (when the store holds any).
The fading scoring needs each of a component's commits (its time and lines), tens of thousands
of them on a large component: they are folded per person straight from the rows (`Work`, one
latest time per commit and kind, as `expertise._fading` keeps them) instead of becoming Activity
rows, which cost ~1 s at 50,000 commits; the evidence rows already hold each person's newest.
Accounts become people through `persons`; nothing here decides who someone is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from teammemory.agents import persons
from teammemory.agents.evidence import Person, short
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "expertise.sql")
NO_PR = ("", -1)  # (repo, number) of no pull request: nothing skipped
_NEVER = -(2**62)  # before any commit time
LATEST = 2**62  # a `now` after any time: nothing is left out

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
    files: int = 1  # files of the commit or reviewed PR (the fading scoring's mass cap); 1 for a comment

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
    files: int


class LastRow(NamedTuple):
    """`last-activity`: a person's last counted activity anywhere."""

    person_key: str
    at: int


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


class CommitRow(NamedTuple):
    """`component-commits`: one (commit, account, role) of a component."""

    identity_key: str
    reviewed: int  # 1: a trailer review, 0: authored (author, co-author)
    ref: str  # 'repo@hash'
    at: int
    churn: int


@dataclass
class Work:
    """One person's commits on a component, folded from CommitRows: for each (kind, ref) the latest
    time (a component row counts as one file, the mass cap is not applied), each authored commit's
    lines, and the latest time of all."""

    person: Person
    seen: dict[tuple[Kind, str], int]
    churn: dict[str, int]
    last_at: int


def activity(db: Reader, target: str, params: dict[str, object], *, skip: tuple[str, int] = NO_PR,
             now: int = LATEST) -> list[Activity]:
    """Every commit, review and comment on the `target` files (paths.spans_cte and its `params`)
    at or before `now` (epoch seconds).

    `skip` = (repo, number) of a PR whose own commits, reviews and comments are left out.
    """
    rows = db.fetch(Q["file-activity"].fill(target=target), ActivityRow, **params,
                    skip_repo=skip[0], skip_number=skip[1], now=now)
    who = persons.lookup(db, {r.identity_key for r in rows})
    return [to_activity(r, r.root, r.path, persons.who(who, r.identity_key)) for r in rows]


def component_activity(db: Reader, name: str, *, now: int = LATEST, repo: str | None = None,
                       every_commit: bool = False
                       ) -> tuple[list[Activity], dict[str, Tally], dict[str, Work], tuple[str, ...]]:
    """A component's work at or before `now` (in `repo`, or every repository): commits counted per
    person (Tally, mostly in SQL), plus as Activity rows the evidence candidates among them and
    every review and comment. `every_commit` (the fading scoring, which needs each commit's time)
    also folds every commit of the component per person (`Work`, bots left out, their names last)
    and leaves the tallies, which only the article scoring counts, empty."""
    params = {"component": name, "now": now, "repo": repo or ""}
    # the tallies count the article scoring's commits; the fading scoring folds every commit instead
    tally = [] if every_commit else db.fetch(Q["component-tally"], TallyRow, **params)
    shared = [] if every_commit else db.fetch(Q["component-shared"], SharedRow, **params)
    rows = db.fetch(Q["component-evidence"], ComponentRow, **params)
    # plain tuples (CommitRow's columns, checked): tens of thousands of rows, unpacked by the fold
    commits = db.rows(Q["component-commits"], CommitRow._fields, **params) if every_commit else []
    if db.fetch_one(Q["any-other"], AnyRow):
        rows += db.fetch(Q["component-other"], ComponentRow, **params)
    who = persons.lookup(db, {r.identity_key for r in rows} | {r.identity_key for r in tally}
                         | {r[0] for r in commits})
    out = [to_activity(r, name, "", persons.who(who, r.identity_key)) for r in rows]
    work, bots = fold_commits(commits, who)
    return out, tallies(tally, shared, lambda key: persons.who(who, key).person.key), work, bots


def fold_commits(rows: Iterable[CommitRow | tuple[Any, ...]], who: dict[str, persons.Who]
                 ) -> tuple[dict[str, Work], tuple[str, ...]]:
    """Pure: person key -> Work over `rows` (what `expertise._fading` would keep of them as Activity
    rows: per (kind, ref) the latest time, per authored ref its lines), and the bots' names."""
    people: dict[str, Work] = {}
    bots: set[str] = set()
    of: dict[str, Work | None] = {}  # identity -> their person's Work (None: a bot)
    for identity_key, reviewed, ref, at, churn in rows:  # unpacked: tens of thousands of rows
        if identity_key in of:
            work = of[identity_key]
        else:
            w = persons.who(who, identity_key)
            work = None
            if w.is_bot:
                bots.add(w.person.name)
            else:
                work = people.get(w.person.key)
                if work is None:
                    work = people[w.person.key] = Work(w.person, {}, {}, at)
            of[identity_key] = work
        if work is None:
            continue
        seen = work.seen
        if reviewed:
            key: tuple[Kind, str] = ("review", ref)
        else:
            key = ("commit", ref)
            work.churn[ref] = churn
        if seen.get(key, at) <= at:
            seen[key] = at
        if at > work.last_at:
            work.last_at = at
    return people, tuple(sorted(bots))


def last_activity(db: Reader, person_keys: Iterable[str], *, now: int = LATEST) -> dict[str, int]:
    """person key -> their last counted activity anywhere in the store at or before `now` (every
    account of theirs): what the fading scoring's inactive cut looks at."""
    out: dict[str, int] = {}
    for marks, params in queries.in_list(sorted(set(person_keys)), "k"):
        for r in db.fetch(Q["last-activity"].fill(people=marks), LastRow, **params, now=now):
            if r.at is not None:
                out[r.person_key] = max(out.get(r.person_key, r.at), r.at)
    return out


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
                        label=short(r.hash), summary=r.title, is_bot=w.is_bot, files=_files(r))
    if r.kind == "review":
        return Activity(root, w.person, "pr-review", f"{r.repo}#{r.number}", r.at, label=f"#{r.number}",
                        summary=r.title, is_bot=w.is_bot, files=_files(r))
    return Activity(root, w.person, "comment", r.ref, r.at, label=comment_label(r.ref), is_bot=w.is_bot)


def comment_label(ref: str) -> str:
    """What a comment was on, from its identity: 'pr comment acme/app#12/7' and 'review comment
    acme/app#12/9' -> '#12', 'issue comment PROJ-1/3' -> 'PROJ-1' (the evidence of a person
    credited for comments only)."""
    target = ref.split(" ", 2)[-1].rsplit("/", 1)[0]
    return "#" + target.rsplit("#", 1)[1] if "#" in target else target


def _files(r: ActivityRow | ComponentRow) -> int:
    return max(1, int(getattr(r, "files", 1) or 1))

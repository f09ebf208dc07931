"""What a change is, for review routing: its repository, files, authors and commits, whatever form it
was given in.

- `--commit SHA`, `--range A..B`, `--branch B` (its commits not on the default branch): resolved
  with git in the repository's clone (where the store says it was ingested from, or `--git-dir`);
  without a clone a `--commit` the store holds is taken from the store's own commit_files. The
  authors are the commits' authors and co-authors (the store's accounts for a stored commit, else
  the accounts with the git author's email); merges inside a range add no author (their author
  merged, and is a reviewer).
- `--files P...` or a unified diff (`diff --git a/x b/y`, renames, new and deleted files,
  `/dev/null`; parsed by unidiff): the authors are `--author EMAIL...` (or person keys) when
  given, else unknown, and the answer says so.
- A PR known only from its merge or squash commit (no PR row, or one without commits or files):
  a squash commit `Title (#N)` (or `This closes #N from OWNER/BRANCH`, Apache's merge script) is
  itself the PR's commit; a merge whose subject is
  `Merge pull request #N` (with or without `from ...`) or the PR's title `Title (#N)` (GitHub's
  "pull request title" merge message) has the commits `merge^1..merge^2`, from git in the clone,
  else walked in the store's own commit graph.

A renamed file counts under its new name when the store knows that name (lineage then follows it
back), else under its old one, so a change the store has not ingested yet still finds the people
who know the file. Git's I/O is handed in as `git` (sources/git_change.py; agents run no git).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

from teammemory.agents import paths, persons
from teammemory.agents.evidence import short
from teammemory.errors import InputError
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "change.sql")
HEX = re.compile(r"^[0-9a-fA-F]{4,40}$")
MERGE_PR = re.compile(r"^Merge pull request #(\d+)\b")  # GitHub's merge message, with or without "from ..."
CLOSES_FROM = re.compile(r"^This closes #(\d+) from (\S+)", re.M)  # Apache's merge script: the PR squashed
SQUASH_TAIL = re.compile(r"\s*\(#\d+\)\s*$")  # a squash subject, or a merge titled as its PR (GitHub's option)


class ChangedFileLike(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def old_path(self) -> str: ...


class GitCommitLike(Protocol):
    """What the agent reads of one commit from git (sources.git_change.GitCommit)."""

    @property
    def hash(self) -> str: ...
    @property
    def parents(self) -> tuple[str, ...]: ...
    @property
    def email(self) -> str: ...
    @property
    def files(self) -> Sequence[ChangedFileLike]: ...


class ChangeGit(Protocol):
    """The git I/O the agent is handed (sources/git_change.py)."""

    def commits(self, clone: Path | str, kind: str, value: str, *, default: str = "HEAD"
                ) -> Sequence[GitCommitLike]: ...

    def default_branch(self, clone: Path | str, recorded: str = "") -> str: ...


@dataclass(frozen=True)
class Change:
    what: str  # 'commit 1a2b3c4d5e6f', 'range v1..v2 (3 commits)', '2 files', 'a diff of 4 files'
    repo: str | None  # the repository, when the form names one
    files: tuple[str, ...]
    authors: tuple[str, ...]  # person keys of who wrote it, first the main author
    author_known: bool
    commits: tuple[str, ...] = ()  # its commits (their own activity is not expertise on it)
    title: str = ""
    via: tuple[str, ...] = ()  # a PR known from git: the merge or squash commits that name it


@dataclass(frozen=True)
class DiffFile:
    path: str
    old_path: str = ""


class RepoRow(NamedTuple):
    name: str
    path: str
    branch: str


class HashRow(NamedTuple):
    hash: str
    is_merge: int


class FileRow(NamedTuple):
    path: str
    old_path: str


class KeyRow(NamedTuple):
    identity_key: str


class AuthorRow(NamedTuple):
    identity_key: str
    role: str


class StoredRow(NamedTuple):
    hash: str


class MessagePrRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    message: str
    parents: str
    is_merge: int


class GraphRow(NamedTuple):
    hash: str
    parents: str
    is_merge: int


def from_git(db: Reader, kind: str, value: str, *, now: int, git: ChangeGit, repo: str | None = None,
             git_dir: str | None = None) -> Change:
    """The change a `--commit`, `--range` or `--branch` names (see the module docstring)."""
    argument = f"--{kind}"
    row, clone = repository(db, repo, git_dir)
    if clone is None:
        if kind != "commit":
            raise InputError("--git-dir", f"repository {row.name} was ingested from"
                             f" {row.path or 'an unrecorded place'}, which is not a clone here:"
                             f" give it with --git-dir to resolve {argument}")
        return _stored_commit(db, row, value, now)
    default = git.default_branch(clone, row.branch) if kind == "branch" else "HEAD"
    found = list(git.commits(clone, kind, value, default=default))
    if not found:
        why = f"has no commit that is not on the default branch {default}" if kind == "branch" else "holds no commit"
        raise InputError(argument, f"{value!r} {why}")
    writers = [c for c in found if len(c.parents) < 2] or found
    authors = _stored_authors(db, row.name, [c.hash for c in writers])
    if authors is None:
        authors = _people_of_emails(db, [c.email for c in writers])
    files = [DiffFile(f.path, f.old_path) for c in found for f in c.files]
    if not files:
        raise InputError(argument, f"{value!r} changes no file")
    n = len(found)
    what = {"commit": f"commit {short(found[0].hash)}", "range": f"range {value} ({n} commit{'s' * (n != 1)})",
            "branch": f"branch {value} ({n} commit{'s' * (n != 1)} not on {default})"}[kind]
    return Change(what, row.name, _names(db, files, now), authors, True, tuple(c.hash for c in found))


def from_files(db: Reader, files: Sequence[str], *, now: int, authors: Sequence[str] = ()) -> Change:
    """The change given as its files (`--files`), written by `authors` (emails or person keys)."""
    clean = [f.strip().removeprefix("./") for f in files]
    bad = next((f for f in clean if not f or f.startswith("/") or not f.isprintable()), None)
    if bad is not None:
        raise InputError("--files", f"{bad!r} is not a path in the repository")
    if not clean:
        raise InputError("--files", "give at least one path")
    n = len(set(clean))
    return Change(f"{n} file{'s' * (n != 1)}", None, tuple(sorted(set(clean))), _people_of(db, authors),
                  bool(authors))


def from_diff(db: Reader, text: str, *, now: int, authors: Sequence[str] = (), where: str = "diff") -> Change:
    """The change a unified diff makes (`review-suggest -`, POST /reviewers)."""
    files = parse_diff(text, where)
    names = _names(db, files, now)
    n = len(files)
    return Change(f"a diff of {n} file{'s' * (n != 1)}", None, names, _people_of(db, authors), bool(authors))


def parse_diff(text: str, where: str = "diff") -> tuple[DiffFile, ...]:
    """The files a unified diff changes (new name and old name of a rename); InputError naming
    `where` for binary input, an empty diff, or text that is not a diff."""
    import unidiff  # only a diff needs it

    if "\0" in text:
        raise InputError(where, "binary input, not a unified diff (give the output of `git diff`)")
    if not text.strip():
        raise InputError(where, "empty diff: no file changed")
    try:
        patch = unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as exc:
        raise InputError(where, f"not a unified diff: {exc}") from None
    out: dict[str, DiffFile] = {}
    for f in patch:
        source, target = _strip(f.source_file), _strip(f.target_file)
        if f.is_removed_file or target is None:
            path, old = source or f.path, ""
        elif f.is_added_file or source is None:
            path, old = target, ""
        else:
            path, old = target, (source if source != target else "")
        if path:
            out[path] = DiffFile(path, old)
    if not out:
        raise InputError(where, "no file in it: not a unified diff"
                         " (expected 'diff --git a/x b/y' or '---'/'+++' lines)")
    return tuple(out[p] for p in sorted(out))


def _strip(name: str | None) -> str | None:
    """'a/src/x.py' -> 'src/x.py'; '/dev/null' -> None."""
    if not name or name == "/dev/null":
        return None
    return name[2:] if name[:2] in ("a/", "b/") else name


def pr_from_commits(db: Reader, number: int, *, now: int, git: ChangeGit | None, repo: str | None = None,
                    git_dir: str | None = None) -> Change | None:
    """PR `number` as its merge or squash commit shows it (see the module docstring); None when no
    commit message names it."""
    rows = [r for r in db.fetch(Q["message-prs"], MessagePrRow, n=number, now=now) if repo is None or r.repo == repo]
    rows = [r for r in rows if _names_pr(r, number)]
    if not rows:
        return None
    where = sorted({r.repo for r in rows})
    if len(where) > 1:
        raise InputError(f"pull request #{number}", f"found in {', '.join(where)}: say which repository")
    name = where[0]
    squashes = [r.hash for r in rows if not r.is_merge]
    merges = [r for r in rows if r.is_merge]
    hashes = set(squashes)
    for m in merges:
        hashes |= set(_merged(db, name, m, git, git_dir))
    hashes -= {m.hash for m in merges}
    if not hashes:
        return None
    files = [DiffFile(r.path, r.old_path) for marks, params in queries.in_list(hashes, "h")
             for r in db.fetch(Q["commit-files"].fill(hashes=marks), FileRow, repo=name, **params)]
    authors = _stored_authors(db, name, sorted(hashes)) or ()
    first = (merges or rows)[0]
    title = (_merge_title(first.message) if MERGE_PR.match(first.subject)
             else SQUASH_TAIL.sub("", first.subject)) or first.subject
    how = f"merge commit {short(first.hash)}" if first.is_merge else f"squash commit {short(first.hash)}"
    n = len(hashes)
    via = tuple(dict.fromkeys([m.hash for m in merges] + squashes))
    return Change(f"PR #{number} (from its {how}: {n} commit{'s' * (n != 1)})", name, _names(db, files, now),
                  authors, bool(authors), tuple(sorted(hashes)), title, via)


def _names_pr(row: MessagePrRow, number: int) -> bool:
    """True when `row` is PR `number`'s own commit: a merge whose subject is GitHub's merge message
    (`Merge pull request #N`, with or without `from OWNER/BRANCH`) or the PR's title `... (#N)`, or
    a squash commit `... (#N)` or one Apache's merge script wrote (`This closes #N from OWNER/BRANCH`,
    naming no other PR); not a revert or a commit that only mentions the merge."""
    merge = MERGE_PR.match(row.subject)
    closes = [int(m.group(1)) for m in CLOSES_FROM.finditer(row.message)]
    return squash_names(row.subject, number) or (
        bool(row.is_merge) and merge is not None and int(merge.group(1)) == number) or (
        not row.is_merge and closes == [number])


def squash_names(subject: str, number: int) -> bool:
    """True when `subject` ends in GitHub's ` (#N)` for PR `number` (a squash commit, or a merge
    titled as its PR): SQUASH_TAIL.sub then leaves the PR's title."""
    tail = SQUASH_TAIL.search(subject)
    return tail is not None and tail.group().strip() == f"(#{number})"


def _merge_title(message: str) -> str:
    """A GitHub merge message's second paragraph is the PR's title."""
    parts = [p.strip() for p in message.split("\n\n") if p.strip()]
    return parts[1].splitlines()[0] if len(parts) > 1 else ""


def _merged(db: Reader, repo: str, merge: MessagePrRow, git: ChangeGit | None, git_dir: str | None) -> list[str]:
    """merge^1..merge^2: from git when the clone is here, else the store's own graph."""
    if git is not None:
        try:
            row, clone = repository(db, repo, git_dir)
        except InputError:
            clone = None
        if clone is not None:
            return [c.hash for c in git.commits(clone, "merge", merge.hash) if len(c.parents) < 2]
    return branch_commits({r.hash: (tuple(r.parents.split()), bool(r.is_merge))
                           for r in db.fetch(Q["graph"], GraphRow, repo=repo)}, merge.parents.split())


def branch_commits(graph: dict[str, tuple[tuple[str, ...], bool]], parents: Sequence[str]) -> list[str]:
    """Pure: the non-merge commits reachable from parents[1] and not from parents[0] (git's M^1..M^2)."""
    if len(parents) < 2:
        return []
    mainline = _reach(graph, [parents[0]], set())
    return sorted(h for h in _reach(graph, [parents[1]], mainline) if h in graph and not graph[h][1])


def _reach(graph: dict[str, tuple[tuple[str, ...], bool]], start: Iterable[str], stop: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = [h for h in start if h not in stop]
    while todo:
        h = todo.pop()
        if h in seen or h in stop:
            continue
        seen.add(h)
        todo.extend(p for p in graph.get(h, ((), False))[0] if p not in seen and p not in stop)
    return seen


def repository(db: Reader, repo: str | None, git_dir: str | None) -> tuple[RepoRow, Path | None]:
    """The repository the change is in and its clone (None when it is not here)."""
    row = paths.pick_repository(db.fetch(Q["repositories"], RepoRow), repo, git_dir)
    clone = Path(git_dir).expanduser() if git_dir is not None else Path(row.path) if row.path else None
    if git_dir is not None and (clone is None or not clone.is_dir()):
        raise InputError("--git-dir", f"{git_dir}: no such directory")
    return row, clone if clone is not None and clone.is_dir() else None


def _stored_commit(db: Reader, row: RepoRow, value: str, now: int) -> Change:
    if not HEX.match(value):
        raise InputError("--commit", f"{value!r} is not a commit hash (4 to 40 hex digits), and repository"
                         f" {row.name}'s clone is not here to resolve it: give it with --git-dir")
    hits = db.fetch(Q["commits-by-prefix"], HashRow, repo=row.name, prefix=value.lower() + "%")
    if len(hits) != 1:
        what = "is not a commit in the store" if not hits else f"is ambiguous ({len(hits)} commits start so)"
        raise InputError("--commit", f"{value!r} {what}, and repository {row.name}'s clone is not here:"
                         " give it with --git-dir")
    sha = hits[0].hash
    files = [DiffFile(r.path, r.old_path) for r in db.fetch(Q["commit-files"].fill(hashes=":h0"), FileRow,
                                                            repo=row.name, h0=sha)]
    if not files:
        raise InputError("--commit", f"{value!r} changes no file the store recorded")
    authors = _stored_authors(db, row.name, [sha]) or ()
    return Change(f"commit {short(sha)}", row.name, _names(db, files, now), authors, True, (sha,))


def _stored_authors(db: Reader, repo: str, hashes: Sequence[str]) -> tuple[str, ...] | None:
    """Person keys of the commits' authors, then co-authors, when the store holds every commit; else None."""
    stored: set[str] = set()
    keys: list[AuthorRow] = []
    for marks, params in queries.in_list(hashes, "h"):
        stored |= {r.hash for r in db.fetch(Q["stored-commits"].fill(hashes=marks), StoredRow, repo=repo, **params)}
        keys += db.fetch(Q["commit-authors"].fill(hashes=marks), AuthorRow, repo=repo, **params)
    if stored != set(hashes):
        return None
    who = persons.lookup(db, {r.identity_key for r in keys})
    ranked = sorted((r.role != "author", persons.who(who, r.identity_key).person.key) for r in keys)
    return tuple(dict.fromkeys(k for _, k in ranked))


def _people_of_emails(db: Reader, emails: Iterable[str]) -> tuple[str, ...]:
    out: set[str] = set()
    for email in dict.fromkeys(e for e in emails if e):
        out |= set(_accounts_of(db, email)) or {email}
    return tuple(sorted(out))


def _accounts_of(db: Reader, email: str) -> tuple[str, ...]:
    keys = [r.identity_key for r in db.fetch(Q["accounts-by-email"], KeyRow, email=email)]
    who = persons.lookup(db, keys)
    return tuple(sorted(persons.person_keys(who, keys)))


def _people_of(db: Reader, given: Sequence[str]) -> tuple[str, ...]:
    """Person keys of `--author` values: an email's accounts' people, else a person key as given,
    else the value itself (someone the store does not know: never a candidate anyway)."""
    out: list[str] = []
    for value in given:
        value = value.strip()
        if not value or not value.isprintable():
            raise InputError("--author", f"{value!r} is not an email or a person key")
        found = _accounts_of(db, value) if "@" in value else ()
        found = found or tuple(r.identity_key for r in db.fetch(Q["person-exists"], KeyRow, key=value)) or (value,)
        out += [k for k in found if k not in out]
    return tuple(out)


def _names(db: Reader, files: Iterable[DiffFile], now: int) -> tuple[str, ...]:
    """Each file under its new name, or under its old name when only that one is in the store."""
    out: set[str] = set()
    for f in files:
        if f.old_path and f.old_path != f.path and not paths.file_repos(db, f.path, now=now) \
                and paths.file_repos(db, f.old_path, now=now):
            out.add(f.old_path)
        else:
            out.add(f.path)
    return tuple(sorted(out))

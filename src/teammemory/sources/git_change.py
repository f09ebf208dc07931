"""I/O only: the commits and files of a change named by git (a commit, a range, a branch, a PR's merge).

`commits(clone, kind, value, default=)` runs, in the clone,

    commit:  git log --no-walk <sha>                 (a merge: its files against its first parent)
    range:   git log <A>..<B>
    branch:  git log <B> --not <default>             (its commits not on the default branch)
    merge:   git log <merge>^1..<merge>^2             (the commits a `Merge pull request` brought in)

each with `-z --name-status -M --format=...`, so a commit comes back with its author and its files
(a rename as new name and old name). Merges inside a range add no files of their own: the commits
they brought in are in the range too. Every revision is checked with `git rev-parse --verify`
first, so a typo is one InputError naming the argument rather than git's usage text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from teammemory.errors import InputError, SourceError
from teammemory.sources.gitlog import git

FORMAT = "--format=%x1e%H%x1f%P%x1f%aE%x1f%aN"
LOG = ("log", "-z", "--name-status", "-M", "--root", "--no-color", "--no-ext-diff", "--no-textconv", FORMAT)
ARGUMENT = {"commit": "--commit", "range": "--range", "branch": "--branch", "merge": "NUMBER"}


@dataclass(frozen=True)
class ChangedFile:
    path: str  # the file's name after the change ('' never)
    old_path: str = ""  # its name before, for a rename or copy


@dataclass(frozen=True)
class GitCommit:
    hash: str
    parents: tuple[str, ...]
    email: str
    name: str
    files: tuple[ChangedFile, ...]


def commits(clone: Path | str, kind: str, value: str, *, default: str = "HEAD") -> tuple[GitCommit, ...]:
    """The commits (newest first) of the change `kind` = commit | range | branch | merge names."""
    repo = Path(clone).expanduser()
    argument = ARGUMENT[kind]
    if not repo.is_dir() or git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise InputError("--git-dir", f"{repo}: not a git repository")
    if kind == "commit":
        sha = _verify(repo, value, argument)
        found = _log(repo, "--no-walk", sha)
        if found and len(found[0].parents) > 1:  # a merge: what it brought to its first parent
            return (GitCommit(sha, found[0].parents, found[0].email, found[0].name,
                              _diff(repo, found[0].parents[0], sha)),)
        return found
    if kind == "range":
        first, dots, last = value.partition("...") if "..." in value else value.partition("..")
        if not dots or not first or not last:
            raise InputError(argument, f"{value!r} is not A..B (two revisions)")
        return _log(repo, f"{_verify(repo, first, argument)}{dots}{_verify(repo, last, argument)}")
    if kind == "branch":
        tip = _verify(repo, value, argument)
        return _log(repo, tip, "--not", _verify(repo, default, "--branch (the default branch)"))
    merge = _verify(repo, value, argument)
    return _log(repo, f"{merge}^1..{merge}^2")


def default_branch(clone: Path | str, recorded: str = "") -> str:
    """The default branch: the one the store recorded at ingest, else origin's HEAD, else HEAD."""
    repo = Path(clone).expanduser()
    if recorded and git(repo, "rev-parse", "--verify", "--quiet", f"{recorded}^{{commit}}").returncode == 0:
        return recorded
    done = git(repo, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "HEAD"


def _verify(repo: Path, rev: str, argument: str) -> str:
    if not rev or rev.startswith("-") or not rev.isprintable() or any(c.isspace() for c in rev):
        raise InputError(argument, f"{rev!r} is not a revision")
    done = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0:
        raise InputError(argument, f"{rev!r} is not a commit in {repo}")
    return done.stdout.strip()


def _log(repo: Path, *revs: str) -> tuple[GitCommit, ...]:
    done = git(repo, *LOG, *revs, "--")
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise SourceError(f"git log {' '.join(revs)} in {repo}: {lines[-1] if lines else 'failed'}")
    return parse_log(done.stdout)


def _diff(repo: Path, base: str, sha: str) -> tuple[ChangedFile, ...]:
    done = git(repo, "diff", "-z", "--name-status", "-M", "--no-ext-diff", "--no-textconv", base, sha, "--")
    if done.returncode != 0:
        raise SourceError(f"git diff {base[:12]} {sha[:12]} in {repo}: failed")
    return parse_name_status(done.stdout)


def parse_log(text: str) -> tuple[GitCommit, ...]:
    """Pure: `git log -z --name-status` output in FORMAT -> commits with their files."""
    out: list[GitCommit] = []
    for chunk in text.split("\x1e")[1:]:
        head, _, rest = chunk.partition("\0")
        fields = head.split("\x1f")
        if len(fields) != 4:
            raise SourceError(f"git log output: unexpected commit header {head[:60]!r}")
        sha, parents, email, name = fields
        out.append(GitCommit(sha, tuple(parents.split()), email, name, parse_name_status(rest)))
    return tuple(out)


def parse_name_status(text: str) -> tuple[ChangedFile, ...]:
    """Pure: `--name-status -z` tokens (`M\\0path\\0`, `R100\\0old\\0new\\0`) -> changed files."""
    tokens = text.lstrip("\n").split("\0")
    files: list[ChangedFile] = []
    i = 0
    while i < len(tokens) and tokens[i].strip():
        status = tokens[i].strip()
        if status[:1] in ("R", "C") and i + 2 < len(tokens):
            files.append(ChangedFile(tokens[i + 2], tokens[i + 1]))
            i += 3
        elif i + 1 < len(tokens):
            files.append(ChangedFile(tokens[i + 1]))
            i += 2
        else:
            break
    return tuple(files)

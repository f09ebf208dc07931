"""Ingest a local git clone: every commit reachable from a branch, in one transaction.

The cursor ('git', name) holds the head ingested last, so a rerun reads only what is new:
- no cursor: `git log <head>` (everything);
- cursor is an ancestor of the new head: `git log <head> ^<cursor>` (only the new commits);
- otherwise the history was rewritten (force push, reset, another branch): the stored commits
  that `git rev-list <head>` no longer reaches are deleted with their rows, and the reachable
  ones the store lacks are read with `git log --no-walk` (perceval's and git-history's
  "commits already seen" idea, made exact by comparing hash sets);
- a shallow clone's boundary moved since the last run (SHALLOW_CURSOR; `git fetch --unshallow`):
  the same reconciliation, with the old boundary's commits read again (a shallow clone shows
  them without parents and with their whole tree added), and nothing removed while the clone is
  shallow (what it does not reach may lie below its boundary). A shallow clone's ingest warns
  that answers see only the commits it holds.
Writes go through `store.write.write_commits` in batches of BATCH, all inside `ingest.run`'s
single transaction: an interrupted run leaves the previous state, and the next run completes it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from teammemory.config import Config
from teammemory.ingest import IngestSummary, run, same_repo, tags
from teammemory.ingest.status import status_line
from teammemory.model import Commit
from teammemory.sources import checks, git_read_ahead, gitlog, gitparse, mailmap, repo_identity
from teammemory.sources.git_read_ahead import ReadAhead
from teammemory.store import Store, Writer, fresh_build, summaries, text_index
from teammemory.store.write import delete_cursor, get_cursor, set_cursor, write_commits, write_repository

SHALLOW = ("{path} is a shallow clone: only the commits it holds are in the store, so answers (experts, risk,"
           " why, bus factor) see no history below its shallow boundary; `git fetch --unshallow` there, then this"
           " ingest again, adds the rest")
BATCH = 2000
STEP = 50  # commits per progress-bar advance
SOURCE = "git"
SHALLOW_CURSOR = "git-shallow"  # cursor (SHALLOW_CURSOR, name): the boundary of the last run's clone, '' when whole
# pr_commits evidence written from a commit message (sources.refs.pr_numbers); GitHub's own
# rows ("PR #n lists commit", "merge commit of PR #n") survive a rewrite.
MESSAGE_EVIDENCE = ("%in commit subject", "%in commit message", "squash subject%")
COMMIT_TABLES = ("component_people", "component_commits", "commit_files", "commit_people", "commit_issues",
                 "commits")


@dataclass(frozen=True)
class Plan:
    """What one run reads (`revs`, walked or not) and which stored commits it removes."""

    revs: tuple[str, ...]
    no_walk: bool = False
    remove: tuple[str, ...] = ()
    regraft: bool = False  # a shallow boundary's commits are read again: their parents change


def ingest_git(store: Store, path: Path, *, config: Config, name: str | None = None,
               branch: str | None = None, progress: bool = False,
               clock: Callable[[], float] = time.time) -> IngestSummary:
    """Ingest the commits reachable from `branch` (default HEAD) of the clone at `path`.

    Bad input (not a repository, unknown branch, empty repository) raises InputError before
    anything is written. `name` defaults to the folder name without `.git`.
    """
    repo = gitlog.open_repo(path, branch)
    target = name or repo_name(repo.path)
    # a store without commits: the whole history is read, so git starts now, beside the store's
    # set-up (and beside the imports of derive and the link rules: they are imported after it)
    # (the CLI may have started it already, before its imports: outputs/early_ingest.py)
    new = fresh_build.is_new(store)
    ahead = git_read_ahead.claim(repo if new else None) or (ReadAhead(repo) if new else None)
    show = progress and sys.stderr.isatty()

    def work(db: Writer) -> dict[str, int]:
        from teammemory.ingest import links

        walked, identity = identify(db, repo, target, ahead)
        same_repo.refuse_other_name(db, target, identity, str(repo.path))  # before anything is written
        counts = ingest_commits(db, repo, target, config=links.with_known_projects(db, config), show_progress=show,
                                now=int(clock()), walked=walked, ahead=ahead)
        same_repo.record(db, target, identity)
        tags.ingest_tags(db, repo, target)  # releases, for `timeline` (not counted: the counts stay commits')
        return counts

    try:
        with status_line(show, target) as step:
            summary = run(store, SOURCE, target, config, work, clock=clock, step=step)
        return replace(summary, warnings=(SHALLOW.format(path=repo.path),)) if repo.shallow else summary
    finally:
        if ahead is not None:
            ahead.close()


def identify(db: Writer, repo: gitlog.GitRepo, name: str,
             ahead: ReadAhead | None = None) -> tuple[gitlog.Walk | None, repo_identity.RepoIdentity]:
    """The clone's identity (its roots) and, when the run reads the whole history, its walk.

    A first ingest walks the history once (`gitlog.walk`: its roots, and the order `log_chunks`
    splits into segments). A later one whose stored head is an ancestor of the new head knows
    the roots the stored head reaches (repository_roots): only the new commits are walked for
    more (`git rev-list --max-parents=0 <head> ^<stored>`), instead of the whole history
    (~2 s at 100,000 commits). `ahead`: the walk already started (a store without commits)."""
    stored = get_cursor(db, SOURCE, name)
    if stored is not None and not boundary_moved(db, repo, name):  # else the old boundary's commits were roots
        roots = [str(r["hash"]) for r in db.all("select hash from repository_roots where repo = :repo", repo=name)]
        if roots and gitlog.is_ancestor(repo, stored, repo.head):
            return None, repo_identity.identify(repo, roots=[*roots, *gitlog.new_roots(repo, repo.head, stored)])
    walked = ahead.walk() if ahead is not None else gitlog.walk(repo, repo.head)
    return walked, repo_identity.identify(repo, roots=walked.roots)


def repo_name(path: Path) -> str:
    """`/src/proj` -> 'proj', `/srv/proj.git` -> 'proj', `/src/proj/.git` -> 'proj'."""
    name = path.parent.name if path.name == ".git" else path.name
    return name.removesuffix(".git") or name


def ingest_commits(db: Writer, repo: gitlog.GitRepo, name: str, *, config: Config, now: int,
                   show_progress: bool = False, walked: gitlog.Walk | None = None,
                   ahead: ReadAhead | None = None) -> dict[str, int]:
    """Bring the store's commits of `name` in line with `repo.head`; return the run's counts.
    `walked`: `gitlog.walk(repo, repo.head)`, when the caller has it (a first ingest reads exactly it);
    `ahead`: git processes started for that read (used only if they read exactly it)."""
    from teammemory import derive  # here: ingest_git starts git before this import (see there)

    stored = get_cursor(db, SOURCE, name)
    plan = plan_run(db, repo, name, stored)
    counts = {"commits": 0, "file_changes": 0, "links": 0, "merges": 0, "reverts": 0, "removed": 0}
    counts["removed"] = remove_commits(db, name, plan.remove)
    if plan.no_walk and plan.revs:  # commits below or beside the stored ones: the first-parent chain is walked again
        db.execute("delete from first_parent_heads where repo = :repo", repo=name)
    if plan.regraft:  # commits kept their generations and merge walks: every one is computed again
        for table in ("commit_generations", "merge_login_walks"):
            db.execute(f"delete from {table} where repo = :repo", repo=name)
    if plan.revs:
        order = walked.hashes if walked is not None and plan == Plan((repo.head,)) else None
        total = (len(order) if order is not None else gitlog.count_commits(repo, plan.revs, no_walk=plan.no_walk)) \
            if show_progress else 0
        people_map = mailmap.parse_mailmap(gitlog.read_mailmap(repo))  # git maps authors; we map trailers
        chunks = closing(gitlog.log_chunks(repo, plan.revs, no_walk=plan.no_walk,  # closing: stops git on error
                                           segments=True, order=order, ahead=ahead))  # git on both cores
        with chunks as raw, progress_bar(show_progress, total, name) as advance:
            commits = (checks.check_commit(gitparse.parse_commit(c, repo=name, config=config, mailmap=people_map))
                       for c in raw)  # what a store cannot hold is refused by commit, alike on both
            write_all(db, commits, counts, advance, derive.subject_classifier(config),
                      derive.component_classifier(config))
    write_repository(db, name, path=str(repo.path), branch=repo.branch, head=repo.head, ingested_at=now)
    if stored != repo.head:
        set_cursor(db, SOURCE, name, repo.head, now=now)
    if boundary_moved(db, repo, name):  # kept only while the clone is shallow
        if repo.boundary:
            set_cursor(db, SHALLOW_CURSOR, name, " ".join(repo.boundary), now=now)
        else:
            delete_cursor(db, SHALLOW_CURSOR, name)
    return counts


def plan_run(db: Writer, repo: gitlog.GitRepo, name: str, stored: str | None) -> Plan:
    """Decide what to read: nothing, everything, what is new since `stored`, or a reconciliation.

    A shallow clone's boundary (SHALLOW_CURSOR: the one of the last run) that moved (`git fetch
    --unshallow`, `--deepen`) reconciles too, even at the same head: the commits it now holds
    below the stored ones are read. Commits are removed only when the clone is whole: what a
    shallow clone does not reach may lie below its boundary, not be rewritten away."""
    if stored is None:
        return Plan((repo.head,))
    was = (get_cursor(db, SHALLOW_CURSOR, name) or "").split()
    moved = boundary_moved(db, repo, name)
    if stored == repo.head and not moved:
        return Plan(())
    if not moved and gitlog.is_ancestor(repo, stored, repo.head):
        return Plan((repo.head, "^" + stored))
    reachable = set(gitlog.rev_list(repo, repo.head))
    known = {row["hash"] for row in db.iterate("select hash from commits where repo = :repo", repo=name)}
    # a boundary commit was stored as the clone showed it, with no parents and its whole tree as
    # added files: once the clone holds its history, it is read again
    grafted = {h for h in was if h in reachable and h in known and h not in repo.boundary}
    gone = set() if repo.shallow else known - reachable
    return Plan(tuple(sorted((reachable - known) | grafted)), no_walk=True, remove=tuple(sorted(gone | grafted)),
                regraft=bool(grafted))


def boundary_moved(db: Writer, repo: gitlog.GitRepo, name: str) -> bool:
    """The clone's shallow boundary is not the last run's (SHALLOW_CURSOR): deepened, unshallowed,
    or cloned again shallow."""
    return (get_cursor(db, SHALLOW_CURSOR, name) or "").split() != list(repo.boundary)


def remove_commits(db: Writer, name: str, hashes: tuple[str, ...]) -> int:
    """Delete commits a rewritten history dropped, with their files, people and message links."""
    if not hashes:
        return 0
    rows = [{"repo": name, "hash": h} for h in hashes]
    paths = summaries.files_of(db, name, hashes)
    for table in COMMIT_TABLES:
        db.executemany(f"delete from {table} where repo = :repo and hash = :hash", rows)
    evidence = " or ".join(f"found_by like '{pattern}'" for pattern in MESSAGE_EVIDENCE)
    db.executemany(f"delete from pr_commits where repo = :repo and hash = :hash and ({evidence})", rows)
    db.execute("delete from files where repo = :repo and not exists (select 1 from commit_files cf"
               " where cf.repo = files.repo and cf.path = files.path)", repo=name)
    summaries.forget_commits(db, name, paths)
    text_index.forget_commits(db, (f"{name}@{h}" for h in hashes))  # `similar` must not find them
    db.execute("delete from first_parent_heads where repo = :repo", repo=name)  # its chain is walked again
    return len(hashes)


def write_all(db: Writer, commits: Iterator[Commit], counts: dict[str, int],
              advance: Callable[[int], None], classify: Callable[[Commit], tuple[int, str]] | None = None,
              component_of: Callable[[str], str] | None = None) -> None:
    """Write `commits` in batches of BATCH (one executemany per table per batch), tallying counts.

    `advance` hears of every STEP commits read, not of every batch written, so a progress bar
    moves steadily instead of jumping by thousands (a call per commit would cost ~1 s per 100k)."""
    batch: list[Commit] = []
    unreported = 0
    for commit in commits:
        batch.append(commit)
        tally(counts, commit)
        unreported += 1
        if unreported >= STEP:
            advance(unreported)
            unreported = 0
        if len(batch) >= BATCH:
            _write_batch(db, batch, classify, component_of)
            batch = []
    if batch:
        _write_batch(db, batch, classify, component_of)
    if unreported:
        advance(unreported)


def _write_batch(db: Writer, batch: list[Commit], classify: Callable[[Commit], tuple[int, str]] | None,
                 component_of: Callable[[str], str] | None) -> None:
    write_commits(db, batch, classify=classify, component_of=component_of)


def tally(counts: dict[str, int], commit: Commit) -> None:
    counts["commits"] += 1
    counts["file_changes"] += len(commit.files)
    counts["links"] += len(commit.issue_refs) + len(commit.pr_refs)
    counts["merges"] += commit.is_merge
    counts["reverts"] += bool(commit.reverts)


@contextmanager
def progress_bar(show: bool, total: int, name: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr when `show`; otherwise a no-op `advance`."""
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"git log {name}", total=total or None)
        yield lambda n: bar.advance(task, n)

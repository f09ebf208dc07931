"""A shallow clone (CI's `actions/checkout` fetches one commit by default): its ingest says what
is missing, and once the clone is deepened the next ingest makes the store what a whole clone's
ingest makes it (its boundary commits, stored with no parents and their whole tree added, are
read again). Real clones of a real repository (`git clone --depth`, `git fetch --unshallow`)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo

T = 1_700_000_000
WHO = ("Ana <ana@example.com>", "Bo <bo@example.com>", "Cy <cy@example.com>")
# Rows that number things in the order they were first met (sets of authors, documents) differ
# between a store grown in two runs and one built in one; the answers from them do not. Runs and
# migrations hold the wall clock's time.
RENUMBERED = ("lineage_", "text_", "ingest_runs", "schema_migrations", "sqlite_")


def history() -> list[FakeCommit]:
    """Forty commits by three people, renames and a side branch merged by a PR merge commit."""
    commits = [FakeCommit(WHO[i % 3], T + 3600 * i, f"PROJ-{i} change {i}",
                          {f"src/app/m{i % 5}.py": "x\n" * (i + 1), f"docs/d{i % 2}.md": f"{i}\n"}) for i in range(36)]
    commits[20] = FakeCommit(WHO[1], T + 3600 * 20, "move m1", renames={"src/app/m1.py": "src/app/one.py"})
    commits += [FakeCommit(WHO[2], T + 3600 * 36 + 60 * k, f"PROJ-9 side {k}", {f"src/side/s{k}.py": "s\n"},
                           branch="side", from_=30 if k == 0 else None) for k in range(3)]
    commits.append(FakeCommit(WHO[0], T + 3600 * 40, "Merge pull request #7 from cy/side", {}, merge=38, from_=35))
    return commits


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True, env=GIT_ENV).stdout


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    out = {}
    for name in (n for n in names if not n.startswith(RENUMBERED)):
        out[name] = sorted(conn.execute(f'select * from "{name}"').fetchall(), key=repr)
    conn.close()
    return out


def test_a_shallow_clone_says_so_and_a_deepened_one_is_read_in_full(tmp_path: Path) -> None:
    origin = build_repo(tmp_path / "origin", history())
    clone = tmp_path / "proj"
    git("clone", "-q", "--depth", "5", origin.as_uri(), str(clone))
    store = Store.open(str(tmp_path / "tm.db"))
    shallow = ingest_git(store, clone, config=Config(), clock=lambda: T + 10**6)
    assert shallow.counts["commits"] < 40
    assert len(shallow.warnings) == 1 and "is a shallow clone" in shallow.warnings[0]
    assert "git fetch --unshallow" in shallow.warnings[0]

    git("-C", str(clone), "fetch", "-q", "--unshallow")
    deepened = ingest_git(store, clone, config=Config(), clock=lambda: T + 10**6)
    assert deepened.warnings == ()
    assert deepened.counts["removed"] >= 1  # the boundary commits, read again with their parents
    assert shallow.counts["commits"] + deepened.counts["commits"] - deepened.counts["removed"] == 40
    assert ingest_git(store, clone, config=Config(), clock=lambda: T + 10**6).counts["commits"] == 0
    with store.read() as db:  # the boundary is kept only while the clone is shallow
        assert db.scalar("select count(*) as n from cursors where source = 'git-shallow'") == 0

    whole = ingest_git(Store.open(str(tmp_path / "whole.db")), clone, config=Config(), clock=lambda: T + 10**6)
    assert whole.counts["commits"] == 40 and whole.warnings == ()
    grown, built = tables(tmp_path / "tm.db"), tables(tmp_path / "whole.db")
    assert [n for n in built if grown[n] != built[n]] == []
    assert len(built["commits"]) == 40 and len(built["repository_roots"]) == 1


def test_a_shallow_clone_of_a_stored_history_removes_nothing(tmp_path: Path) -> None:
    """What a shallow clone does not reach may lie below its boundary: it is not taken as
    rewritten away."""
    origin = build_repo(tmp_path / "origin", history())
    clone = tmp_path / "proj"
    git("clone", "-q", origin.as_uri(), str(clone))
    store = Store.open(str(tmp_path / "tm.db"))
    assert ingest_git(store, clone, config=Config(), clock=lambda: T + 10**6).counts["commits"] == 40
    subprocess.run(["rm", "-rf", str(clone)], check=True)
    git("clone", "-q", "--depth", "3", origin.as_uri(), str(clone))  # the same head, shallow
    again = ingest_git(store, clone, config=Config(), clock=lambda: T + 10**6)
    assert again.counts["removed"] == 0 and again.counts["commits"] == 0 and len(again.warnings) == 1
    with store.read() as db:
        assert db.scalar("select count(*) as n from commits") == 40


def test_the_command_warns_on_stderr_even_when_quiet(tmp_path: Path) -> None:
    origin = build_repo(tmp_path / "origin", history())
    clone = tmp_path / "proj"
    git("clone", "-q", "--depth", "2", origin.as_uri(), str(clone))
    for quiet in ([], ["-q"]):
        db = tmp_path / f"tm{len(quiet)}.db"
        command = [sys.executable, "-m", "teammemory", "--db", str(db), "ingest", "git", str(clone), *quiet]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        assert done.stderr.startswith(f"warning: {clone} is a shallow clone: only the commits it holds")
        assert ("ingested git proj" in done.stdout) == (not quiet)

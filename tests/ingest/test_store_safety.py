"""Nothing lost, nothing doubled: `seed` and `init-db --reset` never replace real data without
--force, the demo goes to its own store, and one repository under a second name is refused.

Real things only: repositories written by `git fast-import`, stores on SQLite and PostgreSQL,
the CLI through typer's runner as a user runs it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest.git import ingest_git
from teammemory.outputs.cli import app
from teammemory.sources.repo_identity import normalize_remote
from teammemory.store import Store
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo, rev

T = 1700000000
ANA, BO = "Ana <ana@example.com>", "Bo <bo@example.com>"
HISTORY = [FakeCommit(ANA, T, "PROJ-1 start", {"src/a.py": "a\n"}),
           FakeCommit(BO, T + 60, "PROJ-2 more", {"src/a.py": "a\nb\n", "src/b.py": "b\n"}),
           FakeCommit(ANA, T + 120, "tidy", {"src/b.py": None})]


def tm(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def counts(store: Store) -> tuple[int, int]:
    with store.read() as db:
        return (int(db.scalar("select count(*) as n from commits")),
                int(db.scalar("select count(*) as n from commit_files")))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "platform", HISTORY)


# --- the same repository under two names ---

def test_a_second_name_for_one_repository_is_refused_before_anything_is_written(store: Store, repo: Path) -> None:
    first = ingest_git(store, repo, config=Config())  # named after its folder: 'platform'
    # 3 commits; file changes 1 + 2 + 1 = 4 (the deletion is a change too)
    assert (first.target, first.counts["commits"], first.counts["file_changes"]) == ("platform", 3, 4)
    before = counts(store)
    root = rev(repo, "HEAD~2")
    with pytest.raises(InputError, match=rf"already in the store as 'platform' \(same root commit {root[:12]}\);"
                                         r" .* as 'acme/platform' .*ingest it with --name platform"):
        ingest_git(store, repo, config=Config(), name="acme/platform")
    assert counts(store) == before == (3, 4)
    with store.read() as db:
        assert [r["name"] for r in db.all("select name from repositories")] == ["platform"]
    again = ingest_git(store, repo, config=Config(), name="platform")  # the name it names: an update
    assert again.counts["commits"] == 0


def test_a_clone_elsewhere_is_the_same_repository_and_new_commits_do_not_change_that(
        store: Store, repo: Path, tmp_path: Path) -> None:
    ingest_git(store, repo, config=Config(), name="acme/platform")
    clone = tmp_path / "copy"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    subprocess.run(["git", "-C", str(clone), "-c", "user.name=C", "-c", "user.email=c@x.io", "commit", "-q",
                    "--allow-empty", "-m", "later"], check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    with pytest.raises(InputError, match=r"already in the store as 'acme/platform'"):
        ingest_git(store, clone, config=Config())  # default name 'copy'
    assert ingest_git(store, clone, config=Config(), name="acme/platform").counts["commits"] == 1


def test_the_same_remote_is_the_same_repository_even_with_other_roots(store: Store, tmp_path: Path) -> None:
    one = build_repo(tmp_path / "one", HISTORY)
    two = build_repo(tmp_path / "two", [FakeCommit(BO, T + 999, "rewritten", {"x": "1"})])
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(one), "remote", "add", "origin", "git@github.com:Acme/Platform.git"],
                   check=True, env=env)
    subprocess.run(["git", "-C", str(two), "remote", "add", "origin", "https://ci:tok@github.com/acme/platform/"],
                   check=True, env=env)
    ingest_git(store, one, config=Config())
    with pytest.raises(InputError, match=r"as 'one' \(same remote github.com/acme/platform\)"):
        ingest_git(store, two, config=Config())
    with store.read() as db:
        assert db.scalar("select remote_url from repositories where name = 'one'") == "github.com/acme/platform"


def test_different_repositories_live_side_by_side(store: Store, repo: Path, tmp_path: Path) -> None:
    other = build_repo(tmp_path / "other", [FakeCommit(BO, T + 5, "other start", {"o.py": "o\n"})])
    ingest_git(store, repo, config=Config())
    ingest_git(store, other, config=Config())
    with store.read() as db:
        rows = db.all("select repo, hash from repository_roots order by repo")
    assert [(r["repo"], r["hash"]) for r in rows] == [("other", rev(other)), ("platform", rev(repo, "HEAD~2"))]


@pytest.mark.parametrize(("url", "normal"), [
    ("git@github.com:Acme/Platform.git", "github.com/acme/platform"),
    ("https://user:secret@GitHub.com:443/acme/platform.git/", "github.com/acme/platform"),
    ("ssh://git@gitlab.example.com/group/sub/proj.git", "gitlab.example.com/group/sub/proj"),
    ("/srv/git/platform.git", "/srv/git/platform"),
    ("file:///srv/git/platform/", "/srv/git/platform"),
    ("", ""),
])
def test_remotes_compare_however_they_are_written(url: str, normal: str) -> None:
    assert normalize_remote(url) == normal


# --- seed and init-db --reset never replace real data silently ---

@pytest.fixture
def real_store(tmp_path: Path, repo: Path) -> str:
    url = str(tmp_path / "team.db")
    result = tm("--db", url, "ingest", "git", str(repo), "-q")
    assert result.exit_code == 0, result.output
    return url


def test_seed_refuses_a_store_with_other_data_naming_it_and_its_counts(real_store: str, tmp_path: Path) -> None:
    for env in ({}, {"TEAMMEMORY_DB": real_store}):
        args = ["seed", "--dir", str(tmp_path / "demo")] if env else ["--db", real_store, "seed", "--dir",
                                                                       str(tmp_path / "demo")]
        result = tm(*args, env=env)
        assert result.exit_code == 2
        assert result.output.strip().splitlines() == [
            f"error: store {real_store}: holds 3 commits; seed would replace them: add --force to do so,"
            " or use another store (--db)"]
    assert counts(Store.open(real_store)) == (3, 4)


def test_init_db_reset_refuses_a_store_with_data_unless_forced(real_store: str) -> None:
    result = tm("--db", real_store, "init-db", "--reset")
    assert (result.exit_code, "holds 3 commits; init-db --reset would replace them: add --force") == \
        (2, result.output.split(": ", 2)[2].split(" to do so")[0])
    assert counts(Store.open(real_store)) == (3, 4)
    assert tm("--db", real_store, "init-db", "--reset", "--force").exit_code == 0
    assert counts(Store.open(real_store)) == (0, 0)
    assert tm("--db", real_store, "init-db", "--reset").exit_code == 0  # nothing left to lose


def test_the_demo_goes_to_its_own_store_and_may_be_seeded_again(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEAMMEMORY_DB", raising=False)
    (tmp_path / "teammemory.db").write_bytes(b"")  # the default store: seed never touches it
    result = tm("seed", "--dir", "demo/files")
    assert result.exit_code == 0, result.output
    assert "loaded into demo/teammemory-demo.db" in result.output
    assert "ask it with --db demo/teammemory-demo.db" in result.output
    assert "git: commits 392, file changes 652, links 105" in result.output  # changed files of each commit
    assert "jira: comments 93, input files 1, issues 47" in result.output  # the JSON files read
    assert (tmp_path / "teammemory.db").stat().st_size == 0
    assert counts(Store.open("demo/teammemory-demo.db"))[0] == 392
    again = tm("--db", "demo/teammemory-demo.db", "seed", "--dir", "demo/files")  # only the demo: replaced
    assert again.exit_code == 0, again.output
    assert counts(Store.open("demo/teammemory-demo.db"))[0] == 392


def test_seed_refuses_a_demo_store_that_holds_another_repository_too(tmp_path: Path, repo: Path) -> None:
    url = str(tmp_path / "demo.db")
    assert tm("--db", url, "seed", "--dir", str(tmp_path / "files")).exit_code == 0
    assert tm("--db", url, "ingest", "git", str(repo), "-q").exit_code == 0
    result = tm("--db", url, "seed", "--dir", str(tmp_path / "files"))
    assert result.exit_code == 2 and "holds 3 commits; seed would replace them" in result.output
    forced = tm("--db", url, "seed", "--dir", str(tmp_path / "files"), "--force")
    assert forced.exit_code == 0, forced.output
    assert counts(Store.open(url))[0] == 392


# --- migration 0006 on a store of the last release before it ---

def test_a_store_written_before_0006_gets_its_roots_from_its_commits(tmp_path: Path, repo: Path,
                                                                    request: pytest.FixtureRequest) -> None:
    from teammemory.store import migrate
    from tests.faults.test_upgrades import NEWEST, build_release

    store = build_release(Store.open(str(tmp_path / "old.db")), NEWEST)
    with store.write() as db:  # two repositories as that release stored them: a root and a child each
        for name, root in (("platform", "r1"), ("platform-fork", "r1"), ("other", "r2")):
            for hash_, parents in ((root, ""), (root + "c", root)):
                db.execute("insert into commits (repo, hash, author_key, committer_key, authored_at, committed_at,"
                           " subject, message, parents) values (:repo, :hash, 'git:x', 'git:x', 0, 0, 's', 'm',"
                           " :parents)", repo=name, hash=hash_, parents=parents)
        assert [m.version for m in migrate.apply(db)][0] == 6  # and every later migration
    with store.read() as db:
        assert db.all("select repo, hash from repository_roots order by repo") == [
            {"repo": "other", "hash": "r2"}, {"repo": "platform", "hash": "r1"},
            {"repo": "platform-fork", "hash": "r1"}]

"""gitlog: real repositories built with one `git fast-import` call; no store."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.errors import InputError, SourceError
from teammemory.model import FileChange
from teammemory.sources import gitlog, gitparse
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo, rev

T = 1700000000
COMMITS = [
    FakeCommit("Ana <ana@example.com>", T, "Add parser",
               {"src/parser.py": "a\nb\nc\n", "logo.png": "\x89PNG\x00\x01"}),
    FakeCommit("Bo <bo@example.com>", T + 60, "Move parser", {"src/lexer.py": "a\nb\nc\nd\n"},
               renames={"src/parser.py": "src/lexer.py"}),
    FakeCommit("Ana <ana@example.com>", T + 120, "Trim lexer", {"src/lexer.py": "a\n", "logo.png": None}),
]


def git(path: Path, *args: str) -> str:
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def hashes(repo: gitlog.GitRepo, revs: list[str], **kw: object) -> list[str]:
    return [chunk.split("\0", 1)[0] for chunk in gitlog.log_chunks(repo, revs, **kw)]  # type: ignore[arg-type]


@pytest.fixture
def repo_path(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", COMMITS)


def test_open_repo_resolves_head_and_branch(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    assert repo == gitlog.GitRepo(repo_path.resolve(), "main", rev(repo_path))
    first = rev(repo_path, "HEAD~2")
    assert gitlog.open_repo(repo_path, first) == gitlog.GitRepo(repo_path.resolve(), first, first)


def test_one_chunk_per_commit_newest_first(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    expected = git(repo_path, "rev-list", "HEAD").split()
    assert hashes(repo, [repo.head]) == expected


def test_chunks_parse_to_the_changes_git_reports(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    chunks = gitlog.log_chunks(repo, [repo.head])
    commits = [gitparse.parse_commit(c, repo="proj", config=Config()) for c in chunks]
    trim, move, add = commits
    assert add.files == (FileChange("logo.png", 0, 0, "A", is_binary=True),
                         FileChange("src/parser.py", 3, 0, "A"))
    assert move.files == (FileChange("src/lexer.py", 1, 0, "R", old_path="src/parser.py"),)
    assert trim.files == (FileChange("logo.png", 0, 0, "D", is_binary=True),
                          FileChange("src/lexer.py", 0, 3, "M"))
    assert [c.subject for c in commits] == ["Trim lexer", "Move parser", "Add parser"]


@pytest.mark.parametrize("read_size", [1, 5, 7, 64])
def test_tiny_reads_cut_the_same_chunks(repo_path: Path, read_size: int) -> None:
    repo = gitlog.open_repo(repo_path)
    assert list(gitlog.log_chunks(repo, [repo.head], read_size=read_size)) == list(
        gitlog.log_chunks(repo, [repo.head]))


def test_excluding_known_commits_and_explicit_lists(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    all_hashes = git(repo_path, "rev-list", "HEAD").split()
    assert hashes(repo, [repo.head, "^" + all_hashes[2]]) == all_hashes[:2]
    assert hashes(repo, [all_hashes[2], all_hashes[0]], no_walk=True) == [all_hashes[2], all_hashes[0]]
    assert gitlog.count_commits(repo, [repo.head, "^" + all_hashes[2]]) == 2
    assert list(gitlog.rev_list(repo, repo.head)) == all_hashes


def test_is_ancestor(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    first = rev(repo_path, "HEAD~2")
    assert gitlog.is_ancestor(repo, first, repo.head)
    assert gitlog.is_ancestor(repo, repo.head, repo.head)
    assert not gitlog.is_ancestor(repo, repo.head, first)
    assert not gitlog.is_ancestor(repo, "f" * 40, repo.head)  # unknown object (e.g. gc'd after a force push)


def test_bare_clone(tmp_path: Path) -> None:
    path = build_repo(tmp_path / "proj.git", COMMITS, bare=True)
    repo = gitlog.open_repo(path)
    assert repo.branch == "main" and len(hashes(repo, [repo.head])) == 3


def test_repository_config_and_environment_cannot_change_the_output(repo_path: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = gitlog.open_repo(repo_path)
    before = list(gitlog.log_chunks(repo, [repo.head]))
    for key, value in [("diff.renames", "false"), ("log.showRoot", "false"), ("diff.algorithm", "patience"),
                       ("i18n.logOutputEncoding", "ISO-8859-1"), ("log.showSignature", "true"),
                       ("diff.relative", "true"), ("core.quotepath", "true")]:
        git(repo_path, "config", key, value)
    other = build_repo(tmp_path / "other", COMMITS[:1])
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # as inside a git hook
    assert list(gitlog.log_chunks(repo, [repo.head])) == before


def test_mailmap_is_honoured(tmp_path: Path) -> None:
    path = build_repo(tmp_path / "proj", [
        FakeCommit("ana <ana@old.example.com>", T, "One",
                   {".mailmap": "Ana Lima <ana@example.com> <ana@old.example.com>\n"}),
    ])
    repo = gitlog.open_repo(path)
    commit = gitparse.parse_commit(next(gitlog.log_chunks(repo, [repo.head])), repo="proj", config=Config())
    assert (commit.author.name, commit.author.email) == ("Ana Lima", "ana@example.com")


def test_closing_early_stops_git(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    chunks = gitlog.log_chunks(repo, [repo.head], read_size=1)
    assert next(chunks).startswith(repo.head)
    chunks.close()  # kills git and joins the reader thread; must not hang


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such directory") as err:
        gitlog.open_repo(tmp_path / "missing")
    assert str(tmp_path / "missing") in str(err.value)


def test_not_a_repository_even_inside_one(repo_path: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(InputError, match="not a git repository") as err:
        gitlog.open_repo(tmp_path / "plain")
    assert err.value.where == str((tmp_path / "plain").resolve())
    (repo_path / "src" / "sub").mkdir(parents=True)
    with pytest.raises(InputError, match="not a git repository"):  # a folder of a clone is not the clone
        gitlog.open_repo(repo_path / "src" / "sub")


def test_unknown_branch(repo_path: Path) -> None:
    with pytest.raises(InputError, match="unknown branch 'nope'"):
        gitlog.open_repo(repo_path, "nope")
    with pytest.raises(InputError, match="unknown branch '--all'"):
        gitlog.open_repo(repo_path, "--all")


def test_empty_repository(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    subprocess.run(["git", "init", "-q", str(path)], check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    with pytest.raises(InputError, match="empty repository"):
        gitlog.open_repo(path)
    with pytest.raises(InputError, match="empty repository"):
        gitlog.open_repo(path, "main")


def test_git_failure_is_a_source_error(repo_path: Path) -> None:
    repo = gitlog.open_repo(repo_path)
    with pytest.raises(SourceError, match="git log in .* failed"):
        list(gitlog.log_chunks(repo, ["f" * 40]))

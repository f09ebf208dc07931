"""gitlog.read_mailmap + gitparse: a trailer person lands on the same account as their commits."""

from __future__ import annotations

from pathlib import Path

from teammemory.config import Config
from teammemory.model import IdentityRef
from teammemory.sources import gitlog, gitparse
from teammemory.sources.mailmap import parse_mailmap
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1700000000
MAILMAP = "Jane Roe <jane@corp.org> <jroe@old.org>\nIvan Kelly <ivank@apache.org> ivankelly <>\n"
HISTORY = [
    FakeCommit("J. Roe <jroe@old.org>", T, "Add parser", {"src/p.py": "a\n", ".mailmap": MAILMAP}),
    FakeCommit("Bo Li <bo@x.org>", T + 60, "Fix parser\n\nReviewers: J. Roe <jroe@old.org>, ivankelly\n",
               {"src/p.py": "b\n"}),
]


def test_trailer_people_are_mapped_like_the_author(tmp_path: Path) -> None:
    repo = gitlog.open_repo(build_repo(tmp_path / "r", HISTORY))
    assert gitlog.read_mailmap(repo) == MAILMAP
    people_map = parse_mailmap(gitlog.read_mailmap(repo))
    fix, add = (gitparse.parse_commit(c, repo="r", config=Config(), mailmap=people_map)
                for c in gitlog.log_chunks(repo, [repo.head]))
    jane = IdentityRef("git", "jane@corp.org", "Jane Roe")
    assert add.author == jane  # git's %aN/%aE
    assert [p.who for p in fix.people] == [jane, IdentityRef("git", "ivank@apache.org", "Ivan Kelly")]
    assert fix.people[0].who.key == add.author.key


def test_no_mailmap_in_the_revision(tmp_path: Path) -> None:
    path = build_repo(tmp_path / "r", [FakeCommit("Ana <ana@x.org>", T, "init", {"README": "x\n"})])
    (path / ".mailmap").write_text(MAILMAP)  # in the work tree only: not part of the revision
    assert gitlog.read_mailmap(gitlog.open_repo(path)) == ""


def test_a_mailmap_directory_is_no_mailmap(tmp_path: Path) -> None:
    path = build_repo(tmp_path / "r", [FakeCommit("Ana <ana@x.org>", T, "init", {".mailmap/x": "x\n"})])
    assert gitlog.read_mailmap(gitlog.open_repo(path)) == ""


def test_bare_repository(tmp_path: Path) -> None:
    path = build_repo(tmp_path / "r.git", HISTORY, bare=True)
    assert gitlog.read_mailmap(gitlog.open_repo(path)) == MAILMAP

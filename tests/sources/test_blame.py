"""sources/blame.py on a real repository (tests/agents/why_world.py) and on literal porcelain."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teammemory.errors import InputError, SourceError
from teammemory.sources import blame
from tests.agents.why_world import NEW, OLD, UTIL, T, build_clone

PORCELAIN = (
    "d184ffb8df888bd01079393d0f2045e113f05b54 1 1 1\n"
    "author Ana Lima\nauthor-mail <ana@example.com>\nauthor-time 1771675200\nauthor-tz +0000\n"
    "committer Ana Lima\ncommitter-time 1771675200\nsummary add parser\nboundary\nfilename src/parse.py\n"
    "\tx = 1\n"
    "6e8b6f1a82247689635a1d50c7ed988a9c12cace 2 2 1\n"
    "author Ben Okafor\nauthor-time 1772539200\nsummary PROJ-7 fix\n"
    "previous d184ffb8df888bd01079393d0f2045e113f05b54 src/parse.py\nfilename src/parse.py\n"
    "\ty = 20\n"
)


def test_porcelain_parses_into_one_record_per_line() -> None:
    got = blame.parse_porcelain(PORCELAIN)
    assert [(b.line, b.hash[:7], b.orig_path, b.orig_line, b.text) for b in got] == [
        (1, "d184ffb", "src/parse.py", 1, "x = 1"), (2, "6e8b6f1", "src/parse.py", 2, "y = 20")]
    assert (got[1].author, got[1].author_time, got[1].summary) == ("Ben Okafor", 1772539200, "PROJ-7 fix")


def test_porcelain_that_is_not_porcelain_is_refused_naming_the_line() -> None:
    with pytest.raises(SourceError, match="line 1: expected"):
        blame.parse_porcelain("not blame output\n")


def test_blame_follows_renames_moves_whitespace_and_the_ignore_file(tmp_path: Path) -> None:
    path, h = build_clone(tmp_path)
    got = blame.blame(path, NEW, None, until=T(0))
    assert got.rev == h[6] and got.total == 5 and got.ignored_revs == (h[5],)  # the unknown hash is dropped
    assert [(b.line, b.hash, b.orig_path) for b in got.lines] == [
        (1, h[0], OLD), (2, h[1], OLD), (3, h[0], OLD), (4, h[0], UTIL), (5, h[0], UTIL)]


def test_blame_agrees_with_plain_git_blame(tmp_path: Path) -> None:
    path, _ = build_clone(tmp_path)
    plain = subprocess.run(["git", "-C", str(path), "blame", "-w", "-M", "-C", "--line-porcelain", "--ignore-revs-file",
                            str(path / ".git-blame-ignore-revs"), "HEAD", "--", NEW],
                           capture_output=True, text=True, check=True).stdout
    assert blame.blame(path, NEW, None, until=T(0)).lines == blame.parse_porcelain(plain)


def test_blame_as_of_a_moment_uses_the_last_commit_before_it(tmp_path: Path) -> None:
    path, h = build_clone(tmp_path)
    got = blame.blame(path, OLD, (2, 2), until=T(95))  # before c1 changed line 2, before the rename
    assert got.rev == h[0] and [(b.line, b.hash, b.text) for b in got.lines] == [(2, h[0], "y = 2")]
    assert got.ignored_revs == ()  # the ignore file did not exist yet


def test_a_range_past_the_end_and_a_missing_path_name_the_argument(tmp_path: Path) -> None:
    path, _ = build_clone(tmp_path)
    with pytest.raises(InputError, match=r"^PATH: lines 4-9 are past the end of src/parser.py \(5 lines"):
        blame.blame(path, NEW, (4, 9), until=T(0))
    with pytest.raises(InputError, match=r"^PATH: src/nope.py: no such file at"):
        blame.blame(path, "src/nope.py", None, until=T(0))
    with pytest.raises(InputError, match=r"^PATH: src: a directory at"):
        blame.blame(path, "src", None, until=T(0))
    with pytest.raises(InputError, match=r"^--now: .* has no commit at or before"):
        blame.blame(path, NEW, None, until=T(1000))
    with pytest.raises(InputError, match=r"^--git-dir: .*: not a git repository"):
        blame.blame(tmp_path, NEW, None, until=T(0))


def test_one_cat_file_answers_for_a_file_a_directory_and_a_missing_name(tmp_path: Path) -> None:
    path, h = build_clone(tmp_path)
    got = blame.read_objects(path, [f"{h[6]}:{NEW}", f"{h[6]}:src", f"{h[6]}:src/nope.py"])
    assert [kind for kind, _ in got] == ["blob", "tree", "missing"]
    assert blame.line_count(path, h[6], NEW, got[0]) == 5 and got[2][1] is None


def test_lines_are_counted_as_the_text_always_was_crlf_and_lone_cr_included() -> None:
    assert blame.line_count(Path("."), "0" * 40, "f", ("blob", b"a\r\nb\rc")) == 3
    assert blame.line_count(Path("."), "0" * 40, "f", ("blob", b"a\nb\n")) == 2
    assert blame.line_count(Path("."), "0" * 40, "f", ("blob", b"")) == 0

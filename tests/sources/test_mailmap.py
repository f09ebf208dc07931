"""mailmap: literal `.mailmap` texts -> the (name, email) git would show (gitmailmap(5))."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teammemory.sources.mailmap import parse_mailmap
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo

TEXT = """\
# comment line, then the four forms
Jane Roe <jane@corp.org>
<bo@corp.org> <bo@home.org>
Cy Ng <cy@corp.org> <CY@Old.org>
Dee Wu <dee@corp.org> Dee <shared@team.org>
Eve Ra <eve@corp.org> eve <shared@team.org>
Ivan Kelly <ivank@apache.org> ivankelly <>
"""


@pytest.mark.parametrize(("name", "email", "expected"), [
    ("Jane", "jane@corp.org", ("Jane Roe", "jane@corp.org")),  # proper name only: email kept
    ("J", "JANE@corp.ORG", ("Jane Roe", "JANE@corp.ORG")),  # emails case-insensitive
    ("Bo", "bo@home.org", ("Bo", "bo@corp.org")),  # proper email only: name kept
    ("Cy", "cy@old.org", ("Cy Ng", "cy@corp.org")),  # both
    ("Dee", "shared@team.org", ("Dee Wu", "dee@corp.org")),  # name and email must both match
    ("EVE", "Shared@Team.org", ("Eve Ra", "eve@corp.org")),  # names case-insensitive too
    ("ivankelly", "", ("Ivan Kelly", "ivank@apache.org")),  # an empty commit email: name-only people
])
def test_each_form_maps_as_git_does(name: str, email: str, expected: tuple[str, str]) -> None:
    assert parse_mailmap(TEXT).map(name, email) == expected


@pytest.mark.parametrize(("name", "email"), [
    ("Fay", "shared@team.org"),  # that email only has name-keyed lines, and Fay is not one of them
    ("sijie", ""),
    ("Jane", "jane@other.org"),
    ("Jane Roe", "jane@corp.org"),  # already proper: mapping changes nothing, still reported
])
def test_what_is_not_mapped(name: str, email: str) -> None:
    result = parse_mailmap(TEXT).map(name, email)
    assert result is None or result == (name, email)


def test_later_lines_win_and_simple_lines_combine() -> None:
    mailmap = parse_mailmap("A One <a@x.org> <old@x.org>\nA Two <a2@x.org> <old@x.org>\n"
                            "Named <n@x.org>\n<n2@x.org> <n@x.org>\n")
    assert mailmap.map("a", "old@x.org") == ("A Two", "a2@x.org")
    # 'Named <n@x.org>' set the name, the next line the email of the same commit email
    assert mailmap.map("n", "n@x.org") == ("Named", "n2@x.org")


@pytest.mark.parametrize("line", [
    "no brackets at all", "Jane <>", "Jane <jane@x.org", "   ", "#Jane <jane@x.org>", "<> <old@x.org>",
])
def test_lines_git_ignores(line: str) -> None:
    assert not parse_mailmap(line + "\n")


def test_trailing_comment_and_whitespace() -> None:
    mailmap = parse_mailmap("  Jane   Roe  <jane@corp.org>   <jr@old.org>  # moved teams\r\n")
    assert mailmap.map("x", "jr@old.org") == ("Jane Roe", "jane@corp.org")


def test_agrees_with_git_check_mailmap(tmp_path: Path) -> None:
    """The same text through git itself (`git check-mailmap`), for every form above."""
    repo = build_repo(tmp_path / "r", [FakeCommit("Ana <ana@x.org>", 1700000000, "init", {".mailmap": TEXT})])
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin"}
    contacts = ["Jane <jane@corp.org>", "J <JANE@corp.ORG>", "Bo <bo@home.org>", "Cy <cy@old.org>",
                "Dee <shared@team.org>", "EVE <Shared@Team.org>", "Fay <shared@team.org>"]
    done = subprocess.run(["git", "-C", str(repo), "check-mailmap", *contacts], capture_output=True, text=True,
                          env=env, check=True)
    mailmap = parse_mailmap(TEXT)
    ours = []
    for contact in contacts:
        name, _, email = contact.rstrip(">").partition(" <")
        name, email = mailmap.map(name, email) or (name, email)
        ours.append(f"{name} <{email}>")
    assert done.stdout.splitlines() == ours

"""A corrupt store file and a directory given as the store: every command that opens the store
says so in one line, exit 2, and leaves the file as it was (test_cli_errors.py holds the other
kinds of not-a-store for a few commands; this runs every command over the two a user meets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.faults.test_cli_errors import assert_one_line, tm
from tests.helpers.gitrepo import FakeCommit, build_repo

COMMANDS = [
    ["init-db"], ["init-db", "--reset"], ["init-db", "--reset", "--force"], ["seed", "--dir", "{tmp}/demo"],
    ["ingest", "git", "-q", "{repo}"], ["ingest", "jira", "{json}"], ["ingest", "github", "{json}", "--repo", "a/b"],
    ["issue-context", "PROJ-1"], ["pr-context", "1"], ["file-context", "a.py"], ["file-experts", "a.py"],
    ["component-experts", "auth"], ["file-risk", "a.py"], ["component-risk", "auth"], ["risky-files"],
    ["review-suggest", "1"], ["onboarding", "auth"], ["hygiene"], ["identities"], ["identities", "--now", "2026-01-01"],
    ["identities", "suggestions"], ["identities", "merge", "a", "b"], ["identities", "split", "a"],
    ["identities", "accept", "1"],
]
CORRUPT = b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\xff" * 4000  # a header, then garbage


@pytest.mark.parametrize("kind", ["corrupt file", "directory"])
def test_every_command_names_a_store_that_is_not_one(tmp_path: Path, kind: str) -> None:
    repo = build_repo(tmp_path / "repo", [FakeCommit("Ana <ana@example.com>", 1700000000, "x", {"a.py": "1\n"})])
    (tmp_path / "j.json").write_text(json.dumps([]))
    if kind == "directory":
        store, message = tmp_path / "folder", "is a directory, not a SQLite database file"
        store.mkdir()
    else:
        store, message = tmp_path / "bad.db", "not a SQLite database ("
        store.write_bytes(CORRUPT)
    for command in COMMANDS:
        args = [a.format(tmp=tmp_path, repo=repo, json=tmp_path / "j.json") for a in command]
        assert_one_line(tm(*args, db=str(store)), 2, f"error: store {store}: {message}")
    assert store.is_dir() if kind == "directory" else store.read_bytes() == CORRUPT
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["repo", "j.json", store.name])

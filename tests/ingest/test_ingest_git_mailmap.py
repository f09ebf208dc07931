"""ingest_git applies the revision's .mailmap to trailer people as git applies it to authors."""

from __future__ import annotations

from pathlib import Path

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1700000000
MAILMAP = "Ana Lima <ana@example.com> <ana@old.example.com>\nBo Li <bo@example.com> bo <>\n"


def test_trailer_reviewer_lands_on_the_account_of_their_commits(store: Store, tmp_path: Path) -> None:
    path = build_repo(tmp_path / "proj", [
        FakeCommit("ana <ana@old.example.com>", T, "One", {".mailmap": MAILMAP}),
        FakeCommit("Cy <cy@example.com>", T + 1, "Two\n\nReviewers: Ana <ana@old.example.com>, bo\n", {"a": "1\n"}),
        FakeCommit("Bo Li <bo@example.com>", T + 2, "Three", {"a": "2\n"}),
    ])
    ingest_git(store, path, config=Config(), clock=lambda: 1800000000.0)
    with store.read() as db:
        reviewers = db.all("select i.name, i.email, cp.identity_key, cp.evidence from commit_people cp"
                           " join identities i on i.key = cp.identity_key where cp.role = 'reviewer'")
        authors = {r["name"]: r["key"] for r in db.all("select i.name, i.key from commits c"
                                                        " join identities i on i.key = c.author_key")}
    assert sorted((r["name"], r["email"], r["evidence"]) for r in reviewers) == [
        ("Ana Lima", "ana@example.com", "Reviewers trailer; .mailmap maps 'Ana <ana@old.example.com>'"),
        ("Bo Li", "bo@example.com", "Reviewers trailer; .mailmap maps 'bo <>'"),
    ]
    assert {r["identity_key"] for r in reviewers} == {authors["Ana Lima"], authors["Bo Li"]}

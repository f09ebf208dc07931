"""Keys of known projects written in lower case (`proj-1430`, as one real history has it in 389
commits) are links; keys of projects nobody knows stay text (`utf-8`, `abc-5`). A project is known
when configured (`issues.project_keys`) or when the store holds its Jira issues, whichever comes
first: ingesting Jira after git re-derives the links once. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.ingest.github import ingest_github_files
from teammemory.ingest.jira import ingest_jira_files
from teammemory.sources import refs
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

T = 1700000000
ANA = "Ana <ana@example.com>"
COMMITS = [FakeCommit(ANA, T, "proj-12: retry the login", {"a.py": "1\n"}),
           FakeCommit(ANA, T + 60, "Read files as utf-8, see abc-5", {"a.py": "2\n"}),
           FakeCommit(ANA, T + 120, "PROJ-13 and Proj-12 again", {"a.py": "3\n"})]
PATTERN = Config().key_pattern


def test_known_keys_in_any_case_unknown_ones_only_in_capitals() -> None:
    found = refs.issue_keys("proj-1430, UTF-8, utf-8, Proj-7_x, xproj-9, PROJ-1430 and ops-2", "commit message",
                            pattern=PATTERN, ignored=("UTF",), known=("PROJ",))
    assert [(r.target, r.evidence) for r in found] == [
        ("PROJ-1430", "key proj-1430 in commit message"), ("PROJ-7", "key Proj-7 in commit message")]
    assert refs.issue_keys("proj-1430", "x", pattern=PATTERN) == ()  # no project known: text
    assert refs.issue_keys("utf-8", "x", pattern=PATTERN, ignored=("UTF",), known=("UTF",)) == ()  # ignored wins


def links(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as db:
        rows = db.all("select hash, issue_key, found_by from commit_issues")
    return sorted((r["hash"], r["issue_key"], r["found_by"]) for r in rows)


def test_a_configured_project_links_lower_case_keys_at_once(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "r", COMMITS)
    ingest_git(store, repo, config=Config(project_keys=("PROJ",)))
    first, _, third = (rev(repo, f"HEAD~{2 - i}") for i in range(3))
    assert links(store) == sorted([(first, "PROJ-12", "key proj-12 in commit message"),
                                   (third, "PROJ-13", "key PROJ-13 in commit message"),
                                   (third, "PROJ-12", "key Proj-12 in commit message")])


def test_jira_after_git_makes_the_project_known_and_relinks_once(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "r", COMMITS)
    first, _, third = (rev(repo, f"HEAD~{2 - i}") for i in range(3))
    ingest_git(store, repo, config=Config())
    assert links(store) == [(third, "PROJ-13", "key PROJ-13 in commit message")]  # PROJ unknown yet
    jira = tmp_path / "jira.json"
    jira.write_text(json.dumps([{"key": "PROJ-12", "fields": {"summary": "Login", "project": {"key": "PROJ"}}}]))
    ingest_jira_files(store, [jira], config=Config())
    assert links(store) == sorted([(first, "PROJ-12", "key proj-12 in commit message"),
                                   (third, "PROJ-13", "key PROJ-13 in commit message"),
                                   (third, "PROJ-12", "key Proj-12 in commit message")])
    with store.read() as db:
        assert db.scalar("select count(*) as n from commit_issues where project = 'ABC'") == 0


def test_pull_requests_link_lower_case_keys_of_known_projects(store: Store, tmp_path: Path) -> None:
    api = tmp_path / "api" / "repos" / "acme" / "w"
    api.mkdir(parents=True)
    (api / "pulls.json").write_text(json.dumps([{
        "number": 3, "title": "proj-40: faster", "body": "Also handles utf-8.", "state": "open",
        "user": {"login": "ana"}, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "merged_at": None, "merge_commit_sha": None, "head": {"ref": "topic/proj-41"},
        "base": {"ref": "main", "repo": {"full_name": "acme/w"}}, "html_url": "https://github.com/acme/w/pull/3"}]))
    ingest_github_files(store, [tmp_path / "api"], config=Config(project_keys=("PROJ",)))
    with store.read() as db:
        rows = db.all("select issue_key, found_by from pr_issues order by issue_key")
    assert [(r["issue_key"], r["found_by"]) for r in rows] == [
        ("PROJ-40", "key proj-40 in PR title"), ("PROJ-41", "key proj-41 in branch name")]

"""A team on GitHub Issues (no Jira) gets the answers a Jira team gets: issues imported as issues,
closing keywords linking PRs and commits to them with their evidence, bug fixes classified by the
issue's labels, issue-context and hygiene over it all — on SQLite and PostgreSQL.

The data set, by hand (repository acme/widget; git ingested under that name):

    commits  c0 Ana  "Initial import"                            no link
             c1 Ana  "Retry login on timeout\\n\\nFixes #12"       -> acme/widget#12 (a Bug)
             c2 Bo   "Add CSV export\\n\\nCloses acme/widget#13"   -> acme/widget#13 (an enhancement)
             c3 Bo   "Follow-up to review\\n\\nFixes #20"          -> acme/widget#20: PR 20's number
    PRs      #20 merged, "Fixes #12" in its body, squash-merged as c1, reviewed by bo-gh; c3's
                 'Fixes #20' makes c3 a commit of PR 20 too (refs.pr_numbers: squash/merge convention)
             #21 open, no body, no link
    issues   #12 closed/completed, label 'bug', 1 comment (saved apart, linked /issues/12)
             #13 open, label 'enhancement'
             #15 closed/not_planned, no commit
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teammemory.agents import context, hygiene, onboarding
from teammemory.config import Config
from teammemory.errors import NotFound
from teammemory.ingest.git import ingest_git
from teammemory.ingest.github import ingest_github_files
from teammemory.ingest.jira import ingest_jira_files
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

REPO = "acme/widget"
T0 = 1_700_000_000
DAY = 86_400
CONFIG = Config()
COMMITS = [
    FakeCommit("Ana <ana@example.com>", T0, "Initial import\n", {"src/app.py": "app\n"}),
    FakeCommit("Ana <ana@example.com>", T0 + DAY, "Retry login on timeout\n\nFixes #12\n",
               {"src/login.py": "retry\nretry\n"}),
    FakeCommit("Bo <bo@example.com>", T0 + 2 * DAY, "Add CSV export\n\nCloses acme/widget#13\n",
               {"src/export.py": "csv\n"}),
    FakeCommit("Bo <bo@example.com>", T0 + 3 * DAY, "Follow-up to review\n\nFixes #20\n",
               {"src/login.py": "retry\n"}),
]


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gh_issue(n: int, title: str, state: str, reason: str | None, labels: list[str], updated: int) -> dict[str, Any]:
    return {"number": n, "title": title, "body": f"Body of {n}", "state": state, "state_reason": reason,
            "labels": [{"name": x} for x in labels], "user": {"login": "cy"}, "assignee": None, "assignees": [],
            "created_at": iso(T0), "updated_at": iso(updated), "closed_at": iso(updated) if state == "closed" else None,
            "url": f"https://api.github.com/repos/{REPO}/issues/{n}", "html_url": f"https://github.com/{REPO}/issues/{n}"}


def gh_pull(n: int, title: str, body: str, merge_sha: str | None) -> dict[str, Any]:
    return {"number": n, "title": title, "body": body, "state": "closed" if merge_sha else "open",
            "user": {"login": "ana-gh"}, "created_at": iso(T0 + DAY), "updated_at": iso(T0 + DAY),
            "merged_at": iso(T0 + DAY) if merge_sha else None, "merge_commit_sha": merge_sha,
            "head": {"ref": f"topic-{n}"}, "base": {"ref": "main", "repo": {"full_name": REPO}},
            "html_url": f"https://github.com/{REPO}/pull/{n}"}


@pytest.fixture
def widget(store: Store, tmp_path: Path) -> tuple[Store, list[str]]:
    repo = build_repo(tmp_path / "widget", COMMITS)
    hashes = [rev(repo, f"HEAD~{3 - i}") for i in range(4)]
    ingest_git(store, repo, config=CONFIG, name=REPO)
    api = tmp_path / "api" / "repos" / "acme" / "widget"
    (api / "issues" / "12").mkdir(parents=True)
    (api / "pulls" / "20").mkdir(parents=True)
    files = {
        api / "issues.json": [gh_issue(12, "Login times out", "closed", "completed", ["bug"], T0 + DAY),
                              gh_issue(13, "CSV export", "open", None, ["enhancement"], T0 + 2 * DAY),
                              gh_issue(15, "Dark mode", "closed", "not_planned", [], T0 + 4 * DAY)],
        api / "pulls.json": [gh_pull(20, "Retry login", "Fixes #12 by retrying.", hashes[1]),
                             gh_pull(21, "Try a new layout", "", None)],
        api / "pulls" / "20" / "reviews.json": [{
            "id": 1, "state": "APPROVED", "user": {"login": "bo-gh"}, "submitted_at": iso(T0 + DAY),
            "pull_request_url": f"https://api.github.com/repos/{REPO}/pulls/20"}],
        api / "issues" / "12" / "comments.json": [{
            "id": 7, "body": "Seen on slow networks", "user": {"login": "dee"}, "created_at": iso(T0),
            "updated_at": iso(T0), "html_url": f"https://github.com/{REPO}/issues/12#issuecomment-7",
            "issue_url": f"https://api.github.com/repos/{REPO}/issues/12"}],
    }
    for path, data in files.items():
        path.write_text(json.dumps(data))
    summary = ingest_github_files(store, [tmp_path / "api"], config=CONFIG)
    assert (summary.counts["issues"], summary.counts["issue_comments"], summary.counts["pull_requests"]) == (3, 1, 2)
    return store, hashes


def test_closing_keywords_become_links_with_their_evidence(widget: tuple[Store, list[str]]) -> None:
    store, h = widget
    with store.read() as db:
        commit_links = db.all("select hash, issue_key, project, found_by from commit_issues")
        pr_links = db.all("select number, issue_key, found_by from pr_issues")
        fixes = db.all("select hash, is_bug_fix, bug_fix_reason from commits")
    assert sorted((r["hash"], r["issue_key"], r["project"], r["found_by"]) for r in commit_links) == sorted([
        (h[1], "acme/widget#12", REPO, "'Fixes #12' in commit message"),
        (h[2], "acme/widget#13", REPO, "'Closes acme/widget#13' in commit message"),
        (h[3], "acme/widget#20", REPO, "'Fixes #20' in commit message")])
    assert pr_links == [{"number": 20, "issue_key": "acme/widget#12", "found_by": "'Fixes #12' in PR body"}]
    # bug fixes by the linked issue's type: #12 is labelled 'bug'; #13 is not; #20 is no issue (the rule decides)
    assert {r["hash"]: (r["is_bug_fix"], r["bug_fix_reason"]) for r in fixes} == {
        h[0]: (0, "no rule matched"),
        h[1]: (1, "linked issue acme/widget#12 is a Bug"),
        h[2]: (0, "linked issue acme/widget#13 is a Issue"),
        h[3]: (0, "no rule matched")}


def test_issue_context_of_a_github_issue(widget: tuple[Store, list[str]], now: datetime) -> None:
    store, h = widget
    with store.read() as db:
        got = context.ask_issue(db, "ACME/Widget#12", now=now, config=CONFIG)  # any letter case
    assert (got.key, got.ingested, got.summary, got.issue_type) == ("acme/widget#12", True, "Login times out", "Bug")
    assert (got.status, got.status_category, got.resolution) == ("closed", "done", "completed")
    assert got.url == "https://github.com/acme/widget/issues/12"
    (pr,) = got.prs
    assert (pr.number, pr.state) == (20, "merged")
    assert pr.found_by == ("'Fixes #12' in PR body", f"contains commit {h[1][:7]} linked to acme/widget#12")
    # c1 names #12 and is PR 20's merge commit; c3's 'Fixes #20' also makes it a commit of PR 20
    # (the squash/merge convention sources.refs.pr_numbers keeps), newest first
    assert [(c.hash, c.found_by) for c in got.commits] == [
        (h[3], ("in PR #20",)), (h[1], ("'Fixes #12' in commit message", "in PR #20"))]
    assert [(f.path, f.commits, f.added, f.deleted) for f in got.files] == [("src/login.py", 2, 2, 1)]
    roles = {(p.role, p.name) for p in got.people}
    assert ("reviewer", "bo-gh") in roles and ("commenter", "dee") in roles
    assert {r for r, _ in roles} == {"author", "reviewer", "commenter"}


def test_an_unknown_github_key_is_not_found_with_suggestions(widget: tuple[Store, list[str]],
                                                              now: datetime) -> None:
    store, _ = widget
    with store.read() as db, pytest.raises(NotFound) as err:
        context.ask_issue(db, "acme/widget#99", now=now, config=CONFIG)
    assert "acme/widget#12" in str(err.value)


def test_hygiene_over_github_issues(widget: tuple[Store, list[str]], now: datetime) -> None:
    store, _ = widget
    with store.read() as db:
        report = hygiene.ask(db, now=now, config=CONFIG)
    assert report.known_projects == (REPO,)
    checks = {c.name: c for c in report.checks}
    # 4 commits, c1..c3 name a key of acme/widget (known: its issues were imported): c0 is the one
    assert (checks["commits_without_issue"].count, checks["commits_without_issue"].denominator) == (1, 4)
    # PR 20 names #12; PR 21 names nothing
    assert (checks["prs_without_issue"].count, checks["prs_without_issue"].examples) == (
        1, ("acme/widget#21 Try a new layout",))
    # done: #12 (a commit names it) and #15 (none)
    assert checks["done_issues_without_commit"].examples == ("acme/widget#15 Dark mode (not_planned)",)
    # keys commits name: #12, #13, #20; #20 is PR 20's number, no issue
    assert (checks["ignored_keys"].count, checks["ignored_keys"].denominator) == (0, 3)
    dangling = checks["dangling_keys"]
    assert (dangling.count, dangling.denominator, dangling.examples) == (1, 3, ("acme/widget#20 (1 commit)",))
    assert "may be a PR's number" in dangling.note


def test_github_keys_of_a_repository_whose_issues_were_not_imported_are_unknown(
        store: Store, tmp_path: Path, now: datetime) -> None:
    repo = build_repo(tmp_path / "widget", COMMITS)
    ingest_git(store, repo, config=CONFIG, name=REPO)
    jira = tmp_path / "jira.json"
    jira.write_text(json.dumps([{"key": "OPS-1", "fields": {"summary": "x", "project": {"key": "OPS"}}}]))
    ingest_jira_files(store, [jira], config=CONFIG)
    with store.read() as db:
        report = hygiene.ask(db, now=now, config=CONFIG)
    checks = {c.name: c for c in report.checks}
    assert report.known_projects == ("OPS",)
    assert (checks["ignored_keys"].count, checks["ignored_keys"].denominator) == (3, 3)
    assert checks["commits_without_issue"].count == 4
    configured = Config(project_keys=("ACME/WIDGET",))  # as teammemory.toml loads them: upper case
    with store.read() as db:
        report = hygiene.ask(db, now=now, config=configured)
    checks = {c.name: c for c in report.checks}
    assert (checks["ignored_keys"].count, checks["dangling_keys"].count) == (0, 3)


def test_onboarding_ranks_github_issues(widget: tuple[Store, list[str]], now: datetime) -> None:
    store, _ = widget
    with store.read() as db:
        got = onboarding.ask(db, "src", now=now, config=CONFIG)  # default rule '*/**' -> 'src'
    # score = linked_commits*3 + linked_prs*3 + comments*1 + links*2 + bug*5
    #   #12: c1 (3) + PR 20 (3) + dee's comment (1) + a Bug (5) = 12;  #13: c2 (3) = 3
    # (#20 is no ingested issue, so it is not on the list)
    assert [(i.key, i.issue_type, i.score.total) for i in got.issues] == [
        ("acme/widget#12", "Bug", 12.0), ("acme/widget#13", "Issue", 3.0)]

"""GitHub issues -> Issue (github_to_sqlite, github3.py's betamax, octokit's nock recordings and
literals), and closing keywords (`fixes #12`) in PRs and commit messages. No network, no store."""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.issue_keys import issue_project
from teammemory.model import IdentityRef, IssueComment, Ref
from teammemory.sources import gitparse, jsonfiles, refs
from teammemory.sources.github_issue_parse import issue_type, label_names
from teammemory.sources.github_parse import Doc, GithubDocument, Options, read_document

OPTS = Options()
H = "a" * 40


def utc(*parts: int) -> int:
    return calendar.timegm((*parts, 0, 0, 0))


def read(data: Any, api_path: str = "x.json", opts: Options = OPTS) -> GithubDocument:
    return read_document(Doc(data, "x.json", api_path), opts)


def issue(**over: Any) -> dict[str, Any]:
    base = {"number": 12, "title": "Login fails", "body": "Steps: ...", "state": "open", "state_reason": None,
            "labels": [{"name": "bug"}], "user": {"login": "ann"}, "assignee": None,
            "assignees": [{"login": "bo"}, {"login": "cy"}], "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-02T00:00:00Z", "closed_at": None,
            "url": "https://api.github.com/repos/o/r/issues/12", "html_url": "https://github.com/o/r/issues/12"}
    return {**base, **over}


def test_an_issue_maps_to_the_jira_columns() -> None:
    (got,) = read(issue()).issues
    assert (got.key, got.project, got.summary, got.description) == ("o/r#12", "o/r", "Login fails", "Steps: ...")
    assert (got.status, got.status_category, got.resolution, got.issue_type) == ("open", "new", "", "Bug")
    assert got.labels == ("bug",)
    assert (got.created_at, got.updated_at, got.resolved_at) == (utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 2, 0, 0, 0),
                                                                 None)
    assert got.reporter == IdentityRef("github", login="ann")
    assert got.assignee == IdentityRef("github", login="bo")  # no `assignee`: the first of `assignees`
    assert got.url == "https://github.com/o/r/issues/12"


def test_closed_issue_keeps_its_state_reason_as_resolution() -> None:
    (done,) = read(issue(state="closed", state_reason="not_planned", closed_at="2024-02-01T00:00:00Z")).issues
    assert (done.status, done.status_category, done.resolution, done.resolved_at) == (
        "closed", "done", "not_planned", utc(2024, 2, 1, 0, 0, 0))
    (reopened,) = read(issue(state_reason="reopened")).issues
    assert reopened.resolution == ""  # an open issue has no resolution, whatever the reason it is open


@pytest.mark.parametrize(("labels", "types", "expected"), [
    (["bug"], ("Bug",), "Bug"),
    (["BUG"], ("Bug",), "Bug"),
    (["enhancement", "type: bug"], ("Bug",), "Bug"),
    (["kind/bug"], ("Bug",), "Bug"),
    (["Type/Defect"], ("Bug", "Defect"), "Defect"),
    (["defect"], ("Bug",), "Issue"),  # not a configured type
    (["bug"], ("Defect",), "Bug"),  # 'bug' always names a bug
    (["debugging", "bugfix-needed"], ("Bug",), "Issue"),  # whole names only
    ([], ("Bug",), "Issue"),
])
def test_issue_type_from_labels(labels: list[str], types: tuple[str, ...], expected: str) -> None:
    assert issue_type(labels, types) == expected


def test_labels_are_objects_or_strings() -> None:
    assert label_names([{"name": "a"}, "b", {"name": "a"}, {"name": ""}], "x") == ("a", "b")
    with pytest.raises(InputError, match=r"^x.json: issue #12: field 'labels': expected a list or null, got text"):
        read(issue(labels="bug"))


def test_prs_in_an_issue_list_and_milestones_are_skipped() -> None:
    pr = issue(number=13, pull_request={"url": "https://api.github.com/repos/o/r/pulls/13"})
    milestone = {"number": 1, "title": "v1", "open_issues": 2, "closed_issues": 5}
    doc = read([issue(), pr, milestone])
    assert [i.key for i in doc.issues] == ["o/r#12"]
    assert doc.skipped == {"skipped.pr-in-issue-list": 1, "skipped.github-milestone": 1}


def test_repository_from_repo_argument_url_or_path() -> None:
    assert read(issue(), opts=Options(repo="me/fork")).issues[0].key == "me/fork#12"
    bare = issue(url=None, html_url=None)
    assert read({**bare, "repository_url": "https://api.github.com/repos/a/b"}).issues[0].key == "a/b#12"
    assert read(bare, "repos/c/d/issues/12.json").issues[0].key == "c/d#12"
    with pytest.raises(InputError, match=r"^x.json: issue #12: cannot tell the repository"):
        read(bare)


def test_bad_records_name_file_issue_and_field() -> None:
    with pytest.raises(InputError, match=r"^x.json: issue #12: field 'created_at' is not an ISO 8601 time"):
        read(issue(created_at="soon"))
    with pytest.raises(InputError, match=r"^x.json: issue: field 'number': expected a whole number, got text"):
        read(issue(number="twelve"))
    with pytest.raises(InputError, match=r"^x.json: issue: field 'number' missing$"):
        read(issue(number=None))


def test_perceval_issue_item_with_its_comments() -> None:
    data = {**issue(), "user_data": {"login": "ann", "name": "Ann Lee"}, "assignee_data": {"login": "cy"},
            "comments_data": [{"id": 5, "body": "repro'd", "user_data": {"login": "bo"},
                               "created_at": "2024-01-03T00:00:00Z", "updated_at": "2024-01-04T00:00:00Z"}]}
    doc = read([{"backend_name": "GitHub", "category": "issue", "data": data}])
    (got,) = doc.issues
    assert got.reporter == IdentityRef("github", login="ann", display_name="Ann Lee")
    assert got.assignee == IdentityRef("github", login="cy")
    assert got.comments == (IssueComment("5", IdentityRef("github", login="bo"), "repro'd",
                                         utc(2024, 1, 3, 0, 0, 0), utc(2024, 1, 4, 0, 0, 0)),)


def test_github_to_sqlite_issue_list(realdata: Path) -> None:
    data = jsonfiles.read_json(realdata / "github/github_to_sqlite/issues.json")
    doc = read(data, "issues.json")
    (got,) = doc.issues  # 571 is a PR (`pull_request` key)
    assert doc.skipped == {"skipped.pr-in-issue-list": 1}
    assert (got.key, got.summary, got.status, got.issue_type, got.labels) == (
        "simonw/datasette#572", "Error running datasette publish with just --source_url", "open", "Issue",
        ("plugins",))
    assert got.reporter == IdentityRef("github", login="simonw") and got.assignee is None
    assert got.created_at == utc(2019, 9, 4, 22, 19, 22)


def test_betamax_issue_pages_count_bugs(realdata: Path) -> None:
    folder = realdata / "github/github3py/extracted"
    pages = sorted(folder.glob("Repository_issues_state_all__[23]__*.json"))
    raw = [x for p in pages for x in jsonfiles.read_json(p)]
    doc = GithubDocument(issues=tuple(i for p in pages for i in read(jsonfiles.read_json(p), p.name).issues))
    plain = [x for x in raw if "pull_request" not in x]
    assert len(doc.issues) == len(plain) == 49 + 34
    assert {i.project for i in doc.issues} == {"betamaxpy/betamax"}
    bugs = [x["number"] for x in plain if any(lb["name"].lower() == "bug" for lb in x["labels"])]
    assert sorted(int(i.key.split("#")[1]) for i in doc.issues if i.issue_type == "Bug") == sorted(bugs)
    assert len(bugs) == 3 + 5
    closed = [i for i in doc.issues if i.status == "closed"]
    assert len(closed) == 39 + 31 and all(i.status_category == "done" and i.resolved_at for i in closed)


def test_octokit_recording_created_and_listed_issues(realdata: Path) -> None:
    data = jsonfiles.read_json(realdata / "github/octokit_fixtures/paginate-issues.raw.json")
    ok = [r for r in jsonfiles.unpack_recording(data, "nock") if 200 <= r.status < 300 and r.body is not None]
    issues = [i for r in ok for i in read(r.body, r.path).issues]
    # 13 created (POST) and the same 13 listed over 5 pages of 3
    assert len(issues) == 26 and len({i.key for i in issues}) == 13
    assert {i.project for i in issues} == {"octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe"}
    assert all(i.status == "open" and i.resolution == "" for i in issues)


# --- closing keywords ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Fixes #12", [("o/r#12", "'Fixes #12' in PR body")]),
    ("closes: #7 and RESOLVED #8", [("o/r#7", "'closes: #7' in PR body"), ("o/r#8", "'RESOLVED #8' in PR body")]),
    ("fix O/R#3", [("o/r#3", "'fix O/R#3' in PR body")]),  # GitHub names ignore case: spelled as the repo
    ("resolves other/lib#4", [("other/lib#4", "'resolves other/lib#4' in PR body")]),
    ("see #12; prefix #3; hotfix #4; fixes#5", []),  # a bare number or a non-keyword is no link
    ("fixed #9, fixed #9", [("o/r#9", "'fixed #9' in PR body")]),
])
def test_closing_issue_keys(text: str, expected: list[tuple[str, str]]) -> None:
    got = refs.closing_issue_keys(text, "PR body", repo="o/r")
    assert [(r.target, r.evidence) for r in got] == expected


def test_closing_keys_need_an_owner_repo() -> None:
    assert refs.closing_issue_keys("Fixes #12", "commit message", repo="proj") == ()
    assert refs.closing_issue_keys("Fixes o/r#12", "commit message", repo="proj") == (
        Ref("o/r#12", "'Fixes o/r#12' in commit message"),)


def test_commit_message_closing_keyword_links_issue_and_keeps_the_pr_reference() -> None:
    chunk = f"{H}\0{'b' * 40}\0Ana\0ana@example.com\0001700000000 +0000\0Ana\0ana@example.com\0" \
            f"1700000000 +0000\0Retry login\n\nFixes #12\n"
    commit = gitparse.parse_commit(chunk, repo="o/r", config=Config())
    assert commit.issue_refs == (Ref("o/r#12", "'Fixes #12' in commit message"),)
    assert commit.pr_refs == (Ref("12", "'Fixes #12' in commit message"),)  # squash/merge convention, as before
    plain = gitparse.parse_commit(chunk, repo="proj", config=Config())
    assert plain.issue_refs == () and plain.pr_refs == commit.pr_refs


def test_issue_project_of_both_key_styles() -> None:
    assert issue_project("PROJ-12") == "PROJ"
    assert issue_project("my-org/my-repo#12") == "my-org/my-repo"

"""github_parse on recorded GitHub responses (github3.py, github-to-sqlite, perceval) and literals
(PRs and their parts; issues are in test_github_issue_parse)."""

from __future__ import annotations

import calendar
import json
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import KEY_PATTERN
from teammemory.errors import InputError
from teammemory.model import IdentityRef, PrFile, Ref
from teammemory.sources import jsonfiles
from teammemory.sources.github_parse import CommentPart, Doc, Options, PrPart, read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "github"
REPO = FIXTURES / "repos" / "sigmavirus24" / "github3.py"
OPTS = Options(key_pattern=KEY_PATTERN)


def utc(*parts: int) -> int:
    return calendar.timegm((*parts, 0, 0, 0))


def parts_of(path: Path, opts: Options = OPTS) -> tuple[PrPart, ...]:
    return read_document(Doc(json.loads(path.read_text()), str(path), path.as_posix()), opts).parts


def literal(data: Any, api_path: str = "x.json", opts: Options = OPTS) -> tuple[PrPart, ...]:
    return read_document(Doc(data, "x.json", api_path), opts).parts


def pull(**over: Any) -> dict[str, Any]:
    base = {"number": 7, "title": "PROJ-12: fix login", "body": "Also PROJ-3.", "state": "open",
            "merged_at": None, "merge_commit_sha": "abc", "user": {"login": "ann"},
            "head": {"ref": "feature/OPS-4-retry"}, "base": {"ref": "main", "repo": {"full_name": "o/r"}},
            "html_url": "https://github.com/o/r/pull/7", "created_at": "2024-01-01T00:00:00Z"}
    return {**base, **over}


def test_single_pr_from_github3py() -> None:
    (part,) = parts_of(REPO / "pulls" / "235.json")
    pr = part.pr
    assert part.has_row and (pr.repo, pr.number, pr.state) == ("sigmavirus24/github3.py", 235, "merged")
    assert pr.merge_commit == "8af3fd28fce3cb8d824b3c7242d73c4727d6cb38"
    assert (pr.head_branch, pr.base_branch, pr.title) == ("release-assets-attr", "develop",
                                                          "Add Release.assets attribute")
    assert pr.author == IdentityRef("github", login="bgilbert")
    assert pr.created_at == utc(2014, 5, 2, 6, 10, 10) and pr.merged_at == utc(2014, 5, 3, 14, 41, 23)
    assert pr.url == "https://github.com/sigmavirus24/github3.py/pull/235"


@pytest.mark.parametrize(("over", "state", "merge_commit"), [
    ({"state": "open"}, "open", ""),
    ({"state": "closed"}, "closed", ""),
    ({"state": "closed", "merged_at": "2024-01-02T00:00:00Z"}, "merged", "abc"),
    ({"state": "closed", "merged": True}, "merged", "abc"),  # perceval: merged without merged_at
])
def test_state_and_merge_commit(over: dict[str, Any], state: str, merge_commit: str) -> None:
    (part,) = literal(pull(**over))
    assert (part.pr.state, part.pr.merge_commit) == (state, merge_commit)


def test_issue_keys_in_title_body_and_branch() -> None:
    (part,) = literal(pull())
    assert part.pr.issue_refs == (Ref("PROJ-12", "key PROJ-12 in PR title"),
                                  Ref("PROJ-3", "key PROJ-3 in PR body"),
                                  Ref("OPS-4", "key OPS-4 in branch name"))
    ignoring = Options(key_pattern=OPTS.key_pattern, ignored=("OPS",))
    assert [r.target for r in literal(pull(), opts=ignoring)[0].pr.issue_refs] == ["PROJ-12", "PROJ-3"]


def test_repo_argument_wins_then_base_repo_then_url() -> None:
    assert literal(pull(), opts=Options(repo="me/fork"))[0].pr.repo == "me/fork"
    assert literal(pull())[0].pr.repo == "o/r"
    assert literal(pull(base={"ref": "main"}))[0].pr.repo == "o/r"  # from html_url
    with pytest.raises(InputError, match=r"x.json: PR #7: cannot tell the repository"):
        literal(pull(base={"ref": "main"}, html_url=None))
    assert literal(pull(base={"ref": "main"}, html_url=None), "repos/a/b/pulls/7.json")[0].pr.repo == "a/b"


def test_list_of_pulls_from_github_to_sqlite() -> None:
    (part,) = parts_of(FIXTURES / "github_to_sqlite_pull_requests.json")
    assert (part.pr.repo, part.pr.number, part.pr.state, part.pr.head_branch) == (
        "simonw/datasette", 571, "merged", "detect-fts")


def test_reviews_take_their_pr_from_pull_request_url() -> None:
    parts = parts_of(REPO / "pulls" / "671" / "reviews.json")
    assert {(p.pr.repo, p.pr.number, p.has_row) for p in parts} == {("sigmavirus24/github3.py", 671, False)}
    reviews = [r for p in parts for r in p.pr.reviews]
    assert [(r.review_id, r.state, r.reviewer.login if r.reviewer else None) for r in reviews][:2] == [
        ("18663174", "COMMENTED", "sigmavirus24"), ("18707616", "COMMENTED", "omgjlk")]
    assert reviews[0].submitted_at == utc(2017, 1, 26, 16, 35, 28)


def test_review_comments() -> None:
    parts = parts_of(REPO / "pulls" / "235" / "comments.json")
    got = [(p.pr.number, c.comment_id, c.path, c.author.login if c.author else "") for p in parts
           for c in p.pr.review_comments]
    assert got == [(235, "12246783", "github3/repos/release.py", "sigmavirus24"),
                   (235, "12246836", "tests/unit/test_repos_release.py", "sigmavirus24"),
                   (235, "12254558", "github3/repos/release.py", "bgilbert")]


def test_files_and_commits_take_the_pr_from_the_api_path() -> None:
    (files,) = parts_of(REPO / "pulls" / "235" / "files.json")
    assert (files.pr.repo, files.pr.number) == ("sigmavirus24/github3.py", 235)
    assert files.pr.files == (PrFile("github3/repos/release.py", 2, 0, "M"),
                              PrFile("tests/unit/test_repos_release.py", 16, 0, "M"))
    (commits,) = parts_of(REPO / "pulls" / "235" / "commits.json")
    assert commits.pr.commits == ("47cba939175db6f450e46c25279d3b83c88df94b",
                                  "560c19155ac83eb38713db56c56c7aeaa122c528")
    who = IdentityRef("github", email="bgilbert@cs.cmu.edu", name="Benjamin Gilbert", login="bgilbert")
    assert commits.pr.commit_authors == tuple((h, who) for h in commits.pr.commits)


def test_file_status_mapping_and_renames() -> None:
    files = [{"filename": "b.py", "status": "renamed", "previous_filename": "a.py", "additions": 1,
              "deletions": 0},
             {"filename": "c.py", "status": "removed", "additions": 0, "deletions": 9},
             {"filename": "d.py", "status": "added", "additions": 3, "deletions": 0}]
    (part,) = literal(files, "repos/o/r/pulls/3/files.json")
    assert part.pr.files == (PrFile("b.py", 1, 0, "R", "a.py"), PrFile("c.py", 0, 9, "D"),
                             PrFile("d.py", 3, 0, "A"))


def test_flattened_api_path_in_a_file_name() -> None:
    name = "PullRequest_files__1__GET_repos_sigmavirus24_github3.py_pulls_235_files_per_page_100.json"
    (part,) = literal([{"filename": "x.py", "status": "modified", "additions": 1, "deletions": 1}], name)
    assert (part.pr.repo, part.pr.number) == ("sigmavirus24/github3.py", 235)


def test_list_without_a_pr_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^x.json: files: cannot tell which PR"):
        literal([{"filename": "x.py", "status": "modified"}], "dump/files.json")
    with pytest.raises(InputError, match="requested reviewers: cannot tell which PR"):
        literal({"users": [], "teams": []}, "x.json")


def test_requested_reviewers_skip_deleted_accounts(realdata: Path) -> None:
    ghost = jsonfiles.read_json(realdata / "github/perceval/github_request_requested_reviewers_ghost.json")
    assert {} in ghost["users"]
    (part,) = literal(ghost, "repos/o/r/pulls/1/requested_reviewers.json")
    assert part.pr.requested_reviewers == (IdentityRef("github", login="zhquan_example"),)


def comments_of(data: Any, api_path: str) -> tuple[CommentPart, ...]:
    return read_document(Doc(data, "x.json", api_path), OPTS).comments


def test_conversation_comments_say_where_they_belong() -> None:
    (on_pr,) = comments_of(json.loads((REPO / "issues" / "235" / "comments.json").read_text()),
                           (REPO / "issues" / "235" / "comments.json").as_posix())
    assert (on_pr.repo, on_pr.number, on_pr.says, on_pr.comment.comment_id) == (
        "sigmavirus24/github3.py", 235, "pr", "42106561")
    assert on_pr.as_pr_comment().author == IdentityRef("github", login="sigmavirus24")
    on_issue = {"id": 1, "body": "b", "user": {"login": "x"}, "issue_url": "https://api.github.com/repos/o/r/issues/9",
                "html_url": "https://github.com/o/r/issues/9#issuecomment-1", "updated_at": "2024-01-02T00:00:00Z"}
    (issue,) = comments_of([on_issue], "repos/o/r/issues/9/comments.json")
    assert (issue.number, issue.says, issue.comment.updated_at) == (9, "issue", utc(2024, 1, 2, 0, 0, 0))
    bare = {"id": 2, "body": "b", "user": {"login": "x"}, "url": "https://api.github.com/repos/o/r/issues/comments/2"}
    (saved_alone,) = comments_of([bare], "repos/o/r/issues/9/comments.json")
    assert (saved_alone.repo, saved_alone.number, saved_alone.says) == ("o/r", 9, "pr")  # as before issues
    no_link = {**bare, "issue_url": "https://api.github.com/repos/o/r/issues/4"}
    (unknown,) = comments_of([no_link], "repos/o/r/issues/comments.json")
    assert (unknown.number, unknown.says) == (4, "")  # the importer decides by the PRs and issues it holds


def test_closing_keywords_in_a_pr_link_github_issues() -> None:
    body = "Fixes #12, closes o/r#13 and resolves other/lib#3.\nSee #14 (no keyword: no link). Fixed: #12"
    (part,) = literal(pull(title="Close #15: retry", body=body, head={"ref": "fix-16"}))
    assert [r for r in part.pr.issue_refs if "#" in r.target] == [
        Ref("o/r#15", "'Close #15' in PR title"), Ref("o/r#12", "'Fixes #12' in PR body"),
        Ref("o/r#13", "'closes o/r#13' in PR body"), Ref("other/lib#3", "'resolves other/lib#3' in PR body")]


def test_perceval_items(realdata: Path) -> None:
    items = jsonfiles.read_json(realdata / "github" / "elk_items" / "github_perceval_items.json")
    doc = read_document(Doc(items, "elk.json", "elk.json"), OPTS)
    assert doc.skipped == {"skipped.perceval-repository": 3}
    prs = {(p.pr.repo, p.pr.number): p.pr for p in doc.parts}
    assert set(prs) == {("zhquan_example/repo", 1), ("chaoss/grimoirelab-perceval", 4), ("finos/FDC3", 7)}
    fdc3 = prs[("finos/FDC3", 7)]
    assert [(r.state, r.reviewer.login if r.reviewer else "") for r in fdc3.reviews] == [
        ("APPROVED", "rikoe")]
    assert fdc3.author == IdentityRef("github", login="maoo", display_name="Maurizio Pillitu")
    assert fdc3.commits == ("52e69684aa76972a9a2596bf69166668e44cf1fa",
                            "bfca7260e3a3282a55e3b8b204c3fe6652e0bfe1")
    assert prs[("zhquan_example/repo", 1)].state == "merged"
    assert prs[("chaoss/grimoirelab-perceval", 4)].state == "closed"
    # the two 'issue' items are PRs' issue facets (`pull_request` key): no issues, only the
    # PRs' conversation comments from their comments_data (1 on o/r#1, 3 on perceval #7)
    assert doc.issues == ()
    got = sorted((c.repo, c.number, c.says) for c in doc.comments)
    assert got == [("chaoss/grimoirelab-perceval", 7, "pr")] * 3 + [("zhquan_example/repo", 1, "pr")]


@pytest.mark.parametrize("data", [
    {"message": "Not Found", "documentation_url": "https://docs.github.com"},
    {"rate": {}, "resources": {}}, [], [{"login": "a", "type": "User"}],
    {"full_name": "o/r", "owner": {"login": "o"}},
    [{"number": 1, "title": "a milestone", "open_issues": 2, "closed_issues": 0}],
    [{"file": "a.json", "uri": "https://api.github.com/x"}],
])
def test_non_pr_documents_are_skipped(data: Any) -> None:
    doc = read_document(Doc(data, "x.json", "x.json"), OPTS)
    assert doc.parts == doc.issues == doc.comments == () and sum(doc.skipped.values()) == 1


def test_bad_records_name_file_pr_and_field() -> None:
    with pytest.raises(InputError, match=r"^x.json: PR: field 'number' missing"):
        literal(pull(number=None))
    with pytest.raises(InputError, match=r"^x.json: PR #7: field 'created_at' is not an ISO 8601 time"):
        literal(pull(created_at="soon"))
    with pytest.raises(InputError, match=r"not GitHub pull-request or issue data"):
        literal({"what": 1})


def test_unpack_betamax_cassette() -> None:
    data = jsonfiles.read_json(FIXTURES / "cassettes" / "PullRequest_review_requests.json")
    responses = jsonfiles.unpack_recording(data, "c.json")
    assert [(r.method, r.path.split("?")[0], r.status) for r in responses] == [
        ("GET", "/repos/sigmavirus24/github3.py/pulls/873", 200),
        ("GET", "/repos/sigmavirus24/github3.py/pulls/873/requested_reviewers", 200)]
    assert responses[0].body["number"] == 873 and responses[1].body == {"users": [], "teams": []}


def test_read_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": 1,\n  oops\n}')
    with pytest.raises(InputError, match=r"bad.json: not valid JSON: .* at line 3, column 3"):
        jsonfiles.read_json(bad)

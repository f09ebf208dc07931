"""ingest_jira_files / ingest_github_files on both backends: counts (PRs and GitHub issues), idempotence,
order, rollback; where conversation comments go."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest.github import ingest_github_files, place_comments
from teammemory.ingest.jira import ingest_jira_files
from teammemory.model import IssueComment
from teammemory.sources import jsonfiles
from teammemory.sources.github_parse import CommentPart
from teammemory.store import Store, migrate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONFIG = Config()
TABLES = ("developers", "identities", "files", "issues", "issue_components", "issue_comments",
          "issue_links", "issue_transitions", "pull_requests", "reviews", "review_comments", "pr_comments",
          "review_requests", "pr_commits", "pr_files", "pr_issues", "commit_people")
# Files under realdata/github whose PR cannot be told from the file alone (see github_files()).
NO_PR = ("github_to_sqlite/commits.json", "perceval/github_request_requested_reviewers.json",
         "perceval/github_request_requested_reviewers_ghost.json")


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table, rows sorted in Python (collations differ between backends)."""
    with store.read() as db:
        return {t: sorted((tuple(r.values()) for r in db.all(f"select * from {t}")), key=repr)
                for t in TABLES}


def count(store: Store, table: str, where: str = "") -> int:
    with store.read() as db:
        return int(db.scalar(f"select count(*) from {table} {where}"))


def another_store(store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    url = str(tmp_path / "other.db") if store.dialect == "sqlite" else \
        request.getfixturevalue("pg_cluster").create_database()
    other = Store.open(url)
    with other.write() as db:
        migrate.apply(db)
    return other


# --- the small fixtures, numbers by hand -------------------------------------------------------------

def test_fixture_tree_by_hand(store: Store) -> None:
    summary = ingest_github_files(store, [FIXTURES / "github"], config=CONFIG)
    # PRs: 235 (pulls/235.json), 873 (cassette), 571 (github-to-sqlite); reviews of 671 come without its row
    assert count(store, "pull_requests") == 3
    assert count(store, "reviews", "where number = 671") == 5
    assert count(store, "review_comments", "where number = 235") == 3
    assert count(store, "pr_comments", "where number = 235") == 1
    assert count(store, "pr_files", "where number = 235") == 2
    # 2 listed commits of #235 + the merge commits of the three merged PRs
    assert count(store, "pr_commits") == 5
    assert count(store, "commit_people", "where role = 'github-author'") == 2
    assert summary.counts["pull_requests"] == 3 and summary.counts["reviews"] == 5
    assert summary.counts["files"] == 9
    with store.read() as db:
        row = db.one("select state, merge_commit, head_branch from pull_requests where number = 873")
    assert row == {"state": "merged", "merge_commit": "87af5a1d26597d7cf1a843199a1b5a2449cd8069",
                   "head_branch": "add-review-requests"}


def test_jira_fixtures_by_hand(store: Store) -> None:
    summary = ingest_jira_files(store, [FIXTURES / "jira"], config=CONFIG)
    # issue_10002 + its comment page + an empty search page + an error body (skipped)
    assert summary.counts == {"files": 4, "skipped.error": 1, "issues": 1, "comments": 2, "links": 0,
                              "transitions": 0}
    assert count(store, "issues") == 1
    # the comment page names issue id 10002, which is SAMPLEPROJECT-1 in the same call
    with store.read() as db:
        rows = db.all("select comment_id, body from issue_comments where issue_key = 'SAMPLEPROJECT-1'")
    assert sorted((r["comment_id"], r["body"]) for r in rows) == [("10000", "This is a comment. Creative."),
                                                                  ("10001", "new comment")]
    assert count(store, "issue_components", "where issue_key = 'SAMPLEPROJECT-1'") == 2


# --- partial data merges; errors write nothing -----------------------------------------------------------

def test_reviews_alone_do_not_clobber_the_pr_row(store: Store, tmp_path: Path, request: pytest.FixtureRequest
                                                 ) -> None:
    pr = FIXTURES / "github" / "repos" / "sigmavirus24" / "github3.py" / "pulls" / "235.json"
    comments = pr.parent / "235" / "comments.json"
    ingest_github_files(store, [pr], config=CONFIG)
    ingest_github_files(store, [comments], config=CONFIG)
    with store.read() as db:
        title = db.scalar("select title from pull_requests where number = 235")
    assert title == "Add Release.assets attribute"
    other = another_store(store, tmp_path, request)
    ingest_github_files(other, [comments], config=CONFIG)
    assert count(other, "pull_requests") == 0 and count(other, "review_comments") == 3
    ingest_github_files(other, [pr], config=CONFIG)
    assert dump(other) == dump(store)


def test_a_bad_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    ingest_jira_files(store, [FIXTURES / "jira"], config=CONFIG)
    before = dump(store)
    bad = tmp_path / "zz_bad.json"
    bad.write_text('{"startAt": 0, "total": 1, "issues": [{"key": "NEW-1", "fields": {"created": "never"}}]}')
    good = tmp_path / "aa_good.json"
    good.write_text('[{"key": "NEW-2", "fields": {"summary": "fine"}}]')
    with pytest.raises(InputError, match=r"zz_bad.json: issue NEW-1: field 'fields.created'"):
        ingest_jira_files(store, [tmp_path], config=CONFIG)
    assert dump(store) == before
    broken = tmp_path / "gh" / "x.json"
    broken.parent.mkdir()
    broken.write_text('[{"number": 5, "head": {}, "base": {}')
    with pytest.raises(InputError, match=r"x.json: not valid JSON: .* line 1, column"):
        ingest_github_files(store, [FIXTURES / "github", broken.parent], config=CONFIG)
    assert dump(store) == before


def test_damaged_finos_items_are_refused_whole(store: Store, realdata: Path) -> None:
    with pytest.raises(InputError, match=r"perceval_items.json: issue CONTRIB-4: field 'fields' missing"):
        ingest_jira_files(store, [realdata / "jira" / "elk_finos_cloud_edited"], config=CONFIG)
    assert count(store, "issues") == 0 and count(store, "identities") == 0


# --- every real file: counts worked out from the JSON here, idempotence, order ---------------------------

def jira_dirs(realdata: Path) -> list[Path]:
    return [p for p in sorted((realdata / "jira").iterdir())
            if p.is_dir() and p.name != "elk_finos_cloud_edited"]


def github_files(realdata: Path, tmp_path: Path) -> list[Path]:
    """Every JSON file under realdata/github but the three whose PR cannot be told; the two requested-reviewer
    files of perceval (PR 1 of zhquan_example/repo) are given their API path instead."""
    root = realdata / "github"
    files = [p for p in sorted(root.rglob("*.json")) if p.relative_to(root).as_posix() not in NO_PR]
    for i, name in enumerate(NO_PR[1:]):
        target = tmp_path / f"rr{i}" / "repos/zhquan_example/repo/pulls/1/requested_reviewers.json"
        target.parent.mkdir(parents=True)
        shutil.copy(root / name, target)
        files.append(target)
    return files


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def expected_jira(dirs: list[Path]) -> dict[str, int]:
    issues: dict[str, dict[str, Any]] = {}
    pages = []
    for f in (f for d in dirs for f in sorted(d.rglob("*.json"))):
        data = jsonfiles.read_json(f)
        if isinstance(data, dict) and isinstance(data.get("comments"), list):
            pages.append(data)
        tops = data.get("issues", [data]) if isinstance(data, dict) else data
        for d in (t.get("data", t) for t in tops):  # perceval wraps each issue in {"data": ...}
            if "key" in d and isinstance(d.get("fields"), dict):
                issues[d["key"]] = d
    ids = {str(i["id"]): k for k, i in issues.items()}
    comments = {(k, c["id"]) for k, i in issues.items()
                for c in [*(i["fields"].get("comment") or {}).get("comments", []),
                          *(i.get("comments_data") or [])]}
    for page in pages:
        for c in page["comments"]:
            issue_id = re.search(r"/issue/(\d+)/comment", c["self"]).group(1)  # type: ignore[union-attr]
            if issue_id in ids:
                comments.add((ids[issue_id], c["id"]))
    links = {(k, (lk.get("inwardIssue") or lk.get("outwardIssue"))["key"], lk["type"]["name"])
             for k, i in issues.items() for lk in i["fields"].get("issuelinks") or []}
    transitions = {(k, h["created"], it["toString"]) for k, i in issues.items()
                   for h in (i.get("changelog") or {}).get("histories", []) for it in h["items"]
                   if it["field"] == "status"}
    return {"issues": len(issues), "issue_comments": len(comments), "issue_links": len(links),
            "issue_transitions": len(transitions)}


def expected_github(files: list[Path]) -> dict[str, int]:
    """PRs, reviews and review comments found anywhere in the plain JSON files (recordings hold the same
    bodies as the extracted/ files beside them); files and commits of the lists, by their PR."""
    prs: set[tuple[str, int]] = set()
    reviews, review_comments, pr_files, commits, closing = set(), set(), set(), set(), set()
    for f in files:
        data = jsonfiles.read_json(f)
        if jsonfiles.shape(data) in jsonfiles.RECORDINGS:
            continue
        m = re.search(r"pull(?:s|_request)[/_](\d+)[/_](files|commits)", f.as_posix())
        for d in walk(data):
            if {"number", "head", "base"} <= d.keys():
                prs.add((d["base"]["repo"]["full_name"], d["number"]))
                repo = d["base"]["repo"]["full_name"]
                text = f"{d.get('title') or ''}\n{d.get('body') or ''}"
                closing |= {(repo, d["number"], f"{repo}#{n}") for n in re.findall(
                    r"(?i)\b(?:close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved):? +#(\d+)", text)}
                commits |= {(repo, d["number"], h) for h in d.get("commits_data") or []}
            elif {"pull_request_url", "state", "commit_id"} <= d.keys() and "path" not in d:
                reviews.add((d["pull_request_url"], d["id"]))
            elif {"path", "body", "id"} <= d.keys() and d.keys() & {"diff_hunk", "position"}:
                url = d.get("pull_request_url") or d["_links"]["pull_request"]["href"]
                review_comments.add((url, d["id"]))
            elif m and m.group(2) == "files" and "filename" in d:
                pr_files.add((m.group(1), d["filename"]))
            elif m and m.group(2) == "commits" and "sha" in d and "commit" in d:
                # the repo is the one the commit's URL names (perceval's anonymised PR 1 lists a
                # chaoss/grimoirelab-perceval commit: the data says so, the importer follows it)
                repo = re.search(r"/repos/([^/]+/[^/]+)/", d["url"]).group(1)  # type: ignore[union-attr]
                commits.add((repo, int(m.group(1)), d["sha"]))
    return {"pull_requests": len(prs), "reviews": len(reviews), "review_comments": len(review_comments),
            "pr_files": len(pr_files), "listed_commits": len(commits), "closing_links": len(closing),
            **expected_issues(files, prs)}


def top_level(files: list[Path]) -> Iterator[dict[str, Any]]:
    """The objects the importer reads: each document's top-level objects (perceval's unwrapped), event
    lists left out; nock recordings unpacked (2xx bodies), betamax cassettes left out (extracted/
    holds their bodies)."""
    for f in files:
        data = jsonfiles.read_json(f)
        kind = jsonfiles.shape(data)
        if kind == "betamax":
            continue
        bodies = [r.body for r in jsonfiles.unpack_recording(data, str(f)) if 200 <= r.status < 300] \
            if kind == "nock" else [data]
        for body in bodies:
            if jsonfiles.shape(body) == "github-events":  # a timeline's comment events are not comments
                continue
            for d in body if isinstance(body, list) else [body]:
                if isinstance(d, dict):
                    yield d.get("data", d) if "backend_name" in d else d


def expected_issues(files: list[Path], prs: set[tuple[str, int]]) -> dict[str, int]:
    """Issues: objects with a number, title, labels and an html_url that are not PRs (no `pull_request`,
    no `head`). Issue comments: conversation comments not on a PR of the import that are on an
    issue of the import or link to `/issues/N#...`."""
    issues: set[tuple[str, int]] = set()
    comments = []
    for d in top_level(files):
        if {"number", "title", "labels", "html_url"} <= d.keys() and not d.keys() & {"pull_request", "head"}:
            m = re.search(r"github\.com/([^/]+/[^/]+)/issues/(\d+)$", d["html_url"])
            issues.add((m.group(1), int(m.group(2))))  # type: ignore[union-attr]
        elif "/issues/comments/" in str(d.get("url")) and "body" in d:
            comments.append(d)
    on_issues = set()
    for c in comments:
        m = re.search(r"/repos/([^/]+/[^/]+)/issues/(\d+)", c.get("issue_url") or c["url"])
        where = (m.group(1), int(m.group(2))) if m and c.get("issue_url") else None
        html = re.search(r"github\.com/([^/]+/[^/]+)/(issues|pull)/(\d+)#", c.get("html_url") or "")
        if html:
            where = (html.group(1), int(html.group(3)))
        if where and where not in prs and (where in issues or (html and html.group(2) == "issues")):
            on_issues.add((where, c["id"]))
    return {"issues": len(issues), "issue_comments": len(on_issues)}


@pytest.fixture
def imported(store: Store, realdata: Path, tmp_path: Path) -> tuple[Store, list[Path], list[Path]]:
    dirs, files = jira_dirs(realdata), github_files(realdata, tmp_path)
    ingest_jira_files(store, dirs, config=CONFIG)
    ingest_github_files(store, files, config=CONFIG)
    return store, dirs, files


def test_every_real_file_imports_with_the_counts_of_its_json(imported: tuple[Store, list[Path], list[Path]]
                                                             ) -> None:
    store, dirs, files = imported
    jira = expected_jira(dirs)
    assert jira["issues"] == 5 + 5 + 11 + 3  # FINOS, puppet, jira-ruby, fiware
    for table, n in jira.items():  # GitHub issue keys are 'OWNER/REPO#N'
        assert count(store, table, f"where {'key' if table == 'issues' else 'issue_key'} not like '%#%'") == n, table
    gh = expected_github(files)
    for table in ("pull_requests", "reviews", "review_comments", "pr_files"):
        assert count(store, table) == gh[table], table
    # betamax's two pages (49 + 34 issues, the rest PRs), datasette #572, github3.py #187, octokit's 13
    assert gh["issues"] == 49 + 34 + 1 + 1 + 13
    assert count(store, "issues", "where key like '%#%'") == gh["issues"]
    # #187's 3 comments; github-to-sqlite #3 and #4 (3 comments, their issues not imported: linked /issues/)
    assert gh["issue_comments"] == 3 + 3
    assert count(store, "issue_comments", "where issue_key like '%#%'") == gh["issue_comments"]
    # perceval's github_issue_1.json and github_request.json are PR 1's issue facet (`pull_request` key): a PR,
    # not an issue; its comment (github_issue_comments_1.json, linked /issues/1) is the PR's conversation
    assert count(store, "issues", "where key = 'zhquan_example/repo#1'") == 0
    assert count(store, "pr_comments", "where repo = 'zhquan_example/repo' and number = 1 and comment_id = '1'") == 1
    # closing keywords in PR bodies: 'Fixes #570' (datasette #571), 'Closes #787' (github3.py #873),
    # 'Resolves: #926' (github3.py #927)
    assert gh["closing_links"] == 3
    assert count(store, "pr_issues", "where issue_key like '%#%'") == gh["closing_links"]
    with store.read() as db:
        link = db.one("select issue_key, found_by from pr_issues where repo = 'simonw/datasette' and number = 571")
    assert link == {"issue_key": "simonw/datasette#570", "found_by": "'Fixes #570' in PR body"}
    assert count(store, "pr_commits", "where found_by like 'PR #% lists commit'") == gh["listed_commits"]
    assert count(store, "review_requests", "where repo = 'zhquan_example/repo' and number = 1") == 1


def test_reimport_changes_nothing(imported: tuple[Store, list[Path], list[Path]]) -> None:
    store, dirs, files = imported
    before = dump(store)
    ingest_github_files(store, files, config=CONFIG)
    ingest_jira_files(store, dirs, config=CONFIG)
    assert dump(store) == before


def test_import_order_does_not_matter(imported: tuple[Store, list[Path], list[Path]], tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    store, dirs, files = imported
    other = another_store(store, tmp_path, request)
    ingest_github_files(other, files, config=CONFIG)
    ingest_jira_files(other, dirs, config=CONFIG)
    assert dump(other) == dump(store)


def test_files_whose_pr_cannot_be_told_are_refused(store: Store, realdata: Path) -> None:
    for name in NO_PR:
        with pytest.raises(InputError, match="cannot tell which PR"):
            ingest_github_files(store, [realdata / "github" / name], config=CONFIG)
    assert count(store, "pull_requests") == 0


def test_conversation_comments_go_to_a_pr_or_issue_of_the_call_first() -> None:
    def part(n: int, says: str) -> CommentPart:
        return CommentPart("o/r", n, IssueComment(f"c{n}{says}", None, "b", 0), says)

    comments = [part(1, "issue"), part(2, "pr"), part(3, ""), part(4, "pr"), part(5, "issue"), part(6, "")]
    # PR 1 and issue 2 are in the call: they win over what the links say; 4 and 5 follow their
    # links; 3 (PR of the call) is placed, 6 (nothing known, no link) is not
    on_prs, on_issues, unplaced = place_comments(comments, {("o/r", 1), ("o/r", 3)}, {"o/r#2"})
    assert {k: [c.comment_id for c in v] for k, v in on_prs.items()} == {
        ("o/r", 1): ["c1issue"], ("o/r", 3): ["c3"], ("o/r", 4): ["c4pr"]}
    assert {k: [c.comment_id for c in v] for k, v in on_issues.items()} == {"o/r#2": ["c2pr"], "o/r#5": ["c5issue"]}
    assert unplaced == 1

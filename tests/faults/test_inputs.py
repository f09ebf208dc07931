"""Inputs typed, the same on both stores: damaged and mistyped records are refused by name.

Every case starts from a recorded API response in tests/fixtures/ (real Jira and GitHub JSON),
changes one field, and checks that the import refuses it with one InputError naming the file,
the record and the field, on SQLite and PostgreSQL alike, and that the store keeps what it held
(a mistyped field once overwrote good values: `"description": ["list"]` stored as "['list']",
labels `[1, null, {"x": 1}]` as "1,None,{'x': 1}", `"reporter": "bob"` as no one). Cases:
- wrong JSON types for every kind of field the parsers read (text, numbers, true/false,
  objects, lists of objects or text, times, ids), in Jira issues, comments, links, changelogs,
  ADF descriptions, GitHub PRs, reviews, review comments, conversation comments, files,
  commits, requested reviewers, issues and labels;
- what SQLite stores and PostgreSQL refuses: NUL in text, lone surrogates, a 1 MB issue key,
  names and paths beyond their byte limits, PR numbers of 2^31 and 2^70, ids beyond 64 bits;
- documents no parser can read: nesting 100,000 levels deep, a 5000-digit number, invalid
  UTF-8, ADF nested 150 levels, damaged recorded sessions;
- through the CLI: exit code 2, one line on stderr naming file, record and field;
- git: numbers in commit messages too long to be PR numbers are no references (they were
  `integer out of range` on PostgreSQL, an OverflowError on SQLite), and `checks.check_commit`
  refuses what a store cannot hold;
- valid variants stay accepted (ADF descriptions, nulls, deleted users, ids as numbers).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest.git import ingest_git
from teammemory.ingest.github import documents, ingest_github_files, options
from teammemory.ingest.jira import ingest_jira_files
from teammemory.model import Commit, FileChange, IdentityRef, Ref
from teammemory.outputs.cli import app
from teammemory.sources import checks, github_parse, jira_parse, jsonfiles, refs
from teammemory.store import Store, migrate
from tests.helpers.gitrepo import FakeCommit, build_repo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GH = FIXTURES / "github" / "repos" / "sigmavirus24" / "github3.py"
CONFIG = Config()
TABLES = ("identities", "issues", "issue_components", "issue_comments", "issue_links", "issue_transitions",
          "pull_requests", "reviews", "review_comments", "pr_comments", "review_requests", "pr_commits",
          "pr_files", "pr_issues", "commits", "commit_files", "commit_issues")
BIG = 2**70  # 1180591620717411303424


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def github_issue() -> dict[str, Any]:
    """Issue 235 as GET /repos/O/R/issues/235 gives it: the PR's issue fields, no head/base/merge."""
    pr = load(GH / "pulls" / "235.json")
    drop = ("head", "base", "merged", "merged_at", "merge_commit_sha", "_links", "requested_reviewers")
    return {**{k: v for k, v in pr.items() if k not in drop},
            "url": "https://api.github.com/repos/sigmavirus24/github3.py/issues/235",
            "html_url": "https://github.com/sigmavirus24/github3.py/issues/235",
            "labels": [{"name": "feature"}], "state_reason": "completed"}


@dataclass(frozen=True)
class Source:
    """A recorded document, where it is saved (its API path tells a list's PR), and its importer."""

    name: str
    load: Callable[[], Any]
    save_as: str
    ingest: Callable[..., Any]
    record: str  # how messages name the record


def _adf(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": "deep"}
    for _ in range(depth):
        node = {"type": "bulletList", "content": [{"type": "listItem", "content": [node]}]}
    return {"type": "doc", "version": 1, "content": [node]}


JIRA = Source("jira", lambda: load(FIXTURES / "jira" / "issue_10002.json"), "jira/issues.json",
              ingest_jira_files, "issue SAMPLEPROJECT-1")
PR = Source("pr", lambda: load(GH / "pulls" / "235.json"), "repos/sigmavirus24/github3.py/pulls/235.json",
            ingest_github_files, "PR #235")
FILES = Source("files", lambda: load(GH / "pulls" / "235" / "files.json"),
               "repos/sigmavirus24/github3.py/pulls/235/files.json", ingest_github_files, "PR #235")
COMMITS = Source("commits", lambda: load(GH / "pulls" / "235" / "commits.json"),
                 "repos/sigmavirus24/github3.py/pulls/235/commits.json", ingest_github_files, "PR #235")
REVIEW_COMMENTS = Source("review-comments", lambda: load(GH / "pulls" / "235" / "comments.json"),
                         "repos/sigmavirus24/github3.py/pulls/235/comments.json", ingest_github_files, "PR #235")
REVIEWS = Source("reviews", lambda: load(GH / "pulls" / "671" / "reviews.json"),
                 "repos/sigmavirus24/github3.py/pulls/671/reviews.json", ingest_github_files, "PR #671")
COMMENTS = Source("issue-comments", lambda: load(GH / "issues" / "235" / "comments.json"),
                  "repos/sigmavirus24/github3.py/issues/235/comments.json", ingest_github_files, "#235")
ISSUE = Source("issue", github_issue, "repos/sigmavirus24/github3.py/issues/235.json", ingest_github_files,
               "issue #235")
REQUESTED = Source("requested", lambda: load(GH / "pulls" / "873" / "requested_reviewers.json"),
                   "repos/sigmavirus24/github3.py/pulls/873/requested_reviewers.json", ingest_github_files,
                   "PR #873")
SOURCES = (JIRA, PR, FILES, COMMITS, REVIEW_COMMENTS, REVIEWS, COMMENTS, ISSUE, REQUESTED)
REVIEW_COMMENT_ID = load(GH / "pulls" / "235" / "comments.json")[0]["id"]
REVIEW_ID = load(GH / "pulls" / "671" / "reviews.json")[0]["id"]
COMMENT_ID = load(GH / "issues" / "235" / "comments.json")[0]["id"]
OUT_OF_32 = r"is out of range \(0 to 2147483647\)"


@dataclass(frozen=True)
class Case:
    source: Source
    path: tuple[str | int, ...]  # where the one changed value goes (keys and list indexes)
    value: Any
    message: str  # regex for what follows "<file>: <record>: "
    record: str | None = None  # when the record is named otherwise (a key that cannot be read)

    @property
    def id(self) -> str:
        return f"{self.source.name}:{'.'.join(map(str, self.path))}={_short(self.value)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 24 else f"{text[:16]}...{len(text)}"


CASES = [
    # Jira: the values the fault run saw stored wrongly, then every kind of field
    Case(JIRA, ("fields", "description"), ["list"],
         r"field 'fields.description': expected text, an ADF object or null, got a list"),
    Case(JIRA, ("fields", "labels"), [1, None, {"x": 1}],
         r"field 'fields.labels\[0\]': expected text, got a number \(1\)"),
    Case(JIRA, ("fields", "labels"), ["ok", None], r"field 'fields.labels\[1\]': expected text, got null"),
    Case(JIRA, ("fields", "reporter"), "bob",
         r"field 'fields.reporter': expected an object or null, got text \('bob'\)"),
    Case(JIRA, ("key",), 42, r"field 'key': expected text, got a number \(42\)", record="issue id 10002"),
    Case(JIRA, ("key",), None, r"field 'key' missing", record="issue id 10002"),
    Case(JIRA, ("key",), "", r"field 'key' is empty", record="issue id 10002"),
    Case(JIRA, ("key",), "PROJ-" + "9" * (1 << 20),
         r"field 'key': too long for a name or identifier: 1048581 bytes in UTF-8, at most 255",
         record="issue id 10002"),
    Case(JIRA, ("key",), "PROJ\x00-1", r"field 'key': contains a NUL character \(U\+0000 at position 4\)",
         record="issue id 10002"),
    Case(JIRA, ("key",), "\ud800-1", r"field 'key': contains a lone surrogate \(U\+D800 at position 0\)",
         record="issue id 10002"),
    Case(JIRA, ("id",), [10002], r"field 'id': expected text or a number, got a list"),
    Case(JIRA, ("self",), 5, r"field 'self': expected text or null, got a number \(5\)"),
    Case(JIRA, ("fields",), "x", r"field 'fields': expected an object, got text \('x'\)"),
    Case(JIRA, ("fields", "summary"), ["S"], r"field 'fields.summary': expected text or null, got a list"),
    Case(JIRA, ("fields", "summary"), "a\x00b",
         r"field 'fields.summary': contains a NUL character \(U\+0000 at position 1\), which PostgreSQL cannot store"),
    Case(JIRA, ("fields", "summary"), "ok \udfff",
         r"field 'fields.summary': contains a lone surrogate \(U\+DFFF at position 3\), which is not valid Unicode"),
    Case(JIRA, ("fields", "status"), "Open", r"field 'fields.status': expected an object or null, got text \('Open'\)"),
    Case(JIRA, ("fields", "status", "name"), "x" * 256,
         r"field 'fields.status.name': too long for a name or identifier: 256 bytes in UTF-8, at most 255"),
    Case(JIRA, ("fields", "status", "name"), "é" * 128,  # 128 characters, 256 bytes
         r"field 'fields.status.name': too long for a name or identifier: 256 bytes"),
    Case(JIRA, ("fields", "priority", "name"), True,
         r"field 'fields.priority.name': expected text or null, got true/false \(true\)"),
    Case(JIRA, ("fields", "resolution"), "Fixed", r"field 'fields.resolution': expected an object or null"),
    Case(JIRA, ("fields", "issuetype"), ["Task"], r"field 'fields.issuetype': expected an object or null, got a list"),
    Case(JIRA, ("fields", "assignee", "name"), 7, r"field 'fields.assignee.name': expected text or null, got a number"),
    Case(JIRA, ("fields", "reporter", "emailAddress"), "a" * 300 + "@x",
         r"field 'fields.reporter.emailAddress': too long for a name or identifier: 302 bytes"),
    Case(JIRA, ("fields", "components"), ["Jammy"],
         r"field 'fields.components\[0\]': expected an object, got text \('Jammy'\)"),
    Case(JIRA, ("fields", "components", 0, "name"), {"n": 1},
         r"field 'fields.components\[0\].name': expected text or null, got an object"),
    Case(JIRA, ("fields", "created"), 1323806766,
         r"field 'fields.created': expected an ISO 8601 time or null, got a number \(1323806766\)"),
    Case(JIRA, ("fields", "updated"), "yesterday", r"field 'fields.updated' is not an ISO 8601 time: 'yesterday'"),
    Case(JIRA, ("fields", "issuelinks"), {"x": 1},
         r"field 'fields.issuelinks': expected a list or null, got an object"),
    Case(JIRA, ("fields", "issuelinks"), [{"type": {"name": "Blocks"}, "outwardIssue": {"key": 9}}],
         r"field 'fields.issuelinks\[0\].outwardIssue.key': expected text or null, got a number \(9\)"),
    Case(JIRA, ("fields", "comment", "comments"), [{"id": "1", "body": ["x"]}],
         r"field 'comment 1.body': expected text, an ADF object or null, got a list"),
    Case(JIRA, ("fields", "comment", "comments"), [{"id": {"x": 1}}],
         r"field 'comment 0.id': expected text or a number, got an object"),
    Case(JIRA, ("fields", "comment", "comments"), [{"id": "1", "author": "ann"}],
         r"field 'comment 1.author': expected an object or null, got text \('ann'\)"),
    Case(JIRA, ("fields", "comment"), [], r"field 'fields.comment': expected an object or null, got a list"),
    Case(JIRA, ("fields", "description"), {"type": "doc", "content": "abc"},
         r"field 'fields.description.content': expected a list or null, got text \('abc'\)"),
    Case(JIRA, ("fields", "description"), {"type": "doc", "content": [{"type": "text", "text": 5}]},
         r"field 'fields.description.content\[0\].text': expected text or null, got a number \(5\)"),
    Case(JIRA, ("fields", "description"), {"type": "doc", "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "a", "marks": ["link"]}]}]},
         r"field 'fields.description.content\[0\].content\[0\].marks\[0\]': expected an object, got text"),
    Case(JIRA, ("fields", "description"), _adf(150),
         r"field 'fields.description': rich text nested more than 100 levels deep"),
    Case(JIRA, ("changelog",), {"histories": [{"id": "5", "created": "2020-01-01T00:00:00.000+0000",
                                               "items": [{"field": "status", "toString": 3}]}]},
         r"field 'changelog.histories\[0\].items\[0\].toString': expected text or null, got a number \(3\)"),
    Case(JIRA, ("changelog",), {"histories": ["x"]},
         r"field 'changelog.histories\[0\]': expected an object, got text \('x'\)"),
    Case(JIRA, ("fields", "parent"), "PROJ-1", r"field 'fields.parent': expected an object or null, got text"),
    Case(JIRA, ("comments_data",), "none", r"field 'comments_data': expected a list or null, got text"),
    # GitHub pull requests
    Case(PR, ("user",), "login", r"field 'user': expected an object or null, got text \('login'\)"),
    Case(PR, ("user", "login"), "x" * 300, r"field 'user.login': too long for a name or identifier: 300 bytes"),
    Case(PR, ("number",), BIG, r"field 'number': 1180591620717411303424 " + OUT_OF_32, record="PR"),
    Case(PR, ("number",), 2**31, r"field 'number': 2147483648 " + OUT_OF_32, record="PR"),
    Case(PR, ("number",), -1, r"field 'number': -1 " + OUT_OF_32, record="PR"),
    Case(PR, ("number",), "abc", r"field 'number': expected a whole number, got text \('abc'\)", record="PR"),
    Case(PR, ("number",), 1.5, r"field 'number': expected a whole number, got a number with a fraction \(1.5\)",
         record="PR"),
    Case(PR, ("number",), True, r"field 'number': expected a whole number, got true/false \(true\)", record="PR"),
    Case(PR, ("number",), None, r"field 'number' missing", record="PR"),
    Case(PR, ("title",), "a\x00b", r"field 'title': contains a NUL character \(U\+0000 at position 1\)"),
    Case(PR, ("title",), "\udc80x", r"field 'title': contains a lone surrogate \(U\+DC80 at position 0\)"),
    Case(PR, ("body",), {"x": 1}, r"field 'body': expected text or null, got an object"),
    Case(PR, ("state",), ["closed"], r"field 'state': expected text or null, got a list"),
    Case(PR, ("head",), "main", r"field 'head': expected an object or null, got text \('main'\)"),
    Case(PR, ("head", "ref"), ["x"], r"field 'head.ref': expected text or null, got a list"),
    Case(PR, ("head", "ref"), "b" * 3000, r"field 'head.ref': too long for a path: 3000 bytes in UTF-8, at most 2048"),
    Case(PR, ("base", "repo", "full_name"), "a/" + "b" * 300,
         r"field 'base.repo.full_name': too long for a name or identifier: 302 bytes"),
    Case(PR, ("merged",), "yes", r"field 'merged': expected true, false or null, got text \('yes'\)"),
    Case(PR, ("merge_commit_sha",), 5, r"field 'merge_commit_sha': expected text or null, got a number \(5\)"),
    Case(PR, ("created_at",), 12, r"field 'created_at': expected an ISO 8601 time or null, got a number \(12\)"),
    Case(PR, ("requested_reviewers",), [{"login": 5}],
         r"field 'requested_reviewers\[0\].login': expected text or null, got a number \(5\)"),
    Case(PR, ("requested_reviewers",), ["octocat"],
         r"field 'requested_reviewers\[0\]': expected an object, got text \('octocat'\)"),
    Case(PR, ("html_url",), ["u"], r"field 'html_url': expected text or null, got a list"),
    # GitHub lists of one PR
    Case(FILES, (0, "additions"), "many", r"field 'file 0.additions': expected a whole number or null, got text"),
    Case(FILES, (0, "additions"), 2**40, r"field 'file 0.additions': 1099511627776 " + OUT_OF_32),
    Case(FILES, (0, "filename"), "a\x00b", r"field 'file 0.filename': contains a NUL character"),
    Case(FILES, (0, "filename"), None, r"field 'file 0.filename' missing"),
    Case(FILES, (0, "filename"), "d/" * 1500, r"field 'file 0.filename': too long for a path: 3000 bytes"),
    Case(FILES, (0, "status"), 1, r"field 'file 0.status': expected text or null, got a number \(1\)"),
    Case(FILES, (0,), "src/x.py", r"not GitHub pull-request or issue data \(looks like: unknown\)", record=""),
    Case(PR, (), [PR.load(), "x"], r"not GitHub pull-request or issue data \(looks like: unknown\)", record=""),
    Case(COMMITS, (0, "sha"), 5, r"field 'commit 0.sha': expected text, got a number \(5\)"),
    Case(COMMITS, (0, "author"), "bob", r"field 'commit 0.author': expected an object or null, got text \('bob'\)"),
    Case(COMMITS, (0, "commit", "author", "email"), ["x"],
         r"field 'commit 0.commit.author.email': expected text or null, got a list"),
    Case(REVIEW_COMMENTS, (0, "path"), 5, rf"field 'comment {REVIEW_COMMENT_ID}.path': expected text or null"),
    Case(REVIEW_COMMENTS, (0, "id"), BIG,
         r"field 'review comment id': 1180591620717411303424 is out of range \(-9223372036854775808 to "
         r"9223372036854775807\)"),
    Case(REVIEW_COMMENTS, (0, "pull_request_review_id"), [1],
         rf"field 'comment {REVIEW_COMMENT_ID}.pull_request_review_id': expected text or a number, got a list"),
    Case(REVIEW_COMMENTS, (0, "user"), "login", rf"field 'comment {REVIEW_COMMENT_ID}.user': expected an object"),
    Case(REVIEWS, (0, "state"), 5, rf"field 'review {REVIEW_ID}.state': expected text or null, got a number"),
    Case(REVIEWS, (0, "id"), None, r"field 'review id' missing"),
    Case(REVIEWS, (0, "user"), "login", rf"field 'review {REVIEW_ID}.user': expected an object or null"),
    Case(REVIEWS, (0, "body"), "x\x00", rf"field 'review {REVIEW_ID}.body': contains a NUL character"),
    Case(COMMENTS, (0, "body"), ["x"], rf"field 'comment {COMMENT_ID}.body': expected text or null, got a list"),
    Case(COMMENTS, (0, "user"), "login", rf"field 'comment {COMMENT_ID}.user': expected an object or null"),
    Case(COMMENTS, (0, "created_at"), "soon", rf"field 'comment {COMMENT_ID}.created_at' is not an ISO 8601 time"),
    Case(REQUESTED, ("users",), ["octocat"], r"field 'users\[0\]': expected an object, got text \('octocat'\)"),
    Case(REQUESTED, ("users",), {"login": "x"}, r"field 'users': expected a list or null, got an object"),
    # GitHub issues
    Case(ISSUE, ("labels",), [1, None, {"x": 1}], r"field 'labels\[0\]': expected an object or text, got a number"),
    Case(ISSUE, ("labels",), [{"name": 5}], r"field 'labels\[0\].name': expected text or null, got a number \(5\)"),
    Case(ISSUE, ("labels",), "bug", r"field 'labels': expected a list or null, got text \('bug'\)"),
    Case(ISSUE, ("user",), "login", r"field 'user': expected an object or null, got text \('login'\)"),
    Case(ISSUE, ("assignees",), ["octocat"], r"field 'assignees\[0\]': expected an object, got text"),
    Case(ISSUE, ("title",), "\ud800", r"field 'title': contains a lone surrogate \(U\+D800 at position 0\)"),
    Case(ISSUE, ("number",), BIG, r"field 'number': 1180591620717411303424 " + OUT_OF_32, record="issue"),
    Case(ISSUE, ("state_reason",), 5, r"field 'state_reason': expected text or null, got a number \(5\)"),
    Case(ISSUE, ("closed_at",), ["2014-05-01"], r"field 'closed_at': expected an ISO 8601 time or null, got a list"),
]


def _record(case: Case) -> str:
    return case.source.record if case.record is None else case.record


def mutated(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    out = copy.deepcopy(data)
    holder = out
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return out


def write(root: Path, name: str, data: Any) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # "\ud800" stays an escape
    return path


def expected(path: Path, record: str, message: str) -> str:
    return f"^{re.escape(str(path))}: " + (f"{re.escape(record)}: " if record else "") + message


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as db:
        return {t: sorted((tuple(r.values()) for r in db.all(f"select * from {t}")), key=repr) for t in TABLES}


def seed(store: Store, root: Path) -> None:
    """The good documents of every source, imported once: what a refused record must not touch."""
    for source in SOURCES:
        source.ingest(store, [write(root / "good", source.save_as, source.load())], config=CONFIG)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Store, dict[str, list[tuple[Any, ...]]]]:
    """A store on each backend holding the good documents, and its rows; refused imports leave both."""
    root = tmp_path_factory.mktemp(f"seeded-{request.param}")
    url = str(root / "tm.db") if request.param == "sqlite" else request.getfixturevalue("pg_cluster").create_database()
    store = Store.open(url)
    with store.write() as db:
        migrate.apply(db)
    seed(store, root)
    rows = dump(store)
    assert rows["issues"] and rows["pull_requests"] and rows["pr_files"] and rows["reviews"]
    return store, rows


def parse(source: Source, path: Path) -> None:
    """What an import does with a file before it writes anything: read it, parse every record."""
    if source is JIRA:
        doc = jira_parse.read_document(jsonfiles.read_json(path), str(path), path.as_posix())
        for raw, where in doc.issues:
            jira_parse.parse_issue(raw, where)
        return
    for d in documents(path, {}):
        github_parse.read_document(d, options(CONFIG))


# --- each case, parsed (no store: fast, one test each) -------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_mistyped_field_is_refused_by_file_record_and_field(tmp_path: Path, case: Case) -> None:
    bad = write(tmp_path, case.source.save_as, mutated(case.source.load(), case.path, case.value))
    with pytest.raises(InputError, match=expected(bad, _record(case), case.message)):
        parse(case.source, bad)


# --- through the importers on both backends: the same error, the store unchanged ---------------------------

# PostgreSQL refused these in its own words (or SQLite failed with a traceback), or SQLite stored
# them wrongly: each runs on both backends; the rest run on SQLite (the check is the parser's).
STORE_SENSITIVE = ("NUL", "surrogate", "too long", "out of range")
REPORTED = {"jira:fields.description=[\"list\"]", "jira:fields.labels=[1, null, {\"x\": 1}]",
            "jira:fields.reporter=\"bob\"", "jira:key=42", "pr:user=\"login\"",
            "issue:labels=[1, null, {\"x\": 1}]"}


def _on(store: Store) -> list[Case]:
    if store.dialect == "sqlite":
        return CASES
    return [c for c in CASES if c.id in REPORTED or any(word in c.message for word in STORE_SENSITIVE)]


def test_cases_are_refused_alike_on_both_stores_and_change_nothing(
        seeded: tuple[Store, dict[str, list[tuple[Any, ...]]]], tmp_path: Path) -> None:
    store, before = seeded
    cases = _on(store)
    assert len(cases) >= 25 and REPORTED <= {c.id for c in cases}
    wrong = []
    for i, case in enumerate(cases):
        bad = write(tmp_path / f"bad{i}", case.source.save_as, mutated(case.source.load(), case.path, case.value))
        try:
            case.source.ingest(store, [bad], config=CONFIG)
            wrong.append(f"{case.id}: accepted")
        except InputError as exc:
            if not re.match(expected(bad, _record(case), case.message), str(exc)):
                wrong.append(f"{case.id}: {str(exc)[:300]}")
    assert wrong == []
    assert dump(store) == before


UNREADABLE = [
    ("deep-list", "[" * 100_000 + "]" * 100_000, r"not readable JSON: nested too deeply"),
    ("deep-field", '{"key": "P-1", "fields": {"summary": ' + "[" * 100_000 + "]" * 100_000 + "}}",
     r"not readable JSON: nested too deeply"),
    ("long-number", '{"number": 1' + "0" * 5000 + ', "head": {}, "base": {}}',
     r"not readable JSON: a number too long to read \(Exceeds the limit \(4300 digits\)"),
    ("broken", '[{"key": "P-1", "fields": {}', r"not valid JSON: .* at line 1, column"),
]


def test_unreadable_json_is_one_clear_error_on_both_stores(
        seeded: tuple[Store, dict[str, list[tuple[Any, ...]]]], tmp_path: Path) -> None:
    store, before = seeded
    for name, text, message in UNREADABLE:
        bad = tmp_path / f"{name}.json"
        bad.write_text(text, encoding="utf-8")
        for ingest in (ingest_jira_files, ingest_github_files):
            with pytest.raises(InputError, match=f"^{re.escape(str(bad))}: {message}"):
                ingest(store, [bad], config=CONFIG)
    assert dump(store) == before


def test_invalid_utf8_and_damaged_recordings_are_refused(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "x.db"))
    latin = tmp_path / "latin1.json"
    latin.write_bytes(b'[{"key": "P-1", "fields": {"summary": "caf\xe9"}}]')
    with pytest.raises(InputError, match=r"latin1.json: cannot read: 'utf-8' codec can't decode"):
        ingest_jira_files(store, [latin], config=CONFIG)
    page = load(FIXTURES / "jira" / "issue_10002_comment.json")
    page["comments"][0]["self"] = "http://localhost:2990/jira/rest/api/2/issue/" + "P" * 300 + "-1/comment/10000"
    bad = write(tmp_path, "page.json", page)
    with pytest.raises(InputError, match=r"page.json: comment page: the issue its URL names: too long for a name"):
        ingest_jira_files(store, [bad], config=CONFIG)
    with pytest.raises(InputError, match=r"^repo: too long for a name or identifier: 300 bytes"):
        ingest_github_files(store, [write(tmp_path, PR.save_as, PR.load())], config=CONFIG, repo="o/" + "r" * 298)
    cassette = load(FIXTURES / "github" / "cassettes" / "PullRequest_review_requests.json")
    for path, value, message in [
        (("http_interactions", 0, "response", "body", "string"), "[" * 100_000 + "]" * 100_000,
         r" \(response 0\): not readable JSON: nested too deeply"),
        (("http_interactions", 0, "response", "status", "code"), "abc",
         r": field 'http_interactions\[0\].response.status.code': expected a whole number or null, got text"),
        (("http_interactions", 0, "response", "body"), {"base64_string": "%%%"},
         r": interaction 0: field 'base64_string': not base64 \(gzip\) data"),
        (("http_interactions", 0, "request"), "GET /", r": field 'http_interactions\[0\].request': expected an object"),
        (("http_interactions",), [1], r": field 'http_interactions\[0\]': expected an object, got a number"),
    ]:
        bad = write(tmp_path / "rec", "cassette.json", mutated(cassette, path, value))
        with pytest.raises(InputError, match=f"^{re.escape(str(bad))}{message}"):
            ingest_github_files(store, [bad], config=CONFIG)


# --- the CLI: exit code 2, one line, the store unchanged -------------------------------------------------

CLI_CASES = [c for c in CASES if c.id in {
    "jira:fields.description=[\"list\"]", "jira:fields.reporter=\"bob\"", "pr:number=1180591620717411303424",
    "pr:title=\"a\\u0000b\"", "issue:labels=[1, null, {\"x\": 1}]"}]


def test_cli_says_one_line_and_exits_2(seeded: tuple[Store, dict[str, list[tuple[Any, ...]]]],
                                      tmp_path: Path) -> None:
    store, before = seeded
    assert len(CLI_CASES) == 5
    for i, case in enumerate(CLI_CASES):
        bad = write(tmp_path / f"cli{i}", case.source.save_as, mutated(case.source.load(), case.path, case.value))
        kind = "jira" if case.source is JIRA else "github"
        result = CliRunner().invoke(app, ["--db", store.url.target, "ingest", kind, str(bad)])
        assert result.exit_code == 2, (case.id, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.output, (case.id, result.output)
        assert re.match(r"^error: " + expected(bad, _record(case), case.message)[1:], lines[0]), (case.id, lines[0])
    assert dump(store) == before


# --- valid variants stay accepted ---------------------------------------------------------------------------

def test_valid_variants_are_still_taken(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "ok.db"))
    adf = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [
        {"type": "text", "text": "Steps"}, {"type": "hardBreak"}, {"type": "mention", "attrs": {"id": 7}}]}]}
    jira = mutated(mutated(JIRA.load(), ("fields", "description"), adf), ("fields", "assignee"), None)
    jira["fields"]["labels"] = None
    jira["id"] = 10002  # a number, as some clients save it
    ingest_jira_files(store, [write(tmp_path, JIRA.save_as, jira)], config=CONFIG)
    pr = mutated(mutated(PR.load(), ("user",), {}), ("number",), "235")  # a deleted account; digits as text
    pr["body"] = None
    ingest_github_files(store, [write(tmp_path, PR.save_as, pr)], config=CONFIG)
    with store.read() as db:
        issue = db.one("select description, assignee_key, labels from issues where key = 'SAMPLEPROJECT-1'")
        row = db.one("select author_key, body from pull_requests where number = 235")
    assert issue == {"description": "Steps\n7", "assignee_key": None, "labels": ""}
    assert row == {"author_key": None, "body": ""}
    # the limits are inclusive: a 255-byte name and a 2^31-1 number are fine
    edge = mutated(PR.load(), ("user", "login"), "u" * 255)
    edge["number"] = 2**31 - 1
    edge["url"] = edge["html_url"] = None
    ingest_github_files(store, [write(tmp_path, "repos/o/r/pulls/x.json", edge)], config=CONFIG)


def test_jira_user_and_time_readers_name_their_field() -> None:
    with pytest.raises(InputError, match=r"^x: field 'author': expected an object, got text \('bob'\)$"):
        jira_parse.user("bob", "x", "author")
    with pytest.raises(InputError, match=r"^x: field 'fields.updated': expected an ISO 8601 time or null, got a list$"):
        jira_parse.jira_time([], "x", "fields.updated")


# --- git: references that cannot be numbers, records a store cannot hold ------------------------------------

def test_numbers_too_long_for_a_pr_are_no_references() -> None:
    assert refs.pr_numbers("Merge pull request #99999999999 from a/b") == ()
    assert refs.pr_numbers("Merge pull request #2147483647 from a/b")[0].target == "2147483647"
    assert refs.pr_numbers("Squash (#2147483648)") == ()
    assert refs.pr_numbers("x", "fixes #" + "9" * 5000) == ()  # int() of 5000 digits raised ValueError
    assert refs.closing_issue_keys("fixes #" + "9" * 5000, "PR body", repo="o/r") == ()
    assert refs.closing_issue_keys(f"fixes {'a' * 3000}/b#1", "PR body", repo="o/r") == ()
    assert refs.issue_keys("P-" + "1" * 5000, "t", pattern=r"([A-Z]+)-(\d+)") == ()


def test_a_huge_pr_number_in_a_commit_message_is_stored_alike(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo", [
        FakeCommit("Ana <ana@example.com>", 1700000000, "Merge pull request #1180591620717411303424 from a/b",
                   files={"a.py": "x\n"}),
        FakeCommit("Ana <ana@example.com>", 1700000100, "Squash (#99999999999)\n\nfixes #12", files={"b.py": "y\n"})])
    ingest_git(store, repo, config=CONFIG, name="r")
    with store.read() as db:
        assert db.scalar("select count(*) from commits") == 2
        assert [r["number"] for r in db.all("select number from pr_commits")] == [12]


def _commit(**changes: Any) -> Commit:
    who = IdentityRef("git", "ana@example.com", "Ana")
    base = Commit(repo="r", hash="a" * 40, author=who, committer=who, authored_at=1700000000, authored_offset=60,
                  committed_at=1700000000, committed_offset=60, message="PROJ-1 fix\n", parents=("b" * 40,),
                  files=(FileChange("src/a.py", 1, 2),), issue_refs=(Ref("PROJ-1", "key PROJ-1 in commit message"),))
    return replace(base, **changes)


@pytest.mark.parametrize(("changes", "message"), [
    ({"message": "fix\x00"}, r"field 'message': contains a NUL character"),
    ({"message": "fix \ud800"}, r"field 'message': contains a lone surrogate"),
    ({"authored_at": 2**64 - 1}, r"field 'authored_at': 18446744073709551615 is out of range"),
    ({"committed_offset": 2**40}, r"field 'committed_offset': 1099511627776 is out of range"),
    ({"files": (FileChange("p" * 3000, 1, 1),)}, r"field 'files.path': too long for a path: 3000 bytes"),
    ({"files": (FileChange("a.py", 2**31, 0),)}, r"field 'files.added': 2147483648 is out of range"),
    ({"author": IdentityRef("git", "a@x", "A" * 256)}, r"field 'author.name': too long for a name"),
    ({"pr_refs": (Ref("9" * 30, "x"),)}, r"PR reference '9{30}': not a PR number \(0 to 2147483647\)"),
    ({"repo": "r\x00"}, r"field 'repo': contains a NUL character"),
])
def test_check_commit_refuses_what_no_store_holds(changes: dict[str, Any], message: str) -> None:
    commit = _commit()
    assert checks.check_commit(commit) is commit
    with pytest.raises(InputError, match=f"^git log: commit {'a' * 40}: {message}"):
        checks.check_commit(_commit(**changes))


def test_a_git_path_longer_than_a_store_keys_is_refused_alike(store: Store, tmp_path: Path) -> None:
    long = "d/" * 1100 + "f.py"  # 2204 bytes: git takes it, PostgreSQL's index might not
    repo = build_repo(tmp_path / "repo", [FakeCommit("Ana <ana@example.com>", 1700000000, "add", files={long: "x\n"})],
                      bare=True)  # no checkout: a tree 1100 folders deep is more than rmtree can remove
    with pytest.raises(InputError, match=r"^git log: commit [0-9a-f]{40}: field 'files.path': too long for a path: "
                                         r"2204 bytes in UTF-8, at most 2048$"):
        ingest_git(store, repo, config=CONFIG, name="r")
    assert dump(store)["commits"] == []

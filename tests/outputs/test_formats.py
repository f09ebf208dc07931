"""Every question in every format on the demo: Markdown that looks like Markdown, JSON with ISO
times and an `omitted` count, JSON errors, and `--limit` saying how many more there are."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.outputs.questions import QUESTIONS
from teammemory.outputs.render import is_time_field
from tests.helpers.gitrepo import FakeCommit, build_repo

NOW = "2026-11-20T12:00:00Z"
ASKED = {"issue-context": ["PROJ-1247"], "pr-context": ["382"], "file-context": ["src/auth/token_service.py"],
         "file-experts": ["src/auth/token_service.py"], "component-experts": ["auth"],
         "file-risk": ["src/auth/token_service.py"], "component-risk": ["auth"], "risky-files": [],
         "review-suggest": ["382"], "onboarding": ["auth"], "hygiene": [], "components": [],
         "why-changed": ["auth"], "bus-factor": [], "coupling": ["src/auth/token_service.py"],
         "why": ["src/auth/token_service.py:10-12"], "similar": ["PROJ-1247"], "incidents": [],
         "timeline": ["--since", "2026-10-20T00:00:00Z"]}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The top-level arguments of a seeded demo store (SQLite: the format does not depend on it)."""
    base = tmp_path_factory.mktemp("formats")
    db = str(base / "demo.db")
    result = CliRunner().invoke(app, ["--db", db, "seed", "--dir", str(base / "files")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    yield ["--db", db, "--config", str(base / "files" / "teammemory.toml")]


def run(demo: list[str], *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, [*demo, *args, "--now", NOW], catch_exceptions=False, env=env)


def test_the_registry_is_what_this_test_asks() -> None:
    assert set(ASKED) == set(QUESTIONS)


@pytest.mark.parametrize("name", list(ASKED))
def test_markdown_is_valid_looking(demo: list[str], name: str) -> None:
    result = run(demo, name, *ASKED[name], "--format", "markdown")
    assert result.exit_code == 0, result.output
    md = result.output
    assert "\x1b" not in md and not re.search(r"\[/?(bold|dim|italic|red|green)\b", md)
    lines = md.splitlines()
    assert lines[0].startswith("### ")
    for i, line in enumerate(lines):
        if line.startswith("|") and (i == 0 or not lines[i - 1].startswith("|")):  # a table's first row
            cells = line.count(" | ") + 1
            assert re.fullmatch(r"\|( :?-{3}:? \|)+", lines[i + 1]), lines[i + 1]
            assert lines[i + 1].count("|") - 1 == cells
            rows = list(itertools.takewhile(lambda x: x.startswith("|"), lines[i:]))  # this table's rows
            assert all(len(re.split(r"(?<!\\)\|", r)) - 2 == cells for r in rows), rows
        if line.startswith("    ") and not line.startswith("     "):
            raise AssertionError(f"an indented code block by accident: {line!r}")


@pytest.mark.parametrize("name", list(ASKED))
def test_json_times_are_iso_utc_and_the_shape_is_stable(demo: list[str], name: str) -> None:
    a = run(demo, name, *ASKED[name], "--json")
    b = run(demo, name, *ASKED[name], "--format", "json")
    assert a.exit_code == b.exit_code == 0 and a.output == b.output
    doc = json.loads(a.output)
    assert list(doc) == ["question", "now", "result", "omitted"]
    times = list(_times(doc["result"]))
    assert all(isinstance(v, str) and ISO.match(v) for _, v in times if v is not None), times


def _times(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if is_time_field(k) and k != "inputs":
                yield k, v
            yield from _times(v)
    elif isinstance(value, list):
        for v in value:
            yield from _times(v)


def test_file_context_times_are_the_commit_times(demo: list[str]) -> None:
    doc = json.loads(run(demo, "file-context", "src/auth/token_service.py", "--json").output)
    last = doc["result"]["last_touched"]
    assert last["at"].startswith(last["date"] + "T")  # the same moment as the day shown
    assert doc["result"]["recent"][0]["at"] == last["at"]


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["issue-context", "PROJ-124"], "not_found", 2),
    (["file-experts", "src/auth/token_service.py", "--now", "yesterday"], "bad_input", 2),
    (["risky-files", "--limit", "0"], "bad_input", 2),
    (["file-risk", "src/auth/token_service.py", "--days", "0"], "bad_input", 2),
])
def test_errors_are_json_when_the_format_is_json(demo: list[str], args: list[str], code: str, exit_code: int) -> None:
    result = CliRunner().invoke(app, [*demo, *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == exit_code
    error = json.loads(result.stdout)["error"]
    assert error["code"] == code and error["message"]
    if code == "not_found":
        assert "PROJ-1247" in error["suggestions"]
    if args[-2:] == ["--now", "yesterday"]:
        assert error["argument"] == "--now"


def test_a_missing_store_is_a_json_store_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "none.db"), "hygiene", "--json"])
    assert result.exit_code == 2  # errors.NoStore: still a store error, of the argument
    assert json.loads(result.stdout)["error"]["code"] == "store"


@pytest.mark.parametrize(("name", "field", "noun"), [
    ("file-experts", "experts", "experts"), ("onboarding", "issues", "issues"),
    ("review-suggest", "candidates", "candidates"), ("file-context", "prs", "pull requests"),
    ("file-context", "changed_most", "people who changed it"),  # the agent ranks them all: the count is exact
])
def test_limit_says_how_many_more(demo: list[str], name: str, field: str, noun: str) -> None:
    everything = json.loads(run(demo, name, *ASKED[name], "--json", "--limit", "100000").output)
    total = len(everything["result"][field])
    assert total > 2 and everything["omitted"] == {}
    cut = json.loads(run(demo, name, *ASKED[name], "--json", "--limit", "2").output)
    assert len(cut["result"][field]) == 2
    assert cut["omitted"][field] == total - 2
    assert cut["result"][field] == everything["result"][field][:2]
    text = run(demo, name, *ASKED[name], "--limit", "2").output
    more = total - 2
    assert f"{more} more {noun if more != 1 else noun[:-1]}" in text and "(use --limit)" in text


def test_agent_limits_keep_their_defaults(demo: list[str]) -> None:
    """review-suggest shows review.max_suggestions (3) and onboarding onboarding.limit by default."""
    doc = json.loads(run(demo, "review-suggest", "382", "--json").output)
    assert len(doc["result"]["candidates"]) <= 3
    risky = json.loads(run(demo, "risky-files", "--json", "--limit", "4").output)
    assert len(risky["result"]["files"]) == 4 and risky["omitted"] == {"files": None}


def test_repo_is_refused_where_the_agent_cannot_take_it(demo: list[str]) -> None:
    takes = [n for n, q in QUESTIONS.items() if "repo" in q.options]
    refuses = [n for n, q in QUESTIONS.items() if "repo" not in q.options]
    for name in takes:
        result = run(demo, name, *ASKED[name], "--repo", "acme/platform")
        assert result.exit_code == 0, (name, result.output)
    for name in refuses:
        result = run(demo, name, *ASKED[name], "--repo", "acme/platform")
        assert result.exit_code == 2 and "--repo" in result.output, name


def check_width(out: str, columns: int, name: str, doc: str) -> None:
    """At most `columns` wide, no trailing spaces, and nothing cut by rich's ellipsis: a word
    ending in '…' must be in the JSON answer as it is (an agent's own excerpt of a description).
    Only a word wider than the line itself (a long path) may overflow it, whole, after at most a
    short lead (its indent and a rank such as ' 1.': blocks.wrap_words)."""
    lines = out.splitlines()
    for line in (line for line in lines if len(line) > columns):
        word = max(line.split(), key=len)
        lead = line[:line.index(word)]
        assert len(word) > columns - len(lead) and len(lead.strip()) <= max(4, columns // 8), (name, line)
        assert line.endswith(word), (name, line)  # what follows the long word goes on the next line
    for word in re.findall(r"(\S+…)", out):
        assert word in doc, (name, word)
    assert all(line == line.rstrip() for line in lines), name


@pytest.mark.parametrize("columns", ["80", "100"])
def test_text_fits_the_width_it_is_given(demo: list[str], columns: str) -> None:
    for name, args in ASKED.items():
        doc = json.dumps(json.loads(run(demo, name, *args, "--json").output), ensure_ascii=False)
        check_width(run(demo, name, *args, env={"COLUMNS": columns}).output, int(columns), name, doc)


LONG = "modules/payments-gateway-service/src/main/java/com/example/payments/gateway/internal"


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A real repository whose paths are ~110 characters and whose people have long names."""
    base = tmp_path_factory.mktemp("long")
    people = [f"Maximiliane Alexandra von Hohenberg-Schwarzenfeld {i} <p{i}@example.com>" for i in range(4)]
    commits = [FakeCommit(people[i % 4], 1_790_000_000 + i * 86_400,
                          f"PROJ-{100 + i} Rework the settlement reconciliation retry policy for partial "
                          f"captures in every region, take {i}",
                          {f"{LONG}/ReconciliationRetryPolicy{i % 5}.java": f"v{i}\n" * (i + 1)})
               for i in range(30)]
    repo = build_repo(base / "repo", commits)
    db = str(base / "long.db")
    result = CliRunner().invoke(app, ["--db", db, "ingest", "git", str(repo), "--name", "acme/payments", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ["--db", db]


@pytest.mark.parametrize("columns", [80, 100])
def test_long_paths_and_names_are_never_cut(long_store: list[str], columns: int) -> None:
    path = f"{LONG}/ReconciliationRetryPolicy1.java"
    for args in (["risky-files"], ["file-experts", path], ["file-context", path], ["file-risk", path],
                 ["hygiene"], ["components"], ["bus-factor"], ["coupling", path], ["why-changed", path],
                 ["why", f"{path}:1-2"]):
        out = run(long_store, *args, env={"COLUMNS": str(columns)}).output
        doc = json.dumps(json.loads(run(long_store, *args, "--json").output), ensure_ascii=False)
        check_width(out, columns, args[0], doc)
        if args[0] not in ("hygiene", "components", "bus-factor"):
            assert re.search(rf"(^|\s){re.escape(LONG)}/ReconciliationRetryPolicy\d\.java(\s|:|$)", out, re.M), \
                (args[0], "a path is printed whole, never folded")
        for score in re.findall(r'"total": ([0-9.]+)', doc):
            number = score.rstrip("0").rstrip(".") if "." in score else score
            assert number in out, (args[0], number)

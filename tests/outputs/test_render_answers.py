"""The newer answers (components, bus-factor, coupling, why-changed, why, similar) read as numbered
items and tables at 80 columns: one thing per item with its details under it, counted nouns in the
singular for one, and "… and N more" where the agent's limit left items out.

On a small real repository whose numbers are worked out by hand below, and on the seeded demo."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.outputs.render_expertise import number
from tests.helpers.gitrepo import FakeCommit, build_repo

NOW = "2026-11-20T12:00:00Z"
T = 1_790_000_000  # 2026-09-21, inside the last 90 days before NOW
ANA, BEN = "Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>"
A, B = "src/app/a.py", "src/app/b.py"
# a.py: Ana c0 c3, Ben c1 c2 (4 commits); b.py: Ana c0, Ben c1 c2 (3 commits); ABC-1 and ABC-2 are
# keys no Jira import holds.
TINY = [FakeCommit(ANA, T, "Initial import", {A: "a\n", B: "b\n"}),
        FakeCommit(BEN, T + 86_400, "ABC-1 handle empty input", {A: "a\na1\n", B: "b\nb1\n"}),
        FakeCommit(BEN, T + 2 * 86_400, "ABC-2 tune a and b", {A: "a\na2\n", B: "b\nb2\n"}),
        FakeCommit(ANA, T + 3 * 86_400, "Tidy a", {A: "a\na3\n"})]
ONE = re.compile(r"\b1 (commits|files|PRs|issues|components|revisions|documents|knowledge islands|shared \w+s)\b")


def doa(fa: int, dl: int, ac: int) -> float:
    """Degree of Authorship, as agents/bus_factor.py states it."""
    return 3.293 + 1.098 * fa + 0.164 * dl - 0.321 * math.log(1 + ac)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    base = tmp_path_factory.mktemp("tiny")
    repo = build_repo(base / "repo", TINY)
    db = str(base / "tiny.db")
    result = CliRunner().invoke(app, ["--db", db, "ingest", "git", str(repo), "--name", "app", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ["--db", db]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    base = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["--db", str(base / "demo.db"), "seed", "--dir", str(base / "files")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ["--db", str(base / "demo.db"), "--config", str(base / "files" / "teammemory.toml")]


def text(store: list[str], *args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(app, [*store, *args, "--now", NOW], env={"COLUMNS": str(columns)},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def doc(store: list[str], *args: str) -> Any:
    return json.loads(text(store, *args, "--json"))


def test_bus_factor_is_one_item_per_person_and_file(tiny: list[str]) -> None:
    out = text(tiny, "bus-factor")
    # a.py: Ana DOA(1, 2, 2) is its best; Ben DOA(0, 2, 2) < 3.293 is no author.
    # b.py: Ana DOA(1, 1, 2); Ben DOA(0, 2, 1) >= 3.293 and >= 0.75 of Ana's: both author it.
    assert doa(0, 2, 2) < 3.293 <= doa(0, 2, 1) and doa(0, 2, 1) / doa(1, 1, 2) >= 0.75
    assert "repository app: 2 files, 2 with an author" in out
    # Ana authors 2 files (c0 c3: 2 commits) and is the only active author of a.py; Ben authors b.py
    assert " 1. Ana Lima  2 files, 2 commits\n    last active 2026-09-24; only active author of 1 file\n" in out
    assert " 2. Ben Okafor  1 file, 2 commits\n    last active 2026-09-23\n" in out
    assert "1 knowledge island (one active author)" in out
    assert (f" 1. 4 commits\n    {A}\n"
            f"    Ana Lima DOA {number(doa(1, 2, 2))} (FA 1, DL 2, AC 2), last active 2026-09-24\n"
            f"    Ben Okafor DOA {number(doa(0, 2, 2))} (FA 0, DL 2, AC 2), not an author\n") in out
    assert not ONE.search(out) and "if they leave" not in out


def test_bus_factor_says_how_many_the_limit_left_out(demo: list[str]) -> None:
    answer = doc(demo, "bus-factor", "--limit", "2")
    result, out = answer["result"], text(demo, "bus-factor", "--limit", "2", columns=200)
    repos = [s for s in result["scopes"] if s["kind"] == "repository"]
    components = [s for s in result["scopes"] if s["kind"] == "component"]
    for scope in repos:  # in detail: each list cut to 2, its total kept
        left = scope["islands"] - len(scope["island_files"])
        if left:
            assert f"… and {left} more knowledge island{'s' if left != 1 else ''} (use --limit)" in out
        for author in scope["authors"]:
            assert f"\n    {author['if_leaves']}\n" in out  # a line of its own under the person
    # the components are summaries, most dependent first: their numbers, no lists (ask for one)
    assert len(components) == 2 < result["components_total"]
    for i, c in enumerate(components, 1):
        assert c["authors"] == c["island_files"] == c["orphaned_files"] == []
        assert f"{i:2d}. {c['name']}  {c['files']} files, truck factor {c['truck_factor']}," in out
    left = {"components": result["components_total"] - 2,
            "authors": sum(s["authors_total"] - len(s["authors"]) for s in repos),
            "island_files": sum(s["islands"] - len(s["island_files"]) for s in repos),
            "orphaned_files": sum(s["orphaned"] - len(s["orphaned_files"]) for s in repos)}
    assert answer["omitted"] == {k: n for k, n in left.items() if n}
    assert f"… and {left['components']} more components, {left['authors']} more top authors" in out
    # one component asked alone: its lists, cut to 2, as a repository's
    alone = doc(demo, "bus-factor", components[0]["name"], "--limit", "2")
    (scope,) = alone["result"]["scopes"]
    assert len(scope["authors"]) == min(max(2, scope["truck_factor"]), scope["authors_total"])
    assert "components" not in alone["omitted"]
    everything = doc(demo, "bus-factor", "--limit", "100000")
    assert everything["omitted"] == {}
    assert len(everything["result"]["scopes"]) == len(repos) + result["components_total"]


def test_coupling_puts_the_numbers_then_the_path(tiny: list[str]) -> None:
    out = text(tiny, "coupling", A)
    # a.py changed in 4 commits, b.py in 3, 3 of them together: 100*3/((4+3)/2)
    assert f" 1. degree {number(100 * 3 / ((4 + 3) / 2))}: 3 shared commits, 3 of its own\n    {B}\n" in out
    assert "By commit: 4 commits change it\n" in out and "By PR: 0 PRs change it\n" in out
    assert not ONE.search(out)


def test_why_changed_sums_up_keys_not_in_the_store_on_one_line(tiny: list[str]) -> None:
    out = text(tiny, "why-changed", A)
    assert re.search(r"^commits +4 +0$", out, re.M)  # the 4 commits are in the last 90 days, none before
    (missing,) = [line for line in out.splitlines() if line.startswith("Named by commits but not in the store")]
    assert "ABC-1 (1 commit)" in missing and "ABC-2 (1 commit)" in missing
    assert "By issue:" not in out  # no issue the store holds
    assert not ONE.search(out)


def test_why_changed_counts_the_commits_left_out(demo: list[str]) -> None:
    result = doc(demo, "why-changed", "auth", "--limit", "3")["result"]
    left = result["unlinked_total"] - len(result["unlinked"])
    assert len(result["unlinked"]) == 3 and left > 0
    assert f"… and {left} more commits that fit no issue (use --limit)" in text(demo, "why-changed", "auth",
                                                                                "--limit", "3")


def test_components_are_numbered_items_with_the_rule_under_them(tiny: list[str], demo: list[str]) -> None:
    result = doc(tiny, "components")["result"]
    out = text(tiny, "components")
    for i, c in enumerate(result["components"], 1):
        files = f"{c['files']} file{'s' if c['files'] != 1 else ''}"
        assert f"{i:2d}. {c['name'] or '(no component)'}  {files}\n    {c['rule']}\n" in out
    everything = doc(demo, "components", "--limit", "100000")["result"]["components"]
    cut = doc(demo, "components", "--limit", "2")
    assert cut["omitted"] == {"components": len(everything) - 2}
    assert f"… and {len(everything) - 2} more components (use --limit)" in text(demo, "components", "--limit", "2")


@pytest.mark.parametrize("args", [["components"], ["bus-factor"], ["coupling", "src/auth/token_service.py"],
                                  ["why-changed", "auth"], ["why", "src/auth/token_service.py:10-12"],
                                  ["similar", "PROJ-1247"]])
def test_items_stay_items_in_markdown(demo: list[str], args: list[str]) -> None:
    """A numbered item's detail lines continue it (a hard line break), never start a paragraph."""
    md = text(demo, *args, "--format", "markdown").splitlines()
    for i, line in enumerate(md):
        if re.match(r"^\d+\. ", line) and i + 1 < len(md) and md[i + 1].startswith("  "):
            assert line.endswith("\\"), line
    assert not ONE.search("\n".join(md))


def test_why_names_the_commit_then_what_it_is_about(tiny: list[str]) -> None:
    out = text(tiny, "why", f"{B}:1-2")
    # b.py at NOW: line 1 from c0 (Ana), line 2 from c2 (Ben, ABC-2); 2 lines in all
    assert out.splitlines()[0] == f"Why {B}:1-2 in app"
    assert out.splitlines()[1].startswith("lines 1-2 of 2, blamed at ")
    assert re.search(r"^ 1\. [0-9a-f]{7} 2026-09-21 Ana Lima: line 1\n    Initial import\n", out, re.M)
    assert re.search(r"^ 2\. [0-9a-f]{7} 2026-09-23 Ben Okafor: line 2\n    ABC-2 tune a and b\n"
                     r"    issue ABC-2 \(not in the store\)\n", out, re.M)


def test_what_other_surfaces_show_is_unchanged(tiny: list[str]) -> None:
    """The JSON answer is the agent's: the text renderer only reshapes it."""
    assert doc(tiny, "coupling", A)["result"]["levels"][0]["coupled"][0]["path"] == B
    assert Path(doc(tiny, "why", f"{B}:1-2")["result"]["git_dir"]).is_dir()


@pytest.mark.parametrize(("args", "field", "noun"), [
    (["timeline", "--since", "2026-10-01T00:00:00Z"], "events", "events"), (["incidents"], "incidents", "incidents")])
def test_limit_says_how_many_more_of_the_whole_lists(demo: list[str], args: list[str], field: str, noun: str) -> None:
    total = len(doc(demo, *args, "--limit", "100000")["result"][field])
    assert total > 1
    cut = doc(demo, *args, "--limit", "1")
    assert len(cut["result"][field]) == 1 and cut["omitted"][field] == total - 1
    more = total - 1
    assert f"… and {more} more {noun if more != 1 else noun[:-1]} (use --limit)" in text(demo, *args, "--limit", "1")


def test_timeline_is_one_table_of_events(demo: list[str]) -> None:
    events = doc(demo, "timeline", "--since", "2026-11-05T00:00:00Z")["result"]["events"]
    md = text(demo, "timeline", "--since", "2026-11-05T00:00:00Z", "--format", "markdown").splitlines()
    start = md.index("| when | what | ref | summary |")
    rows = list(itertools.takewhile(lambda x: x.startswith("| "), md[start + 2:]))
    assert len(rows) == len(events)

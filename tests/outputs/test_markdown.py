"""The generic rich -> Markdown conversion, the epoch fields JSON shows as ISO, and the width."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from rich.console import Group

from teammemory.outputs import options
from teammemory.outputs.blocks import group, heading, line, table
from teammemory.outputs.markdown import escape, to_markdown
from teammemory.outputs.questions import QUESTIONS
from teammemory.outputs.render import is_time_field, iso_time, to_data


def test_headings_lists_continuations_and_paragraphs() -> None:
    md = to_markdown(group([heading("Experts for a_b.py"), heading("Changed most by:"), "- Ana: 2 commits",
                            "    found by: key PROJ-1", "  - nested", " 1. Ana  score 3", "    commits: 2",
                            "Bots not counted: dependabot[bot]"]))
    assert md.splitlines() == [
        "### Experts for a_b.py", "", "#### Changed most by", "",
        "- Ana: 2 commits\\", "  found by: key PROJ-1", "  - nested", "1. Ana score 3\\", "  commits: 2", "",
        "Bots not counted: dependabot\\[bot\\]"]


def test_tables_have_a_header_a_separator_and_escaped_pipes() -> None:
    t = table([("check", "prose"), ("count", "number")], [("a | b", "3"), ("*x*", "10")])
    assert to_markdown(Group(t)).splitlines() == [
        "| check | count |", "| --- | ---: |", "| a \\| b | 3 |", "| \\*x\\* | 10 |"]


def test_escape_keeps_words_and_paths_readable() -> None:
    assert escape("src/auth/token_service.py") == "src/auth/token_service.py"
    assert escape("__init__.py <b>") == "\\_\\_init\\_\\_.py \\<b\\>"
    assert escape("#382 fix") == "\\#382 fix"


def test_indented_lines_keep_their_indent_in_markdown() -> None:
    assert to_markdown(Group(line("- a"), line("    b"))) == "- a\\\n  b\n"


def test_the_epoch_fields_of_every_result_are_the_ones_shown_as_iso() -> None:
    """Every int field of a result type (walked from the registry) that holds a time is named as
    `is_time_field` expects, and no count is: the list is written out here on purpose."""
    times: set[str] = set()
    counts: set[str] = set()
    seen: set[type] = set()

    def walk(cls: type) -> None:
        if cls in seen or not dataclasses.is_dataclass(cls):
            return
        seen.add(cls)
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            hint = hints[f.name]
            args = typing.get_args(hint) or (hint,)
            if int in args and bool not in args:
                (times if is_time_field(f.name) else counts).add(f"{cls.__name__}.{f.name}")
            for arg in args:
                for inner in typing.get_args(arg) or (arg,):
                    if isinstance(inner, type):
                        walk(inner)

    for q in QUESTIONS.values():
        walk(q.result)
    expected = {"CommitRef.at", "PrRef.at", "StatusChange.at", "IssueContext.created_at", "IssueContext.resolved_at",
                "PrContext.created_at", "PrContext.merged_at", "PrContext.closed_at", "ReviewItem.at",
                "CommentItem.at", "FileChanger.last_at", "Expert.last_activity", "Evidence.at",
                "FileKnowledge.last_activity", "Candidate.last_activity", "RiskReport.since", "CentralFile.last_at"}
    assert expected <= times
    assert not {c for c in counts if c.rsplit(".", 1)[1] in ("at", "since") or c.endswith(("_at", "time"))}


def test_to_data_shows_epoch_fields_as_iso_and_keeps_numbers() -> None:
    @dataclasses.dataclass(frozen=True)
    class R:
        created_at: int | None
        since: int
        commits: int

    assert to_data(R(1_795_176_000, 0, 5)) == {"created_at": "2026-11-20T12:00:00+00:00",
                                               "since": "1970-01-01T00:00:00+00:00", "commits": 5}
    assert to_data(R(None, 0, 5))["created_at"] is None
    assert iso_time(1_795_176_000) == "2026-11-20T12:00:00+00:00"


@pytest.mark.parametrize(("columns", "expected"), [("100", 100), ("", 80), ("abc", 80)])
def test_width_is_columns_else_80_when_piped(monkeypatch: pytest.MonkeyPatch, columns: str, expected: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert options.width() == expected  # pytest's stdout is not a terminal


def test_a_list_item_wraps_under_its_text_not_under_its_bullet() -> None:
    from rich.console import Console

    console = Console(width=40, record=True, color_system=None)
    item = "- 2023-03-21 e3c24ae Yan Zhao: Improve group and flush add-responses after journal sync (#3848)"
    console.print(group([item, "  - nested item that is long enough to wrap once here", "-", "- x"]))
    assert console.export_text().splitlines() == [
        "- 2023-03-21 e3c24ae Yan Zhao: Improve",
        "  group and flush add-responses after",
        "  journal sync (#3848)",
        "  - nested item that is long enough to",
        "    wrap once here",
        "-",
        "- x"]
    from rich.text import Text

    assert to_markdown(group([item])) == to_markdown(Group(Text(item))) == item + "\n"  # Markdown wraps it itself

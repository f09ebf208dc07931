"""why-changed: a component's and a file's changes over a window against the one before, grouped
by issue, epic, PR, person and file, worked by hand on a real git history (tests/agents/q13_world.py)
on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import why_changed
from teammemory.errors import NotFound
from teammemory.outputs.render_why_changed import render_why_changed
from teammemory.store import Store
from tests.agents import q13_world as w


def test_why_a_component_changed(store: Store, tmp_path: Path, now: datetime) -> None:
    hashes = w.build(store, tmp_path)
    with store.read() as db:
        got = why_changed.ask(db, "core", now=now, config=w.CONFIG)
        with pytest.raises(NotFound):
            why_changed.ask(db, "nothing-like-it", now=now, config=w.CONFIG)
    cur, prev = got.current, got.previous
    # last 90 days: c7 .. c12 touch core files (c8's test file is component `tests`)
    # churn on core files (2 per rewritten one-line file): c7 4, c8 4, c9 2, c10 4, c11 4, c12 8 = 26
    # people: Ben, Cy, Ana (the bot is not counted)
    assert (got.kind, got.days, cur.commits, cur.churn, cur.bug_fixes, cur.reverts, cur.people) == (
        "component", 90, 6, 26, 1, 1, 3)
    # c7 -> PROJ-3 (Incident); c8, c11 -> PROJ-2 (Story: feature); c9, c10, c12 name no issue
    assert [(k.kind, k.commits, k.percent) for k in cur.kinds] == [
        ("incident", 1, 16.7), ("feature", 2, 33.3), ("unclassified", 3, 50.0)]
    assert (got.bug_fix_share, got.revert_share) == (16.7, 16.7)
    # the 90 days before: c5 adds gone.py (1 line), c6 deletes it (1 line)
    assert (prev.commits, prev.churn, prev.people) == (2, 2, 1)
    assert [(g.key, g.kind, g.epic, g.commits, g.churn) for g in got.issues] == [
        ("PROJ-2", "feature", "PROJ-10", 2, 8), ("PROJ-3", "incident", "", 1, 4)]
    assert [(e.key, e.summary, e.issues, e.commits) for e in got.epics] == [("PROJ-10", "Big epic", ("PROJ-2",), 2)]
    assert [(g.name, g.title, g.commits, g.churn) for g in got.prs] == [
        ("acme/app#5", "PROJ-2 feature", 2, 8), ("acme/app#6", "Guard empty input", 1, 4)]
    # Ben c7 + c10 = 8 lines and Cy c8 + c11 = 8 tie on (2 commits, 8 lines): person key; then Ana, the bot
    assert [(g.name, g.commits, g.churn) for g in got.people][:3] == [
        ("Ben Okafor", 2, 8), ("Cy Park", 2, 8), ("Ana Lima", 1, 8)]
    assert got.people[3].title == "bot" and got.people[3].commits == 1
    # a: c7 .. c12 = 6 commits, 12 lines; b: c8 c11 c12 and d: c7 c10 c12 tie (3, 6): path; e: c12
    assert [(g.name, g.commits, g.churn) for g in got.files] == [(w.A, 6, 12), (w.B, 3, 6), (w.D, 3, 6), (w.E, 1, 2)]
    assert got.unlinked_total == 3
    assert [(c.ref, c.kind, c.is_revert) for c in got.unlinked] == [
        (hashes[12][:7], "unclassified", False), (hashes[10][:7], "unclassified", True),
        (hashes[9][:7], "unclassified", False)]
    assert got.explanation == (
        "changed 6 times in the last 90 days (2 in the 90 days before: +200.0%); 1 incident, 2 features,"
        " 3 unclassified; 1 bug fix (16.7%), 1 revert (16.7%); 3 of the changes fit no issue;"
        f" most by Ben Okafor (2); most-changed file {w.A} (6)")


def test_why_a_renamed_file_changed(sqlite_store: Store, tmp_path: Path, now: datetime) -> None:
    w.build(sqlite_store, tmp_path)
    with sqlite_store.read() as db:
        got = why_changed.ask(db, w.E, now=now, config=w.CONFIG, days=365)
    # last 365 days: the rename c4 (0 lines) and c12 (2); the year before: c0, when e.py was c.py
    assert (got.kind, got.current.commits, got.current.churn, got.previous.commits) == ("file", 2, 2, 1)
    assert [(g.name, g.commits) for g in got.files] == [(w.E, 2)]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, _environ={}).print(render_why_changed(got))
    text = out.getvalue()
    assert f"Why {w.E} changed: last 365 days" in text and "Commits that fit no issue: 2" in text


def test_a_pr_the_store_lacks_is_titled_by_its_squash_subject() -> None:
    """Git only (BookKeeper's history): 'By pull request' showed numbers without titles. A squash
    commit's subject is the PR's title plus ' (#N)' (GitHub's default), so that is the title."""
    from teammemory.agents.why_changed_facts import CommitFacts

    def fact(ref: str, subject: str, prs: tuple[tuple[str, str], ...]) -> CommitFacts:
        return CommitFacts(ref, subject, 0, False, False, (), frozenset(), (), prs, {"a.py": 1}, 1)

    got = why_changed._prs([
        fact("r@c3", "Second try (#12)", (("r#12", ""),)),
        fact("r@c1", "Fix the journal  (#12)", (("r#12", ""),)),  # first by ref: c1's subject
        fact("r@c2", "Merge pull request #13 from a/b", (("r#13", ""),)),  # no squash subject: no title
        fact("r@c4", "Tidy (#14)", (("r#14", "The PR's own title"),)),  # an ingested PR keeps its title
        fact("r@c5", "Closes #15 too (#16)", (("r#15", ""), ("r#16", ""))),  # only (#16) is its suffix
    ])
    assert sorted((g.key, g.title, g.commits) for g in got) == [
        ("r#12", "Fix the journal", 2), ("r#13", "", 1), ("r#14", "The PR's own title", 1), ("r#15", "", 1),
        ("r#16", "Closes #15 too", 1)]

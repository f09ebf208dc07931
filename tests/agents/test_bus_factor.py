"""bus-factor: DOA, the truck-factor greedy and the CHAOSS absence factor, worked by hand, then on
a real git history (tests/agents/q13_world.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import math
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import bus_factor
from teammemory.agents.bus_factor_score import (
    Shares,
    absence_factor,
    absence_factor_of,
    authors,
    doa,
    sentence_if_leaves,
    truck_factor,
)
from teammemory.errors import NotFound
from teammemory.outputs.render_bus_factor import render_bus_factor
from teammemory.store import Store
from tests.agents import q13_world as w


def test_chaoss_worked_example() -> None:
    # total 2475, half 1237.5: 1000 + 433 = 1433 > 1237.5 -> 2 contributors
    assert absence_factor_of([1000, 202, 90, 33, 332, 343, 42, 433]) == 2
    # exactly half is not more than half: 5 + 5 of 10 needs a third
    assert absence_factor({"a": 5, "b": 3, "c": 2}) == (2, (("a", 5), ("b", 3)))
    assert absence_factor({}) == (0, ())


def test_doa_and_its_thresholds() -> None:
    assert doa(1, 3, 4) == pytest.approx(3.293 + 1.098 + 0.164 * 3 - 0.321 * math.log(5))
    # Ana created it and made 3 of 7 commits: 4.3664; Ben 2 of 7: 3.293 + 0.328 - 0.321*ln 6 = 3.0458 < 3.293
    shares = Shares(frozenset({"ana"}), {"ana": 3, "ben": 2, "cy": 2}, 7)
    assert authors(shares) == {"ana"}
    # two equal authors: both pass 0.75 of the best
    assert authors(Shares(frozenset(), {"x": 5, "y": 5}, 10)) == {"x", "y"}
    # y passes 3.293 (3.293 + 0.164*4 - 0.321*ln 7 = 3.3264) but not 0.75 of x's 3.293 + 1.098 + 3.28 - 0.321*ln 5
    assert authors(Shares(frozenset({"x"}), {"x": 20, "y": 4}, 24)) == {"x"}


def test_truck_factor_greedy_with_ties() -> None:
    files = {"f1": frozenset({"A"}), "f2": frozenset({"A", "B"}), "f3": frozenset({"B"}), "f4": frozenset({"C"})}
    # A and B author 2 files each; A has more commits, so goes first: f2, f3, f4 keep an author (3 >= 2),
    # then B: only f4 is left (1 of 4 < half) -> truck factor 2
    tf, steps = truck_factor(files, {"A": 5, "B": 3, "C": 9})
    assert tf == 2 and [(s.person, s.files, s.covered_after) for s in steps] == [("A", 2, 3), ("B", 2, 1)]
    # equal files and commits: the person key decides (B more commits than A reverses the order)
    assert [s.person for s in truck_factor(files, {"A": 1, "B": 1})[1]] == ["A", "B"]
    assert [s.person for s in truck_factor(files, {"A": 1, "B": 2})[1]] == ["B", "A"]
    # fewer than half of the files have an author to begin with
    assert truck_factor({"f1": frozenset(), "f2": frozenset(), "f3": frozenset({"A"})}, {})[0] == 0
    assert truck_factor({}, {}) == (0, ())


def test_bus_factor_of_a_real_history(store: Store, tmp_path: Path, now: datetime) -> None:
    w.build(store, tmp_path)
    with store.read() as db:
        result = bus_factor.ask(db, now=now, config=w.CONFIG)
        core = bus_factor.ask(db, "core", now=now, config=dataclasses.replace(w.CONFIG, bus_factor_inactive_days=25))
        early = bus_factor.ask(db, "core", now=datetime.fromtimestamp(w.T(35), now.tzinfo), config=w.CONFIG)
        with pytest.raises(NotFound, match="cor"):
            bus_factor.ask(db, "cor", now=now, config=w.CONFIG)
    repo = result.scopes[0]
    # files at now: a, b, d, e (c.py renamed), the test; gone.py was deleted
    assert (repo.kind, repo.name, repo.files, repo.authored) == ("repository", "app", 5, 5)
    # authors: a, b, e -> Ana (e.py counts c.py's creation: FA 1, DL 3, AC 0 = 4.883); d -> Ben; test -> Cy.
    # Ana goes first (3 files): 2 of 5 files keep an author (40%) < half -> truck factor 1
    assert repo.truck_factor == 1
    assert [(r.person.name, r.files, r.files_with_author_after, r.coverage_after) for r in repo.removed] == [
        ("Ana Lima", 3, 2, 40.0)]
    # commits to these files: Ana c0 c1 c4 c12 = 4, Ben c2 c3 c7 c10 = 4 (c5, c6 only touched gone.py), Cy 2;
    # 10 in all: Ana + Ben = 8 > 5 -> absence factor 2 (the bot's c9 is nobody's)
    assert (repo.absence_factor, repo.contributions) == (2, 10)
    assert [(c.person.name, c.commits) for c in repo.absence] == [("Ana Lima", 4), ("Ben Okafor", 4)]
    # everyone committed within 180 days: each file has its one author, active -> 5 islands
    assert (repo.islands, repo.orphaned) == (5, 0)
    assert [(a.person.name, a.files, a.commits, a.sole) for a in repo.authors] == [
        ("Ana Lima", 3, 4, 3), ("Ben Okafor", 1, 4, 1), ("Cy Park", 1, 2, 1)]
    assert repo.authors[0].if_leaves == (
        "if Ana Lima leaves, 3 files lose their only author: files with an author drop from 100.0% to 40.0%")
    # components, most dependent first by (truck factor, -files, name): core (1, 4 files), tests (1, 1 file)
    assert [(s.name, s.truck_factor) for s in result.scopes] == [("app", 1), ("core", 1), ("tests", 1)]
    assert result.components_total == 2

    # inactive after 25 days: Ben (last commit T(30)) is inactive -> d.py is orphaned; a, b, e (Ana) are islands
    (scope,) = core.scopes
    assert (scope.files, scope.truck_factor, scope.islands, scope.orphaned) == (4, 1, 3, 1)
    assert [f.path for f in scope.orphaned_files] == [w.D]
    (d_file,) = scope.orphaned_files
    # d.py: Ben created it, 3 of its 4 commits: 3.293 + 1.098 + 0.492 - 0.321*ln 2 = 4.6605; Ana 1 of 4:
    # 3.293 + 0.164 - 0.321*ln 4 = 3.012, not an author
    assert d_file.commits == 4
    assert [(d.person.name, d.score.inputs, d.score.total, d.is_author) for d in d_file.people] == [
        ("Ben Okafor", (("FA", 1), ("DL", 3), ("AC", 1)), 4.66, True),
        ("Ana Lima", (("FA", 0), ("DL", 1), ("AC", 3)), 3.01, False)]
    islands = {f.path: f for f in scope.island_files}
    # a.py: 7 human commits (the bot's c9 left out): Ana FA 1, DL 3, AC 4 = 4.3664
    assert islands[w.A].commits == 7 and islands[w.A].people[0].score.total == 4.37
    assert islands[w.E].people[0].score.inputs == (("FA", 1), ("DL", 3), ("AC", 0))

    # as of T(35): c10, c11, c12 are in the future; a.py has c0 c1 c7 c8 (and the bot's c9)
    early_a = {f.path: f for f in early.scopes[0].island_files}[w.A]
    assert early_a.commits == 4


def test_render_names_the_people(sqlite_store: Store, tmp_path: Path, now: datetime) -> None:
    w.build(sqlite_store, tmp_path)
    with sqlite_store.read() as db:
        result = bus_factor.ask(db, "core", now=now, config=w.CONFIG)
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, _environ={}).print(render_bus_factor(result))
    text = out.getvalue()
    assert "component core: 4 files, 4 with an author" in text
    assert "truck factor 1: without Ana Lima (3 files)" in text
    assert "7 commits\n    src/core/a.py\n    Ana Lima DOA 4.37 (FA 1, DL 3, AC 4), last active" in text


def test_the_leaving_sentence_groups_thousands_as_the_other_counts_do() -> None:
    # BookKeeper's history: 1,151 of 3,294 files lose their only author -> 3,291 - 1,151 = 2,140 of 3,294
    assert sentence_if_leaves("Sijie Guo", 1151, 3291, 3294) == (
        "if Sijie Guo leaves, 1,151 files lose their only author: files with an author drop from 99.9% to 65.0%")
    assert sentence_if_leaves("Ana", 1, 2, 4).startswith("if Ana leaves, 1 file loses its only author")

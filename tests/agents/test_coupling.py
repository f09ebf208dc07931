"""coupling: degree = 100*shared/((revs_a + revs_b)/2) at commit, PR and issue level, worked by hand
on a real git history (tests/agents/q13_world.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import coupling
from teammemory.errors import NotFound
from teammemory.outputs.render_coupling import render_coupling
from teammemory.store import Store
from tests.agents import q13_world as w

# change sets at most 3 files: c12 (a, b, d, e) is ignored
CONFIG = dataclasses.replace(w.CONFIG, coupling_max_changeset=3, coupling_min_shared=1)


def _pairs(level: coupling.LevelCoupling) -> list[tuple[str, float, int, int]]:
    return [(c.path, c.score.total, c.shared, c.revisions) for c in level.coupled]


def test_degree() -> None:
    assert coupling.degree(4, 7, 5) == pytest.approx(400 / 6)


def test_coupling_of_a_real_history(store: Store, tmp_path: Path, now: datetime) -> None:
    hashes = w.build(store, tmp_path)
    with store.read() as db:
        got = coupling.ask(db, w.A, now=now, config=CONFIG)
        strict = coupling.ask(db, w.A, now=now, config=dataclasses.replace(CONFIG, coupling_min_shared=2))
        with pytest.raises(NotFound):
            coupling.ask(db, "src/core/zzz.py", now=now, config=CONFIG)
    commits, prs, issues = got.levels
    # a.py's commits within the limit: c0 c1 c7 c8 c9 c10 c11 = 7 (c12 ignored)
    assert (commits.level, commits.change_sets, commits.ignored) == ("commit", 7, 1)
    # b: revs c0 c1 c2 c8 c11 = 5, shared c0 c1 c8 c11 = 4: 400/6 = 66.67
    # d: revs c3 c7 c10 = 3, shared c7 c10 = 2: 200/5 = 40
    # the test: revs c8 = 1, shared 1: 100/4 = 25
    # e (c.py until c4): revs c0 c4 = 2, shared c0 = 1: 100/4.5 = 22.22; gone.py never changed with a
    assert _pairs(commits) == [(w.B, 66.67, 4, 5), (w.D, 40.0, 2, 3), (w.TEST, 25.0, 1, 1), (w.E, 22.22, 1, 2)]
    assert commits.coupled[0].score.inputs == (("shared", 4), ("revs_a", 7), ("revs_b", 5))
    assert [e.ref for e in commits.coupled[0].evidence] == [hashes[i][:7] for i in (11, 8, 1)]
    assert _pairs(strict.levels[0]) == [(w.B, 66.67, 4, 5), (w.D, 40.0, 2, 3)]
    # PRs: #5 = c8 c11 + its listed files {a, b, test}, #6 = c7 + {a, d}: revs_a 2, each partner 1 of 1:
    # 100*1/1.5 = 66.67 for all three (ties by path)
    assert (prs.change_sets, _pairs(prs)) == (2, [(w.B, 66.67, 1, 1), (w.D, 66.67, 1, 1), (w.TEST, 66.67, 1, 1)])
    assert [e.ref for e in prs.coupled[0].evidence] == ["acme/app#5"]
    # issues: PROJ-1 = c1 c2 {a, b}; PROJ-2 = c8 c11 and PR #5 {a, b, test}; PROJ-3 = c7 {a, d}:
    # b 2 shared of 3 and 2: 200/2.5 = 80; d and the test 1 of 3 and 1: 100/2 = 50
    assert (issues.change_sets, _pairs(issues)) == (3, [(w.B, 80.0, 2, 2), (w.D, 50.0, 1, 1), (w.TEST, 50.0, 1, 1)])
    # every non-merge change of a.py: c0 c1 c7 c8 c9 c10 c11 c12 = 8; the test changed in c8 only
    assert (got.test_file, got.test_changes, got.changes) == (w.TEST, 1, 8)
    assert got.explanation.endswith(f"its test file {w.TEST} changed in only 1 of its 8 changes")


def test_a_renamed_file_keeps_its_history(sqlite_store: Store, tmp_path: Path, now: datetime) -> None:
    w.build(sqlite_store, tmp_path)
    with sqlite_store.read() as db:
        got = coupling.ask(db, w.E, now=now, config=CONFIG)
    # e.py = c.py in c0 (with a, b) and the rename c4; c12 is over the limit
    assert _pairs(got.levels[0]) == [(w.A, 22.22, 1, 7), (w.B, 28.57, 1, 5)][::-1]
    out = io.StringIO()
    Console(file=out, width=200, color_system=None, _environ={}).print(render_coupling(got))
    assert f"degree 28.57: 1 shared commit, 5 of its own\n    {w.B}\n    latest " in out.getvalue()

"""`teammemory components` on a real repository: files and top people by commits, as of any `now`.

When `now` sees every commit the sole authors' counts come from the summary kept at ingest
(component_authors, migration 0017); before, from the raw component_people rows. Both must give
the same answer: checked here against counts worked out by hand from the history.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import components_list, paths
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

DAY = 86400
T0 = 1767225600  # 2026-01-01 00:00 UTC
ANA, BEN = "Ana Lima <ana@acme.io>", "Ben Ode <ben@acme.io>"
CONFIG = dataclasses.replace(Config(), component_rules=(("src/*/**", "{1}"),))
HISTORY = [
    FakeCommit(ANA, T0, "add auth", {"src/auth/a.py": "a\n", "src/auth/b.py": "b\n"}),
    FakeCommit(BEN, T0 + DAY, "fix auth\n\nCo-authored-by: Cy Park <cy@acme.io>\n", {"src/auth/a.py": "a2\n"}),
    FakeCommit(ANA, T0 + 2 * DAY, "add pay", {"src/pay/p.py": "p\n"}),
    FakeCommit(BEN, T0 + 3 * DAY, "tidy auth", {"src/auth/b.py": "b2\n"}),
    FakeCommit(ANA, T0 + 4 * DAY, "both", {"src/auth/a.py": "a3\n", "src/pay/p.py": "p2\n"}),
]
TOP_LEVEL = [  # files no rule gives a component
    FakeCommit(BEN, T0 + 5 * DAY, "readme and license", {"README.md": "r\n", "LICENSE": "l\n"}),
    FakeCommit(ANA, T0 + 6 * DAY, "readme\n\nCo-authored-by: Cy Park <cy@acme.io>\n", {"README.md": "r2\n"}),
    FakeCommit(BEN, T0 + 7 * DAY, "readme again and auth", {"README.md": "r3\n", "src/auth/a.py": "a4\n"}),
]


def at(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    ingest_git(store, build_repo(tmp_path / "acme", HISTORY), config=CONFIG, name="acme", clock=lambda: 1.8e9)
    return store


def shown(store: Store, now: datetime) -> list[tuple[str, int, list[tuple[str, int]]]]:
    with store.read() as db:
        result = components_list.ask(db, now=now, config=CONFIG)
    return [(c.name, c.files, [(p.name, p.commits) for p in c.people]) for c in result.components]


def test_people_counted_by_commits_now_and_as_of_earlier(filled: Store) -> None:
    # auth: Ana 2 (commits 1, 5), Ben 2 (2, 4), Cy 1 (co-author of 2, shared with Ben); pay: Ana 2 (3, 5).
    # Ties on commits go by name; more files first.
    assert shown(filled, at(T0 + 10 * DAY)) == [
        ("auth", 2, [("Ana Lima", 2), ("Ben Ode", 2), ("Cy Park", 1)]),
        ("pay", 1, [("Ana Lima", 2)]),
    ]
    # after commit 3 only: auth holds a.py and b.py by Ana (1) and Ben with Cy (1 each); pay Ana 1
    assert shown(filled, at(T0 + 2 * DAY + 60)) == [
        ("auth", 2, [("Ana Lima", 1), ("Ben Ode", 1), ("Cy Park", 1)]),
        ("pay", 1, [("Ana Lima", 1)]),
    ]


def test_kept_counts_equal_the_raw_rows(filled: Store) -> None:
    with filled.read() as db:
        latest = T0 + 4 * DAY
        assert paths.sees_all(db, latest)
        kept = db.fetch(components_list.Q["component-authors-kept"], components_list.AuthorRow, now=latest)
        raw = db.fetch(components_list.Q["component-authors"], components_list.AuthorRow, now=latest)
    assert sorted(kept) == sorted(raw)
    assert sum(r.n for r in raw if not r.hash) == 5  # sole-author rows: Ana 2 + Ben 1 on auth, Ana 2 on pay


def test_files_outside_every_component_have_their_people_too(store: Store, tmp_path: Path) -> None:
    """The summary tables keep no rows for files without a component: their people come from
    their commits. README/LICENSE: Ben 2 (commits 6 and 8; 6 touched both files, counted once),
    Ana 1 and Cy 1 (co-author) of commit 7."""
    ingest_git(store, build_repo(tmp_path / "acme", HISTORY + TOP_LEVEL), config=CONFIG, name="acme",
               clock=lambda: 1.8e9)
    assert shown(store, at(T0 + 10 * DAY)) == [
        ("", 2, [("Ben Ode", 2), ("Ana Lima", 1), ("Cy Park", 1)]),
        ("auth", 2, [("Ben Ode", 3), ("Ana Lima", 2), ("Cy Park", 1)]),
        ("pay", 1, [("Ana Lima", 2)]),
    ]
    assert shown(store, at(T0 + 5 * DAY + 60))[0] == ("", 2, [("Ben Ode", 1)])

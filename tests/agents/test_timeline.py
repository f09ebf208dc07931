"""timeline: commits, merges, releases and incidents of a real repository, in order, with the
bursts of changes to several components flagged; SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import timeline
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest.git import ingest_git
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.store import Store
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo, rev

CONFIG = Config(component_rules=(("src/auth/**", "auth"), ("src/pay/**", "payment")))
T0 = 1777629600  # 2026-05-01T10:00:00Z
MIN = 60
ANA, BO = "Ana <ana@example.com>", "Bo <bo@example.com>"


def at(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


@pytest.fixture
def world(store: Store, tmp_path: Path) -> tuple[Store, Path]:
    repo = build_repo(tmp_path / "repo", [
        FakeCommit(ANA, T0 - 86400, "init\n", {"src/auth/a.py": "1\n", "src/pay/p.py": "1\n", "README": "r\n"}),
        FakeCommit(ANA, T0, "auth change\n", {"src/auth/a.py": "2\n"}),                 # burst 1 ...
        FakeCommit(BO, T0 + 25 * MIN, "payment change\n", {"src/pay/p.py": "2\n"}),     # ... 25 min later
        FakeCommit(BO, T0 + 50 * MIN, "readme\n", {"README": "s\n"}),                   # ... chained, no component
        FakeCommit(ANA, T0 + 3 * 3600, "auth again\n", {"src/auth/a.py": "3\n"}),       # alone: one component
        FakeCommit(ANA, T0 + 5 * 3600, "both at once\n", {"src/auth/a.py": "4\n", "src/pay/p.py": "3\n"}),
    ])
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin", "GIT_COMMITTER_NAME": "Rel",
           "GIT_COMMITTER_EMAIL": "rel@example.com", "GIT_COMMITTER_DATE": f"{T0 + 4 * 3600} +0000"}
    subprocess.run(["git", "-C", str(repo), "tag", "-a", "-m", "Release 1.0", "v1.0", "HEAD~1"], check=True, env=env)
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    (tmp_path / "inc.yaml").write_text(
        "key: INC-1\ntitle: Payments fail\nseverity: SEV3\nstarted: 2026-05-01T11:00:00Z\n"
        "resolved: 2026-05-01T16:00:00Z\ncomponents: [payment]\n", encoding="utf-8")
    ingest_incident_files(store, [tmp_path / "inc.yaml"], config=CONFIG)
    return store, repo


def ask(store: Store, since: int, until: int | None, now: int, **options: object) -> timeline.Timeline:
    with store.read() as db:
        return timeline.ask(db, since=at(since), until=at(until) if until is not None else None, now=at(now),
                            config=CONFIG, **options)  # type: ignore[arg-type]


def test_events_in_order_with_bursts(world: tuple[Store, Path]) -> None:
    store, repo = world
    result = ask(store, T0 - 60, T0 + 6 * 3600, T0 + 86400)
    assert [(e.at - T0, e.kind, e.ref if e.kind != "commit" else e.summary) for e in result.events] == [
        (0, "commit", "auth change"), (25 * MIN, "commit", "payment change"), (50 * MIN, "commit", "readme"),
        (60 * MIN, "incident-started", "INC-1"), (3 * 3600, "commit", "auth again"),
        (4 * 3600, "release", "v1.0"), (5 * 3600, "commit", "both at once"), (6 * 3600, "incident-resolved", "INC-1")]
    # burst 1: three changes each within 30 minutes of the one before, auth + payment; the lone
    # 'auth again' touches one component; 'both at once' is a burst of one touching two
    assert [(b.number, b.start_at - T0, b.end_at - T0, b.components, len(b.changes)) for b in result.bursts] == [
        (1, 0, 50 * MIN, ("auth", "payment"), 3), (2, 5 * 3600, 5 * 3600, ("auth", "payment"), 1)]
    assert [e.burst for e in result.events if e.kind == "commit"] == [1, 1, 1, None, 2]
    assert result.events[5].summary == "Release 1.0" and result.events[6].ref == rev(repo)


def test_window_and_component_filter(world: tuple[Store, Path]) -> None:
    store, _ = world
    narrow = ask(store, T0 - 60, T0 + 6 * 3600, T0 + 86400, window=20)
    assert [b.changes[0].split("@")[0] for b in narrow.bursts] == ["commit acme/app"]  # only 'both at once'
    auth = ask(store, T0 - 60, T0 + 6 * 3600, T0 + 86400, component="AUTH")
    assert [e.kind for e in auth.events] == ["commit", "commit", "release", "commit"]  # release always kept
    assert [b.number for b in auth.bursts] == [1, 2]


def test_nothing_after_now(world: tuple[Store, Path]) -> None:
    store, _ = world
    result = ask(store, T0 - 60, None, T0 + 30 * MIN)
    assert [e.summary for e in result.events] == ["auth change", "payment change"]
    assert result.until_at == T0 + 30 * MIN


def test_until_before_since_is_refused(world: tuple[Store, Path]) -> None:
    store, _ = world
    with pytest.raises(InputError, match="--until"):
        ask(store, T0, T0 - 1, T0 + 86400)

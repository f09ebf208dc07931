"""incidents: postmortem files and a Jira Incident over a real repository, on SQLite and PostgreSQL.

Expected durations are worked out here from the times the test writes, never read back from the
program: TTD = detected - started, TTR = resolved - started, dormancy = started - cause committed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import incidents
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.ingest.jira import ingest_jira_files
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

CONFIG = Config(component_rules=(("src/auth/**", "auth"), ("src/pay/**", "payment")))
DAY = 86400
T0 = 1777629600  # 2026-05-01T10:00:00Z: the incident starts
CAUSE_AT = T0 - 9 * DAY - 3600  # the cause commit
FIX_AT = T0 + 5 * 3600
ANA = "Ana <ana@example.com>"


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def world(store: Store, tmp_path: Path) -> tuple[Store, dict[str, str]]:
    repo = build_repo(tmp_path / "repo", [
        FakeCommit(ANA, T0 - 30 * DAY, "init\n", {"src/auth/token.py": "a\n", "src/pay/card.py": "b\n"}),
        FakeCommit(ANA, CAUSE_AT, "cache tokens\n", {"src/auth/token.py": "a\ncache\n"}),
        FakeCommit(ANA, FIX_AT, "INC-1 lock the token cache\n", {"src/auth/token.py": "a\ncache\nlock\n",
                                                                 "src/pay/card.py": "b\nretry\n"}),
    ])
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    hashes = {"cause": rev(repo, "HEAD~1"), "fix": rev(repo, "HEAD")}
    (tmp_path / "pm").mkdir()
    (tmp_path / "pm" / "inc-1.md").write_text(f"""\
---
key: INC-1
severity: SEV2
repo: acme/app
started: {iso(T0)}
detected: {iso(T0 + 1200)}
mitigated: {iso(FIX_AT)}
resolved: {iso(FIX_AT + 3600)}
caused_by:
  commits: [{hashes['cause'][:8]}]
fixed_by:
  prs: [77]
---
# Token cache served stale tokens

## Timeline
- {iso(T0)} errors rise
- {iso(FIX_AT + 3600)} all clear

## Action items
- OPS-1 alert on stale tokens
- OPS-2 load test
- OPS-3 not filed yet
""", encoding="utf-8")
    jira = {"issues": [
        {"key": "OPS-1", "fields": {"summary": "Alert on stale tokens", "issuetype": {"name": "Task"},
                                    "status": {"name": "Done", "statusCategory": {"key": "done"}},
                                    "created": iso(T0 + DAY), "updated": iso(T0 + 2 * DAY)}},
        {"key": "OPS-2", "fields": {"summary": "Load test", "issuetype": {"name": "Task"},
                                    "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                                    "created": iso(T0 + DAY), "updated": iso(T0 + DAY)}},
        {"key": "OPS-9", "fields": {"summary": "Payments timing out", "issuetype": {"name": "Incident"},
                                    "priority": {"name": "Highest"},
                                    "components": [{"name": "payment"}],
                                    "status": {"name": "Done", "statusCategory": {"key": "done"}},
                                    "created": iso(T0 + 3 * DAY), "updated": iso(T0 + 4 * DAY),
                                    "resolutiondate": iso(T0 + 3 * DAY + 7200)}},
    ], "startAt": 0, "total": 3}
    (tmp_path / "jira.json").write_text(json.dumps(jira), encoding="utf-8")
    ingest_jira_files(store, [tmp_path / "jira.json"], config=CONFIG)
    ingest_incident_files(store, [tmp_path / "pm"], config=CONFIG)
    return store, hashes


def answer(store: Store, now: int, **options: str) -> incidents.Incidents:
    with store.read() as db:
        return incidents.ask(db, now=datetime.fromtimestamp(now, UTC), config=CONFIG, **options)


def test_postmortem_measures_causes_fixes_and_actions(world: tuple[Store, dict[str, str]]) -> None:
    store, hashes = world
    result = answer(store, T0 + 10 * DAY)
    assert [i.key for i in result.incidents] == ["OPS-9", "INC-1"]  # latest start first
    inc = result.incidents[1]
    assert (inc.severity, inc.state, inc.source) == ("SEV2", "resolved", "postmortem")
    assert inc.measure("ttd") == 1200
    assert inc.measure("ttr") == FIX_AT + 3600 - T0
    assert inc.measure("dormancy") == T0 - CAUSE_AT
    assert [(c.kind, c.ref, c.in_store) for c in inc.causes] == [("commit", hashes["cause"], True)]
    # fixes: PR 77 as written (the store has no PRs), and the commit that names INC-1
    assert [(c.kind, c.ref, c.in_store, c.components) for c in inc.fixes] == [
        ("commit", hashes["fix"], True, ("auth", "payment")), ("pr", "77", False, ())]
    assert "key INC-1 in commit" in inc.fixes[0].found_by
    assert inc.component_names == ("auth", "payment")
    assert [(a.key, a.open, a.ingested) for a in inc.action_items] == [
        ("OPS-1", False, True), ("OPS-2", True, True), ("OPS-3", True, False)]
    assert result.open_action_items == 2
    assert [e.entry for e in inc.timeline] == ["errors rise", "all clear"]


def test_jira_incident_is_mapped(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    ops9 = answer(store, T0 + 10 * DAY).incidents[0]
    assert (ops9.source, ops9.severity, ops9.started_at, ops9.detected_at) == ("jira", "SEV1", T0 + 3 * DAY,
                                                                                T0 + 3 * DAY)
    assert ops9.measure("ttr") == 7200 and ops9.measure("dormancy") is None
    assert ops9.component_names == ("payment",)


def test_as_of_now_nothing_after_it_counts(world: tuple[Store, dict[str, str]]) -> None:
    store, hashes = world
    result = answer(store, T0 + 1800)  # detected, not yet fixed; OPS-9 not created; actions not filed
    [inc] = result.incidents
    assert inc.state == "open" and inc.resolved_at is None and inc.measure("ttr") is None
    assert inc.measure("ttd") == 1200
    assert [c.kind for c in inc.fixes] == ["pr"]  # the fix commit comes later
    assert [e.entry for e in inc.timeline] == ["errors rise"]
    assert all(a.open and not a.ingested for a in inc.action_items)
    assert answer(store, T0 - 1).incidents == ()


def test_filters(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    now = T0 + 10 * DAY
    assert [i.key for i in answer(store, now, component="Payment").incidents] == ["OPS-9", "INC-1"]
    assert [i.key for i in answer(store, now, component="auth").incidents] == ["INC-1"]
    assert [i.key for i in answer(store, now, repo="acme/app").incidents] == ["INC-1"]
    assert answer(store, now, repo="other").incidents == ()


def test_open_actions_and_touching(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    with store.read() as db:
        opened = incidents.open_actions(db, now=datetime.fromtimestamp(T0 + 10 * DAY, UTC))
        items = incidents.load(db, now=T0 + 10 * DAY)
    assert [(a.incident, a.key, a.ingested) for a in opened] == [("INC-1", "OPS-2", True), ("INC-1", "OPS-3", False)]
    assert [i.key for i in incidents.touching(items, "src/pay/card.py")] == ["INC-1"]
    assert incidents.touching(items, "src/pay/card.py", repo="other") == ()


def test_measures_formula_on_literal_times() -> None:
    cause = incidents.Change("cause", "commit", "r", "abc", "s", 1000, "named")
    later = incidents.Change("cause", "pr", "r", "5", "t", 4000, "named")
    after_start = incidents.Change("cause", "pr", "r", "6", "t", 9000, "named")
    ttd, ttr, dormancy = incidents.measures(5000, 5600, 8600, [cause, later, after_start])
    assert (ttd.seconds, ttr.seconds, dormancy.seconds) == (600, 3600, 1000)  # 5000 - 4000: the latest cause

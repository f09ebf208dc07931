"""Incidents in file and component context, and hygiene beyond the article (issue #13), on a real
git repository, on SQLite and PostgreSQL.

The world (T0 = 2026-05-01 10:00 UTC, the incident's start; one branch, so every commit is on the
first-parent chain):
  c0 T0-30d      init: src/auth/token.py, src/pay/card.py
  c1 T0-9d-1h    cache tokens (token.py)                INC-1's cause (the postmortem says so)
  c2 T0+5h       INC-1 lock the token cache (both)      INC-1's fix (names the key); PR #77
  c3 T0+2d       OPS-2 rename token.py -> tokens.py     PR #78
PRs: #77 merged, no review; #78 merged, approved by Ben before the merge; #79 merged, approved
only by its author Ana. Jira: OPS-1 (done), OPS-2 (to do), OPS-9 (an Incident of `payment`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory import derive
from teammemory.agents import context_file, hygiene, onboarding
from teammemory.ingest.git import ingest_git
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.ingest.jira import ingest_jira_files
from teammemory.model import IdentityRef, PrFile, PullRequest, Review
from teammemory.outputs.render_context import render_file_context
from teammemory.outputs.render_hygiene import render_hygiene
from teammemory.outputs.render_onboarding import render_onboarding
from teammemory.store import Store
from teammemory.store.write import write_pull_request
from tests.agents.test_incidents import ANA, CAUSE_AT, CONFIG, DAY, FIX_AT, T0, iso
from tests.helpers.gitrepo import FakeCommit, build_repo, rev
from tests.outputs.test_render_context import text

NOW = T0 + 10 * DAY
ANA_GH, BEN_GH = IdentityRef("github", login="ana", name="Ana"), IdentityRef("github", login="ben", name="Ben")


@pytest.fixture
def world(store: Store, tmp_path: Path) -> tuple[Store, dict[str, str]]:
    """test_incidents' world (INC-1's postmortem, the Jira issues) with the rename c3."""
    repo = build_repo(tmp_path / "repo", [
        FakeCommit(ANA, T0 - 30 * DAY, "init\n", {"src/auth/token.py": "a\n", "src/pay/card.py": "b\n"}),
        FakeCommit(ANA, CAUSE_AT, "cache tokens\n", {"src/auth/token.py": "a\ncache\n"}),
        FakeCommit(ANA, FIX_AT, "INC-1 lock the token cache\n", {"src/auth/token.py": "a\ncache\nlock\n",
                                                                 "src/pay/card.py": "b\nretry\n"}),
        FakeCommit(ANA, T0 + 2 * DAY, "OPS-2 rename the token module\n",
                   renames={"src/auth/token.py": "src/auth/tokens.py"}),
    ])
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    hashes = {"init": rev(repo, "HEAD~3"), "cause": rev(repo, "HEAD~2"), "fix": rev(repo, "HEAD~1"),
              "rename": rev(repo, "HEAD")}
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


@pytest.fixture
def plus(world: tuple[Store, dict[str, str]]) -> tuple[Store, dict[str, str]]:
    """The world and three merged PRs."""
    store, hashes = world
    prs = [
        PullRequest("acme/app", 77, "Lock the token cache", state="merged", author=ANA_GH, created_at=FIX_AT - 60,
                    merged_at=FIX_AT + 60, commits=(hashes["fix"],),
                    files=(PrFile("src/auth/token.py", 1, 0), PrFile("src/pay/card.py", 1, 0))),
        PullRequest("acme/app", 78, "Rename the token module", state="merged", author=ANA_GH,
                    created_at=T0 + 2 * DAY - 60, merged_at=T0 + 2 * DAY + 60, commits=(hashes["rename"],),
                    reviews=(Review("r1", BEN_GH, "APPROVED", T0 + 2 * DAY + 30),)),
        PullRequest("acme/app", 79, "Self-approved", state="merged", author=ANA_GH, created_at=T0 + 3 * DAY,
                    merged_at=T0 + 3 * DAY + 60, reviews=(Review("r2", ANA_GH, "APPROVED", T0 + 3 * DAY + 30),)),
    ]
    with store.write() as db:
        for pr in prs:
            write_pull_request(db, pr)
        derive.refresh(db, CONFIG)
    return store, hashes


def at(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def test_file_context_lists_incidents_across_renames(plus: tuple[Store, dict[str, str]]) -> None:
    store, h = plus
    with store.read() as db:
        tokens = context_file.ask_file(db, "src/auth/tokens.py", now=at(NOW), config=CONFIG)
        card = context_file.ask_file(db, "src/pay/card.py", now=at(NOW), config=CONFIG)
        before = context_file.ask_file(db, "src/pay/card.py", now=at(T0 - DAY), config=CONFIG)
    [inc] = tokens.incidents  # through its earlier name token.py: the cause and both fixes changed it
    assert (inc.key, inc.severity, inc.state) == ("INC-1", "SEV2", "resolved")
    assert inc.relations == (f"caused by commit {h['cause'][:7]}", f"fixed by commit {h['fix'][:7]}",
                             "fixed by PR #77")
    [inc] = card.incidents  # the cause never touched card.py
    assert inc.relations == (f"fixed by commit {h['fix'][:7]}", "fixed by PR #77")
    assert before.incidents == ()  # as of a day before it started, INC-1 has not happened


def test_onboarding_lists_the_components_incidents(plus: tuple[Store, dict[str, str]]) -> None:
    store, _ = plus
    with store.read() as db:
        auth = onboarding.ask(db, "auth", now=at(NOW), config=CONFIG)
        pay = onboarding.ask(db, "payment", now=at(NOW), config=CONFIG)
        early = onboarding.ask(db, "payment", now=at(T0 + DAY), config=CONFIG)
    assert [i.key for i in auth.incidents] == ["INC-1"]
    assert [i.key for i in pay.incidents] == ["OPS-9", "INC-1"]  # OPS-9 started T0+3d: latest first
    assert [i.key for i in early.incidents] == ["INC-1"]  # OPS-9 was created after T0+1d


def test_hygiene_beyond_the_article(plus: tuple[Store, dict[str, str]]) -> None:
    store, h = plus
    with store.read() as db:
        report = hygiene.ask(db, now=at(NOW), config=CONFIG)
    checks = {c.name: c for c in report.checks}
    # merged PRs: 77, 78, 79; approved by someone else before the merge: only 78
    c = checks["prs_without_approval"]
    assert (c.count, c.denominator, c.percent) == (2, 3, round(100 * 2 / 3, 1))
    assert [e.split(" ")[0] for e in c.examples] == ["acme/app#79", "acme/app#77"]  # newest merge first
    # first-parent chain c3, c2, c1, c0; PRs hold c2 (#77) and c3 (#78): c1 and c0 came through none
    c = checks["commits_without_pr"]
    assert (c.count, c.denominator) == (2, 4)
    assert [e.split(" ")[0] for e in c.examples] == [h["cause"][:7], h["init"][:7]]
    # INC-1's action items OPS-1 (done), OPS-2 (to do), OPS-3 (not in the store)
    c = checks["open_action_items"]
    assert (c.count, c.denominator) == (2, 3)
    assert c.examples == ("OPS-2 Load test (To Do; INC-1)", "OPS-3 (not in the store) (INC-1)")
    # known project: OPS (ingested); only c3 names an OPS key. auth: c0-c3; payment: c0, c2.
    cov = {(r.scope, r.name): (r.linked, r.commits, r.percent) for r in report.coverage}
    assert cov[("repository", "acme/app")] == (1, 4, 25.0)
    assert cov[("component", "auth")] == (1, 4, 25.0)
    assert cov[("component", "payment")] == (0, 2, 0.0)
    months = [r.name for r in report.coverage if r.scope == "month"]
    assert months[0] == "2025-06" and months[-1] == "2026-05" and len(months) == 12
    assert cov[("month", "2026-04")] == (0, 2, 0.0)  # c0 (Apr 1), c1 (Apr 21)
    assert cov[("month", "2026-05")] == (1, 2, 50.0)  # c2, c3
    assert cov[("month", "2026-03")] == (0, 0, None)


def test_hygiene_as_of_before_the_prs(plus: tuple[Store, dict[str, str]]) -> None:
    store, _ = plus
    with store.read() as db:
        report = hygiene.ask(db, now=at(T0), config=CONFIG)  # c0, c1 only; nothing merged yet
    checks = {c.name: c for c in report.checks}
    assert (checks["prs_without_approval"].count, checks["prs_without_approval"].denominator) == (0, 0)
    assert (checks["commits_without_pr"].count, checks["commits_without_pr"].denominator) == (2, 2)
    # INC-1 started at T0 exactly, so it counts; its OPS issues are created at T0+1d: none is done yet
    assert (checks["open_action_items"].count, checks["open_action_items"].denominator) == (3, 3)


def test_text_shows_incidents_and_coverage(plus: tuple[Store, dict[str, str]]) -> None:
    store, h = plus
    with store.read() as db:
        file_text = text(render_file_context(context_file.ask_file(db, "src/pay/card.py", now=at(NOW),
                                                                   config=CONFIG)), width=200)
        onboarding_text = text(render_onboarding(onboarding.ask(db, "auth", now=at(NOW), config=CONFIG)), width=200)
        hygiene_text = text(render_hygiene(hygiene.ask(db, now=at(NOW), config=CONFIG)), width=200)
    line = (f"- INC-1 SEV2 resolved: Token cache served stale tokens (2026-05-01; fixed by commit {h['fix'][:7]};"
            " fixed by PR #77)")
    assert file_text.splitlines()[-2:] == ["Incidents:", line]
    assert onboarding_text.splitlines()[-2].startswith("Incidents")
    assert onboarding_text.splitlines()[-1].startswith("- INC-1 SEV2 resolved: Token cache served stale tokens"
                                                       " (2026-05-01; caused by commit")
    assert "component auth" in onboarding_text.splitlines()[-1]
    lines = hygiene_text.splitlines()
    start = lines.index("Link coverage (non-merge commits by people linked to an issue):")
    assert lines[start + 2].split() == ["repository", "acme/app", "1", "4", "25.0"]
    assert "PRs merged with no approving review:" in lines

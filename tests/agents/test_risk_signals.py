"""Risk signals beyond the article's score, over a real repository, on SQLite and PostgreSQL.

The repository holds a revert (`This reverts commit <sha>`), a postmortem whose cause is a commit
of the file, bug fixes old and new (one on a file renamed since), a test file that changed with
only one change of its code, and a deploy file changed once without review, once with a
`Reviewed-by:` trailer, once in a PR approved in review and once in a PR only asked to change.
Expected values are worked out here from the rules in agents/risk_signals.py, never read back
from the program.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import risk, risk_signals
from teammemory.agents.risk_signals import WindowCommit
from teammemory.config import Config, RiskWeights
from teammemory.ingest.git import ingest_git
from teammemory.ingest.github import ingest_github_files
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

DAY = 86400
NOW = 1780000000  # 2026-05-28T20:26:40Z
ANA, BEN = "Ana <ana@example.com>", "Ben <ben@example.com>"
WEIGHTS = RiskWeights(revert=100.0, incident=500.0, recent_fix=100.0, untested_change=5.0,
                      unreviewed_infra=100.0, coupling=1.0)
CONFIG = Config(component_rules=(("src/app/**", "app"), ("deploy/**", "deploy"), ("**", "other")),
                risk=WEIGHTS, coupling_min_shared=2)
SERVICE, UTIL, TEST, DEPLOY, OLD = ("src/app/service.py", "src/app/util.py", "tests/app/test_service.py",
                                    "deploy/app.yaml", "src/app/old.py")


def at(days_ago: int) -> int:
    return NOW - days_ago * DAY


def now() -> datetime:
    return datetime.fromtimestamp(NOW, UTC)


def commits(cause: str = "") -> list[FakeCommit]:
    return [
        FakeCommit(ANA, at(500), "init\n", {SERVICE: "s\n", UTIL: "u\n", TEST: "t\n", DEPLOY: "r: 1\n",
                                            "src/app/legacy.py": "l\n"}),
        FakeCommit(ANA, at(400), "fix crash in service parser\n", {SERVICE: "s\nparse\n"}),
        FakeCommit(BEN, at(200), "fix wrong rounding in legacy\n", {"src/app/legacy.py": "l\nround\n"}),
        FakeCommit(BEN, at(150), "move legacy to old\n", renames={"src/app/legacy.py": OLD}),
        FakeCommit(ANA, at(30), "Enable caching in service\n", {SERVICE: "s\nparse\ncache\n", UTIL: "u\ncache\n"}),
        FakeCommit(BEN, at(20), f'Revert "Enable caching in service"\n\nThis reverts commit {cause}.\n',
                   {SERVICE: "s\nparse\n", UTIL: "u\n"}),
        FakeCommit(ANA, at(10), "fix null handling in service\n", {SERVICE: "s\nparse\nnull\n", TEST: "t\nnull\n"}),
        FakeCommit(ANA, at(5), "Bump replicas\n", {DEPLOY: "r: 2\n"}),
        FakeCommit(ANA, at(3), "Raise memory limit\n\nReviewed-by: Ben <ben@example.com>\n", {DEPLOY: "r: 2\nm: 1\n"}),
        FakeCommit(ANA, at(2), "Set CPU request\n", {DEPLOY: "r: 2\nm: 1\nc: 1\n"}),  # PR #9, approved
        FakeCommit(ANA, at(1), "Tune probes\n", {DEPLOY: "r: 2\nm: 1\nc: 1\np: 1\n"}),  # PR #10, changes requested
    ]


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def github(root: Path, prs: dict[int, tuple[str, str, int]]) -> Path:
    """Recorded GitHub JSON for PRs: number -> (its one commit, review state, review submitted at)."""
    base = root / "repos" / "acme" / "app"
    pulls = []
    for n, (sha, state, when) in prs.items():
        user = {"login": "ana", "id": 1, "type": "User"}
        pulls.append({"number": n, "state": "closed", "title": f"PR {n}", "user": user, "body": "",
                      "created_at": iso(when - 3600), "updated_at": iso(when), "closed_at": iso(when),
                      "merged_at": iso(when), "merge_commit_sha": None,
                      "head": {"ref": f"b{n}"}, "base": {"ref": "main"}})
        (base / "pulls" / str(n)).mkdir(parents=True)
        (base / "pulls" / str(n) / "commits.json").write_text(json.dumps([{"sha": sha, "commit": {"message": ""}}]))
        (base / "pulls" / str(n) / "reviews.json").write_text(json.dumps([{
            "id": n * 10, "user": {"login": "ben", "id": 2, "type": "User"}, "body": "", "state": state,
            "submitted_at": iso(when - 600), "commit_id": sha}]))
    (base / "pulls.json").write_text(json.dumps(pulls))
    return root


@pytest.fixture
def world(store: Store, tmp_path: Path) -> tuple[Store, dict[str, str]]:
    cause = rev(build_repo(tmp_path / "first", commits()[:5]))  # same stream, same ids
    repo = build_repo(tmp_path / "repo", commits(cause))
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    hashes = {"cause": cause, "revert": rev(repo, "HEAD~5"), "fix": rev(repo, "HEAD~4"), "bump": rev(repo, "HEAD~3"),
              "cpu": rev(repo, "HEAD~1"), "probes": rev(repo, "HEAD"), "crash": rev(repo, "HEAD~9")}
    assert hashes["cause"] == rev(repo, "HEAD~6")
    ingest_github_files(store, [github(tmp_path / "gh", {9: (hashes["cpu"], "APPROVED", at(2) + 7200),
                                                          10: (hashes["probes"], "CHANGES_REQUESTED", at(1) + 7200)})],
                        config=CONFIG)
    (tmp_path / "pm").mkdir()
    started = at(25)
    (tmp_path / "pm" / "inc-7.md").write_text(f"""\
---
key: INC-7
severity: SEV2
repo: acme/app
started: {iso(started)}
caused_by:
  commits: [{cause[:10]}]
---
# Cached service answers went stale
""", encoding="utf-8")
    ingest_incident_files(store, [tmp_path / "pm" / "inc-7.md"], config=CONFIG)
    return store, hashes


def by_name(r: risk.Risk) -> dict[str, risk_signals.Signal]:
    return {s.name: s for s in r.signals}


def test_file_signals_worked_by_hand(world: tuple[Store, dict[str, str]]) -> None:
    store, h = world
    with store.read() as db:
        r = risk.ask_file(db, SERVICE, now=now(), config=CONFIG).total
    assert r is not None
    s = by_name(r)
    # reverts: the revert of the window changed the file, naming what it reverts
    assert s["reverts"].value == 1 and s["reverts"].points == 100
    assert s["reverts"].sentence == f"reverted once in the last 90 days ({h['revert'][:7]} reverts {h['cause'][:7]})"
    # incidents: INC-7 started 25 days ago, its cause landed 30 days ago: 5 days of dormancy
    assert s["incidents"].value == 1 and s["incidents"].points == 500
    assert s["incidents"].sentence == f"caused INC-7 (SEV2) 5 days after it landed (cause {h['cause'][:7]})"
    # recent fixes: two fixes, 400 and 10 days old, at a 365-day half-life
    faded = 2 ** (-400 / 365) + 2 ** (-10 / 365)
    assert s["recent_fixes"].value == pytest.approx(faded, abs=1e-4)
    assert s["recent_fixes"].points == pytest.approx(100 * faded, abs=0.01)
    assert [(e.ref, e.found_by) for e in s["recent_fixes"].evidence] == [
        (h["fix"][:7], f"worth {2 ** (-10 / 365):.2f}"), (h["crash"][:7], f"worth {2 ** (-400 / 365):.2f}")]
    assert s["recent_fixes"].sentence == (
        f"2 bug fixes in its history, worth {faded:.2f} at a 365-day half-life (newest 10 days ago)")
    # test co-change: 3 changes in the window, the test changed with one of them
    assert s["untested_changes"].value == 2 and s["untested_changes"].points == 10
    assert "2 of its 3 changes left its test unchanged (test co-change ratio 33%)" in s["untested_changes"].sentence
    # coupling over the window's commits: service 3 revs, util 2 revs, 2 shared -> 100*2/2.5 = 80
    assert s["coupling"].value == 80 and s["coupling"].sentence.startswith(f"changes together with {UTIL} (degree 80")
    # not an infrastructure file
    assert s["unreviewed_infra"].value == 0
    expected = 100 + 500 + round(100 * faded, 2) + 10 + 80
    assert r.total == pytest.approx(r.score.total + expected, abs=0.01)
    # the article's score stays as it was: its four terms only
    assert [name for name, _ in r.score.terms] == ["churn", "bug_fixes", "contributors", "commits"]
    assert r.signal_text.startswith("caused INC-7 (SEV2)")  # strongest first


def test_infra_changed_without_review(world: tuple[Store, dict[str, str]]) -> None:
    store, h = world
    with store.read() as db:
        r = risk.ask_file(db, DEPLOY, now=now(), config=CONFIG).total
    assert r is not None
    s = by_name(r)
    # four changes in the window: 'Bump replicas' with no review, 'Raise memory limit' with a Reviewed-by
    # trailer, 'Set CPU request' in PR #9 (APPROVED), 'Tune probes' in PR #10 (CHANGES_REQUESTED only)
    assert s["unreviewed_infra"].value == 2 and s["unreviewed_infra"].points == 200
    assert s["unreviewed_infra"].sentence == (
        "an infrastructure/configuration file changed twice in the last 90 days without an approving review"
        f" ({h['probes'][:7]}, {h['bump'][:7]})")
    assert [e.ref for e in s["unreviewed_infra"].evidence] == [h["probes"][:7], h["bump"][:7]]


def test_top_ranks_files_by_article_plus_signals(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    with store.read() as db:
        top = risk.ask_top(db, now=now(), config=CONFIG, limit=10)
    totals = {f.name: f.total for f in top.files}
    assert list(totals) == sorted(totals, key=lambda p: (-totals[p], p))
    # old.py did not change in the window; its one fix (as legacy.py, 200 days ago) follows the rename
    assert totals[OLD] == pytest.approx(100 * 2 ** (-200 / 365), abs=0.01)
    assert "src/app/legacy.py" not in totals
    old = next(f for f in top.files if f.name == OLD)
    assert old.score.total == 0 and old.commits == 0
    for f in top.files:
        assert f.total == pytest.approx(f.score.total + sum(s.points for s in f.signals), abs=0.02)
    # the test file is ranked apart, as before
    assert TEST not in totals and TEST in {f.name for f in top.tests}


def test_weights_zero_rank_by_the_article_alone(world: tuple[Store, dict[str, str]]) -> None:
    store, _ = world
    zero = dataclasses.replace(CONFIG, risk=RiskWeights(recent_fix=0.0))
    with store.read() as db:
        top = risk.ask_top(db, now=now(), config=zero, limit=10)
        comp = risk.ask_component(db, "app", now=now(), config=zero, limit=10)
    assert all(f.total == f.score.total for f in top.files)
    assert OLD not in {f.name for f in top.files}  # no change in the window, no weighted signal
    # the signals are still measured and said, at weight 0
    service = next(f for f in comp.files if f.name == SERVICE)
    assert by_name(service)["reverts"].value == 1 and by_name(service)["reverts"].points == 0
    assert "(weight 0: not counted)" in service.signal_text


def test_component_json_carries_value_weight_and_evidence(world: tuple[Store, dict[str, str]]) -> None:
    from teammemory.outputs.render import to_json
    from teammemory.outputs.render_risk import render_risk

    store, h = world
    with store.read() as db:
        report = risk.ask_component(db, "app", now=now(), config=CONFIG, limit=5)
    doc = json.loads(to_json("component-risk", now(), report))
    service = next(f for f in doc["result"]["files"] if f["name"] == SERVICE)
    sig = {s["name"]: s for s in service["signals"]}
    assert set(sig) == set(risk_signals.SIGNALS)
    assert sig["reverts"]["weight"] == 100 and sig["reverts"]["value"] == 1
    assert sig["reverts"]["evidence"][0]["ref"] == h["revert"][:7]
    assert sig["incidents"]["evidence"][0]["ref"] == "INC-7"
    from rich.console import Console
    console = Console(width=200, record=True)
    console.print(render_risk(report))
    text = console.export_text()
    assert "signals: caused INC-7 (SEV2) 5 days after it landed" in text


def test_pure_rules() -> None:
    w = RiskWeights(revert=10.0)
    c = [WindowCommit("r@" + "a" * 40, 5, 'Revert "x"', True, "subject:x"),
         WindowCommit("r@" + "b" * 40, 9, "Revert y", True, "c" * 40),
         WindowCommit("r@" + "d" * 40, 1, "Revert z", True, "")]
    sigs = risk_signals.signals("a.py", days=30, now=10, w=w, commits=c, fixes=(), test_path=None,
                                test_refs=(), is_test=False, caused=(), coupled=None)
    rev_ = sigs[0]
    assert rev_.value == 3 and rev_.points == 30
    assert rev_.sentence == ('reverted 3 times in the last 30 days (bbbbbbb reverts ccccccc, aaaaaaa reverts "x",'
                             " ddddddd reverts an unknown commit)")
    # coupling ties: higher degree, then more shared, then partner path; big change sets ignored
    sets = [{"a", "b"}, {"a", "b"}, {"a", "c"}, {"a", "c"}, {"a", "b", "c", "d"}]
    best = risk_signals.couplings(sets, max_changeset=3, min_shared=2)
    assert best["a"] == (100 * 2 / ((4 + 2) / 2), "b", 2, 4, 2)  # b and c tie: 'b' first
    assert "d" not in best
    assert risk_signals.is_infra("deploy/k8s/app.yaml", RiskWeights().infra_patterns)
    assert risk_signals.is_infra(".github/workflows/ci.yml", RiskWeights().infra_patterns)
    assert risk_signals.is_infra("infra/main.tf", RiskWeights().infra_patterns)
    assert risk_signals.is_infra("Dockerfile", RiskWeights().infra_patterns)
    assert not risk_signals.is_infra("src/app/service.py", RiskWeights().infra_patterns)


def test_revert_named_by_subject_links_to_the_latest_commit_of_that_subject(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "r", [
        FakeCommit(ANA, at(60), "init\n", {"a.py": "1\n"}),
        FakeCommit(ANA, at(50), "Tune cache\n", {"a.py": "2\n"}),
        FakeCommit(ANA, at(40), "Tune cache\n", {"a.py": "3\n"}),
        FakeCommit(BEN, at(30), 'Revert "Tune cache"\n', {"a.py": "2\n"}),
        FakeCommit(ANA, at(20), "Tune cache\n", {"a.py": "4\n"}),  # later than the revert: not it
    ])
    ingest_git(store, repo, config=Config(), name="r")
    with store.read() as db:
        r = risk.ask_file(db, "a.py", now=now(), config=Config()).total
    assert r is not None
    s = by_name(r)["reverts"]
    revert, reverted = rev(repo, "HEAD~1")[:7], rev(repo, "HEAD~2")[:7]
    assert s.sentence == f"reverted once in the last 90 days ({revert} reverts {reverted})"
    assert s.points == 0 and s.weight == 0  # the default weight

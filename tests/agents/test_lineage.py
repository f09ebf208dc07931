"""The replay kept at ingest (store/lineage.py, migration 0011) answers bus-factor and coupling
exactly as replaying the history does (agents/file_history.py), on SQLite and PostgreSQL: on a
history with renames (one renamed twice, one renamed into another component, a name renamed
away and added again), a deleted file, a commit carrying two accounts of one person, a bot, a
change set over the size limit, PRs and issues; after an incremental ingest, after a rewritten
history, and after the component rules changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from teammemory import derive
from teammemory.agents import bus_factor, coupling, lineage
from teammemory.agents.evidence import DAY, epoch
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.model import Issue, PrFile, PullRequest
from teammemory.store import Store
from tests.conftest import NOW
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

NOW_TS = epoch(NOW)
ANA, BEN, CY = "Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>", "Cy Park <cy@example.com>"
ANA_WORK = "Ana Lima <ana.lima@corp.example>"  # Ana's second account (same name: one person)
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
CONFIG = Config(component_rules=(("src/**", "core"), ("lib/**", "lib")), coupling_max_changeset=4,
                coupling_min_shared=1)
A, B, C, D, E, F = (f"src/{n}.py" for n in "abcdef")
GONE, B2, LIB_C, A2 = "src/gone.py", "src/b2.py", "lib/c.py", "src/a2.py"


def T(days: int) -> int:
    return NOW_TS - days * DAY


def _v(path: str, n: int) -> str:
    return f"{path} version {n}\n"


HISTORY = [
    FakeCommit(ANA, T(100), "PROJ-1 add core", {A: _v(A, 0), B: _v(B, 0), C: _v(C, 0)}),
    FakeCommit(ANA, T(95), f"PROJ-1 pair on a and b\n\nCo-authored-by: {ANA_WORK}", {A: _v(A, 1), B: _v(B, 1)}),
    FakeCommit(BEN, T(90), "rename b", {A: _v(A, 2)}, renames={B: B2}),
    FakeCommit(BEN, T(85), "PROJ-2 add gone", {GONE: _v(GONE, 0), A: _v(A, 3)}),
    FakeCommit(CY, T(80), "PROJ-2 drop gone", {GONE: None, C: _v(C, 4)}),
    FakeCommit(ANA, T(75), "reformat everything", {A: _v(A, 5), B2: _v(B2, 5), C: _v(C, 5), D: _v(D, 5),
                                                   E: _v(E, 5)}),
    FakeCommit(BEN, T(70), "move c to lib", {A: _v(A, 6)}, renames={C: LIB_C}),
    FakeCommit(BOT, T(65), "bump", {A: _v(A, 7)}),
    FakeCommit(CY, T(60), "PROJ-3 a and b2", {A: _v(A, 8), B2: _v(B2, 8)}),
    FakeCommit(BEN, T(55), "a moves, a new a", {A: _v(A, 9) + "new\n", D: _v(D, 9)}, renames={A: A2}),
    FakeCommit(ANA, T(50), "PROJ-3 touch a2, d, lib c", {A2: _v(A2, 10), D: _v(D, 10), LIB_C: _v(LIB_C, 10)}),
    FakeCommit(CY, T(45), "b2 again", {B2: _v(B2, 11), F: _v(F, 11)}),
    FakeCommit(BEN, T(40), "PROJ-1 a2 and f", {A2: _v(A2, 12), F: _v(F, 12), A: _v(A, 12)}),
]


def _ingest(store: Store, tmp: Path, commits: list[FakeCommit], name: str = "repo", config: Config = CONFIG) -> Path:
    path = build_repo(tmp / name, commits)
    ingest_git(store, path, config=config, name="app")
    return path


def _github(store: Store, path: Path, n: int, config: Config = CONFIG) -> None:
    hashes = {i: rev(path, f"HEAD~{n - 1 - i}") for i in range(n)}
    prs = [PullRequest("acme/app", 7, "PROJ-3 b2 work", state="merged", created_at=T(61), merged_at=T(44),
                       files=(PrFile(B2, 1, 1), PrFile(A, 1, 1)), commits=(hashes[8], hashes[11]))]
    with store.write() as db:
        from teammemory.store.write import write_issue, write_pull_request

        for pr in prs:
            write_pull_request(db, pr)
        for key in ("PROJ-1", "PROJ-2", "PROJ-3"):
            write_issue(db, Issue(key, f"issue {key}", issue_type="Story", created_at=T(100)))
        derive.refresh(db, config)


def _answers(store: Store, config: Config = CONFIG, component: str = "core") -> list[object]:
    with store.read() as db:
        return [bus_factor.ask(db, now=NOW, config=config), bus_factor.ask(db, component, now=NOW, config=config),
                bus_factor.ask(db, now=NOW, config=config, limit=2),
                *(coupling.ask(db, p, now=NOW, config=config) for p in (A, A2, B2, D, F, LIB_C, GONE, B)),
                coupling.ask(db, A2, now=NOW, config=dataclasses.replace(config, coupling_max_changeset=30))]


def _replayed(store: Store, monkeypatch: pytest.MonkeyPatch, config: Config = CONFIG,
              component: str = "core") -> list[object]:
    with monkeypatch.context() as m:
        m.setattr(lineage, "usable", lambda *_: False)
        return _answers(store, config, component)


def _kept(store: Store) -> bool:
    with store.read() as db:
        return lineage.usable(db, NOW_TS, None) and lineage.sets_usable(db, NOW_TS)


def test_the_kept_replay_answers_as_the_replay(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _ingest(store, tmp_path, HISTORY)
    _github(store, path, len(HISTORY))
    with store.read() as db:  # the history has what the test is about
        accounts = db.all("select p.person_key from commit_people cp join persons p on p.account_key = cp.identity_key"
                          " where cp.role in ('author', 'co-author') and cp.hash = :h", h=rev(path, "HEAD~11"))
        assert len(accounts) == 2 and len({a["person_key"] for a in accounts}) == 1  # two accounts, one person
        assert db.scalar("select count(*) from lineage_set_sizes where level = 'issue'") == 3
    assert _kept(store)
    kept = _answers(store)
    assert kept == _replayed(store, monkeypatch)
    top = kept[3]
    assert isinstance(top, coupling.Coupling)
    assert [lv.ignored for lv in top.levels][0] == 1  # the reformat (5 files) is over the limit of 4
    assert all(lv.coupled for lv in top.levels)


def test_an_incremental_ingest_extends_the_replay(store: Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _ingest(store, tmp_path, HISTORY[:6], "first")
    query = "select hash, root from file_lineage where repo = 'app'"
    with store.read() as db:
        before = {(r["hash"], r["root"]) for r in db.all(query)}
    path = _ingest(store, tmp_path, HISTORY, "whole")  # same first six commits (same hashes), then more
    with store.read() as db:
        after = {(r["hash"], r["root"]) for r in db.all(query)}
    assert before < after  # extended: the first commits' rows stayed as they were
    _github(store, path, len(HISTORY))
    assert _kept(store)
    assert _answers(store) == _replayed(store, monkeypatch)


def test_a_rewritten_history_replays_again(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _ingest(store, tmp_path, HISTORY, "whole")
    other = HISTORY[:9] + [dataclasses.replace(HISTORY[9], message="a moves (amended)"), *HISTORY[10:]]
    path = _ingest(store, tmp_path, other, "rewritten")
    _github(store, path, len(other))
    assert _kept(store)
    assert _answers(store) == _replayed(store, monkeypatch)


def test_new_component_rules_restate_the_scopes(store: Store, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = _ingest(store, tmp_path, HISTORY)
    _github(store, path, len(HISTORY))
    rules = Config(component_rules=(("src/a*", "alpha"), ("**", "rest")), coupling_max_changeset=4,
                   coupling_min_shared=1)
    with store.write() as db:
        derive.refresh(db, rules)
    assert _kept(store)
    assert _answers(store, rules, "alpha") == _replayed(store, monkeypatch, rules, "alpha")


def test_a_first_replay_writes_the_scopes_its_statements_would(store: Store, tmp_path: Path) -> None:
    """A replay from the first commit writes lineage_scopes (and their counts) from the replay
    itself; the statements that restate scopes after later ingests must find the same rows."""
    from teammemory.store import lineage as kept

    _ingest(store, tmp_path, HISTORY)
    query = {"lineage_scopes": "select repo, scope, keyset, hash from lineage_scopes",
             "lineage_scope_counts": "select repo, scope, keyset, commits from lineage_scope_counts"}

    def rows() -> dict[str, list[tuple[object, ...]]]:
        with store.read() as db:
            return {t: sorted(tuple(r.values()) for r in db.all(q)) for t, q in query.items()}

    replayed = rows()
    with store.write() as db:
        kept._restate_scopes(db, "app", set(), set(), full=True)  # no rows given: the statements
    assert rows() == replayed
    by_scope = {scope for _, scope, _, _ in replayed["lineage_scopes"]}
    assert by_scope == {"", "core", "lib"}
    # the commit that dropped src/gone.py and changed src/c.py (lib/c.py now) counts for the
    # repository and for lib only: a scope follows each file's path now, a deleted file has none
    dropped = rev(tmp_path / "repo", "HEAD~8")
    assert sorted(str(scope) for _, scope, _, h in replayed["lineage_scopes"] if h == dropped) == ["", "lib"]


def test_an_earlier_now_replays(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, HISTORY)
    with store.read() as db:
        assert lineage.usable(db, NOW_TS, None)
        assert not lineage.usable(db, T(41), None)  # before the newest commit: the kept replay is too new
        early = bus_factor.ask(db, now=datetime.fromtimestamp(T(70), NOW.tzinfo), config=CONFIG)
    assert early.scopes[0].files == 5  # a, b2, c (not yet moved), d, e


SET_TABLES = ("lineage_sets", "lineage_set_sizes", "lineage_revisions", "lineage_state")


def _set_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.read() as db:
        return {t: sorted(tuple(r.values()) for r in db.all(f"select * from {t}")) for t in SET_TABLES}


def test_new_commits_update_only_their_change_sets_as_a_rebuild_would(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from teammemory.store import lineage_sets

    whole = build_repo(tmp_path / "hashes", HISTORY)  # the same commits, so the same hashes, as ingested below
    _ingest(store, tmp_path, HISTORY[:9], "first")
    _github(store, whole, len(HISTORY))  # PR 7 lists commit 8 (stored) and 11 (not yet), and files a and b2
    _ingest(store, tmp_path, HISTORY[:9], "again")  # PROJ is a known project now: the links were derived again
    calls: list[str] = []

    def spy(name: str) -> Callable[..., None]:
        real = getattr(lineage_sets, name)

        def called(*args: object) -> None:
            calls.append(name)
            real(*args)

        return called

    with monkeypatch.context() as m:
        m.setattr(lineage_sets, "rebuild", spy("rebuild"))
        m.setattr(lineage_sets, "update", spy("update"))
        _ingest(store, tmp_path, HISTORY, "whole")  # 4 more: PR 7's commit 11, PROJ-1 and PROJ-3, a renamed to a2
    assert calls == ["update"]
    kept = _set_rows(store)
    assert {r[2] for r in kept["lineage_sets"] if r[1] == "pr"} == {"acme/app#7"}
    with store.write() as db:  # the same rows built from scratch
        db.execute("update lineage_state set sets = ''")
        derive.refresh(db, CONFIG)
    assert _set_rows(store) == kept
    assert _kept(store)
    assert _answers(store) == _replayed(store, monkeypatch)

"""The CLI end to end on the demo, on SQLite and PostgreSQL, as a user would run it."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.store import Store

NOW = "2026-11-20T12:00:00Z"
QUESTIONS = [
    ["issue-context", "PROJ-1247"], ["pr-context", "382"], ["file-context", "src/auth/token_service.py"],
    ["file-experts", "src/auth/token_service.py"], ["component-experts", "auth"],
    ["file-risk", "src/auth/token_service.py"], ["component-risk", "auth"], ["risky-files"],
    ["review-suggest", "382"], ["onboarding", "auth"], ["hygiene"],
]


def tm(db: str, *args: str, config: Path | None = None, env: dict[str, str] | None = None) -> Any:
    extra = ["--config", str(config)] if config else []
    return CliRunner().invoke(app, ["--db", db, *extra, *args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, demo_dir: Path) -> Iterator[tuple[str, Path]]:
    """(store URL, demo config) with the demo loaded by `teammemory seed`."""
    if request.param == "sqlite":
        url = str(demo_dir / "demo.db")
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    result = tm(url, "seed", "--dir", str(demo_dir / "files"))
    assert result.exit_code == 0, result.output
    yield url, demo_dir / "files" / "teammemory.toml"


def ask(seeded: tuple[str, Path], *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    url, config = seeded
    result = tm(url, *args, "--now", NOW, "--json", config=config, env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_every_question_answers_in_text_and_json(seeded: tuple[str, Path], question: list[str]) -> None:
    url, config = seeded
    text = tm(url, *question, "--now", NOW, config=config)
    assert text.exit_code == 0, text.output
    assert text.output.strip()
    doc = ask(seeded, *question)
    assert doc["question"] == question[0] and doc["now"] == "2026-11-20T12:00:00+00:00"


def test_issue_context_tells_the_story(seeded: tuple[str, Path]) -> None:
    url, config = seeded
    out = tm(url, "issue-context", "PROJ-1247", "--now", NOW, config=config).output
    assert "PROJ-1247: Token refresh race condition" in out
    assert "Status: In Progress | Priority: High | Component: auth" in out
    assert "#382 Fix token refresh race condition (merged)" in out
    for path in ("src/auth/token_service.py", "src/auth/session_manager.py", "tests/auth/test_token_refresh.py"):
        assert path in out
    people = out.split("People in context:")[1]
    assert people.index("Mehmet Turac (author)") < people.index("Ayşe Demir (author)") < \
        people.index("Burak Kaya (reviewer)")


def _recompute_expertise(score: dict[str, Any]) -> float:
    i = score["inputs"]
    bonus = 20 * max(0.0, 1 - i["days_since_last_activity"] / 180)
    return round(i["commits"] * 10 + i["reviews"] * 8 + i["comments"] * 2 + i["churn"] / 20 + bonus, 2)


def test_expert_scores_equal_the_formula_on_their_own_evidence(seeded: tuple[str, Path]) -> None:
    article = {"TEAMMEMORY_EXPERTISE_SCORING": "article"}  # the article's formula, from its inputs alone
    for args in (["file-experts", "src/auth/token_service.py"], ["component-experts", "payment"]):
        experts = ask(seeded, *args, env=article)["result"]["experts"]
        assert experts, args
        for e in experts:
            assert e["score"]["total"] == _recompute_expertise(e["score"]), e["person"]
            assert e["summary"].startswith(f"commits: {e['commits']}, reviews: {e['reviews']}")
        totals = [e["score"]["total"] for e in experts]
        assert totals == sorted(totals, reverse=True)


def test_fading_expert_scores_are_their_terms_and_never_exceed_the_unfaded_work(seeded: tuple[str, Path]) -> None:
    # fading (the default): each contribution weighs mass*(kind weight + log2(1 + lines))*2^(-age/h)
    # with mass <= 1 and 2^(-age/h) <= 1, so each term is at most its unfaded maximum
    experts = ask(seeded, "file-experts", "src/auth/token_service.py")["result"]["experts"]
    assert experts
    for e in experts:
        score, i = e["score"], e["score"]["inputs"]
        assert score["total"] == round(sum(score["terms"].values()), 2), e["person"]
        assert 0 < score["terms"]["commits"] <= i["commits"] * (10 + math.log2(1 + i["churn"])) or i["commits"] == 0
        assert score["terms"]["reviews"] <= i["reviews"] * 8 and score["terms"]["comments"] <= i["comments"] * 2


def test_risk_scores_equal_the_formula(seeded: tuple[str, Path]) -> None:
    report = ask(seeded, "component-risk", "auth")["result"]
    for entry in [report["total"], *report["files"]]:
        i = entry["score"]["inputs"]
        expected = i["churn"] + i["bug_fixes"] * 100 + i["contributors"] * 25 + i["commits"] * 5
        assert entry["score"]["total"] == expected
        assert f"changed {entry['commits']} times" in entry["explanation"] or entry["commits"] == 1


def test_review_suggestions_never_name_the_author_or_a_bot(seeded: tuple[str, Path]) -> None:
    result = ask(seeded, "review-suggest", "382")["result"]
    names = [c["person"]["key"] for c in result["candidates"]]
    assert names and result["author"]["key"] not in names
    assert not any("bot" in n for n in names)


def test_sqlite_and_postgres_give_the_same_answers(request: pytest.FixtureRequest, demo_dir: Path) -> None:
    if request.config.getoption("-m") == "not postgres":
        pytest.skip("PostgreSQL deselected")
    pg = request.getfixturevalue("pg_cluster").create_database()
    sqlite = str(demo_dir / "same.db")
    config = demo_dir / "files" / "teammemory.toml"
    for url in (sqlite, pg):
        assert tm(url, "seed", "--dir", str(demo_dir / "files")).exit_code == 0
    for question in QUESTIONS:
        a = tm(sqlite, *question, "--now", NOW, "--json", config=config).output
        b = tm(pg, *question, "--now", NOW, "--json", config=config).output
        assert a == b, question


@pytest.mark.parametrize(("args", "message"), [
    (["issue-context", "PROJ-124"], "issue 'PROJ-124' not found. Did you mean: PROJ-1247"),
    (["pr-context", "9999"], "not found"),
    (["file-experts", "token_service.py"], "Did you mean: src/auth/token_service.py"),
    (["component-risk", "auht"], "Did you mean: auth"),
    (["onboarding", "nothing-like-it"], "not found"),
    (["file-experts", "src/auth/token_service.py", "--now", "yesterday"], "--now: not an ISO 8601 time"),
    (["risky-files", "--days", "800000"], "--days: 800000 is out of range: 1 to 36500 days"),
    (["pr-context", str(10**29)], "NUMBER: 100000000000000000000000000000 is out of range: 1 to 2147483647"),
])
def test_bad_input_exits_2_with_a_clear_message(seeded: tuple[str, Path], args: list[str], message: str) -> None:
    url, config = seeded
    result = tm(url, *args, config=config)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_store_says_what_to_run(tmp_path: Path) -> None:
    result = tm(str(tmp_path / "none.db"), "hygiene")
    assert result.exit_code == 2  # the --db argument names nothing (errors.NoStore)
    assert "teammemory init-db" in result.output


def test_newer_store_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    assert tm(db, "init-db").exit_code == 0
    with Store.open(db).write() as w:
        w.execute("insert into schema_migrations (version, name, applied_at) values (99, 'future', 0)")
    result = tm(db, "hygiene")
    assert result.exit_code == 1 and "upgrade TeamMemory" in result.output


def test_init_db_reset_empties_the_store(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    assert "applied: 0001_initial" in tm(db, "init-db").output
    assert "already current" in tm(db, "init-db").output
    with Store.open(db).write() as w:
        w.execute("insert into developers (key, name) values ('x', 'X')")
    assert tm(db, "init-db", "--reset").exit_code == 0
    with Store.open(db).read() as r:
        assert r.scalar("select count(*) as n from developers") == 0

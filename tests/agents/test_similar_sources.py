"""`similar` over incidents, keys only commits name, and configured error signatures, on a real
repository and real postmortem files, on SQLite and PostgreSQL.

The history (T0 = the incident's start; components by the rules in CONFIG):

  c0  T0-40d  init: src/auth/token.py, src/pay/card.py, src/core/x.py
  c1  T0-9d   "cache tokens" (token.py)                    INC-1's cause (the postmortem names it)
  c2  T0+5h   "INC-1 lock the token cache" (token.py)      INC-1's fix (it names the key)
  c3  T0+20d  "LEGACY-7 token cache race condition again" (token.py, x.py)   LEGACY-7: no issue
  c4  T0+21d  "LEGACY-7 lock refresh" (token.py)
  c5  T0+22d  "payments retry" (card.py)

Expected BM25 values are worked out here from the formula over the documents' texts.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from teammemory import config as config_module
from teammemory.agents import similar, similar_signatures, text_search
from teammemory.config import Config
from teammemory.errors import InputError, NotFound
from teammemory.ingest.git import ingest_git
from teammemory.ingest.incidents import ingest_incident_files, write_incidents
from teammemory.model import Issue
from teammemory.outputs.cli import app
from teammemory.outputs.render_similar import render_similar
from teammemory.sources.incidents import Incident
from teammemory.store import Store, fulltext, migrate, text_index
from teammemory.store.write import write_issue
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

CONFIG = Config(component_rules=(("src/auth/**", "auth"), ("src/pay/**", "payment"), ("src/core/**", "core")))
DAY = 86400
T0 = 1777629600  # 2026-05-01T10:00:00Z
NOW = datetime.fromtimestamp(T0 + 30 * DAY, UTC)
ANA = "Ana <ana@example.com>"
TOKEN, CARD, X = "src/auth/token.py", "src/pay/card.py", "src/core/x.py"
MESSAGES = ["init\n", "cache tokens\n", "INC-1 lock the token cache\n", "LEGACY-7 token cache race condition again\n",
            "LEGACY-7 lock refresh\n", "payments retry\n"]
INC1 = ("Token cache served stale tokens",  # title, summary, trigger, root cause, lessons: the document's text
        "A race condition in the token cache served stale tokens to the API.",
        "A deploy doubled the refresh rate.",
        "The cache refresh was not locked.",
        "Lock every shared cache.")


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def postmortem(cause: str) -> str:
    title, summary, trigger, root, lesson = INC1
    return f"""\
---
key: INC-1
severity: SEV2
repo: acme/app
started: {iso(T0)}
detected: {iso(T0 + 1200)}
resolved: {iso(T0 + 6 * 3600)}
caused_by:
  commits: [{cause[:8]}]
---
# {title}

## Summary
{summary}

## Trigger
{trigger}

## Root cause
{root}

## Lessons
- {lesson}
"""


def build(store: Store, tmp: Path, incidents_first: bool = False) -> dict[int, str]:
    files: list[dict[str, str | None]] = [{TOKEN: "t\n", CARD: "c\n", X: "x\n"}, {TOKEN: "t\n1\n"}, {TOKEN: "t\n2\n"},
                                          {TOKEN: "t\n3\n", X: "x\n3\n"}, {TOKEN: "t\n4\n"}, {CARD: "c\n5\n"}]
    times = [T0 - 40 * DAY, T0 - 9 * DAY, T0 + 5 * 3600, T0 + 20 * DAY, T0 + 21 * DAY, T0 + 22 * DAY]
    repo = build_repo(tmp / "repo", [FakeCommit(ANA, t, m, f) for t, m, f in zip(times, MESSAGES, files, strict=True)])
    hashes = {i: rev(repo, f"HEAD~{5 - i}") for i in range(6)}
    (tmp / "pm").mkdir()
    (tmp / "pm" / "inc-1.md").write_text(postmortem(hashes[1]), encoding="utf-8")
    steps = [lambda: ingest_git(store, repo, config=CONFIG, name="acme/app"),
             lambda: ingest_incident_files(store, [tmp / "pm"], config=CONFIG)]
    for step in reversed(steps) if incidents_first else steps:
        step()
    return hashes


def bm25(tf: int, df: int, n: int, length: int, avgdl: float) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / avgdl))


def by_hand(query: str, docs: dict[str, str], ref: str) -> float:
    """BM25 of `ref` among `docs` (ref -> text) for `query`, from the terms of each text."""
    terms = {r: fulltext.terms(t) for r, t in docs.items()}
    n, avgdl = len(terms), sum(map(len, terms.values())) / len(terms)
    words = set(fulltext.terms(query))
    return sum(bm25(terms[ref].count(w), sum(w in t for t in terms.values()), n, len(terms[ref]), avgdl)
               for w in sorted(words) if w in terms[ref])


def test_an_incident_is_a_document_of_the_index(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)
    with store.read() as db:
        row = db.all("select kind, ref, title, at, length, terms from text_docs where kind = 'incident'")
    expected = fulltext.terms("\n".join(INC1))  # title, summary, trigger, root cause, lessons
    assert row == [{"kind": "incident", "ref": "INC-1", "title": INC1[0], "at": T0, "length": len(expected),
                    "terms": " ".join(expected)}]


def test_a_key_only_commits_name_finds_the_incident_by_text_and_files(store: Store, tmp_path: Path) -> None:
    h = build(store, tmp_path)
    with store.read() as db:
        got = similar.ask(db, "LEGACY-7", now=NOW, config=CONFIG)
    s = got.subject
    assert (s.kind, s.ref, s.title) == ("key", "LEGACY-7", "LEGACY-7 token cache race condition again")
    assert s.files == (TOKEN, X) and s.components == ("auth", "core")
    assert s.basis == (f"LEGACY-7 is not an ingested issue: the text and files of the 2 commits that name it"
                       f" (acme/app@{h[3][:7]}, acme/app@{h[4][:7]})")
    refs = [h_.ref for h_ in got.hits]
    assert f"acme/app@{h[3]}" not in refs and f"acme/app@{h[4]}" not in refs  # its own commits
    # As of NOW the index holds c0..c5 (c3, c4 are the subject's: still in N and avgdl) and INC-1.
    docs = {f"c{i}": m for i, m in enumerate(MESSAGES)} | {"INC-1": "\n".join(INC1)}
    query = MESSAGES[3] + MESSAGES[4]
    inc = next(x for x in got.hits if x.kind == "incident")
    assert inc.ref == "INC-1" and inc.shared_files == (TOKEN,) and inc.shared_components == ("auth",)
    assert dict(inc.score.terms)["bm25"] == round(by_hand(query, docs, "INC-1"), 4)
    assert inc.score.total == round(by_hand(query, docs, "INC-1") + 1.0 + 0.5, 2)
    assert set(inc.matched_terms) == {"token", "cache", "race", "condition", "lock", "refresh"}
    assert inc.signatures == ("race condition",)
    fix = next(x for x in got.hits if x.ref == f"acme/app@{h[2]}")  # "INC-1 lock the token cache"
    assert fix.score.total == round(by_hand(query, docs, "c2") + 1.0 + 0.5, 2)
    assert [(c.name, c.documents, c.examples) for c in got.signatures] == [("race condition", 1, ("INC-1",))]


@pytest.mark.parametrize("subject", ["LEGACY-7", "INC-1"])
def test_the_order_of_ingests_changes_no_answer(sqlite_store: Store, store: Store, tmp_path: Path,
                                                subject: str) -> None:
    build(sqlite_store, tmp_path / "a")
    build(store, tmp_path / "b", incidents_first=True)
    with sqlite_store.read() as one, store.read() as other:
        first = similar.ask(one, subject, now=NOW, config=CONFIG)
        second = similar.ask(other, subject, now=NOW, config=CONFIG)
    assert first == second and first.hits


def test_an_incident_as_the_subject_leaves_out_its_causes_and_fixes(store: Store, tmp_path: Path) -> None:
    h = build(store, tmp_path)
    with store.read() as db:
        got = similar.ask(db, "INC-1", now=NOW, config=CONFIG)
        with pytest.raises(NotFound, match="issue 'INC-1' not found"):  # before it started it did not exist
            similar.ask(db, "INC-1", now=datetime.fromtimestamp(T0 - 1, UTC), config=CONFIG)
    assert (got.subject.kind, got.subject.title, got.subject.files) == ("incident", INC1[0], (TOKEN,))
    assert got.subject.text == "\n".join(INC1)
    refs = {x.ref for x in got.hits}
    assert {f"acme/app@{h[1]}", f"acme/app@{h[2]}", "INC-1"}.isdisjoint(refs)
    assert [x.ref for x in got.hits[:2]] == [f"acme/app@{h[3]}", f"acme/app@{h[4]}"]


def test_as_of_before_the_incident_it_is_no_candidate(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)
    with store.read() as db:
        got = similar.ask(db, None, text="token cache race condition", now=datetime.fromtimestamp(T0 - 1, UTC),
                          config=CONFIG)
        later = similar.ask(db, None, text="token cache race condition", now=NOW, config=CONFIG)
    assert all(x.kind != "incident" for x in got.hits) and got.signatures[0].documents == 0
    assert "INC-1" in {x.ref for x in later.hits}
    assert later.signatures[0].documents == 2 and later.signatures[0].by_kind == (("commit", 1), ("incident", 1))


def test_ingesting_in_two_steps_indexes_as_one_and_edits_reindex(store: Store, tmp_path: Path) -> None:
    h = build(store, tmp_path)
    with store.read() as db:
        first = db.all("select doc_id, kind, ref, terms from text_docs order by doc_id")
    ingest_incident_files(store, [tmp_path / "pm"], config=CONFIG)  # the same file again: nothing changes
    with store.read() as db:
        assert db.all("select doc_id, kind, ref, terms from text_docs order by doc_id") == first
    edited = postmortem(h[1]).replace("Lock every shared cache.", "Lock every shared cache; alert on staleness.")
    (tmp_path / "pm" / "inc-1.md").write_text(edited, encoding="utf-8")
    ingest_incident_files(store, [tmp_path / "pm"], config=CONFIG)
    with store.read() as db:
        doc = db.all("select doc_id, terms from text_docs where kind = 'incident'")
        assert fulltext.match(db, ["staleness"]) == {doc[0]["doc_id"]}
    old = next(d for d in first if d["kind"] == "incident")
    assert doc[0]["doc_id"] == old["doc_id"] and doc[0]["terms"].endswith("alert staleness")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_at_13(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A store migrated up to 0013, as a release before the incidents joined the text index left it."""
    url = str(tmp_path / "old.db") if request.param == "sqlite" else \
        request.getfixturevalue("pg_cluster").create_database()
    store = Store.open(url)
    with store.write() as db:
        db.execute("create table schema_migrations (version integer primary key, name text not null,"
                   " applied_at bigint not null)")
        for m in migrate.migrations(db.dialect):
            if m.version <= 13:
                for statement in migrate.split_statements(m.sql):
                    db.execute(statement)
                db.execute("insert into schema_migrations values (:v, :n, 0)", v=m.version, n=m.name)
    return store


def test_migration_14_indexes_the_incidents_a_store_holds(store_at_13: Store) -> None:
    incident = Incident("INC-5", "Disk full on the ledger", "SEV3", T0, None, None, None, summary="Disk filled up",
                        lessons=("Rotate logs",))
    with store_at_13.write() as db:
        write_incidents(db, [incident])
        write_issue(db, Issue("BK-1", "Ledger disk leak", issue_type="Bug", created_at=T0))  # never indexed
        assert db.scalar("select count(*) as n from text_docs") == 0
        assert 14 in [m.version for m in migrate.apply(db)]
    with store_at_13.read() as db:
        assert sorted(db.all("select kind, ref, terms from text_docs"), key=lambda r: r["ref"]) == [
            {"kind": "issue", "ref": "BK-1", "terms": "ledger disk leak"},
            {"kind": "incident", "ref": "INC-5", "terms": "disk full ledger disk filled up rotate logs"}]
        assert len(fulltext.match(db, ["rotate"])) == 1 and len(fulltext.match(db, ["disk"])) == 2


def test_text_index_refresh_of_one_kind_leaves_the_others(sqlite_store: Store) -> None:
    with sqlite_store.write() as db:
        db.execute("insert into issues (key, project, summary, description, issue_type, created_at)"
                   " values ('BK-1', 'BK', 'Ledger deadlock', '', 'Bug', 1)")
        assert text_index.refresh(db, ("incident",)) == {"incident": 0}
        assert db.scalar("select count(*) as n from text_docs") == 0


def test_signatures_are_a_setting(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)
    path = tmp_path / "teammemory.toml"
    path.write_text('[similar]\nsignatures = [\n'
                    '  { name = "stale token", phrases = ["stale tokens", "stale token"] },\n'
                    '  { name = "unlocked", phrases = ["not locked"] },\n]\n', encoding="utf-8")
    cfg = config_module.load(path, env={})
    assert cfg.error_signatures == (("stale token", ("stale tokens", "stale token")), ("unlocked", ("not locked",)))
    assert Config().error_signatures == config_module.DEFAULT_ERROR_SIGNATURES
    assert similar_signatures.in_text("tokens went stale token", cfg.error_signatures) == ["stale token"]
    # 'not' is a stop word: the phrase is the term 'locked', so any text with it shows the signature
    assert similar_signatures.in_text("the cache was locked", cfg.error_signatures) == ["unlocked"]
    custom = Config(component_rules=CONFIG.component_rules, error_signatures=cfg.error_signatures)
    with store.read() as db:
        got = similar.ask(db, None, text="stale tokens again, and a race condition", now=NOW, config=custom)
        none = similar.ask(db, None, text="a race condition", now=NOW,
                           config=Config(component_rules=CONFIG.component_rules, error_signatures=()))
    assert [(c.name, c.documents, c.examples) for c in got.signatures] == [("stale token", 1, ("INC-1",))]
    assert none.signatures == ()


@pytest.mark.parametrize(("toml", "message"), [
    ('[similar]\nsignatures = [{ name = "x", phrase = ["y"] }]\n', r"unknown key 'phrase' in similar.signatures\[0\]"),
    ('[similar]\nsignatures = [{ name = "x" }]\n', r"similar.signatures\[0\]: needs 'phrases'"),
    ('[similar]\nsignatures = [{ name = "x", phrases = ["a"] }, { name = "x", phrases = ["b"] }]\n',
     r"similar.signatures\[1\]: name 'x' is given twice"),
    ('[similar]\nsignatures = "deadlock"\n', r"similar.signatures: expected a list of tables"),
    ('[similar]\nsignature = []\n', r"unknown key similar.signature; did you mean similar.signatures\?"),
])
def test_bad_signature_settings_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "teammemory.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        config_module.load(path, env={})


def test_text_json_and_markdown_show_the_basis_and_incidents(sqlite_store: Store, tmp_path: Path) -> None:
    build(sqlite_store, tmp_path)
    with sqlite_store.read() as db:
        got = similar.ask(db, "LEGACY-7", now=NOW, config=CONFIG)
    console = Console(file=io.StringIO(), width=200, color_system=None, _environ={})
    console.print(render_similar(got))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.startswith('Like LEGACY-7 "LEGACY-7 token cache race condition again" as of 2026-05-31\n'
                           "query: LEGACY-7 is not an ingested issue: the text and files of the 2 commits")
    assert "incident INC-1  score" in text and f"    {INC1[0]} (2026-05-01)\n" in text
    (tmp_path / "teammemory.toml").write_text(
        '[components]\nrules = [{ glob = "src/auth/**", component = "auth" }, { glob = "src/pay/**", component ='
        ' "payment" }, { glob = "src/core/**", component = "core" }]\n', encoding="utf-8")
    args = ["--db", str(tmp_path / "tm.db"), "--config", str(tmp_path / "teammemory.toml"), "similar", "LEGACY-7",
            "--now", NOW.isoformat()]
    runner = CliRunner()
    doc = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert doc["result"]["subject"]["kind"] == "key" and doc["result"]["subject"]["basis"] == got.subject.basis
    assert [(x["kind"], x["ref"]) for x in doc["result"]["hits"]] == [(x.kind, x.ref) for x in got.hits]
    md = runner.invoke(app, [*args, "--format", "markdown"]).output
    assert "query: LEGACY-7 is not an ingested issue" in md and "incident INC-1" in md


def test_query_terms_are_the_most_distinctive_held_ones() -> None:
    corpus = text_search.Corpus(10, 5.0, {"a": 9, "b": 1, "c": 3, "d": 3})
    counts = Counter({"a": 3, "b": 1, "c": 1, "d": 1, "z": 2})  # z: no document holds it
    idf = {t: math.log(1 + (10 - df + 0.5) / (df + 0.5)) for t, df in corpus.df.items()}
    weight = {t: counts[t] * idf[t] for t in idf}  # a 0.44, b 1.99, c and d 1.15 each (tie: by term)
    assert text_search.query_terms(counts, corpus, 3) == tuple(sorted(weight, key=lambda t: (-weight[t], t)))[:3] \
        == ("b", "c", "d")
    assert text_search.query_terms(counts, corpus) == ("b", "c", "d", "a")


def test_rank_keeps_the_best_alone_as_the_whole_ranking_would(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)
    with store.read() as db:
        every = text_search.search(db, "token cache lock refresh race payments", limit=100)
        best = text_search.search(db, "token cache lock refresh race payments", limit=3)
    assert len(every) > 3 and best == every[:3]

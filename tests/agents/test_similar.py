"""`similar`: BM25 worked out by hand on a tiny corpus, files and components shared with fixes on
a real repository (tests/agents/q13_world.py), Jira links, error signatures; both stores."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
from rich.console import Console

from teammemory import derive
from teammemory.agents import similar, similar_signatures, text_search
from teammemory.config import DEFAULT_ERROR_SIGNATURES, Config
from teammemory.errors import InputError, NotFound
from teammemory.model import Issue, IssueLink
from teammemory.outputs.render_similar import render_similar
from teammemory.store import Store, fulltext
from teammemory.store.write import write_issue
from tests.agents import q13_world
from tests.conftest import NOW

DAY = 86400
T0 = int(NOW.timestamp()) - 30 * DAY
CORPUS = [
    Issue("BK-1", "Deadlock in ledger close", issue_type="Bug", created_at=T0),
    Issue("BK-2", "Ledger recovery timeout", "recovery hangs", issue_type="Bug", created_at=T0 + DAY),
    Issue("BK-3", "Add metrics", issue_type="Task", created_at=T0 + 2 * DAY),
    Issue("BK-4", "Deadlock when closing ledger", "deadlock again", issue_type="Bug", created_at=T0 + 3 * DAY,
          links=(IssueLink("BK-1", "Duplicate", "outward", "duplicates"),
                 IssueLink("BK-3", "Relates", "outward", "relates to"))),
    Issue("BK-9", "Deadlock written after now", issue_type="Bug", created_at=int(NOW.timestamp()) + DAY),
]


def load(store: Store) -> None:
    with store.write() as db:
        for issue in CORPUS:
            write_issue(db, issue)
        derive.refresh(db, Config())


def bm25(tf: int, df: int, n: int, length: int, avgdl: float) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / avgdl))


def test_bm25_by_hand_and_links_on_a_tiny_corpus(store: Store) -> None:
    load(store)
    with store.read() as db:
        got = similar.ask(db, "BK-4", now=NOW, config=Config())
    # As of NOW the index holds BK-1..BK-4 (BK-9 comes later): terms (stop words 'in', 'when' dropped)
    # BK-1 deadlock ledger close (3), BK-2 ledger recovery timeout recovery hangs (5), BK-3 add metrics (2),
    # BK-4 deadlock closing ledger deadlock again (5): N = 4, avgdl = 15/4; df(deadlock) = 2, df(ledger) = 3.
    n, avgdl = 4, 15 / 4
    bk1 = bm25(1, 2, n, 3, avgdl) + bm25(1, 3, n, 3, avgdl)
    bk2 = bm25(1, 3, n, 5, avgdl)
    assert [(h.ref, h.score.total) for h in got.hits] == [
        ("BK-1", round(bk1 + 5.0, 2)), ("BK-3", 2.0), ("BK-2", round(bk2, 2))]
    first = got.hits[0]
    assert first.link == "Duplicate (duplicates)" and first.matched_terms == ("deadlock", "ledger")
    assert dict(first.score.terms)["bm25"] == round(bk1, 4)
    assert got.hits[1].link == "Relates (relates to)" and got.hits[1].matched_terms == ()
    assert [(s.name, s.documents, s.by_kind) for s in got.signatures] == [("deadlock", 1, (("issue", 1),))]


def test_text_search_is_the_reusable_bm25(store: Store) -> None:
    load(store)
    with store.read() as db:
        hits = text_search.search(db, "ledger recovery", kinds=("issue",), limit=5, now=int(NOW.timestamp()))
    n, avgdl = 4, 15 / 4  # recovery: df 1, tf 2 in BK-2
    assert [(h.ref, h.score.total) for h in hits] == [
        ("BK-2", round(bm25(2, 1, n, 5, avgdl) + bm25(1, 3, n, 5, avgdl), 2)),
        ("BK-1", round(bm25(1, 3, n, 3, avgdl), 2)), ("BK-4", round(bm25(1, 3, n, 5, avgdl), 2))]
    assert hits[0].matched == ("recovery", "ledger")


def test_the_engines_match_the_same_documents_and_reindex_changed_text(store: Store) -> None:
    load(store)
    with store.read() as db:
        before = fulltext.match(db, ["deadlock"])
        assert len(before) == 3  # BK-1, BK-4, BK-9 (the engine knows no time; scoring does)
    with store.write() as db:
        write_issue(db, Issue("BK-3", "Add metrics for the deadlock", issue_type="Task", created_at=T0 + 2 * DAY))
        derive.refresh(db, Config())
        derive.refresh(db, Config())  # nothing changed: nothing rewritten
        assert db.scalar("select count(*) as n from text_docs") == 5
    with store.read() as db:
        assert len(fulltext.match(db, ["deadlock"])) == 4 and fulltext.match(db, ["metrics"]) == \
            {d for d in fulltext.match(db, ["deadlock"]) if d in fulltext.match(db, ["add"])}


def test_a_commit_finds_its_revert_by_text_files_and_component(store: Store, tmp_path: Path) -> None:
    hashes = q13_world.build(store, tmp_path)
    with store.read() as db:
        got = similar.ask(db, None, now=NOW, config=Config(), commit=hashes[7][:10])
    assert got.subject.ref == f"app@{hashes[7]}" and got.subject.files == (q13_world.A, q13_world.D)
    top = got.hits[0]
    assert top.ref == f"app@{hashes[10]}" and top.shared_files == (q13_world.A, q13_world.D)
    assert top.shared_components == ("core",) and {"guard", "empty", "input"} <= set(top.matched_terms)
    terms = dict(top.score.terms)
    assert terms["shared files"] == 2.0 and terms["shared components"] == 0.5
    assert all(h.ref != got.subject.ref for h in got.hits)


def test_signatures_are_counted_over_the_index(store: Store) -> None:
    load(store)
    with store.read() as db:
        got = similar.ask(db, None, now=NOW, config=Config(), text="a deadlock, and then a timeout")
    assert [(s.name, s.documents, s.examples) for s in got.signatures] == [
        ("deadlock", 2, ("BK-4", "BK-1")), ("timeout", 1, ("BK-2",))]
    assert similar_signatures.in_text("NPE in NullPointerException handler; OOMKilled", DEFAULT_ERROR_SIGNATURES) \
        == ["null pointer", "OOMKilled"]


def test_bad_subjects_are_refused_naming_the_argument(sqlite_store: Store) -> None:
    load(sqlite_store)
    with sqlite_store.read() as db:
        with pytest.raises(InputError, match="^KEY: give exactly one of KEY, --text or --commit"):
            similar.ask(db, "BK-1", now=NOW, config=Config(), text="x")
        # `--text ledger recovery`: the second word arrives as KEY; the answer says to quote the text
        with pytest.raises(InputError, match='^--text: takes the whole text as one argument: quote it, as in '
                                             '--text "ledger recovery"$'):
            similar.ask(db, "recovery", now=NOW, config=Config(), text="ledger")
        with pytest.raises(InputError, match="^--commit: 'xyz!' is not a commit hash"):
            similar.ask(db, None, now=NOW, config=Config(), commit="xyz!")
        with pytest.raises(NotFound, match="issue 'BK-77' not found"):
            similar.ask(db, "BK-77", now=NOW, config=Config())


def test_text_shows_score_terms_and_link(sqlite_store: Store) -> None:
    load(sqlite_store)
    with sqlite_store.read() as db:
        got = similar.ask(db, "BK-4", now=NOW, config=Config())
    console = Console(file=io.StringIO(), width=200, color_system=None, _environ={})
    console.print(render_similar(got))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert 'Like issue BK-4 "Deadlock when closing ledger" as of 2026-06-01' in text
    assert "issue BK-1  score" in text and "    Deadlock in ledger close (2026-05-02)\n" \
           "    Jira link: Duplicate (duplicates)\n" in text
    assert "terms: deadlock, ledger" in text and "'deadlock' in 1 earlier document (issue 1): BK-1" in text

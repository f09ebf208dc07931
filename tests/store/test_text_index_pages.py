"""The text index writes new commits a page at a time (store/text_index.py PAGE), so that memory
stays bounded on a long history; the pages give exactly the index of one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, text_index
from tests.helpers.gitrepo import FakeCommit, build_repo

HISTORY = [FakeCommit(f"Dev{i % 3} <dev{i % 3}@example.com>", 1_600_000_000 + 3600 * i,
                      f"Change {i}: {'deadlock in the reader' if i % 2 else 'faster parser'} PROJ-{i % 4}",
                      {f"src/m{i % 5}.py": f"{i}\n"}) for i in range(11)]


def _index(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(str(path)).read() as db:
        return {"docs": [tuple(r.values()) for r in db.all("select doc_id, kind, ref, length, terms from text_docs"
                                                           " order by doc_id")],
                "terms": [tuple(r.values()) for r in db.all("select term, doc_id, tf, length, at from text_terms"
                                                            " order by term, doc_id")],
                "df": [tuple(r.values()) for r in db.all("select term, df from text_df order by term")]}


def test_pages_of_two_index_as_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path / "proj", HISTORY)
    ingest_git(Store.open(str(tmp_path / "one.db")), repo, config=Config())
    monkeypatch.setattr(text_index, "PAGE", 2)
    ingest_git(Store.open(str(tmp_path / "paged.db")), repo, config=Config())
    one = _index(tmp_path / "one.db")
    assert len(one["docs"]) == len(HISTORY) and one["terms"]
    assert _index(tmp_path / "paged.db") == one
    refs = [str(ref) for _, _, ref, _, _ in one["docs"]]
    assert refs == sorted(refs)  # ids in ref order, as one pass gives them

"""`current_read`: a question's one read, with the configured component rules in effect. While
the rules are the stored ones it opens the store once (the lookup of the rules and the answer
share the connection); after a change it re-derives first and reads what that wrote. SQLite and
PostgreSQL."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from teammemory.errors import StoreError
from teammemory.ingest.git import ingest_git
from teammemory.ingest.rules import current_read
from teammemory.store import Reader, Store
from tests.helpers.gitrepo import build_repo
from tests.ingest.test_rules import HISTORY, NEW, OLD


def counting(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the store's `read()` blocks (one list entry each)."""
    opened: list[int] = []
    real = store.read

    @contextlib.contextmanager
    def read() -> Iterator[Reader]:
        opened.append(1)
        with real() as db:
            yield db

    monkeypatch.setattr(store, "read", read)
    return opened


def components(db: Reader) -> list[tuple[str, str]]:
    return sorted((r["path"], r["component"]) for r in db.all("select path, component from files"))


def test_unchanged_rules_cost_one_read(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_git(store, build_repo(tmp_path / "r", HISTORY), config=OLD)
    opened = counting(store, monkeypatch)
    with current_read(store, OLD) as db:
        assert components(db) == [("src/auth/session.py", "auth"), ("src/auth/token.py", "auth"),
                                  ("src/pay/card.py", "pay")]
    assert len(opened) == 1


def test_changed_rules_are_applied_before_the_read(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_git(store, build_repo(tmp_path / "r", HISTORY), config=OLD)
    opened = counting(store, monkeypatch)
    with current_read(store, NEW) as db:
        assert {component for _, component in components(db)} == {"security"}
    assert len(opened) == 2  # the lookup's, then the answer's after the re-derivation
    with current_read(store, NEW) as db:  # once: now they are the stored rules
        assert {component for _, component in components(db)} == {"security"}
    assert len(opened) == 3


def test_a_busy_store_answers_by_the_stored_rules_with_a_warning(store: Store, tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "r", HISTORY), config=OLD)
    log = io.StringIO()
    with store.write(), current_read(store, NEW, log=log) as db:  # an ingest holds the writer lock
        assert {component for _, component in components(db)} == {"auth", "pay"}
    assert log.getvalue().startswith("warning: the component rules changed")


def test_a_missing_store_is_refused_as_by_any_read(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"), \
            current_read(Store.open(str(tmp_path / "none.db")), NEW):
        pass
    assert not (tmp_path / "none.db").exists()

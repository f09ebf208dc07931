"""An ingest collects reference cycles less often (collector.fewer_collections) and puts Python's
setting back afterwards, also when the ingest fails."""

from __future__ import annotations

import gc

import pytest

from teammemory.collector import fewer_collections


def test_the_threshold_is_raised_inside_and_restored_after_even_on_error() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (100_000, *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections(5_000):
        assert gc.get_threshold()[0] == 5_000
        raise RuntimeError("the ingest failed")
    assert gc.get_threshold() == before

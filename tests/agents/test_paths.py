"""paths.removed_paths: which paths are gone, folded from their moves (paths.sql `gone-paths`)."""

from __future__ import annotations

from teammemory.agents.paths import MoveRow, removed_paths


def test_the_last_removal_after_the_last_arrival_makes_a_path_gone() -> None:
    moves = [
        MoveRow("r", "a.py", "", "A", 10),
        MoveRow("r", "a.py", "", "D", 20),  # deleted after it arrived: gone
        MoveRow("r", "b.py", "", "A", 10),
        MoveRow("r", "b.py", "", "D", 20),
        MoveRow("r", "b.py", "", "A", 30),  # added back later: exists
        MoveRow("r", "new.py", "old.py", "R", 40),  # old.py renamed away (never seen arriving): gone
        MoveRow("r", "c.py", "", "A", 50),
        MoveRow("r", "d.py", "c.py", "R", 50),  # renamed away in the same second it arrived: kept
        MoveRow("r", "e.py", "", "C", 60),  # a copy removes nothing
        MoveRow("s", "a.py", "", "A", 5),  # another repository's a.py is its own
    ]
    assert removed_paths(moves) == {("r", "a.py"), ("r", "old.py")}

"""Counted nouns for answers in prose: '1 commit', '2 commits', '1,204 files', '1 person'."""

from __future__ import annotations


def plural(n: int, one: str, many: str = "") -> str:
    """`n` with its noun, singular for exactly one: plural(1, 'commit') == '1 commit',
    plural(2, 'person', 'people') == '2 people'; thousands get a comma, as numbers in tables do."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"

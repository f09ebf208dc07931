"""A small reviewed history for the backtest tests: five people, eight files, `Reviewers:` trailers.

Built from a seeded random.Random, so the same commits (and hashes) come out on every run.
"""

from __future__ import annotations

import random
from pathlib import Path

from teammemory import config as config_mod
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, migrate
from tests.helpers.gitrepo import FakeCommit, build_repo

PEOPLE = ("Ana <ana@example.com>", "Ben <ben@example.com>", "Cy <cy@example.com>", "Dee <dee@example.com>",
          "Eve <eve@example.com>")
FILES = tuple(f"src/m{i}.py" for i in range(8))
START = 1_600_000_000
STEP = 5 * 86400


def commits(n: int, seed: int = 7) -> list[FakeCommit]:
    """`n` commits, one every 5 days: 1-3 files each, most with a Reviewers: trailer, some fixes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        author = PEOPLE[min(int(rng.paretovariate(1.2)) - 1, 4)]
        files: dict[str, str | None] = {f: f"v{i}\n" * rng.randint(1, 40) for f in rng.sample(FILES, rng.randint(1, 3))}
        others = [p for p in PEOPLE if p != author]
        subject = f"{'fix crash in' if rng.random() < 0.25 else 'improve'} {sorted(files)[0]} ({i})"
        trailer = f"\n\nReviewers: {rng.choice(others[:3])}" if rng.random() < 0.8 else ""
        out.append(FakeCommit(author=author, when=START + i * STEP, message=subject + trailer, files=files))
    return out


def store_of(tmp: Path, history: list[FakeCommit], store: Store | None = None) -> Store:
    repo = build_repo(tmp / "repo", history)
    store = store or Store.open(str(tmp / "t.db"))
    with store.write() as w:
        migrate.apply(w)
    ingest_git(store, repo, config=config_mod.Config(), name="acme/app")
    return store

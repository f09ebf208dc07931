"""A real git history (one `git fast-import`) for the bus-factor, coupling and why-changed tests.

Every file holds one line and every change rewrites it, so git's numstat is exact: a
modification churns 2 lines (1 added, 1 deleted), an addition 1, a deletion 1, a pure rename 0.
Times are T(d) = NOW - d days (NOW = 2026-06-01 12:00 UTC, tests/conftest.py).

  c0  T(400) Ana  add src/core/a.py, b.py, c.py
  c1  T(390) Ana  PROJ-1 a, b
  c2  T(380) Ben  PROJ-1 b
  c3  T(300) Ben  add src/core/d.py
  c4  T(200) Ana  rename c.py -> e.py (content kept)
  c5  T(150) Ben  add src/core/gone.py
  c6  T(120) Ben  delete gone.py
  c7  T(60)  Ben  PROJ-3 a, d              (PROJ-3 is an Incident: a bug fix by its type; PR #6)
  c8  T(50)  Cy   PROJ-2 a, b, add tests/core/test_a.py   (PR #5)
  c9  T(40)  bot  a
  c10 T(30)  Ben  Revert "guard empty input in a and d": a, d
  c11 T(20)  Cy   PROJ-2 a, b              (PR #5)
  c12 T(10)  Ana  reformat a, b, d, e      (4 files)

Jira: PROJ-1 Story, PROJ-2 Story under epic PROJ-10, PROJ-3 Incident. GitHub: PR #5 (c8, c11;
title names PROJ-2; lists a, b and the test), PR #6 (c7; lists a, d). Components: src/core/** is
`core`, tests/** is `tests`.
"""

from __future__ import annotations

from pathlib import Path

from teammemory import derive
from teammemory.agents.evidence import DAY, epoch
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.model import Issue, PrFile, PullRequest, Ref
from teammemory.store import Store
from teammemory.store.write import write_issue, write_pull_request
from tests.conftest import NOW
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

NOW_TS = epoch(NOW)
ANA, BEN, CY = "Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>", "Cy Park <cy@example.com>"
BOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
A, B, C, D, E = (f"src/core/{n}.py" for n in "abcde")
GONE, TEST = "src/core/gone.py", "tests/core/test_a.py"
CONFIG = Config(component_rules=(("src/core/**", "core"), ("tests/**", "tests")))
REPO = "app"


def T(days: int) -> int:
    return NOW_TS - days * DAY


def _v(path: str, n: int) -> str:
    return f"{path} version {n}\n"


HISTORY = [
    FakeCommit(ANA, T(400), "add core", {A: _v(A, 0), B: _v(B, 0), C: _v(C, 0)}),
    FakeCommit(ANA, T(390), "PROJ-1 extend a and b", {A: _v(A, 1), B: _v(B, 1)}),
    FakeCommit(BEN, T(380), "PROJ-1 tune b", {B: _v(B, 2)}),
    FakeCommit(BEN, T(300), "add d", {D: _v(D, 0)}),
    FakeCommit(ANA, T(200), "move c to e", renames={C: E}),
    FakeCommit(BEN, T(150), "add gone", {GONE: _v(GONE, 0)}),
    FakeCommit(BEN, T(120), "remove gone", {GONE: None}),
    FakeCommit(BEN, T(60), "PROJ-3 guard empty input in a and d", {A: _v(A, 7), D: _v(D, 7)}),
    FakeCommit(CY, T(50), "PROJ-2 feature on a and b", {A: _v(A, 8), B: _v(B, 8), TEST: _v(TEST, 8)}),
    FakeCommit(BOT, T(40), "bump requests", {A: _v(A, 9)}),
    FakeCommit(BEN, T(30), 'Revert "guard empty input in a and d"', {A: _v(A, 10), D: _v(D, 10)}),
    FakeCommit(CY, T(20), "PROJ-2 more on a and b", {A: _v(A, 11), B: _v(B, 11)}),
    FakeCommit(ANA, T(10), "reformat", {A: _v(A, 12), B: _v(B, 12), D: _v(D, 12), E: _v(E, 12)}),
]


def build(store: Store, tmp: Path, config: Config = CONFIG) -> dict[int, str]:
    """Ingest the repository, then the PRs and issues; returns commit index -> hash."""
    path = build_repo(tmp / REPO, HISTORY)
    ingest_git(store, path, config=config, name=REPO)
    hashes = {i: rev(path, f"HEAD~{len(HISTORY) - 1 - i}") for i in range(len(HISTORY))}
    prs = [
        PullRequest("acme/app", 5, "PROJ-2 feature", state="merged", created_at=T(51), merged_at=T(19),
                    files=(PrFile(A, 4, 4), PrFile(B, 4, 4), PrFile(TEST, 1, 0, "A")), commits=(hashes[8], hashes[11]),
                    issue_refs=(Ref("PROJ-2", "key PROJ-2 in PR title"),)),
        PullRequest("acme/app", 6, "Guard empty input", state="merged", created_at=T(61), merged_at=T(59),
                    files=(PrFile(A, 1, 1), PrFile(D, 1, 1)), commits=(hashes[7],)),
    ]
    issues = [
        Issue("PROJ-1", "Extend core", issue_type="Story", created_at=T(395)),
        Issue("PROJ-10", "Big epic", issue_type="Epic", created_at=T(100)),
        Issue("PROJ-2", "Core feature", issue_type="Story", parent_key="PROJ-10", created_at=T(55)),
        Issue("PROJ-3", "Empty input takes the service down", issue_type="Incident", created_at=T(61)),
    ]
    with store.write() as db:
        for pr in prs:
            write_pull_request(db, pr)
        for issue in issues:
            write_issue(db, issue)
        derive.refresh(db, config)
    return hashes

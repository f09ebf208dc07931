"""A real git history (one `git fast-import`) for `why` and blame: a rename, a whitespace-only
change, code moved between files, and a revision listed in .git-blame-ignore-revs.
Times are T(d) = NOW - d days (tests/conftest.py).

  c0  T(100) Ana  add src/parse.py (x = 1, y = 2, z = 3) and src/util.py (a helper, 2 long lines)
  c1  T(90)  Ben  PROJ-7 fix overflow in the parser: y = 2 -> y = 20          (PR #7)
  c2  T(80)  Cy   rename src/parse.py -> src/parser.py
  c3  T(70)  Ana  whitespace only: z = 3 -> z =  3
  c4  T(60)  Ben  move the helper from util.py to the end of parser.py
  c5  T(50)  Cy   rename x to xx (mechanical; listed in .git-blame-ignore-revs by c6)
  c6  T(40)  Ana  add .git-blame-ignore-revs naming c5

So `git blame -w -M -C` with the ignore file gives, for src/parser.py at c6: line 1 -> c0 (c5 is
skipped), line 2 -> c1 (as src/parse.py), line 3 -> c0 (-w), lines 4-5 -> c0 (as src/util.py, -C).
"""

from __future__ import annotations

from pathlib import Path

from teammemory import derive
from teammemory.agents.evidence import DAY, epoch
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.model import IdentityRef, Issue, PrFile, PullRequest, Ref, Review, ReviewComment
from teammemory.store import Store
from teammemory.store.write import write_issue, write_pull_request
from tests.conftest import NOW
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

NOW_TS = epoch(NOW)
ANA, BEN, CY = "Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>", "Cy Park <cy@example.com>"
OLD, NEW, UTIL = "src/parse.py", "src/parser.py", "src/util.py"
HELPER = ("def helper_function_with_long_name(argument_one, argument_two):\n"
          "    return argument_one + argument_two + 1234567890\n")
REPO = "app"


def T(days: int) -> int:
    return NOW_TS - days * DAY


def history(ignored: str = "") -> list[FakeCommit]:
    commits = [
        FakeCommit(ANA, T(100), "add parser and util", {OLD: "x = 1\ny = 2\nz = 3\n", UTIL: "import os\n" + HELPER}),
        FakeCommit(BEN, T(90), "PROJ-7 fix overflow in the parser", {OLD: "x = 1\ny = 20\nz = 3\n"}),
        FakeCommit(CY, T(80), "rename parse to parser", renames={OLD: NEW}),
        FakeCommit(ANA, T(70), "whitespace", {NEW: "x = 1\ny = 20\nz =  3\n"}),
        FakeCommit(BEN, T(60), "move the helper into the parser",
                   {NEW: "x = 1\ny = 20\nz =  3\n" + HELPER, UTIL: "import os\n"}),
        FakeCommit(CY, T(50), "rename x to xx", {NEW: "xx = 1\ny = 20\nz =  3\n" + HELPER}),
    ]
    if ignored:
        commits.append(FakeCommit(ANA, T(40), "ignore the mechanical rename",
                                  {".git-blame-ignore-revs": f"# mechanical\n{ignored}\n{'f' * 40}\n"}))
    return commits


def build_clone(tmp: Path) -> tuple[Path, dict[int, str]]:
    """The repository (c0-c6) and commit index -> hash; the ignore file names c5 (and a hash that
    does not exist, which blame must survive)."""
    first = build_repo(tmp / "probe", history())
    c5 = rev(first)
    path = build_repo(tmp / REPO, history(c5))
    commits = history(c5)
    return path, {i: rev(path, f"HEAD~{len(commits) - 1 - i}") for i in range(len(commits))}


BEN_GH, ANA_GH, CY_GH = IdentityRef("github", login="ben"), IdentityRef("github", login="ana"), \
    IdentityRef("github", login="cy")


def build(store: Store, tmp: Path, config: Config | None = None) -> tuple[Path, dict[int, str]]:
    """Ingest the clone, PR #7 (c1) with its reviews and review comments, and PROJ-7."""
    config = config or Config()
    path, hashes = build_clone(tmp)
    ingest_git(store, path, config=config, name=REPO)
    pr = PullRequest(
        "acme/app", 7, "Fix parser overflow", state="merged", created_at=T(91), merged_at=T(89),
        author=BEN_GH, files=(PrFile(OLD, 1, 1),), commits=(hashes[1],),
        issue_refs=(Ref("PROJ-7", "key PROJ-7 in PR title"),),
        reviews=(Review("r1", ANA_GH, "APPROVED", T(89) - 60),),
        review_comments=(ReviewComment("c1", ANA_GH, OLD, "20 is enough for the widest input?", T(90)),
                         ReviewComment("c2", CY_GH, "README", "typo", T(90)),
                         ReviewComment("c3", CY_GH, OLD, "written after now", T(-1))))
    with store.write() as db:
        write_pull_request(db, pr)
        write_issue(db, Issue("PROJ-7", "Parser overflows on long input", issue_type="Bug", status="Done",
                              created_at=T(95)))
        derive.refresh(db, config)
    return path, hashes

"""A small team's history for the expertise, risk and review-routing tests.

Times are `T(d)`: d whole days and one hour before NOW, so `days_between(T(d), NOW) == d`.

  c1  T(100) Ana   add src/auth/token.py (+100)                       PROJ-1
  c2  T(50)  Ben   rename token.py -> token_service.py (+5 -2), co-author Cy
  c8  T(20)  Cy    add tests/auth/test_token_service.py (+10)
  c3  T(10)  Ana   fix token expiry (+20 -10), Reviewed-by Ben         PROJ-2, bug fix, in PR #7
  c4  T(5)   bot   bump (+1 -1) on token_service.py
  c5  T(4)   Ben   merge commit touching token_service.py (+9 -9)   -> never counted
  c6  T(3)   Cy    add a NEW src/auth/token.py (+3)                 -> not token_service's history
  c7  T(2)   Ben   token_service.py (+2 -2), test file (+8)          in PR #8

  PR #7 (org/app, by Ana, commit c3, file token_service.py): Ben APPROVED and COMMENTED (one review),
        Cy PENDING (not counted), bot COMMENTED (bot); Cy review comment on the file; Ben PR comment.
  PR #8 (org/app, by Ben, commit c7, both files, requested: Ana): Cy COMMENTED at T(1).
  PROJ-2: a comment at T(8) by Cy's Jira account, which identity resolution did not place.
Developers: ana (git+github), ben (git+github), cy (git+github), dependabot (bot, git+github).
"""

from __future__ import annotations

from teammemory.agents.evidence import DAY, epoch
from teammemory.components import assign_components
from teammemory.config import DEFAULT_COMPONENT_RULES
from teammemory.model import (
    Commit,
    CommitPerson,
    FileChange,
    IdentityRef,
    Issue,
    IssueComment,
    PrComment,
    PrFile,
    PullRequest,
    Ref,
    Review,
    ReviewComment,
)
from teammemory.store import Store, summaries
from teammemory.store.write import write_commits, write_issue, write_pull_request
from tests.conftest import NOW

NOW_TS = epoch(NOW)


def T(days: int) -> int:
    return NOW_TS - days * DAY - 3600


ANA_GIT = IdentityRef("git", email="ana@example.com", name="Ana Lima")
BEN_GIT = IdentityRef("git", email="ben@example.com", name="Ben Okafor")
CY_GIT = IdentityRef("git", email="cy@example.com", name="Cy Park")
BOT_GIT = IdentityRef("git", email="bot@example.com", name="dependabot[bot]")
ANA_GH = IdentityRef("github", login="ana")
BEN_GH = IdentityRef("github", login="ben")
CY_GH = IdentityRef("github", login="cy")
BOT_GH = IdentityRef("github", login="dependabot[bot]")
CY_JIRA = IdentityRef("jira", account_id="557058:cy", display_name="Cy P.")

TOKEN = "src/auth/token.py"
SERVICE = "src/auth/token_service.py"
TEST = "tests/auth/test_token_service.py"


def _commit(n: int, who: IdentityRef, at: int, message: str, files: tuple[FileChange, ...], *,
            parents: int = 1, people: tuple[CommitPerson, ...] = (), issues: tuple[str, ...] = ()) -> Commit:
    return Commit("app", f"{n:02d}" + "c" * 38, who, who, at, 0, at, 0, message,
                  tuple(f"p{n}{i}" for i in range(parents)), files, people,
                  issue_refs=tuple(Ref(k, f"key {k} in commit message") for k in issues))


COMMITS = (
    _commit(1, ANA_GIT, T(100), "PROJ-1 add token", (FileChange(TOKEN, 100, 0, "A"),), issues=("PROJ-1",)),
    _commit(2, BEN_GIT, T(50), "rename token module", (FileChange(SERVICE, 5, 2, "R", TOKEN),),
            people=(CommitPerson("co-author", CY_GIT, "Co-authored-by trailer"),)),
    _commit(8, CY_GIT, T(20), "test the token service", (FileChange(TEST, 10, 0, "A"),)),
    _commit(3, ANA_GIT, T(10), "fix token expiry PROJ-2", (FileChange(SERVICE, 20, 10),),
            people=(CommitPerson("reviewer", BEN_GIT, "Reviewed-by trailer"),), issues=("PROJ-2",)),
    _commit(4, BOT_GIT, T(5), "bump", (FileChange(SERVICE, 1, 1),)),
    _commit(5, BEN_GIT, T(4), "Merge branch 'x'", (FileChange(SERVICE, 9, 9),), parents=2),
    _commit(6, CY_GIT, T(3), "new token helpers", (FileChange(TOKEN, 3, 0, "A"),)),
    _commit(7, BEN_GIT, T(2), "token service tidy", (FileChange(SERVICE, 2, 2), FileChange(TEST, 8, 0))),
)


def h(n: int) -> str:
    return f"{n:02d}" + "c" * 38


PR7 = PullRequest(
    "org/app", 7, "Fix token expiry", state="merged", author=ANA_GH, created_at=T(11), merged_at=T(9),
    reviews=(Review("r1", BEN_GH, "APPROVED", T(9)), Review("r2", BEN_GH, "COMMENTED", T(9) - 60),
             Review("r3", CY_GH, "PENDING", None), Review("r4", BOT_GH, "COMMENTED", T(9))),
    review_comments=(ReviewComment("rc1", CY_GH, SERVICE, "nit", T(9)),),
    comments=(PrComment("pc1", BEN_GH, "thanks", T(9)),),
    files=(PrFile(SERVICE, 20, 10),), commits=(h(3),), issue_refs=(Ref("PROJ-2", "key PROJ-2 in PR title"),))
PR8 = PullRequest(
    "org/app", 8, "Tidy token service", author=BEN_GH, created_at=T(2),
    reviews=(Review("r5", CY_GH, "COMMENTED", T(1)),),
    files=(PrFile(SERVICE, 2, 2), PrFile(TEST, 8, 0)), commits=(h(7),), requested_reviewers=(ANA_GH,))
PROJ2 = Issue("PROJ-2", "Token expiry is wrong", issue_type="Bug",
              comments=(IssueComment("10", CY_JIRA, "seen in prod", T(8)),))

DEVELOPERS = {
    "ana": ("Ana Lima", 0, (ANA_GIT, ANA_GH)),
    "ben": ("Ben Okafor", 0, (BEN_GIT, BEN_GH)),
    "cy": ("Cy Park", 0, (CY_GIT, CY_GH)),
    "dependabot": ("dependabot", 1, (BOT_GIT, BOT_GH)),
}


def build(store: Store) -> Store:
    """Write the history, mark c3 a bug fix, resolve people and set components by hand, then
    summarize (store.summaries), as derive would."""
    with store.write() as db:
        write_commits(db, COMMITS)
        write_pull_request(db, PR7)
        write_pull_request(db, PR8)
        write_issue(db, PROJ2)
        db.execute("update commits set is_bug_fix = 1, bug_fix_reason = 'issue type Bug'"
                   " where hash = :h", h=h(3))
        for key, (name, bot, refs) in DEVELOPERS.items():
            db.execute("insert into developers (key, name, is_bot) values (:k, :n, :b)", k=key, n=name, b=bot)
            for ref in refs:
                db.execute("update identities set developer_key = :k, is_bot = :b where key = :i",
                           k=key, b=bot, i=ref.key)
        rows = db.all("select repo, path from files")
        found = assign_components([row["path"] for row in rows], DEFAULT_COMPONENT_RULES)
        for row in rows:
            db.execute("update files set component = :c where repo = :r and path = :p",
                       c=found[row["path"]].component, r=row["repo"], p=row["path"])
        summaries.refresh(db)
    return store

"""A small team history shared by the context, onboarding and hygiene tests.

Three people and a bot across git, GitHub and Jira, linked the way real histories are:
PROJ-1247 (a bug in `auth`) is fixed by PR #382, whose branch names the key; one of its commits
names the key, the other does not; the merge commit names the PR. Everything is written with
the store's own writers and then `derive.refresh` resolves people and components, exactly as
an ingest would.

    t(days) = NOW - days*DAY        (NOW = 2026-06-01 12:00 UTC)
"""

from __future__ import annotations

from teammemory import derive
from teammemory.config import Config
from teammemory.model import (
    Commit,
    CommitPerson,
    FileChange,
    IdentityRef,
    Issue,
    IssueComment,
    IssueLink,
    PrComment,
    PrFile,
    PullRequest,
    Ref,
    Review,
    ReviewComment,
    Transition,
)
from teammemory.store import Store
from teammemory.store.write import write_commits, write_issue, write_pull_request

NOW = 1780315200
DAY = 86400
REPO = "acme"
GH = "acme/app"
CONFIG = Config()


def t(days: float) -> int:
    return int(NOW - days * DAY)


def h(n: int) -> str:
    """A 40-hex commit hash whose short form is distinct: h(1) = 'c1000000…'."""
    return f"c{n}".ljust(40, "0")


MEHMET_GIT = IdentityRef("git", "mehmet@acme.io", "Mehmet Turac")
AYSE_GIT = IdentityRef("git", "ayse@acme.io", "Ayşe Demir")
# Ayşe under the noreply email of a second GitHub account (login 'ayse-old'; her other account is
# 'ademir'): two GitHub logins, so the name rules leave the two apart; hygiene only suggests them.
AYSE_GIT_OLD = IdentityRef("git", "5550123+ayse-old@users.noreply.github.com", "Ayşe Demir")
BOT_GIT = IdentityRef("git", "49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]")
MEHMET_GH = IdentityRef("github", login="mturac", display_name="Mehmet Turac")
AYSE_GH = IdentityRef("github", email="ayse@acme.io", login="ademir", display_name="Ayşe Demir")
BURAK_GH = IdentityRef("github", email="burak@acme.io", login="bkaya", display_name="Burak Kaya")
BOT_GH = IdentityRef("github", login="dependabot[bot]")
BURAK_JIRA = IdentityRef("jira", email="burak@acme.io", account_id="j-burak", display_name="Burak Kaya")
MEHMET_JIRA = IdentityRef("jira", email="mehmet@acme.io", account_id="j-mehmet", display_name="Mehmet Turac")
AYSE_JIRA = IdentityRef("jira", email="ayse@acme.io", account_id="j-ayse", display_name="Ayşe Demir")

KEY = Ref("PROJ-1247", "key PROJ-1247 in commit message")


def commit(n: int, who: IdentityRef, days: float, message: str, files: tuple[FileChange, ...],
           *, parents: tuple[str, ...] | None = None, issues: tuple[Ref, ...] = (),
           prs: tuple[Ref, ...] = (), people: tuple[CommitPerson, ...] = ()) -> Commit:
    when = t(days)
    parents = (h(n - 1),) if parents is None else parents
    return Commit(REPO, h(n), who, who, when, 0, when, 0, message, parents, files, people,
                  issue_refs=issues, pr_refs=prs)


def commits() -> list[Commit]:
    """c1..c8, oldest first."""
    return [
        commit(1, AYSE_GIT, 40, "Initial auth module", (FileChange("src/auth/token_service.py", 50, 0, "A"),
                                                        FileChange("README.md", 3, 0, "A")), parents=()),
        commit(2, MEHMET_GIT, 10, "PROJ-1247 Fix concurrent refresh token update",
               (FileChange("src/auth/token_service.py", 10, 2),), issues=(KEY,)),
        commit(3, AYSE_GIT, 9, "Add lock around refresh",
               (FileChange("src/auth/token_service.py", 5, 1), FileChange("src/auth/lock.py", 20, 0, "A")),
               people=(CommitPerson("co-author", MEHMET_GIT, "Co-authored-by trailer"),)),
        commit(4, MEHMET_GIT, 8, "Merge pull request #382 from acme/PROJ-1247-fix\n\nFix token refresh race",
               (), parents=(h(1), h(3)), issues=(KEY,),
               prs=(Ref("382", "'Merge pull request #382' in commit subject"),)),
        commit(5, BOT_GIT, 6, "Bump requests from 2.31 to 2.32", (FileChange("requirements.txt", 1, 1),)),
        commit(6, MEHMET_GIT, 5, "Rename lock module",
               (FileChange("src/auth/locking.py", 0, 0, "R", "src/auth/lock.py"),)),
        commit(7, AYSE_GIT_OLD, 3, "Tune locking timeout PROJ-1300 and FOO-7",
               (FileChange("src/auth/locking.py", 4, 2),),
               issues=(Ref("PROJ-1300", "key PROJ-1300 in commit message"),
                       Ref("FOO-7", "key FOO-7 in commit message"))),
        commit(8, MEHMET_GIT, 1, "Add billing stub PROJ-1250",
               (FileChange("src/billing/invoice.py", 30, 0, "A"), FileChange("docs/notes.txt", 2, 0, "A")),
               issues=(Ref("PROJ-1250", "key PROJ-1250 in commit message"),)),
    ]


def pull_requests() -> list[PullRequest]:
    fix = PullRequest(
        GH, 382, "Fix token refresh race condition", body="Two refreshes could race.\nAdds a lock.",
        state="merged", author=MEHMET_GH, created_at=t(9.5), merged_at=t(8), head_branch="PROJ-1247-fix",
        base_branch="main", merge_commit=h(4),
        reviews=(Review("r1", BURAK_GH, "APPROVED", t(8.5)), Review("r2", AYSE_GH, "COMMENTED", t(8.7))),
        review_comments=(ReviewComment("rc1", BURAK_GH, "src/auth/token_service.py",
                                       "Should this lock be re-entrant?", t(8.9), "r1"),),
        comments=(PrComment("pc1", AYSE_GH, "LGTM once CI passes", t(8.6)),
                  PrComment("pc2", BOT_GH, "Coverage 91%", t(9))),
        files=(PrFile("src/auth/token_service.py", 15, 3), PrFile("src/auth/lock.py", 20, 0, "A")),
        commits=(h(2), h(3)), commit_authors=((h(2), MEHMET_GH), (h(3), AYSE_GH)),
        issue_refs=(Ref("PROJ-1247", "key PROJ-1247 in PR branch"),))
    bump = PullRequest(GH, 390, "Bump requests from 2.31 to 2.32", state="merged", author=BOT_GH,
                       created_at=t(6.5), merged_at=t(6), files=(PrFile("requirements.txt", 1, 1),),
                       commits=(h(5),))
    docs = PullRequest(GH, 391, "Billing stub", body="", state="open", author=MEHMET_GH, created_at=t(1),
                       files=(PrFile("src/billing/invoice.py", 30, 0, "A"),), commits=(h(8),),
                       reviews=(Review("r3", AYSE_GH, "CHANGES_REQUESTED", t(0.5)),))
    return [fix, bump, docs]


def issues() -> list[Issue]:
    bug = Issue(
        "PROJ-1247", "Token refresh race condition", description="When two requests refresh the token at"
        " the same time,   one of them\nfails with 401.", status="In Progress",
        status_category="indeterminate", priority="High", issue_type="Bug", components=("auth",),
        created_at=t(12), updated_at=t(8),
        reporter=BURAK_JIRA, assignee=MEHMET_JIRA,
        comments=(IssueComment("1", BURAK_JIRA, "Seen in prod twice", t(11)),
                  IssueComment("2", AYSE_JIRA, "I can reproduce", t(10.5))),
        links=(IssueLink("PROJ-1200", "Relates", "outward", "relates to"),
               IssueLink("PROJ-999", "Duplicate", "inward", "is duplicated by")),
        transitions=(Transition(t(11), "Open", "In Progress", MEHMET_JIRA),))
    story = Issue("PROJ-1200", "Session handling", status="Done", status_category="done", issue_type="Story",
                  components=("auth",), created_at=t(60), resolved_at=t(30), reporter=AYSE_JIRA)
    wontdo = Issue("PROJ-1201", "Support SAML", status="Done", status_category="done", issue_type="Story",
                   resolution="Won't Do", created_at=t(50), resolved_at=t(20), reporter=BURAK_JIRA)
    billing = Issue("PROJ-1250", "Billing invoices", status="To Do", status_category="new", issue_type="Task",
                    components=("billing",), created_at=t(2), reporter=BURAK_JIRA)
    return [bug, story, wontdo, billing]


def build(store: Store, config: Config = CONFIG) -> Store:
    """Write the whole history and derive people and components, as one ingest would."""
    with store.write() as db:
        write_commits(db, commits())
        for pr in pull_requests():
            write_pull_request(db, pr)
        for issue in issues():
            write_issue(db, issue)
        derive.refresh(db, config)
    return store

"""`--now CUT` means "as of CUT": every question asked at CUT of a store holding a history that goes
on after CUT answers exactly what it answers from a store that was only ever given the history up
to CUT.

The history: a real git repository (one `git fast-import`, fixed times) plus GitHub pull requests
and Jira issues, with work after the cut of every kind — commits (one renames a file, one adds a
file, one deletes a file, one is by a person never seen before), a PR merged after the cut (open
at the cut), a PR closed unmerged after it (open at the cut), a PR and an issue created after it,
reviews and comments after it, an issue resolved after it (its status at the cut comes from its
status changes). Before the cut a file is deleted (it is no component's file and no close match
at the cut), and a merge lands. The cut store gets the repository of the commits authored up to CUT and the
PRs and issues as a GitHub or Jira export taken at CUT would show them (`at_cut`).
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teammemory import derive
from teammemory.agents import context, expertise, hygiene, onboarding, paths, review_routing
from teammemory.config import Config
from teammemory.errors import NotFound
from teammemory.ingest.git import ingest_git
from teammemory.model import (
    IdentityRef,
    Issue,
    IssueComment,
    PrComment,
    PrFile,
    PullRequest,
    Ref,
    Review,
    ReviewComment,
    Transition,
)
from teammemory.store import Store
from teammemory.store.write import write_issue, write_pull_request
from tests.helpers.gitrepo import FakeCommit, build_repo

DAY = 86400
T0 = 1767225600  # 2026-01-01 00:00 UTC
CUT = T0 + 50 * DAY
REPO = "acme"
CONFIG = Config()
ANA, BEN, CY = "Ana Lima <ana@acme.io>", "Ben Ode <ben@acme.io>", "Cy Park <cy@acme.io>"
DEE = "Dee Ray <dee@acme.io>"  # first seen after the cut
ANA_GH = IdentityRef("github", email="ana@acme.io", login="ana", display_name="Ana Lima")
BEN_GH = IdentityRef("github", email="ben@acme.io", login="ben", display_name="Ben Ode")
CY_GH = IdentityRef("github", email="cy@acme.io", login="cy", display_name="Cy Park")
ANA_J = IdentityRef("jira", email="ana@acme.io", account_id="j-ana", display_name="Ana Lima")
BEN_J = IdentityRef("jira", email="ben@acme.io", account_id="j-ben", display_name="Ben Ode")


def d(days: float) -> int:
    return int(T0 + days * DAY)


def history() -> list[FakeCommit]:
    """Commits oldest first; the last seven are after CUT (day 50). PR #2 is squash-merged after it
(its branch commits never reach the default branch, which is what git ingest reads)."""
    return [
        FakeCommit(ANA, d(1), "Add token service", {"src/auth/token.py": "a\n", "src/auth/session.py": "s\n",
                                                    "src/auth/legacy.py": "l\n"}),
        FakeCommit(BEN, d(10), "PROJ-1 fix refresh race", {"src/auth/token.py": "a\nb\n"}),
        FakeCommit(CY, d(20), "Billing invoices PROJ-3", {"src/billing/invoice.py": "i\n"}, branch="pr1", from_=1),
        FakeCommit(ANA, d(21), "Merge pull request #1 from acme/billing", {}, merge=2),
        FakeCommit(ANA, d(45), "Tidy token", {"src/auth/token.py": "a\nb\nc\n", "README.md": "r\n"}),
        FakeCommit(BEN, d(46), "Drop legacy auth", {"src/auth/legacy.py": None}),
        # after the cut
        FakeCommit(BEN, d(55), "PROJ-1 token again", {"src/auth/token.py": "x\n"}),
        FakeCommit(CY, d(56), "Session timeout PROJ-1 (#2)", {"src/auth/session.py": "s\nt\n"}),
        FakeCommit(CY, d(60), "Rename sessions", {}, renames={"src/auth/session.py": "src/auth/sessions.py"}),
        FakeCommit(BEN, d(62), "Tax PROJ-2", {"src/billing/tax.py": "t\n", "src/billing/invoice.py": "i\nj\n"}),
        FakeCommit(CY, d(70), "Tidy tax", {"src/billing/tax.py": "t\nu\n"}),
        FakeCommit(ANA, d(72), "Drop README", {"README.md": None}),
        FakeCommit(DEE, d(74), "Start a guide", {"docs/guide.md": "g\n"}),
    ]


def pull_requests(hashes: list[str]) -> list[PullRequest]:
    pr1 = PullRequest(REPO, 1, "Billing invoices", body="Invoices.", state="merged", author=CY_GH,
                      created_at=d(19), merged_at=d(21), closed_at=d(21), head_branch="billing",
                      reviews=(Review("r1", ANA_GH, "APPROVED", d(20.5)), Review("r1b", BEN_GH, "COMMENTED", d(52))),
                      review_comments=(ReviewComment("rc1", BEN_GH, "src/billing/invoice.py", "rounding?", d(20.2)),
                                       ReviewComment("rc2", ANA_GH, "src/billing/invoice.py", "late note", d(53))),
                      comments=(PrComment("c1", BEN_GH, "thanks", d(20.7)),
                                PrComment("c2", ANA_GH, "follow-up", d(51))),
                      files=(PrFile("src/billing/invoice.py", 1, 0, "A"),), commits=(hashes[2],))
    pr2 = PullRequest(REPO, 2, "Session timeout PROJ-1", body="", state="merged", author=CY_GH,
                      created_at=d(41), merged_at=d(56), closed_at=d(56), head_branch="session",
                      reviews=(Review("r2", ANA_GH, "CHANGES_REQUESTED", d(42)),
                               Review("r3", BEN_GH, "APPROVED", d(54))),
                      comments=(PrComment("c3", BEN_GH, "rebase please", d(55)),),
                      files=(PrFile("src/auth/session.py", 1, 0),))
    pr3 = PullRequest(REPO, 3, "Tax PROJ-2", state="open", author=BEN_GH, created_at=d(61),
                      reviews=(Review("r4", CY_GH, "APPROVED", d(63)),),
                      files=(PrFile("src/billing/tax.py", 1, 0, "A"), PrFile("src/billing/invoice.py", 1, 0)),
                      commits=(hashes[9],))
    pr4 = PullRequest(REPO, 4, "Token cache PROJ-1", body="Caches tokens.", state="closed", author=BEN_GH,
                      created_at=d(40), closed_at=d(57), head_branch="cache",
                      files=(PrFile("src/auth/token.py", 3, 0),), issue_refs=(Ref("PROJ-1", "title names PROJ-1"),))
    return [pr1, pr2, pr3, pr4]


def issues() -> list[Issue]:
    race = Issue("PROJ-1", "Refresh race", status="Done", status_category="done", issue_type="Bug",
                 resolution="Fixed", created_at=d(5), updated_at=d(58), resolved_at=d(58), reporter=ANA_J,
                 comments=(IssueComment("1", BEN_J, "seen it", d(6)), IssueComment("2", ANA_J, "again", d(57))),
                 transitions=(Transition(d(8), "Open", "In Progress", BEN_J),
                              Transition(d(58), "In Progress", "Done", BEN_J)))
    tax = Issue("PROJ-2", "Tax", status="To Do", status_category="new", issue_type="Task", created_at=d(60),
                reporter=BEN_J)
    billing = Issue("PROJ-3", "Billing", status="In Progress", status_category="indeterminate",
                    issue_type="Story", created_at=d(15), reporter=ANA_J,
                    transitions=(Transition(d(16), "Open", "In Progress", ANA_J),))
    other = Issue("PROJ-4", "Open thing", status="Open", status_category="new", issue_type="Task",
                  created_at=d(2), reporter=ANA_J)
    return [race, tax, billing, other]


def _until(at: int | None) -> int | None:
    return at if at is not None and at <= CUT else None


def pr_at_cut(pr: PullRequest, known: set[str]) -> PullRequest | None:
    """The PR as GitHub showed it at CUT: None before it was created; open until merged or closed."""
    if (pr.created_at or 0) > CUT:
        return None
    ended = pr.merged_at if pr.state == "merged" else pr.closed_at
    state = "open" if ended is not None and ended > CUT else pr.state
    return dataclasses.replace(
        pr, state=state, merged_at=_until(pr.merged_at), closed_at=_until(pr.closed_at),
        reviews=tuple(r for r in pr.reviews if (r.submitted_at or 0) <= CUT),
        review_comments=tuple(c for c in pr.review_comments if (c.created_at or 0) <= CUT),
        comments=tuple(c for c in pr.comments if (c.created_at or 0) <= CUT),
        commits=tuple(h for h in pr.commits if h in known))


def issue_at_cut(issue: Issue) -> Issue | None:
    """The issue as Jira showed it at CUT: status from the changes up to CUT, unresolved before."""
    if (issue.created_at or 0) > CUT:
        return None
    changes = tuple(t for t in issue.transitions if t.at <= CUT)
    later = [t for t in issue.transitions if t.at > CUT]
    status = changes[-1].to_status if changes and later else later[0].from_status if later else issue.status
    category = {"Open": "new", "In Progress": "indeterminate", "Done": "done"}.get(status, issue.status_category)
    resolved = _until(issue.resolved_at)
    return dataclasses.replace(
        issue, status=status, status_category=category if later else issue.status_category,
        resolution=issue.resolution if resolved or issue.resolved_at is None else "", resolved_at=resolved,
        comments=tuple(c for c in issue.comments if (c.created_at or 0) <= CUT), transitions=changes)


def _hashes(repo: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "log", "--all", "--format=%H %at %s"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    by_subject = {line.split(" ", 2)[2]: line.split(" ", 1)[0] for line in out}
    return [by_subject.get(c.message, "") for c in history()]  # "": not in this repository


def build(store: Store, repo: Path, *, cut: bool) -> Store:
    """Ingest the repository, then write the PRs and issues (all, or as they were at CUT)."""
    ingest_git(store, repo, config=CONFIG, name=REPO, clock=lambda: float(CUT + 100 * DAY))
    hashes = _hashes(repo)
    known = set(hashes) - {""}
    prs = pull_requests(hashes)
    with store.write() as db:
        for pr in prs:
            kept = pr_at_cut(pr, known) if cut else pr
            if kept is not None:
                write_pull_request(db, kept)
        for issue in issues():
            got = issue_at_cut(issue) if cut else issue
            if got is not None:
                write_issue(db, got)
        derive.refresh(db, CONFIG)
    return store


def _answer(ask: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """The answer, or the NotFound message (close matches included)."""
    try:
        return ask(*args, **kw)
    except NotFound as exc:
        return ("not found", str(exc))


def _questions(db: Any) -> list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]]:
    """Every question this test covers, with every subject the cut store knows and a few it does not."""
    files = paths.all_paths(db) + ["src/billing/tax.py", "src/auth/sessions.py", "no/such.py"]
    comps = paths.components(db) + ["nope"]
    qs: list[tuple[str, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
    for repo in (None, REPO):
        r = {"repo": repo}
        qs += [("issue-context", context.ask_issue, (k,), r) for k in ("PROJ-1", "PROJ-2", "PROJ-3", "PROJ-4")]
        qs += [("pr-context", context.ask_pr, (n,), r) for n in (1, 2, 3, 4)]
        qs += [("review-suggest", review_routing.ask, (n,), r) for n in (1, 2, 3)]
        qs += [(q, f, (p,), r) for p in files
               for q, f in (("file-context", context.ask_file), ("file-experts", expertise.ask_file))]
        qs += [(q, f, (c,), r) for c in comps + ["AUTH"]
               for q, f in (("component-experts", expertise.ask_component), ("onboarding", onboarding.ask))]
        qs += [("hygiene", hygiene.ask, (), r)]
    return qs


@pytest.fixture
def stores(tmp_path: Path, store: Store, request: pytest.FixtureRequest) -> tuple[Store, Store]:
    """(full store, cut store) on the same backend."""
    full_repo = build_repo(tmp_path / "full", history())
    cut_repo = build_repo(tmp_path / "cut", [c for c in history() if c.when <= CUT])
    kind = "sqlite" if store.dialect == "sqlite" else "postgres"
    other = _second_store(kind, tmp_path, request)
    return build(store, full_repo, cut=False), build(other, cut_repo, cut=True)


def _second_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    from tests.conftest import _make_store

    (tmp_path / "second").mkdir()
    return _make_store(kind, tmp_path / "second", request)


def test_every_question_at_the_cut_answers_as_the_cut_store(stores: tuple[Store, Store]) -> None:
    full, cut = stores
    now = datetime.fromtimestamp(CUT, UTC)
    with cut.read() as c, full.read() as f:
        questions = _questions(c)
        assert len(questions) > 40
        for name, ask, args, kw in questions:
            want = _answer(ask, c, *args, now=now, config=CONFIG, **kw)
            got = _answer(ask, f, *args, now=now, config=CONFIG, **kw)
            assert got == want, (name, args, kw)


def test_the_history_does_go_on_after_the_cut(stores: tuple[Store, Store]) -> None:
    """The full store answers differently at its own end: the test compares something."""
    full, _ = stores
    late = datetime.fromtimestamp(d(80), UTC)
    at_cut = datetime.fromtimestamp(CUT, UTC)
    with full.read() as f:
        assert context.ask_pr(f, 2, now=late, config=CONFIG).state == "merged"
        assert context.ask_pr(f, 2, now=at_cut, config=CONFIG).state == "open"
        assert context.ask_issue(f, "PROJ-1", now=late, config=CONFIG).status == "Done"
        assert context.ask_issue(f, "PROJ-1", now=at_cut, config=CONFIG).status == "In Progress"
        token_late = expertise.ask_file(f, "src/auth/token.py", now=late, config=CONFIG)
        token_cut = expertise.ask_file(f, "src/auth/token.py", now=at_cut, config=CONFIG)
        assert {e.person.name: e.commits for e in token_late.experts}["Ben Ode"] == 2
        assert {e.person.name: e.commits for e in token_cut.experts}["Ben Ode"] == 1
        with pytest.raises(NotFound):
            context.ask_pr(f, 3, now=at_cut, config=CONFIG)
        with pytest.raises(NotFound):
            expertise.ask_file(f, "src/billing/tax.py", now=at_cut, config=CONFIG)


def test_an_unknown_repository_is_not_found_with_close_names(stores: tuple[Store, Store]) -> None:
    full, _ = stores
    now = datetime.fromtimestamp(CUT, UTC)
    with full.read() as f:
        with pytest.raises(NotFound, match="acme"):
            expertise.ask_file(f, "src/auth/token.py", now=now, config=CONFIG, repo="acm")


def test_files_deleted_or_renamed_away_are_not_current(stores: tuple[Store, Store]) -> None:
    """legacy.py was deleted before the cut; README.md is deleted and session.py renamed away after
    it: at the cut only legacy.py is gone, at the end all three are, in both stores."""
    full, cut = stores
    at_cut = datetime.fromtimestamp(CUT, UTC)
    late = datetime.fromtimestamp(d(80), UTC)
    for store in (full, cut):
        with store.read() as db:
            everything = paths.all_paths(db, now=CUT)
            assert "src/auth/legacy.py" not in everything
            assert {"README.md", "src/auth/session.py"} <= set(everything)
            auth = paths.component_files(db, "auth", now=CUT)
            assert auth == ("src/auth/session.py", "src/auth/token.py")
            board = onboarding.ask(db, "auth", now=at_cut, config=CONFIG)
            assert [f.path for f in board.files] == ["src/auth/token.py", "src/auth/session.py"]
            assert expertise.ask_component(db, "auth", now=at_cut, config=CONFIG).paths == auth
            with pytest.raises(NotFound) as missing:
                expertise.ask_file(db, "src/auth/legacyy.py", now=at_cut, config=CONFIG)
            assert "legacy.py" not in str(missing.value)
            # a deleted file keeps its history
            assert context.ask_file(db, "src/auth/legacy.py", now=at_cut, config=CONFIG).recent
    with full.read() as db:
        gone = {"README.md", "src/auth/session.py", "src/auth/legacy.py"}
        assert not gone & set(paths.all_paths(db))
        assert not gone & set(paths.all_paths(db, now=d(80)))
        assert paths.component_files(db, "auth") == ("src/auth/sessions.py", "src/auth/token.py")
        board = onboarding.ask(db, "auth", now=late, config=CONFIG)
        assert {f.path for f in board.files} == {"src/auth/token.py", "src/auth/sessions.py"}
        report = {c.name: c for c in hygiene.ask(db, now=late, config=CONFIG).checks}
        # files that exist at the end: token, sessions, invoice, tax, docs/guide.md; README.md is gone
        assert report["files_without_component"].denominator == 5


def test_closed_and_merged_after_the_cut_are_open_at_the_cut(stores: tuple[Store, Store]) -> None:
    """PR #4 was closed unmerged on day 57: file-context, issue-context and onboarding list it as
    open at the cut, closed at the end."""
    full, _ = stores
    at_cut = datetime.fromtimestamp(CUT, UTC)
    late = datetime.fromtimestamp(d(80), UTC)
    with full.read() as db:
        for now, state in ((at_cut, "open"), (late, "closed")):
            file_prs = {p.number: p.state for p in context.ask_file(db, "src/auth/token.py", now=now,
                                                                    config=CONFIG).prs}
            issue_prs = {p.number: p.state for p in context.ask_issue(db, "PROJ-1", now=now, config=CONFIG).prs}
            board = {p.number: p.state for p in onboarding.ask(db, "auth", now=now, config=CONFIG).prs}
            assert file_prs[4] == issue_prs[4] == board[4] == state
        assert {p.number: p.state for p in onboarding.ask(db, "auth", now=at_cut, config=CONFIG).prs}[2] == "open"


def test_hygiene_counts_what_was_known_at_the_cut(stores: tuple[Store, Store]) -> None:
    """The counts at the cut, worked out from the history (see each comment)."""
    full, _ = stores
    at_cut = datetime.fromtimestamp(CUT, UTC)
    with full.read() as db:
        checks = {c.name: c for c in hygiene.ask(db, now=at_cut, config=CONFIG).checks}
        accounts = {e for c in hygiene.ask(db, now=at_cut, config=CONFIG).suggestions for e in c.accounts}
    # non-merge commits up to day 50: days 1, 10, 20, 45, 46 -> 5; naming a key: days 10, 20 -> 2
    commits = checks["commits_without_issue"]
    assert (commits.count, commits.denominator) == (3, 5)
    # PRs created by the cut: #1 (day 19), #2 (day 41), #4 (day 40); #1's commit names PROJ-3, #4 has
    # the ref PROJ-1; #2 has no ref written and lists no commit (its squash lands after the cut): 1 of 3
    prs = checks["prs_without_issue"]
    assert (prs.count, prs.denominator) == (1, 3)
    # no issue is done at the cut (PROJ-1 is done on day 58)
    assert checks["done_issues_without_commit"].denominator == 0
    # Dee is first seen after the cut: no account of hers is checked
    assert not any("dee" in a.lower() for a in accounts)
    assert not any("Dee" in e for e in checks["identities_unresolved"].examples)
    with full.read() as db:
        late = {c.name: c for c in hygiene.ask(db, now=datetime.fromtimestamp(d(80), UTC), config=CONFIG).checks}
    assert any("Dee" in e for e in late["identities_unresolved"].examples)  # seen at the end
    assert late["identities_unresolved"].denominator > checks["identities_unresolved"].denominator

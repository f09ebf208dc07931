"""Context agents on the team history of tests/agents/teamdata.py, on SQLite and PostgreSQL.

Expected values are read off the history by hand (see teamdata's docstring for who did what).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from teammemory.agents import context
from teammemory.agents.context_common import rank_people
from teammemory.agents.context_pr import PrFileRow, pr_files
from teammemory.agents.evidence import Person
from teammemory.errors import InputError, NotFound
from teammemory.model import PullRequest
from teammemory.store import Store
from teammemory.store.write import write_pull_request
from tests.agents import teamdata

C = teamdata.CONFIG


@pytest.fixture
def team(store: Store) -> Store:
    return teamdata.build(store)


def test_issue_context_links_prs_commits_files_and_people(team: Store, now: datetime) -> None:
    with team.read() as db:
        ctx = context.ask_issue(db, "proj-1247", now=now, config=C)  # keys are case-insensitive
    assert (ctx.key, ctx.summary, ctx.status, ctx.priority, ctx.issue_type) == (
        "PROJ-1247", "Token refresh race condition", "In Progress", "High", "Bug")
    assert ctx.components == ("auth",)
    assert ctx.reporter == Person("burak-kaya", "Burak Kaya")
    assert ctx.assignee == Person("mehmet-turac", "Mehmet Turac")
    assert ctx.description == ("When two requests refresh the token at the same time,"
                               " one of them fails with 401.")
    # PR #382: its branch names the key, and it contains c2 (names the key) and the merge c4 (names it too)
    [pr] = ctx.prs
    assert (pr.repo, pr.number, pr.state) == ("acme/app", 382, "merged")
    assert pr.found_by == ("contains commit c200000 linked to PROJ-1247",
                           "contains commit c400000 linked to PROJ-1247", "key PROJ-1247 in PR branch")
    # c3 names no key but is in the PR; newest first; the merge commit is kept apart
    assert [(c.short, c.author.name, c.found_by) for c in ctx.commits] == [
        ("c300000", "Ayşe Demir", ("in PR #382",)),
        ("c200000", "Mehmet Turac", ("in PR #382", "key PROJ-1247 in commit message"))]
    assert [c.short for c in ctx.merges] == ["c400000"]
    # token_service: c2 (+10 -2) and c3 (+5 -1); lock.py: c3 (+20)
    assert [(f.path, f.commits, f.added, f.deleted) for f in ctx.files] == [
        ("src/auth/token_service.py", 2, 15, 3), ("src/auth/lock.py", 1, 20, 0)]
    assert [(li.key, li.link, li.ingested, li.summary) for li in ctx.links] == [
        ("PROJ-999", "is duplicated by", False, ""), ("PROJ-1200", "relates to", True, "Session handling")]
    # Mehmet: author of c2, co-author of c3, author of PR #382 = 3; Ayşe: author of c3 = 1 (her review and
    # comments do not move her out of the first group); Burak: 1 review (his comments come later); no bot
    assert [(p.name, p.role, p.count) for p in ctx.people] == [
        ("Mehmet Turac", "author", 3), ("Ayşe Demir", "author", 1), ("Burak Kaya", "reviewer", 1)]
    assert [(t.date, t.from_status, t.to_status, t.who) for t in ctx.transitions] == [
        ("2026-05-21", "Open", "In Progress", "Mehmet Turac")]


def test_issue_context_of_a_key_only_commits_name(team: Store, now: datetime) -> None:
    with team.read() as db:
        ctx = context.ask_issue(db, "PROJ-1300", now=now, config=C)
    assert (ctx.key, ctx.ingested, ctx.summary) == ("PROJ-1300", False, "")
    assert [(c.short, c.found_by) for c in ctx.commits] == [("c700000", ("key PROJ-1300 in commit message",))]
    assert ctx.prs == () and ctx.links == ()
    assert [(p.key, p.role) for p in ctx.people] == [("ayse-demir-2", "author")]


def test_unknown_issue_suggests_close_keys(team: Store, now: datetime) -> None:
    with team.read() as db, pytest.raises(NotFound) as err:
        context.ask_issue(db, "PROJ-124", now=now, config=C)
    assert err.value.suggestions[0] == "PROJ-1247"


def test_pr_context(team: Store, now: datetime) -> None:
    with team.read() as db:
        ctx = context.ask_pr(db, 382, now=now, config=C)
    assert (ctx.title, ctx.state, ctx.author, ctx.head_branch, ctx.merged) == (
        "Fix token refresh race condition", "merged", Person("mehmet-turac", "Mehmet Turac"), "PROJ-1247-fix",
        "2026-05-24")
    assert ctx.body == "Two refreshes could race. Adds a lock."
    [issue] = ctx.issues
    assert (issue.key, issue.status) == ("PROJ-1247", "In Progress")
    assert issue.found_by == ("commit c200000: key PROJ-1247 in commit message",
                              "commit c400000: key PROJ-1247 in commit message", "key PROJ-1247 in PR branch")
    assert [(c.short, c.found_by) for c in ctx.commits] == [("c300000", ("PR #382 lists commit",)),
                                                            ("c200000", ("PR #382 lists commit",))]
    # the merge commit is found twice: GitHub's merge_commit, and git's "Merge pull request #382"
    assert [(c.short, c.found_by) for c in ctx.merges] == [
        ("c400000", ("'Merge pull request #382' in commit subject", "merge commit of PR #382"))]
    assert ctx.files_from == "pull request"
    assert [(f.path, f.commits, f.added, f.deleted) for f in ctx.files] == [
        ("src/auth/token_service.py", 2, 15, 3), ("src/auth/lock.py", 1, 20, 0)]
    assert [(r.reviewer.name if r.reviewer else "", r.state) for r in ctx.reviews] == [
        ("Ayşe Demir", "COMMENTED"), ("Burak Kaya", "APPROVED")]  # oldest first: t(8.7) before t(8.5)
    assert [(c.kind, c.path, c.author.name if c.author else "") for c in ctx.comments] == [
        ("comment", "", "dependabot[bot]"), ("review comment", "src/auth/token_service.py", "Burak Kaya"),
        ("comment", "", "Ayşe Demir")]
    # the bot's comment is shown but the bot is not a person in context
    assert [(p.name, p.role, p.count) for p in ctx.people] == [
        ("Mehmet Turac", "author", 3), ("Ayşe Demir", "author", 1), ("Burak Kaya", "reviewer", 1)]


def test_pr_number_in_two_repositories_needs_the_repo(team: Store, now: datetime) -> None:
    with team.write() as db:
        write_pull_request(db, PullRequest("acme/other", 382, "Unrelated"))
    with team.read() as db:
        with pytest.raises(InputError, match="acme/app, acme/other"):
            context.ask_pr(db, 382, now=now, config=C)
        assert context.ask_pr(db, 382, now=now, config=C, repo="acme/other").title == "Unrelated"
        with pytest.raises(NotFound) as err:
            context.ask_pr(db, 383, now=now, config=C)
    assert err.value.suggestions == ("#382",)


def test_pr_files_come_from_github_else_from_commits() -> None:
    from teammemory.agents.context_common import FileChurn
    commits = [FileChurn("a.py", 2, 5, 1), FileChurn("b.py", 1, 9, 9)]
    assert pr_files([], commits) == ("commits", commits)
    assert pr_files([], []) == ("", [])
    source, files = pr_files([PrFileRow("c.py", 50, 0), PrFileRow("a.py", 4, 1)], commits)
    assert source == "pull request"
    assert files == [FileChurn("a.py", 2, 4, 1), FileChurn("c.py", 0, 50, 0)]  # more commits first


def test_file_context_follows_the_rename(team: Store, now: datetime) -> None:
    with team.read() as db:
        ctx = context.ask_file(db, "./src/auth/locking.py", now=now, config=C)
    assert (ctx.path, ctx.component, ctx.earlier_paths, ctx.commit_count) == (
        "src/auth/locking.py", "auth", ("src/auth/lock.py",), 3)
    # Mehmet: c3 as co-author (+20 on lock.py) and the rename c6 (0 lines): 2 commits, 20 lines;
    # Ayşe: c3 (20 lines); her old address (another person until merged): c7 (+4 -2 = 6)
    assert [(p.key, p.commits, p.churn) for p in ctx.changed_most] == [
        ("mehmet-turac", 2, 20), ("ayse-demir", 1, 20), ("ayse-demir-2", 1, 6)]
    assert ctx.last_touched is not None and ctx.last_touched.short == "c700000"
    assert [(b.issue.key, b.commits, b.issue.ingested) for b in ctx.issues] == [
        ("FOO-7", 1, False), ("PROJ-1300", 1, False)]
    assert [(p.number, p.found_by) for p in ctx.prs] == [
        (382, ("contains commit c300000", "lists src/auth/lock.py"))]
    assert [(c.short, c.found_by) for c in ctx.recent] == [
        ("c700000", ("changed src/auth/locking.py",)), ("c600000", ("changed src/auth/locking.py",)),
        ("c300000", ("changed src/auth/lock.py",))]


def test_file_context_ranks_by_commits_then_churn(team: Store, now: datetime) -> None:
    with team.read() as db:
        ctx = context.ask_file(db, "src/auth/token_service.py", now=now, config=C, limit=2)
    # Ayşe: c1 (+50) and c3 (+5 -1) = 2 commits, 56 lines; Mehmet: c2 (+10 -2) and c3 as co-author = 2, 18
    assert [(p.name, p.commits, p.churn) for p in ctx.changed_most] == [
        ("Ayşe Demir", 2, 56), ("Mehmet Turac", 2, 18)]
    assert [c.short for c in ctx.recent] == ["c300000", "c200000"]
    assert [(b.issue.key, b.issue.summary) for b in ctx.issues] == [
        ("PROJ-1247", "Token refresh race condition")]


def test_file_context_counts_every_commit_whatever_the_limit(team: Store, now: datetime) -> None:
    with team.read() as db:
        none = context.ask_file(db, "src/auth/locking.py", now=now, config=C, limit=0)
        one = context.ask_file(db, "src/auth/locking.py", now=now, config=C, limit=1)
    # refs are built only for the commits shown, but the count and the last touch see them all
    assert (none.commit_count, none.recent, none.changed_most) == (3, (), ())
    assert none.last_touched is not None and none.last_touched.short == "c700000"
    assert one.commit_count == 3 and [c.short for c in one.recent] == ["c700000"]


def test_unknown_file_suggests_close_paths(team: Store, now: datetime) -> None:
    with team.read() as db, pytest.raises(NotFound) as err:
        context.ask_file(db, "src/auth/tokn_service.py", now=now, config=C)
    assert err.value.suggestions[0] == "src/auth/token_service.py"


def test_answers_are_deterministic(team: Store, now: datetime) -> None:
    answers = []
    for _ in range(2):
        with team.read() as db:
            answers.append((context.ask_issue(db, "PROJ-1247", now=now, config=C),
                            context.ask_pr(db, 382, now=now, config=C),
                            context.ask_file(db, "src/auth/locking.py", now=now, config=C)))
    assert answers[0] == answers[1]


def test_rank_people_keeps_each_person_in_their_first_group() -> None:
    ana, bo, cy, bot = Person("ana", "Ana"), Person("bo", "Bo"), Person("cy", "Cy"), Person("ci", "ci[bot]")
    facts = [("commenter", ana, False), ("reviewer", bo, False), ("commenter", bo, False),
             ("author", cy, False), ("reviewer", ana, False), ("reviewer", ana, False),
             ("commenter", bot, True), ("author", bot, True),
             ("commenter", Person("dee", "Dee"), False), ("commenter", Person("al", "Al"), False)]
    # Cy authored; Ana reviewed twice, Bo once (both left out of commenters); Al and Dee commented once each
    assert [(p.key, p.role, p.count) for p in rank_people(facts)] == [
        ("cy", "author", 1), ("ana", "reviewer", 2), ("bo", "reviewer", 1), ("al", "commenter", 1),
        ("dee", "commenter", 1)]

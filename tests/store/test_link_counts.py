"""Hygiene's link counts (store/link_counts.py) equal what they count, however the store got there:
git in steps, Jira issues that make more keys known (the links are re-derived), new component
rules, a rewritten history; and hygiene answers alike from the counts and from the raw rows."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teammemory.agents import hygiene, hygiene_links
from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.ingest.jira import ingest_jira_files
from teammemory.store import Store, link_counts
from tests.helpers.gitrepo import FakeCommit, build_repo, rev
from tests.ingest.test_ingest_git import git

DAY = 86400
T = 1700000000  # 2023-11-14
ANA, BO, BOT = ("Ana Lima <ana@example.com>", "Bo <bo@example.com>",
                "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")
HISTORY = [
    FakeCommit(ANA, T, "PROJ-1 add parser", {"src/parser.py": "a\n", "README": "hi\n"}),
    FakeCommit(BO, T + 40 * DAY, "WEB-2 style the page", {"web/page.css": "a\n"}),
    FakeCommit(BO, T + 41 * DAY, "FOO-3 and PROJ-1 both", {"src/parser.py": "b\n", "web/page.css": "b\n"}),
    FakeCommit(BOT, T + 42 * DAY, "PROJ-4 bump deps", {"web/package.json": "1\n"}),
    FakeCommit(ANA, T + 80 * DAY, "no key at all", {"src/lexer.py": "x\n"}, branch="topic", from_=2),
    FakeCommit(BO, T + 81 * DAY, "Merge branch 'topic' for PROJ-5", {"src/lexer.py": "x\n"}, merge=4),
    FakeCommit(ANA, T + 120 * DAY, "WEB-6 more style", {"web/page.css": "c\n"}),
    FakeCommit(BOT, T + 121 * DAY, "bump again", {"web/package.json": "2\n"}),
    FakeCommit(BO, T + 122 * DAY, "PROJ-7 squashed (#12)", {"src/squash.py": "s\n"}),  # through PR #12
]
CONFIG = Config(project_keys=("PROJ",))
NOW = datetime.fromtimestamp(T + 400 * DAY, UTC)


def ingest(store: Store, path: Path, config: Config = CONFIG) -> None:
    ingest_git(store, path, config=config, name="proj", clock=lambda: 1800000000.0)


def ingest_web_issues(store: Store, tmp_path: Path) -> None:
    """A Jira issue of project WEB: WEB becomes a known project, and the links are re-derived."""
    created = datetime.fromtimestamp(T, UTC).isoformat()
    issue = {"key": "WEB-2", "fields": {"summary": "Style", "issuetype": {"name": "Task"},
                                        "status": {"name": "Done", "statusCategory": {"key": "done"}},
                                        "created": created, "updated": created}}
    (tmp_path / "jira.json").write_text(json.dumps({"issues": [issue], "startAt": 0, "total": 1}), encoding="utf-8")
    ingest_jira_files(store, [tmp_path / "jira.json"], config=CONFIG)


def stored(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.read() as db:
        return (sorted(tuple(r.values()) for r in db.all("select repo, hash, projects from commit_hygiene")),
                sorted(tuple(r.values()) for r in db.all(
                    "select repo, component, month, is_merge, projects, commits from commit_link_counts")))


def expected(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The counts by their definition (migration 0013), from the raw rows, in Python."""
    with store.read() as db:
        commits = db.all("select repo, hash, authored_at, is_merge from commits")
        links = db.all("select repo, hash, project from commit_issues")
        changed = db.all("select cf.repo, cf.hash, f.component from commit_files cf"
                         " join files f on f.repo = cf.repo and f.path = cf.path")
    named: dict[tuple[str, str], set[str]] = {}
    for r in links:
        named.setdefault((r["repo"], r["hash"]), set()).add(r["project"])
    projects = {(c["repo"], c["hash"]): json.dumps(sorted(named.get((c["repo"], c["hash"]), ()))) for c in commits}
    merge = {(c["repo"], c["hash"]): int(c["is_merge"] != 0) for c in commits}
    counts: Counter[tuple[Any, ...]] = Counter()
    for c in commits:
        g = time.gmtime(c["authored_at"])
        key = (c["repo"], c["hash"])
        counts[(c["repo"], "", g.tm_year * 12 + g.tm_mon - 1, merge[key], projects[key])] += 1
    for repo, h, component in sorted({(r["repo"], r["hash"], r["component"]) for r in changed if r["component"]}):
        counts[(repo, component, -1, merge[(repo, h)], projects[(repo, h)])] += 1
    return sorted((r, h, p) for (r, h), p in projects.items()), sorted(k + (n,) for k, n in counts.items())


def answers(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[hygiene.HygieneReport, hygiene.HygieneReport]:
    """hygiene from the counts, and from the raw rows (as before the newest commit)."""
    with store.read() as db:
        assert hygiene_links.read(db, int(NOW.timestamp()), None) is not None  # the counts answer
        fast = hygiene.ask(db, now=NOW, config=CONFIG)
    with monkeypatch.context() as m:
        m.setattr(hygiene_links, "read", lambda *args: None)
        with store.read() as db:
            slow = hygiene.ask(db, now=NOW, config=CONFIG)
    return fast, slow


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", HISTORY)


@pytest.mark.parametrize("few", [link_counts.FEW, 0])  # new commits read by key, or in one pass
def test_in_steps_git_jira_git(store: Store, history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               few: int) -> None:
    monkeypatch.setattr(link_counts, "FEW", few)
    head = rev(history)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~2"))
    ingest(store, history)
    assert stored(store) == expected(store)
    ingest_web_issues(store, tmp_path)
    got = stored(store)
    assert got == expected(store)
    git(history, "update-ref", "refs/heads/main", head)
    ingest(store, history)
    got = stored(store)
    assert got == expected(store)
    assert len(got[0]) == len(HISTORY)
    fast, slow = answers(store, monkeypatch)
    assert fast == slow
    checks = {c.name: c for c in fast.checks}
    # people's non-merge commits: 0 1 2 4 6 8 (3 and 7 are the bot's, 5 a merge); PROJ and WEB are
    # known, FOO is not: 0 (PROJ), 1 (WEB), 2 (PROJ), 6 (WEB), 8 (PROJ) linked, 4 not -> 1 of 6
    assert (checks["commits_without_issue"].count, checks["commits_without_issue"].denominator) == (1, 6)
    coverage = {(c.scope, c.name): (c.linked, c.commits) for c in fast.coverage}
    assert coverage[("repository", "proj")] == (5, 6)
    assert coverage[("component", "web")] == (3, 3)  # 1, 2, 6 changed web/ (3 and 7 are the bot's)
    assert coverage[("component", "src")] == (3, 4)  # 0, 2, 4, 8
    # the first-parent chain: 8 7 6 5 3 2 1 0 (4 is off it, behind the merge 5); 8 came through #12
    direct = checks["commits_without_pr"]
    assert (direct.count, direct.denominator) == (7, 8)


def test_new_rules_and_rewritten_history(store: Store, history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(store, history)
    moved = dataclasses.replace(CONFIG, component_rules=(("src/parser.py", "parsing"), ("*/**", "{1}")))
    ingest(store, history, moved)  # nothing new in git: the components change, the counts follow
    assert stored(store) == expected(store)
    assert {r[1] for r in stored(store)[1]} == {"", "parsing", "src", "web"}
    git(history, "checkout", "-q", "-B", "main", rev(history, "HEAD~2"))
    (history / "src" / "lexer.py").write_text("z\n")
    git(history, "add", "-A")
    git(history, "-c", "user.name=Zed", "-c", "user.email=zed@example.com", "commit", "-q",
        "--date", f"@{T + 200 * DAY} +0000", "-m", "PROJ-9 redo")
    ingest(store, history)
    assert stored(store) == expected(store)
    fast, slow = answers(store, monkeypatch)
    assert fast == slow


def test_counts_behind_the_commits_do_not_answer(store: Store, history: Path) -> None:
    """Commits written outside an ingest (no refresh): the raw rows answer."""
    ingest(store, history)
    with store.write() as db:
        db.execute("delete from commit_hygiene where hash = :h", h=rev(history))
        db.execute("delete from commit_link_counts where month = (select max(month) from commit_link_counts)")
        db.execute("delete from pr_commits")
    with store.read() as db:
        assert hygiene_links.read(db, int(NOW.timestamp()), None) is None
        assert hygiene_links.read(db, int(NOW.timestamp()), "proj") is None
        assert hygiene.Q["first-parent-counts-kept"]
        assert not db.all(hygiene.Q["first-parent-counts-kept"].sql, repo="")  # the PR rows changed


def test_count_rows_by_hand() -> None:
    jan = int(datetime(2024, 1, 31, 23, 59, tzinfo=UTC).timestamp())  # the last minute of January
    feb = int(datetime(2024, 2, 1, tzinfo=UTC).timestamp())
    hygiene_rows, counts = link_counts.count_rows(
        [("r", "a", jan, 0), ("r", "b", feb, 0), ("r", "c", feb, 1)],
        {("r", "a"): ["P", "P", "O"]}, [("r", "a", "x"), ("r", "c", "x"), ("r", "zz", "x")])
    assert hygiene_rows == [("r", "a", '["O", "P"]'), ("r", "b", "[]"), ("r", "c", "[]")]
    assert counts == [("r", "", 2024 * 12 + 0, 0, '["O", "P"]', 1), ("r", "", 2024 * 12 + 1, 0, "[]", 1),
                      ("r", "", 2024 * 12 + 1, 1, "[]", 1), ("r", "x", -1, 0, '["O", "P"]', 1),
                      ("r", "x", -1, 1, "[]", 1)]


def test_layout_components_restated_in_steps(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a layout's rules new files move old files to other components (src/parser/ makes
    src/parser.py beside it `parser`'s): the restated commits' component rows are taken out and
    put back, and the new commit alone is counted."""
    layout = dataclasses.replace(CONFIG, component_rules=(("**", "{layout}"),))
    history = build_repo(tmp_path / "split", [*HISTORY, FakeCommit(ANA, T + 130 * DAY, "PROJ-8 split the parser",
                                                                   {"src/parser/extra.py": "e\n"})])
    head = rev(history)
    for back in [rev(history, b) for b in ("HEAD~6", "HEAD~3", "HEAD~1")]:
        git(history, "update-ref", "refs/heads/main", back)
        ingest(store, history, layout)
        assert stored(store) == expected(store)
    git(history, "update-ref", "refs/heads/main", head)
    counted: list[int] = []
    restated: list[int] = []
    count_rows, subtract = link_counts.count_rows, link_counts.subtract_restated

    def counting(commits: Any, *args: Any) -> Any:
        commits = list(commits)
        counted.append(len(commits))
        return count_rows(commits, *args)

    def subtracting(db: Any) -> None:
        restated.append(int(db.scalar("select count(*) as n from commits where summarized = 2")))
        subtract(db)

    monkeypatch.setattr(link_counts, "count_rows", counting)
    monkeypatch.setattr(link_counts, "subtract_restated", subtracting)
    ingest(store, history, layout)
    got = stored(store)
    assert got == expected(store)
    assert restated and restated[0] > 0
    assert counted == [1]  # the one new commit: the restated ones were not counted again
    fast, slow = answers(store, monkeypatch)
    assert fast == slow

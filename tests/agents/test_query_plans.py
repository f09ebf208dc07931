"""The query plans that keep issue-context and bus-factor fast on a long history (issue 11), read
from SQLite's EXPLAIN QUERY PLAN on a migrated store given the ANALYZE statistics of the
100,000-commit bench store (every ingest ends with ANALYZE, and the planner follows them).

Without these shapes SQLite builds a Bloom filter over every commit for a few dozen lookups, reads
every commit-issue link to match a key in any letter case, or groups every activity row: each
~20-50 ms on the 100,000-commit bench store. The answers themselves are tested elsewhere
(tests/agents/test_context.py, test_bus_factor.py, test_as_of.py); this guards the plans.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from teammemory.store import Store, queries

ISSUE = queries.load("teammemory.agents.sql", "context_issue.sql")
HISTORY = queries.load("teammemory.agents.sql", "file_history.sql")


# sqlite_stat1 rows of the bench store after its ingest (tbl, idx, stat)
LONG_HISTORY = [
    ("commit_files", "sqlite_autoindex_commit_files_1", "206763 1001 3 1"),
    ("commit_issues", "commit_issues_key", "35340 5"),
    ("commit_issues", "sqlite_autoindex_commit_issues_1", "41328 1001 2 1 1"),
    ("commit_people", "commit_people_identity", "143964 501"),
    ("commit_people", "sqlite_autoindex_commit_people_1", "94944 1001 2 2 1"),
    ("commits", "commits_author", "97980 501"),
    ("commits", "commits_hash", "106704 1"),
    ("commits", "commits_time", "130678 1"),
    ("commits", "sqlite_autoindex_commits_1", "112332 1001 1"),
    ("pr_commits", "pr_commits_hash", "21280 1"),
    ("pr_commits", "pr_commits_number", "45066 1 1"),
    ("pr_commits", "sqlite_autoindex_pr_commits_1", "40480 1001 1 1 1"),
]


def _plan(store: Store, sql: str, **params: object) -> list[str]:
    with sqlite3.connect(Path(store.url.target)) as conn:  # the statistics a long history leaves
        conn.execute("analyze")
        conn.execute("delete from sqlite_stat1")
        conn.executemany("insert into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)", LONG_HISTORY)
    conn.close()
    with store.read() as db:
        return [str(r["detail"]) for r in db.all("explain query plan " + sql, **params)]


def test_the_issue_s_commits_are_looked_up_not_filtered_through_a_bloom_filter(sqlite_store: Store) -> None:
    for name in ("people", "files"):
        plan = _plan(sqlite_store, ISSUE[name].text, key="PROJ-1", now=0)
        assert not [step for step in plan if step.startswith("BLOOM FILTER ON c ")], (name, plan)


def test_a_key_in_any_letter_case_is_found_through_the_lower_case_indexes(sqlite_store: Store) -> None:
    plan = _plan(sqlite_store, ISSUE["referenced-keys"].text, key="proj-1", now=0)
    assert any("commit_issues_key_lower" in step for step in plan), plan
    assert any("pr_issues_key_lower" in step for step in plan), plan


def test_last_activity_seeks_each_account_instead_of_scanning_every_row(sqlite_store: Store) -> None:
    plan = _plan(sqlite_store, HISTORY["last-activity"].text, now=0)
    assert not [step for step in plan if step.startswith("SCAN people_activity")], plan

"""Upgrades that keep data right: a store made by any released TeamMemory, brought up to date by
this one, is a store this one would have made — the same schema, and links found by today's rules.

Old stores are built from the migration files exactly as each release had them
(tests/fixtures/schemas/, one folder per commit that changed them; git history is never read
here), on SQLite and PostgreSQL. Cases:
- every released schema, upgraded, equals a fresh store's: tables, columns (name, type,
  nullability, default, key), indexes (name, columns, uniqueness, condition), views;
- a store of the first release keeps its rows, `init-db` migrates it (it once said "already
  current"), and `sync github` works on it (it once failed with "no such table: http_cache");
- migrations 0004 and 0005 change nothing on a fresh store; released migrations never change;
- links written by older rules (a parser that found 4 of 7 commit->issue links) are re-derived
  by the next ingest, commit->issue and PR->issue, idempotently, with the bug-fix flags the links
  decided; rules that did not change cost nothing (the parser is not called).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory import derive
from teammemory.config import Config
from teammemory.ingest import run
from teammemory.ingest.git import ingest_git
from teammemory.ingest.links import fingerprint
from teammemory.ingest.sync import sync_github
from teammemory.outputs.cli import app
from teammemory.sources import github, gitparse
from teammemory.sources.http import Http, RetryPolicy
from teammemory.store import Store, Writer, migrate
from tests.helpers import postgres
from tests.helpers.gitrepo import FakeCommit, build_repo
from tests.helpers.replay_server import ReplayServer, serving
from tests.helpers.schema import Schema, schema_of

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
RELEASES = sorted(p.name for p in SCHEMAS.iterdir() if p.is_dir())
FIRST, NEWEST = "d668aad", "18aaae8"  # the first release, and the newest (its files are today's 0001-0005)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
REPO = "owner/repo"
OLD_RULES = "written by a parser before closing keywords"


@pytest.fixture(params=BACKENDS)
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Store]:
    """Makes empty, unmigrated stores on one backend."""
    made = iter(range(1000))

    def make() -> Store:
        if request.param == "sqlite":
            return Store.open(str(tmp_path / f"s{next(made)}.db"))
        cluster: postgres.Cluster = request.getfixturevalue("pg_cluster")
        return Store.open(cluster.create_database())

    return make


def build_release(store: Store, release: str) -> Store:
    """The store that `release` created: its migration files, applied as its runner applied them."""
    with store.write() as db:
        db.execute("create table if not exists schema_migrations ("
                   " version integer primary key, name text not null, applied_at bigint not null)")
        for m in migrate.read_migrations(SCHEMAS / release, db.dialect):
            for statement in migrate.split_statements(m.sql):
                db.execute(statement)
            db.execute("insert into schema_migrations (version, name, applied_at) values (:v, :n, 0)",
                       v=m.version, n=m.name)
    return store


def schema(store: Store) -> Schema:
    with store.write() as db:  # a writer: an old store is refused by read()
        return schema_of(db)


_FRESH: dict[str, Schema] = {}


def fresh_schema(make: Callable[[], Store]) -> Schema:
    """The schema of a store that today's migrations create (once per backend)."""
    store = make()
    if store.dialect not in _FRESH:
        with store.write() as db:
            migrate.apply(db)
        _FRESH[store.dialect] = schema(store)
    return _FRESH[store.dialect]


# -- every released schema, upgraded, is today's schema ------------------------------------------

@pytest.mark.parametrize("release", RELEASES)
def test_every_released_schema_upgrades_to_a_fresh_one(blank: Callable[[], Store], release: str) -> None:
    old = build_release(blank(), release)
    with old.write() as db:
        applied = [m.version for m in migrate.apply(db)]
        version = migrate.current_version(db)
    assert version == migrate.latest_version() and (applied or release == NEWEST)
    upgraded, fresh = schema(old), fresh_schema(blank)
    assert set(upgraded.tables) == set(fresh.tables)
    for table in fresh.tables:
        assert upgraded.tables[table] == fresh.tables[table], table
    assert upgraded.indexes == fresh.indexes
    assert upgraded.views == fresh.views
    with old.read() as db:  # and a reader takes it as current
        assert migrate.current_version(db) == migrate.latest_version()


def test_the_fixtures_are_every_release_and_differ_from_each_other() -> None:
    """One folder per commit that changed the migrations, each holding a different set of files."""
    assert len(RELEASES) == 10 and FIRST in RELEASES and NEWEST in RELEASES
    contents = {tuple(sorted((p.name, p.read_text()) for p in (SCHEMAS / r).iterdir())) for r in RELEASES}
    assert len(contents) == len(RELEASES)
    assert all(release in (SCHEMAS / "README.md").read_text() for release in RELEASES)


def test_released_migrations_never_change() -> None:
    """Today's files of the released versions are exactly the newest release's; a new migration
    takes a new number."""
    package = Path(migrate.__file__).parent / "migrations"
    released = {p.name: p.read_text() for p in (SCHEMAS / NEWEST).iterdir()}
    newest = max(int(name[:4]) for name in released)
    ours = {p.name: p.read_text() for p in package.glob("*.sql") if int(p.name[:4]) <= newest}
    assert ours == released


def test_the_repair_migrations_change_nothing_on_a_fresh_store(blank: Callable[[], Store]) -> None:
    store = build_release(blank(), "f006a5b")  # the last release before the repairs
    before = schema(store)
    with store.write() as db:
        for m in migrate.migrations(db.dialect):  # 0004 and 0005 alone (0006 adds repository identity)
            for statement in migrate.split_statements(m.sql) if m.version in (4, 5) else ():
                db.execute(statement)
        assert db.all("select source, target from cursors") == []  # nothing to re-derive
    assert schema(store) == before


# -- a store of the first release: rows kept, init-db migrates, sync github works ----------------

def _fill_first_release(store: Store) -> None:
    with store.write() as db:
        db.execute("insert into commits (repo, hash, author_key, committer_key, authored_at, committed_at,"
                   " subject, message) values ('proj', 'a1', 'git:x', 'git:x', 1700000000, 1700000000,"
                   " 'PROJ-1 add parser', 'PROJ-1 add parser')")
        db.execute("insert into commit_files (repo, hash, path, added) values ('proj', 'a1', 'src/p.py', 3)")
        db.execute("insert into commit_issues (repo, hash, issue_key, project, found_by)"
                   " values ('proj', 'a1', 'PROJ-1', 'PROJ', 'key PROJ-1 in commit message')")


def test_a_first_release_store_keeps_its_rows(blank: Callable[[], Store]) -> None:
    store = build_release(blank(), FIRST)
    _fill_first_release(store)
    with store.write() as db:
        migrate.apply(db)
    with store.read() as db:
        assert db.all("select repo, hash, path, added from commit_files") == [
            {"repo": "proj", "hash": "a1", "path": "src/p.py", "added": 3}]
        assert db.all("select issue_key, found_by from commit_issues") == [
            {"issue_key": "PROJ-1", "found_by": "key PROJ-1 in commit message"}]
        assert db.all("select summarized from commits") == [{"summarized": 1}]  # summarized on migrating


def test_init_db_migrates_a_first_release_store(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    build_release(Store.open(db), FIRST)
    result = CliRunner().invoke(app, ["--db", db, "init-db"])
    assert result.exit_code == 0, result.output
    assert "already current" not in result.output
    assert "0004_released_schema_repairs" in result.output
    assert "already current" in CliRunner().invoke(app, ["--db", db, "init-db"]).output


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


def test_sync_github_works_on_a_first_release_store(blank: Callable[[], Store], server: ReplayServer) -> None:
    """The ETags of list pages persist in http_cache, which the first release's schema lacked."""
    store = build_release(blank(), FIRST)
    listing = "state=all&sort=updated&direction=desc&per_page=100"
    for kind in ("pulls", "issues"):
        server.add("GET", f"/repos/{REPO}/{kind}?{listing}", [], headers={"ETag": f'"{kind}"'})
    client = github.make_github_client(server.url, env={"GITHUB_TOKEN": "t"}, timeout=5)
    http = Http(client, RetryPolicy(rand=lambda: 0.0), sleep=lambda s: None, clock=lambda: 0.0)
    summary = sync_github(store, REPO, config=Config(), client=http, clock=lambda: 1_800_000_000.0)
    assert summary.counts["pull_requests"] == 0 and server.unexpected == []
    with store.read() as db:
        assert sorted(r["etag"] for r in db.all("select etag from http_cache")) == ['"issues"', '"pulls"']


# -- links written by older rules are re-derived by the next ingest -------------------------------

T = 1700000000
ANA = "Ana <ana@example.com>"
# seven commit->issue links: four issue keys, three closing keywords (which the old parser missed)
HISTORY = [
    FakeCommit(ANA, T, "PROJ-1 add parser", {"src/parser.py": "a\n"}),
    FakeCommit(ANA, T + 10, "PROJ-2 faster lexer\n\nFixes owner/repo#3\n", {"src/lexer.py": "a\n"}),
    FakeCommit(ANA, T + 20, "Bump the lib\n\nCloses other/lib#4\n", {"src/lib.py": "a\n"}),
    FakeCommit(ANA, T + 30, "PROJ-5 crash on empty input, fixes #6", {"src/parser.py": "b\n"}),
    FakeCommit(ANA, T + 40, "PROJ-7 docs", {"README": "hi\n"}),
    FakeCommit(ANA, T + 50, "Tidy up", {"README": "hi there\n"}),
]
SEVEN = [
    ("PROJ-1", "key PROJ-1 in commit message"), ("PROJ-2", "key PROJ-2 in commit message"),
    ("PROJ-5", "key PROJ-5 in commit message"), ("PROJ-7", "key PROJ-7 in commit message"),
    ("other/lib#4", "'Closes other/lib#4' in commit message"),
    ("owner/repo#3", "'Fixes owner/repo#3' in commit message"),
    ("owner/repo#6", "'fixes #6' in commit message"),
]


def commit_links(store: Store) -> list[tuple[str, str]]:
    with store.read() as db:
        return sorted((r["issue_key"], r["found_by"]) for r in db.all("select issue_key, found_by from commit_issues"))


def rule_cursor(store: Store) -> str | None:
    with store.read() as db:
        value = db.scalar("select value from cursors where source = 'derive' and target = 'link_rules'")
    return None if value is None else str(value)


def set_rule_cursor(store: Store, value: str) -> None:
    with store.write() as db:
        db.execute("update cursors set value = :v where source = 'derive' and target = 'link_rules'", v=value)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "repo", HISTORY)


@pytest.fixture
def parser_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of the commit link rules (gitparse.issue_refs), by message."""
    calls: list[str] = []
    real = gitparse.issue_refs

    def counting(message: str, **kw: Any) -> Any:
        calls.append(message)
        return real(message, **kw)

    monkeypatch.setattr(gitparse, "issue_refs", counting)
    return calls


def ingest(store: Store, repo: Path, config: Config | None = None) -> None:
    ingest_git(store, repo, config=config or Config(), name=REPO, clock=lambda: 1_800_000_000.0)


def test_links_of_older_rules_come_back_on_the_next_ingest(store: Store, repo: Path) -> None:
    ingest(store, repo)
    assert commit_links(store) == SEVEN
    assert rule_cursor(store) == fingerprint(Config())
    with store.write() as db:  # what the older parser wrote: no closing keywords, 4 of 7
        db.execute("delete from commit_issues where found_by like '''%'")
    set_rule_cursor(store, OLD_RULES)
    assert len(commit_links(store)) == 4
    ingest(store, repo)  # no new commits: only the derive step can bring them back
    assert commit_links(store) == SEVEN
    assert rule_cursor(store) == fingerprint(Config())


def test_unchanged_rules_cost_nothing(store: Store, repo: Path, parser_calls: list[str]) -> None:
    ingest(store, repo)
    assert len(parser_calls) == len(HISTORY)  # each commit parsed once, as it is written
    with store.write() as db:
        db.execute("delete from commit_issues where issue_key = 'PROJ-7'")
    parser_calls.clear()
    ingest(store, repo)
    assert parser_calls == []  # nothing re-derived
    assert ("PROJ-7", "key PROJ-7 in commit message") not in commit_links(store)


def test_re_deriving_is_idempotent(store: Store, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice gives the same rows as ingestion wrote, read and written a few rows at a time."""
    monkeypatch.setattr(derive, "BATCH", 2)
    ingest(store, repo)
    tables = ("commit_issues", "pr_issues", "commits")
    before = _dump(store, tables)
    for _ in range(2):
        set_rule_cursor(store, OLD_RULES)
        ingest(store, repo)
        assert _dump(store, tables) == before


def test_changed_config_rules_re_derive_and_drop_links(store: Store, repo: Path) -> None:
    """Ignoring a project drops its links; the bug-fix flag a link decided is decided again."""
    ingest(store, repo)
    with store.write() as db:
        db.execute("insert into issues (key, project, issue_type) values ('PROJ-7', 'PROJ', 'Bug')")
    ingest(store, repo)
    assert _bug_fix(store, "PROJ-7 docs") == (1, "linked issue PROJ-7 is a Bug")
    config = Config(ignored_projects=(*Config().ignored_projects, "PROJ"))
    ingest(store, repo, config)
    assert commit_links(store) == [link for link in SEVEN if not link[0].startswith("PROJ-")]
    assert rule_cursor(store) == fingerprint(config) != fingerprint(Config())
    assert _bug_fix(store, "PROJ-7 docs") == (0, "no rule matched")


def _bug_fix(store: Store, subject: str) -> tuple[int, str]:
    with store.read() as db:
        row = db.one("select is_bug_fix, bug_fix_reason from commits where subject = :s", s=subject)
    assert row is not None
    return row["is_bug_fix"], row["bug_fix_reason"]


def _dump(store: Store, tables: tuple[str, ...]) -> dict[str, list[str]]:
    with store.read() as db:
        return {t: sorted(json.dumps(r, sort_keys=True) for r in db.all(f"select * from {t}")) for t in tables}


def _old_rows(db: Writer) -> None:
    """Commits and a PR as the first release stored them, with the links its parser found."""
    for n, (message, keys) in enumerate([("PROJ-2 faster lexer\n\nFixes owner/repo#3\n", ["PROJ-2"]),
                                         ("Bump the lib\n\nCloses other/lib#4\n", [])]):
        db.execute("insert into commits (repo, hash, author_key, committer_key, authored_at, committed_at,"
                   " subject, message) values (:r, :h, 'git:x', 'git:x', 0, 0, :s, :m)",
                   r=REPO, h=f"c{n}", s=message.split("\n")[0], m=message)
        for key in keys:
            db.execute("insert into commit_issues (repo, hash, issue_key, project, found_by)"
                       " values (:r, :h, :k, 'PROJ', :f)", r=REPO, h=f"c{n}", k=key, f=f"key {key} in commit message")
    db.execute("insert into pull_requests (repo, number, title, body, head_branch)"
               " values (:r, 9, 'PROJ-2 faster lexer', 'Fixes #3', 'feature/PROJ-8-lexer')", r=REPO)
    db.execute("insert into pr_issues (repo, number, issue_key, found_by)"
               " values (:r, 9, 'PROJ-2', 'key PROJ-2 in PR title')", r=REPO)


def test_an_older_store_gets_todays_links_on_its_next_ingest(blank: Callable[[], Store]) -> None:
    """Migration 0005 marks the links of a store that holds data as written by unknown rules; the
    next ingest of anything re-derives commit->issue and PR->issue links from the stored text."""
    store = build_release(blank(), FIRST)
    with store.write() as db:
        _old_rows(db)
    run(store, "test", "nothing new", Config(), lambda db: {})
    assert commit_links(store) == [("PROJ-2", "key PROJ-2 in commit message"),
                                   ("other/lib#4", "'Closes other/lib#4' in commit message"),
                                   ("owner/repo#3", "'Fixes owner/repo#3' in commit message")]
    with store.read() as db:
        assert sorted((r["issue_key"], r["found_by"]) for r in db.all("select issue_key, found_by from pr_issues")) \
            == [("PROJ-2", "key PROJ-2 in PR title"), ("PROJ-8", "key PROJ-8 in branch name"),
                ("owner/repo#3", "'Fixes #3' in PR body")]
    assert rule_cursor(store) == fingerprint(Config())


def test_derive_without_link_rules_leaves_links_alone(store: Store) -> None:
    """derive.refresh re-derives links only when ingestion hands it the rules (the agents' test
    data writes links of its own by hand)."""
    with store.write() as db:
        _old_rows(db)
        derive.refresh(db, Config())
    assert len(commit_links(store)) == 1 and rule_cursor(store) is None


def test_identities_merge_refuses_a_store_from_a_newer_version(tmp_path: Path) -> None:
    """Every other command refuses a store of a newer schema; so do the identity writes."""
    from typer.testing import CliRunner

    from teammemory.outputs.cli import app

    db = str(tmp_path / "newer.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init-db"]).exit_code == 0
    store = Store.open(db)
    with store.write() as w:
        w.execute("insert into schema_migrations (version, name, applied_at) values (999, 'future', 0)")
    before = Path(db).read_bytes()
    for args in (["identities", "merge", "email:a@x.org", "email:b@x.org"], ["identities", "split", "email:a@x.org"]):
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 1 and "newer than this TeamMemory" in result.output, result.output
    assert Path(db).read_bytes() == before

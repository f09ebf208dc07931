"""One clear line, never a traceback: hostile arguments and stores, through the CLI.

Every case runs the real command (typer's CliRunner; a process where the process matters) and
checks the exit code, that stderr is one line `error: ...` naming the culprit, and that the
store is unchanged. About 45 such cases once ended in a traceback. Cases:
- argument ranges, checked once for every question before the store is opened: `--now` beyond
  1970-01-01 .. 9999-12-31 UTC (also by an offset: 0001-01-01T00:00:00+14:00 is in year 0),
  `--days` and `--limit` of 0, 800000, 10**12, 10**29, NUMBER of 0, 2**31, 10**29 (the store's
  integer column); the bounds themselves answer;
- paths the system refuses (a 100 KB name) given to --db, --config, ingest git|jira|github, and
  a directory given as --config;
- stores that are no stores: a text file, a truncated SQLite file, /dev/null, /proc/version, a
  directory; a store file that is not there (a question) or whose folder is not (a write);
  another application's database (SQLite and PostgreSQL) is refused for reads and writes and
  left as it was, unless a writer adopts it;
- a store in a read-only folder answers questions (run as a process without the capabilities
  that let root ignore permissions) and refuses writes in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.store import NotAStore, Store, migrate
from tests.helpers.gitrepo import FakeCommit, build_repo

LONG = "a" * 100_000
NOW = "2024-03-01T00:00:00Z"
COMMITS = [
    FakeCommit("Ana <ana@example.com>", 1_700_000_000 + i * 86_400, f"PROJ-{i % 3 + 1}: fix the token check {i}",
               {"src/auth/token.py": f"check {i}\n", f"src/pay/cart{i % 2}.py": f"total {i}\n"})
    for i in range(6)
] + [FakeCommit("Bo <bo@example.com>", 1_700_600_000, "PROJ-2 review fixes", {"src/auth/token.py": "final\n"})]
QUESTIONS: list[list[str]] = [
    ["issue-context", "PROJ-1"], ["pr-context", "1"], ["file-context", "src/auth/token.py"],
    ["file-experts", "src/auth/token.py"], ["component-experts", "auth"], ["file-risk", "src/auth/token.py"],
    ["component-risk", "auth"], ["risky-files"], ["review-suggest", "1"], ["onboarding", "auth"], ["hygiene"],
]


def tm(*args: str, db: str | None = None) -> Any:
    """The CLI in-process; an unexpected exception stays in `result.exception` (not re-raised)."""
    return CliRunner().invoke(app, (["--db", db] if db else []) + list(args))


def assert_one_line(result: Any, code: int, *parts: str) -> str:
    """Exit `code`, no traceback, and stderr exactly one `error:` line holding every part."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output[-2000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[-2000:]
    assert len(lines[0]) < 500, "a long path must be shortened"
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return str(lines[0])


def snapshot(db: Path) -> dict[str, bytes]:
    """The store's files by name (the -shm index and empty files, which a read may leave, aside)."""
    return {p.name: p.read_bytes() for p in sorted(db.parent.glob(db.name + "*"))
            if not p.name.endswith("-shm") and p.is_file() and p.stat().st_size}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(tmp_path_factory.mktemp("repo") / "shop", COMMITS)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Path:
    """A small SQLite store (git only); every test checks it is byte for byte what it was."""
    db = tmp_path_factory.mktemp("store") / "tm.db"
    result = tm("ingest", "git", "-q", str(repo), db=str(db))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def unchanged(store: Path) -> Any:
    before = snapshot(store)
    yield store
    assert snapshot(store) == before


def _question(args: list[str], *extra: str) -> list[str]:
    return [*args, "--now", NOW, *extra]


RANGES: list[tuple[list[str], str]] = [
    *[(_question(q)[:-2] + ["--now", now], f"--now: {now} is out of range: from 1970-01-01T00:00:00Z"
       " to 9999-12-31T23:59:59Z")
      for q in QUESTIONS for now in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1969-12-31")],
    *[(_question(q, "--days", str(days)), f"--days: {days} is out of range: 1 to 36500 days")
      for q in (["file-risk", "src/auth/token.py"], ["component-risk", "auth"], ["risky-files"])
      for days in (0, 800_000, 10**12, 10**29)],
    *[(_question(q, "--limit", str(limit)), f"--limit: {limit} is out of range: 1 to 100000")
      for q in (["risky-files"], ["review-suggest", "1"], ["onboarding", "auth"]) for limit in (0, 10**29)],
    *[(_question([q, str(number)]), f"NUMBER: {number} is out of range: 1 to 2147483647")
      for q in ("pr-context", "review-suggest") for number in (0, 2**31, 10**29)],
]


@pytest.mark.parametrize(("args", "line"), RANGES, ids=[" ".join(a[:1] + a[-2:]) for a, _ in RANGES])
def test_an_argument_out_of_range_is_named_with_its_range(unchanged: Path, args: list[str], line: str) -> None:
    assert_one_line(tm(*args, db=str(unchanged)), 2, f"error: {line}")


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_the_bounds_themselves_answer(unchanged: Path, question: list[str]) -> None:
    days, limit = ["--days", "36500"], ["--limit", "100000"]
    extra = {"file-risk": days, "component-risk": days, "onboarding": limit, "risky-files": days + limit,
             "review-suggest": limit}
    for now in ("1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        result = tm(*question, "--now", now, *extra.get(question[0], []), db=str(unchanged))
        if result.exit_code == 2:  # no PR in a git-only store: a clear "not found"
            assert_one_line(result, 2, "not found")
        else:
            assert result.exit_code == 0 and result.exception is None, result.output
    for command in ("pr-context", "review-suggest"):
        assert_one_line(tm(command, str(2**31 - 1), db=str(unchanged)), 2, "not found")


def test_paths_the_system_refuses_name_their_option(unchanged: Path, tmp_path: Path) -> None:
    db = str(unchanged)
    shown = "(100000 characters): File name too long"
    assert_one_line(tm("hygiene", db=LONG), 2, "error: --db: aaaa", shown)
    assert_one_line(tm("init-db", db="sqlite:///" + LONG), 2, "error: --db: /aaaa", "File name too long")
    assert_one_line(tm("--config", LONG, "hygiene", db=db), 2, "error: --config: aaaa", shown)
    assert_one_line(tm("--config", str(tmp_path), "hygiene", db=db), 2, "--config", "is a directory, not a file")
    for command in (["ingest", "git"], ["ingest", "jira"], ["ingest", "github"]):
        assert_one_line(tm(*command, LONG, db=db), 2, "aaaa", "File name too long")
    assert not list(Path.cwd().glob("aaaa*"))


def _truncated(store: Path, tmp_path: Path) -> Path:
    cut = tmp_path / "cut.db"
    cut.write_bytes(store.read_bytes()[: store.stat().st_size // 3])
    return cut


NO_HEADER = "not a SQLite database (no SQLite header)"
NOT_SQLITE = {
    "text file": (lambda s, t: _write(t / "notes.db", b"hello, this is text\n"), NO_HEADER),
    "truncated": (_truncated, "not a SQLite database (database disk image is malformed)"),
    "/dev/null": (lambda s, t: Path("/dev/null"), "store /dev/null: not a SQLite database (not a regular file)"),
    "/proc/version": (lambda s, t: Path("/proc/version"), f"store /proc/version: {NO_HEADER}"),
    "directory": (lambda s, t: t, "is a directory, not a SQLite database file"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", NOT_SQLITE)
def test_a_file_that_is_no_sqlite_database_is_named(unchanged: Path, tmp_path: Path, repo: Path, kind: str) -> None:
    make, message = NOT_SQLITE[kind]
    path = make(unchanged, tmp_path)
    if not path.exists():
        pytest.skip(f"{path} does not exist on this system")
    before = path.read_bytes() if path.is_file() else None
    commands = (["hygiene"], ["file-experts", "src/auth/token.py"], ["init-db"], ["ingest", "git", "-q", str(repo)])
    for command in commands:
        assert_one_line(tm(*command, db=str(path)), 2, "error: store ", message)
    if before is not None:
        assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name != "notes.db" and p.name != "cut.db"]


def test_a_store_that_is_not_there_is_bad_input(tmp_path: Path, repo: Path) -> None:
    """A question about a store file that does not exist, or a write into a folder that does not
    exist, is the argument's fault: exit 2 and one line, and nothing is created."""
    missing = tmp_path / "missing.db"
    for question in (["hygiene"], ["file-experts", "src/auth/token.py"]):
        assert_one_line(tm(*question, db=str(missing)), 2, f"no store at {missing}", "teammemory init-db")
    nowhere = tmp_path / "no" / "such" / "tm.db"
    for command in (["init-db"], ["ingest", "git", "-q", str(repo)]):
        assert_one_line(tm(*command, db=str(nowhere)), 2, f"store {nowhere}: its folder {nowhere.parent}"
                        " does not exist")
    assert list(tmp_path.iterdir()) == []


def _foreign_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
        conn.execute("insert into invoices (total) values (9.5)")
        conn.execute("create view big as select * from invoices where total > 5")
    return path


def test_another_applications_sqlite_database_is_left_alone(tmp_path: Path, repo: Path) -> None:
    db = _foreign_sqlite(tmp_path / "books.db")
    before = snapshot(db)
    for command in (["hygiene"], ["init-db"], ["init-db", "--reset"], ["ingest", "git", "-q", str(repo)]):
        assert_one_line(tm(*command, db=str(db)), 2, f"error: store {db}: not a TeamMemory store:",
                        "another application's tables (big, invoices)", "init-db --force")
    assert snapshot(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"  # never switched to WAL


@pytest.mark.postgres
def test_another_applications_postgres_database_is_left_alone(pg_cluster: Any, repo: Path) -> None:
    import psycopg

    url = pg_cluster.create_database()
    with psycopg.connect(url) as conn:
        conn.execute("create table invoices (id serial primary key, total real)")
    for command in (["hygiene"], ["init-db"], ["ingest", "git", "-q", str(repo)]):
        assert_one_line(tm(*command, db=url), 2, "not a TeamMemory store:", "another application's tables (invoices)")
    with psycopg.connect(url) as conn:
        tables = conn.execute("select table_name from information_schema.tables"
                              " where table_schema = current_schema()").fetchall()
    assert tables == [("invoices",)]


def test_a_writer_may_adopt_a_foreign_database(tmp_path: Path) -> None:
    """What `init-db --force` asks for: TeamMemory's tables added, the other tables kept."""
    store = Store.open(str(_foreign_sqlite(tmp_path / "books.db")))
    with pytest.raises(NotAStore), store.write() as db:
        migrate.apply(db)
    with store.write(adopt=True) as db:
        migrate.apply(db)
    with store.read() as reader:
        assert reader.scalar("select count(*) as n from invoices") == 1
        assert migrate.current_version(reader) == migrate.latest_version()


# ---- a store in a read-only folder -------------------------------------------------------------

# Root ignores file permissions through these capabilities; without them a chmod binds root too.
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def _as_bound_by_permissions() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root, and setpriv (util-linux) is missing to drop CAP_DAC_OVERRIDE")
    probe = subprocess.run([*NO_OVERRIDE, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot drop CAP_DAC_OVERRIDE here: {probe.stderr.decode().strip()}")
    return NO_OVERRIDE


# Several commands in one process (a process start costs a second): (exit code, stdout, stderr) each.
RUN_ALL = """
import json, sys
from typer.testing import CliRunner
from teammemory.outputs.cli import app
results = []
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(app, args)
    results.append([r.exit_code, r.stdout, r.stderr, repr(r.exception) if r.exit_code not in (0, 1, 2) else ""])
print(json.dumps(results))
"""


def run_cli(*commands: list[str], prefix: list[str]) -> list[tuple[int, str, str]]:
    """Run the CLI commands in one process started with `prefix` (e.g. without CAP_DAC_OVERRIDE)."""
    done = subprocess.run([*prefix, sys.executable, "-c", RUN_ALL, json.dumps(commands)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [(code, out, err) for code, out, err, _ in json.loads(done.stdout)]


@pytest.fixture
def read_only(tmp_path: Path, store: Path) -> Any:
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(store, folder / "tm.db")
    yield folder
    folder.chmod(0o755)


def test_a_store_in_a_read_only_folder_answers_questions(read_only: Path, repo: Path) -> None:
    prefix = _as_bound_by_permissions()
    db = str(read_only / "tm.db")
    read_only.chmod(0o555)
    assert subprocess.run([*prefix, "touch", str(read_only / "x")], capture_output=True).returncode != 0
    before = snapshot(read_only / "tm.db")
    questions = (["hygiene"], ["file-experts", "src/auth/token.py", "--json"], ["risky-files"])
    *answers, ingest = run_cli(*[["--db", db, *q, "--now", NOW] for q in questions],
                               ["--db", db, "ingest", "git", "-q", str(repo)], prefix=prefix)
    for code, out, err in answers:
        assert code == 0 and out.strip() and not err, err
    assert ingest[0] == 1 and ingest[2].splitlines() == [
        f"error: store {db}: cannot be written (attempt to write a readonly database): the file and its folder"
        " must be writable"]
    assert snapshot(read_only / "tm.db") == before


def test_a_read_only_folder_with_unfinished_writes_says_so(read_only: Path, tmp_path: Path) -> None:
    """A -wal with commits not yet in the file, and no -shm: reading it would need a write."""
    prefix = _as_bound_by_permissions()
    live = tmp_path / "live.db"
    shutil.copy(read_only / "tm.db", live)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("pragma wal_autocheckpoint = 0")
    writer.execute("insert into developers (key, name) values ('zz', 'Zed')")
    db = read_only / "tm.db"  # the files as a crash would leave them, without the -shm index
    shutil.copy(live, db)
    shutil.copy(f"{live}-wal", f"{db}-wal")
    writer.close()
    read_only.chmod(0o555)
    [(code, _, err)] = run_cli(["--db", str(db), "hygiene"], prefix=prefix)
    assert code == 1 and err.splitlines() == [
        f"error: store {db}: its folder is read-only and tm.db-wal holds writes not yet in the database file:"
        " open the store once where its folder can be written"]

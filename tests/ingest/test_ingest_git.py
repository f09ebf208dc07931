"""ingest_git end to end: real repositories (git fast-import) into SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest import git as ingest_git_module
from teammemory.ingest.git import ingest_git
from teammemory.sources import gitparse
from teammemory.store import Store, migrate
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo, rev

T = 1700000000
REVERTED = "0123456789abcdef0123456789abcdef01234567"
ANA, BO, CY, EVE = ("Ana Lima <ana@example.com>", "Bo <bo@example.com>", "Cy <cy@example.com>",
                    "Eve <eve@example.com>")
HISTORY = [
    # 0
    FakeCommit(ANA, T, "PROJ-1 add parser\n\nHandles UTF-8 and SHA-1 input, CVE-2022-1234, ISO-8859-1.\n",
               {"src/parser.py": "a\nb\nc\n", "README": "hi\n", "logo.png": "\x89PNG\x00\x01\x02"},
               tz="+0130"),
    # 1: rename with an edit, squash-merge subject
    FakeCommit(BO, T + 100, "Rename parser (#12)", {"src/lexer.py": "a\nb\nc\nd\n"},
               renames={"src/parser.py": "src/lexer.py"}),
    # 2: a topic branch
    FakeCommit(CY, T + 200,
               "Login form\n\nCo-authored-by: Dee <dee@example.com>\n"
               "Reviewed-by: Ana Lima <ana@example.com>\n",
               {"src/login.py": "x\n"}, branch="feature/PROJ-7-login", from_=1),
    # 3: its merge
    FakeCommit(ANA, T + 300, "Merge branch 'feature/PROJ-7-login'", {"src/login.py": "x\n"}, merge=2),
    # 4: revert with a hash
    FakeCommit(ANA, T + 400, f'Revert "Login form"\n\nThis reverts commit {REVERTED}.\n',
               {"src/login.py": None}),
    # 5: revert by subject only
    FakeCommit(BO, T + 500, 'Revert "Rename parser"', {"README": "hi\nthere\n"}),
    # 6: every other trailer, a closing reference
    FakeCommit(EVE, T + 600, "Speed up lexer\n\nReviewers: Ana Lima <ana@example.com>, Frank Li\n"
               "Acked-by: Gus <gus@example.com>\nSigned-off-by: Eve <eve@example.com>\nCloses #34\n",
               {"src/lexer.py": "a\nb\n"}),
    # 7, 8: a pull request merge
    FakeCommit(ANA, T + 700, "PROJ-9 fix crash", {"src/lexer.py": "a\nb\nc\n"}, branch="fix", from_=6),
    FakeCommit(BO, T + 800, "Merge pull request #5 from owner/PROJ-9-fix\n\nFix crash",
               {"src/lexer.py": "a\nb\nc\n"}, merge=7),
]
TABLES_OF_A_REPO = ("commits", "commit_files", "commit_people", "commit_issues", "pr_commits", "files")


def clock() -> float:
    return 1800000000.0


def ingest(store: Store, path: Path, **kw: Any) -> dict[str, int]:
    kw.setdefault("config", Config())
    return ingest_git(store, path, clock=clock, **kw).counts


def git(path: Path, *args: str) -> str:
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def tables(store: Store) -> list[str]:
    with store.read() as db:
        if store.dialect == "sqlite":
            rows = db.all("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        else:
            rows = db.all("select table_name as name from information_schema.tables"
                          " where table_schema = 'public'")
    return sorted(r["name"] for r in rows)


def dump(store: Store, names: tuple[str, ...] | list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or of `names`), sorted in Python so both backends compare."""
    out = {}
    with store.read() as db:
        for table in names or tables(store):
            out[table] = sorted((tuple(r.items()) for r in db.all(f"select * from {table}")), key=repr)
    return out


def rows(store: Store, sql: str, **params: Any) -> list[dict[str, Any]]:
    with store.read() as db:
        return sorted(db.all(sql, **params), key=repr)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", HISTORY)


def test_summary_counts(store: Store, history: Path) -> None:
    summary = ingest_git(store, history, config=Config(), clock=clock)
    # files: 3 + 1 + 1 + 1 + 1 + 1 + 1 (merges 3 and 8 list none)
    # links: issue keys PROJ-1, PROJ-7 (branch), PROJ-9 (message + branch); PRs #12, #34, #5
    assert (summary.source, summary.target) == ("git", "proj")
    assert summary.counts == {"commits": 9, "file_changes": 9, "links": 7, "merges": 2, "reverts": 2, "removed": 0}
    assert rows(store, "select name, path, branch, head, ingested_at from repositories") == [
        {"name": "proj", "path": str(history.resolve()), "branch": "main", "head": rev(history),
         "ingested_at": 1800000000}]
    assert rows(store, "select source, target, value from cursors where source = 'git'") == [
        {"source": "git", "target": "proj", "value": rev(history)}]
    assert rows(store, "select source, target, status from ingest_runs") == [
        {"source": "git", "target": "proj", "status": "ok"}]


def test_line_totals_equal_git_log_numstat(store: Store, history: Path) -> None:
    ingest(store, history)
    expected: dict[tuple[str, str], tuple[int, int]] = {}
    sha = ""
    for line in git(history, "log", "--numstat", "--no-renames", "--format=@%H").splitlines():
        if line.startswith("@"):
            sha = line[1:]
        elif line:
            added, deleted, path = line.split("\t")
            expected[sha, path] = (0 if added == "-" else int(added), 0 if deleted == "-" else int(deleted))
    stored = {(r["hash"], r["path"]): (r["added"], r["deleted"])
              for r in rows(store, "select hash, path, added, deleted from commit_files")}
    # --no-renames shows the rename as delete + add; with -M it is one row: lexer.py +1, parser.py gone
    rename = rev(history, "HEAD~5")
    assert expected.pop((rename, "src/parser.py")) == (0, 3)
    assert expected.pop((rename, "src/lexer.py")) == (4, 0)
    assert stored.pop((rename, "src/lexer.py")) == (1, 0)
    assert stored == expected
    commits = len(git(history, "rev-list", "HEAD").split())
    assert rows(store, "select count(*) as n from commits") == [{"n": commits}]


def test_renames_merges_binary_and_reverts(store: Store, history: Path) -> None:
    ingest(store, history)
    head = rev(history)
    files = rows(store, "select hash, path, old_path, change_type, added, deleted, is_binary"
                        " from commit_files")
    assert {"hash": rev(history, "HEAD~5"), "path": "src/lexer.py", "old_path": "src/parser.py",
            "change_type": "R", "added": 1, "deleted": 0, "is_binary": 0} in files
    assert {"hash": rev(history, "HEAD~6"), "path": "logo.png", "old_path": "", "change_type": "A",
            "added": 0, "deleted": 0, "is_binary": 1} in files
    merges = rows(store, "select hash, parents from commits where is_merge = 1")
    assert [m["hash"] for m in merges] == sorted([head, rev(history, "HEAD~4")])
    assert [r for r in files if r["hash"] in {m["hash"] for m in merges}] == []
    assert rows(store, "select subject, reverts from commits where is_revert = 1") == [
        {"subject": 'Revert "Login form"', "reverts": REVERTED},
        {"subject": 'Revert "Rename parser"', "reverts": "subject:Rename parser"}]
    assert rows(store, "select authored_offset from commits where subject = 'PROJ-1 add parser'") == [
        {"authored_offset": 90}]


def test_trailers_become_commit_people(store: Store, history: Path) -> None:
    ingest(store, history)
    people = rows(store, "select c.subject, cp.role, i.name, i.email, cp.evidence from commit_people cp"
                         " join commits c on c.repo = cp.repo and c.hash = cp.hash"
                         " join identities i on i.key = cp.identity_key where cp.role <> 'author'")
    assert people == sorted([
        {"subject": "Login form", "role": "co-author", "name": "Dee", "email": "dee@example.com",
         "evidence": "Co-authored-by trailer"},
        {"subject": "Login form", "role": "reviewer", "name": "Ana Lima", "email": "ana@example.com",
         "evidence": "Reviewed-by trailer"},
        {"subject": "Speed up lexer", "role": "reviewer", "name": "Ana Lima", "email": "ana@example.com",
         "evidence": "Reviewers trailer"},
        {"subject": "Speed up lexer", "role": "reviewer", "name": "Frank Li", "email": "",
         "evidence": "Reviewers trailer"},
        {"subject": "Speed up lexer", "role": "acked-by", "name": "Gus", "email": "gus@example.com",
         "evidence": "Acked-by trailer"},
        {"subject": "Speed up lexer", "role": "signed-off-by", "name": "Eve", "email": "eve@example.com",
         "evidence": "Signed-off-by trailer"},
    ], key=repr)
    assert len(rows(store, "select * from commit_people where role = 'author'")) == 9


def test_issue_and_pull_request_links(store: Store, history: Path) -> None:
    ingest(store, history)
    assert rows(store, "select c.subject, ci.issue_key, ci.project, ci.found_by from commit_issues ci"
                       " join commits c on c.repo = ci.repo and c.hash = ci.hash") == sorted([
        {"subject": "PROJ-1 add parser", "issue_key": "PROJ-1", "project": "PROJ",
         "found_by": "key PROJ-1 in commit message"},  # and no UTF-8, SHA-1, CVE-2022, ISO-8859
        {"subject": "Merge branch 'feature/PROJ-7-login'", "issue_key": "PROJ-7", "project": "PROJ",
         "found_by": "key PROJ-7 in merged branch name"},
        {"subject": "PROJ-9 fix crash", "issue_key": "PROJ-9", "project": "PROJ",
         "found_by": "key PROJ-9 in commit message"},
        {"subject": "Merge pull request #5 from owner/PROJ-9-fix", "issue_key": "PROJ-9", "project": "PROJ",
         "found_by": "key PROJ-9 in merged branch name"},
    ], key=repr)
    assert rows(store, "select p.number, c.subject, p.found_by from pr_commits p"
                       " join commits c on c.repo = p.repo and c.hash = p.hash") == sorted([
        {"number": 12, "subject": "Rename parser (#12)", "found_by": "squash subject ends in '(#12)'"},
        {"number": 34, "subject": "Speed up lexer", "found_by": "'Closes #34' in commit message"},
        {"number": 5, "subject": "Merge pull request #5 from owner/PROJ-9-fix",
         "found_by": "'Merge pull request #5' in commit subject"},
    ], key=repr)


def test_mailmap_is_honoured(store: Store, tmp_path: Path) -> None:
    path = build_repo(tmp_path / "proj", [
        FakeCommit("ana <ana@old.example.com>", T, "One",
                   {".mailmap": "Ana Lima <ana@example.com> <ana@old.example.com>\n"}),
        FakeCommit(ANA, T + 1, "Two", {"a": "1\n"}),
    ])
    ingest(store, path)
    authors = rows(store, "select distinct i.name, i.email from commits c"
                          " join identities i on i.key = c.author_key")
    assert authors == [{"name": "Ana Lima", "email": "ana@example.com"}]


def test_incremental_run_reads_only_new_commits(store: Store, history: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    head = rev(history)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~3"))
    assert ingest(store, history)["commits"] == 5  # 0-4: HEAD~3 is the hash revert, merge 3 brings in 2
    git(history, "update-ref", "refs/heads/main", head)
    parsed: list[str] = []
    real = gitparse.parse_commit

    def spy(chunk: str, **kw: Any) -> Any:
        parsed.append(chunk[:40])
        return real(chunk, **kw)

    monkeypatch.setattr(gitparse, "parse_commit", spy)
    # new: 5 (README), 6 (lexer, Closes #34), 7 (lexer, PROJ-9), 8 (merge: PROJ-9 branch, PR #5)
    assert ingest(store, history) == {"commits": 4, "file_changes": 3, "links": 4, "merges": 1, "reverts": 1,
                                      "removed": 0}
    assert sorted(parsed) == sorted(git(history, "rev-list", "HEAD", "^HEAD~3").split())
    assert len(rows(store, "select hash from commits")) == 9
    assert rows(store, "select value from cursors where source = 'git'") == [{"value": head}]


def test_second_run_changes_nothing(store: Store, history: Path) -> None:
    ingest(store, history)
    before = dump(store)
    assert ingest(store, history) == {"commits": 0, "file_changes": 0, "links": 0, "merges": 0, "reverts": 0,
                                      "removed": 0}
    after = dump(store)
    assert len(after.pop("ingest_runs")) == len(before.pop("ingest_runs")) + 1
    assert after == before


def test_force_push_is_reconciled(store: Store, history: Path, tmp_path: Path) -> None:
    ingest(store, history, name="proj")
    # rewrite: drop the last three commits, add two others on top of HEAD~3
    git(history, "checkout", "-q", "-B", "main", rev(history, "HEAD~3"))
    (history / "src" / "login.py").write_text("y\n")
    for n in (1, 2):
        (history / "NEWS").write_text(f"{n}\n")
        git(history, "add", "-A")
        git(history, "-c", "user.name=Zed", "-c", "user.email=zed@example.com", "commit", "-q", "-m",
            f"PROJ-{20 + n} rewrite ({'#4' + str(n)})")
    counts = ingest(store, history, name="proj")
    assert (counts["commits"], counts["removed"]) == (2, 4)  # commits 5-8 are gone
    fresh = Store.open(str(tmp_path / "fresh.db"))
    with fresh.write() as db:
        migrate.apply(db)
    ingest(fresh, history, name="proj")
    assert dump(store, TABLES_OF_A_REPO) == dump(fresh, TABLES_OF_A_REPO)
    assert rows(store, "select value from cursors where source = 'git'") == [{"value": rev(history)}]
    # the text index holds the commits there are, as a fresh ingest's (doc_ids aside)
    index = ("select d.ref, t.term, t.tf from text_docs d join text_terms t on t.doc_id = d.doc_id"
             " order by d.ref, t.term")
    assert rows(store, index) == rows(fresh, index)
    assert rows(store, "select term, df from text_df order by term") == rows(fresh, "select term, df from text_df"
                                                                             " order by term")
    assert not [r for r in rows(store, "select ref from text_docs where ref like '%@%'")
                if r["ref"].split("@")[1] not in git(history, "rev-list", "HEAD")]


def test_force_push_after_gc_when_the_old_head_is_gone(store: Store, history: Path, tmp_path: Path) -> None:
    ingest(store, history, name="proj")
    shutil.rmtree(history)
    build_repo(history, HISTORY[:2] + [FakeCommit(CY, T + 999, "Other work", {"other.txt": "1\n2\n"})])
    assert ingest(store, history, name="proj")["removed"] == 7
    fresh = Store.open(str(tmp_path / "fresh.db"))
    with fresh.write() as db:
        migrate.apply(db)
    ingest(fresh, history, name="proj")
    assert dump(store, TABLES_OF_A_REPO) == dump(fresh, TABLES_OF_A_REPO)


def test_github_rows_survive_a_rewrite(store: Store, history: Path) -> None:
    ingest(store, history, name="proj")
    dropped = rev(history)
    with store.write() as db:
        db.execute("insert into pr_commits (repo, number, hash, found_by)"
                   " values ('proj', 5, :h, 'PR #5 lists commit')", h=dropped)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~1"))
    ingest(store, history, name="proj")
    assert rows(store, "select number, found_by from pr_commits where hash = :h", h=dropped) == [
        {"number": 5, "found_by": "PR #5 lists commit"}]


def test_names_default_to_the_folder(store: Store, tmp_path: Path) -> None:
    build_repo(tmp_path / "svc.git", HISTORY[:1], bare=True)
    assert ingest_git(store, tmp_path / "svc.git", config=Config()).target == "svc"
    assert rows(store, "select name, branch from repositories") == [{"name": "svc", "branch": "main"}]


def test_branch_option(store: Store, history: Path) -> None:
    ingest(store, history, branch="fix")
    assert rows(store, "select branch, head from repositories") == [
        {"branch": "fix", "head": rev(history, "fix")}]
    assert len(rows(store, "select hash from commits")) == 8  # all but the PR merge (8)


@pytest.mark.parametrize("case", ["not a repo", "unknown branch", "empty"])
def test_bad_inputs_write_nothing(store: Store, tmp_path: Path, case: str) -> None:
    before = dump(store)
    path = tmp_path / "p"
    branch = None
    if case == "not a repo":
        path.mkdir()
    elif case == "unknown branch":
        build_repo(path, HISTORY[:1])
        branch = "nope"
    else:
        subprocess.run(["git", "init", "-q", str(path)], check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    with pytest.raises(InputError) as err:
        ingest(store, path, branch=branch)
    assert case.split()[-1] in str(err.value) or "empty repository" in str(err.value)
    assert dump(store) == before


def test_interrupted_run_leaves_previous_state(store: Store, history: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    head = rev(history)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~3"))
    ingest(store, history)
    git(history, "update-ref", "refs/heads/main", head)
    before = dump(store)
    calls = []
    real = ingest_git_module.write_commits

    def failing(db: Any, commits: Any, **options: Any) -> int:
        calls.append(len(commits))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(db, commits, **options)

    monkeypatch.setattr(ingest_git_module, "BATCH", 2)
    monkeypatch.setattr(ingest_git_module, "write_commits", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest(store, history)
    after = dump(store)
    runs = after.pop("ingest_runs")
    assert [dict(r)["status"] for r in runs if dict(r)["status"] != "ok"] == ["failed"]
    before.pop("ingest_runs")
    assert after == before
    monkeypatch.setattr(ingest_git_module, "write_commits", real)
    assert ingest(store, history)["commits"] == 4
    assert len(rows(store, "select hash from commits")) == 9


@pytest.mark.parametrize(("path", "name"), [("/src/proj", "proj"), ("/srv/proj.git", "proj"),
                                            ("/src/proj/.git", "proj")])
def test_repo_name(path: str, name: str) -> None:
    assert ingest_git_module.repo_name(Path(path)) == name


def test_progress_only_on_a_terminal(sqlite_store: Store, history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ingest(sqlite_store, history, progress=True)  # stderr is captured, not a TTY: no bar
    assert capsys.readouterr() == ("", "")
    advanced = []
    with ingest_git_module.progress_bar(False, 0, "proj") as advance:
        advance(3)
    with ingest_git_module.progress_bar(True, 5, "proj") as advance:
        advance(2)
        advanced.append(2)
    assert advanced == [2]

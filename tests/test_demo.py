"""The demo data set: deterministic, telling the article's story, internally consistent, seedable."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teammemory import demo
from teammemory import demo_story as story
from teammemory.errors import InputError
from teammemory.store import Store

HEAD = "3ab1b888a2bd8fec2323e7b5d22235e2a6678b3c"
GH = Path("github/repos/acme/platform")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace(".000+0000", "+00:00"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoFiles:
    return demo.build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def pulls(built: demo.DemoFiles) -> dict[int, dict[str, Any]]:
    return {p["number"]: p for p in load(built.folder / GH / "pulls.json")}


@pytest.fixture(scope="module")
def issues(built: demo.DemoFiles) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in load(built.jira / "issues.json")["issues"]}


def pr_doc(built: demo.DemoFiles, number: int, name: str, kind: str = "pulls") -> Any:
    return load(built.folder / GH / kind / str(number) / name)


def log(built: demo.DemoFiles, fmt: str = "%H%x1f%an%x1f%ae%x1f%at%x1f%P%x1f%B%x1e") -> list[list[str]]:
    out = git(built.repo, "log", "main", f"--format={fmt}")
    return [rec.strip("\n").split("\x1f") for rec in out.split("\x1e") if rec.strip()]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}


# --- determinism ---

def test_building_twice_gives_the_same_bytes_and_commit_ids(built: demo.DemoFiles, tmp_path: Path) -> None:
    again = demo.build_demo(tmp_path / "again")
    assert again.head == built.head == HEAD
    assert git(again.repo, "rev-parse", "main").strip() == HEAD
    assert tree_bytes(again.folder) == tree_bytes(built.folder)
    assert git(again.repo, "for-each-ref") == git(built.repo, "for-each-ref")


def test_rebuilding_in_place_works_but_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    first = demo.build_demo(tmp_path / "d")
    assert demo.build_demo(tmp_path / "d").head == first.head == HEAD
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="not a TeamMemory demo folder"):
        demo.build_demo(tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"


# --- the story ---

def test_issue_proj_1247_is_the_articles_bug(issues: dict[str, dict[str, Any]]) -> None:
    issue = issues["PROJ-1247"]
    f = issue["fields"]
    assert f["summary"] == "Token refresh race condition"
    assert (f["issuetype"]["name"], f["status"]["name"], f["status"]["statusCategory"]["key"]) == \
        ("Bug", "In Progress", "indeterminate")
    assert f["priority"]["name"] == "High" and [c["name"] for c in f["components"]] == ["auth"]
    assert f["resolution"] is None and f["resolutiondate"] is None
    authors = {c["author"]["displayName"] for c in f["comment"]["comments"]}
    assert len(authors) >= 3 and f["reporter"]["displayName"] == "Zeynep Arslan"
    assert f["comment"]["total"] == len(f["comment"]["comments"]) == 6
    items = [i for h in issue["changelog"]["histories"] for i in h["items"]]
    assert [(i["fromString"], i["toString"]) for i in items] == [("To Do", "In Progress")]
    links = {(lk["type"]["name"], (lk.get("inwardIssue") or lk.get("outwardIssue"))["key"])
             for lk in f["issuelinks"]}
    assert {("Duplicate", "PROJ-1251"), ("Relates", "PROJ-1198"), ("Blocks", "PROJ-1250")} <= links


def test_pr_382_is_the_articles_fix(built: demo.DemoFiles, pulls: dict[int, dict[str, Any]]) -> None:
    pr = pulls[382]
    assert pr["title"] == "Fix token refresh race condition" and "PROJ-1247" in pr["body"]
    assert pr["user"]["login"] == "mturac" and pr["state"] == "closed" and pr["merged_at"]
    assert pr["head"]["ref"] == "bugfix/PROJ-1247-token-refresh-race"
    commits = pr_doc(built, 382, "commits.json")
    assert [c["commit"]["author"]["name"] for c in commits] == ["Mehmet Turac", "Ayşe Demir"]
    assert all("PROJ-1247" in c["commit"]["message"] for c in commits)
    assert [c["author"]["login"] for c in commits] == ["mturac", "aysedemir"]
    assert sorted(f["filename"] for f in pr_doc(built, 382, "files.json")) == [
        "src/auth/session_manager.py", "src/auth/token_service.py", "tests/auth/test_token_refresh.py"]
    reviews = pr_doc(built, 382, "reviews.json")
    assert [(r["user"]["login"], r["state"]) for r in reviews] == [
        ("bkaya", "CHANGES_REQUESTED"), ("bkaya", "APPROVED")]
    [comment] = pr_doc(built, 382, "comments.json")
    assert comment["path"] == "src/auth/token_service.py"
    assert comment["pull_request_review_id"] == reviews[0]["id"]
    merge = git(built.repo, "log", "-1", "--format=%P%n%s", pr["merge_commit_sha"]).split("\n")
    assert merge[1] == "Merge pull request #382 from acme/bugfix/PROJ-1247-token-refresh-race"
    assert merge[0].split()[1] == pr["head"]["sha"] == commits[-1]["sha"]


def test_history_size_people_and_periods(built: demo.DemoFiles) -> None:
    rows = log(built)
    assert 300 <= len(rows) <= 450
    assert len(rows) == built.commits
    last = datetime.fromtimestamp(max(int(r[3]) for r in rows), UTC)
    first = datetime.fromtimestamp(min(int(r[3]) for r in rows), UTC)
    assert datetime(2026, 11, 1, tzinfo=UTC) < last < datetime(2026, 11, 20, tzinfo=UTC)
    assert (last - first).days >= 350
    assert 6 <= len({r[2] for r in rows if r[2].endswith("@acme.io")}) <= 9
    elif_days = [int(r[3]) for r in rows if r[2] == "elif.sahin@acme.io"]
    deniz_days = [int(r[3]) for r in rows if r[2] == "deniz.koc@acme.io"]
    assert datetime.fromtimestamp(max(elif_days), UTC) < datetime(2026, 6, 1, tzinfo=UTC)  # left months ago
    assert datetime.fromtimestamp(min(deniz_days), UTC) > datetime(2026, 8, 1, tzinfo=UTC)  # newcomer
    payment = git(built.repo, "log", "main", "--format=%ae", "--no-merges", "--", "src/payment").split()
    assert Counter(payment).most_common(1)[0][0] == "elif.sahin@acme.io"  # the bus factor


def test_identities_bots_and_trailers(built: demo.DemoFiles) -> None:
    pairs = {(r[1], r[2]) for r in log(built)}
    assert ("Mehmet Turac", "mehmet.turac@acme.io") in pairs
    assert ("mturac", "41234+mturac@users.noreply.github.com") in pairs
    assert {("Ayşe Demir", "ayse.demir@acme.io"), ("Ayse Demir", "ayse.demir@acme.io")} <= pairs
    assert ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com") in pairs
    mailmap = (built.repo / ".mailmap").read_text(encoding="utf-8")
    assert "Ayşe Demir <ayse.demir@acme.io> Ayse Demir <ayse.demir@acme.io>" in mailmap
    mapped = {(r[1], r[2]) for r in log(built, "%aN%x1f%aE%x1f%x1f%x1f%x1f%x1e")}
    assert ("Ayse Demir", "ayse.demir@acme.io") not in mapped
    bodies = [r[5] for r in log(built)]
    assert sum("Co-authored-by: " in b for b in bodies) >= 3


def test_history_has_reverts_renames_squashes_merges_and_fixes(built: demo.DemoFiles) -> None:
    rows = log(built)
    shas = {r[0] for r in rows}
    [revert] = [r for r in rows if r[5].startswith('Revert "')]
    reverted = revert[5].split("This reverts commit ")[1][:40]
    assert reverted in shas
    assert git(built.repo, "log", "-1", "--format=%s", reverted).strip() == revert[5].split('"')[1]
    renames = git(built.repo, "log", "main", "-M", "--diff-filter=R", "--name-status", "--format=")
    assert "src/payment/gateway.py\tsrc/payment/gateway_client.py" in renames
    subjects = [r[5].split("\n")[0] for r in rows]
    assert sum(s.endswith(")") and "(#" in s for s in subjects) >= 8
    assert sum(s.startswith("Merge pull request #") for s in subjects) >= 15
    merges = sum(s.startswith("Merge pull request #") for s in subjects)
    assert sum(len(r[4].split()) == 2 for r in rows) == merges
    assert sum(s.startswith("Fix ") for s in subjects) >= 20
    assert sum("PROJ-" not in r[5] for r in rows) > len(rows) // 2
    assert "PROJ-1107 Round JPY amounts to zero minor units" in subjects  # a fix only by its issue's type


# --- variety of issues and PRs ---

def test_issue_types_statuses_and_links(built: demo.DemoFiles, issues: dict[str, dict[str, Any]]) -> None:
    fields = [i["fields"] for i in issues.values()]
    assert {f["issuetype"]["name"] for f in fields} == {"Bug", "Story", "Task", "Epic"}
    assert {f["status"]["name"] for f in fields} == {"To Do", "In Progress", "In Review", "Done"}
    messages = git(built.repo, "log", "--all", "--format=%B")
    done_without_commit = [k for k, i in issues.items()
                           if i["fields"]["status"]["name"] == "Done" and k not in messages]
    assert len(done_without_commit) >= 3
    kinds = {lk["type"]["name"] for f in fields for lk in f["issuelinks"]}
    assert kinds == {"Duplicate", "Relates", "Blocks"}
    assert issues["PROJ-1251"]["fields"]["resolution"]["name"] == "Duplicate"


def test_pull_request_variety(built: demo.DemoFiles, pulls: dict[int, dict[str, Any]]) -> None:
    assert 25 <= len(pulls) <= 40
    states = Counter("merged" if p["merged_at"] else p["state"] for p in pulls.values())
    assert states["open"] == 1 and states["closed"] == 1
    assert [n for n, p in pulls.items() if p["body"] is None] == [359]
    texts = {n: json.dumps([p["title"], p["body"], p["head"]["ref"], pr_doc(built, n, "commits.json")])
             for n, p in pulls.items()}
    unlinked = [n for n, p in pulls.items() if p["user"]["type"] == "User" and "PROJ-" not in texts[n]]
    assert unlinked == [341]
    bots = [n for n, p in pulls.items() if p["user"]["login"] == "dependabot[bot]"]
    assert len(bots) == 4 and all(pulls[n]["user"]["type"] == "Bot" for n in bots)
    reviewed = [n for n in pulls if pr_doc(built, n, "reviews.json")]
    assert 0 < len(pulls) - len(reviewed)
    numbers = sorted(pulls)
    created = [ts(pulls[n]["created_at"]) for n in numbers]
    assert created == sorted(created)  # GitHub numbers PRs in the order they are opened


# --- consistency ---

def test_pull_requests_agree_with_the_repository(built: demo.DemoFiles,
                                                 pulls: dict[int, dict[str, Any]]) -> None:
    for n, pr in pulls.items():
        commits = pr_doc(built, n, "commits.json")
        for c in commits:
            assert git(built.repo, "cat-file", "-t", c["sha"]).strip() == "commit"
        assert commits[-1]["sha"] == pr["head"]["sha"]
        span = (pr["base"]["sha"], pr["head"]["sha"])
        touched = set(git(built.repo, "diff", "--name-only", "--no-renames", *span).split())
        files = pr_doc(built, n, "files.json")
        names = {f["filename"] for f in files} | {f.get("previous_filename", "") for f in files} - {""}
        assert names == touched, n
        numstat = [ln.split("\t") for ln in git(built.repo, "diff", "--numstat", "-M", *span).splitlines()]
        assert sorted((int(a), int(d)) for a, d, _ in numstat) == sorted(
            (f["additions"], f["deletions"]) for f in files), n
        created, ended = ts(pr["created_at"]), ts(pr["closed_at"]) if pr["closed_at"] else None
        for r in pr_doc(built, n, "reviews.json"):
            assert created < ts(r["submitted_at"]) and (ended is None or ts(r["submitted_at"]) < ended)
        if pr["merged_at"]:
            merged = pr["merge_commit_sha"]
            assert ts(pr["merged_at"]) > created
            assert git(built.repo, "merge-base", "--is-ancestor", merged, "main") == ""
            landed = git(built.repo, "diff", "--name-only", "--no-renames", f"{merged}^1", merged).split()
            assert set(landed) == touched, n  # the merge brought exactly the PR's changes to main
            assert git(built.repo, "diff", pr["head"]["sha"], merged, "--", *touched) == ""
        else:
            assert pr["merge_commit_sha"] is None


def test_jira_issues_are_consistent(issues: dict[str, dict[str, Any]]) -> None:
    for key, issue in issues.items():
        f = issue["fields"]
        assert ts(f["created"]) < ts(f["updated"]), key
        done = f["status"]["name"] == "Done"
        assert (f["resolutiondate"] is not None) == done == (f["resolution"] is not None), key
        if done:
            assert ts(f["created"]) < ts(f["resolutiondate"]) <= ts(f["updated"])
        times = [ts(h["created"]) for h in issue["changelog"]["histories"]]
        assert times == sorted(times) and all(ts(f["created"]) < t <= ts(f["updated"]) for t in times)
        last = issue["changelog"]["histories"][-1]["items"][0]["toString"] if times else "To Do"
        assert last == f["status"]["name"], key


# --- seeding a store ---

def test_seed_ingests_what_the_files_hold(store: Store, built: demo.DemoFiles,
                                          pulls: dict[int, dict[str, Any]],
                                          issues: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    summary = demo.seed(store, tmp_path / "seeded")
    assert summary.demo.head == HEAD
    assert len(summary.runs) == 3 and summary.counts["git"]["commits"] == built.commits
    assert summary.counts["github"]["pull_requests"] == len(pulls)
    pr_commits = {(n, c["sha"]) for n in pulls for c in pr_doc(built, n, "commits.json")}
    reviews = sum(len(pr_doc(built, n, "reviews.json")) for n in pulls)
    with store.read() as db:
        def count(sql: str) -> int:
            return int(db.scalar(sql))
        assert count("select count(*) from commits") == built.commits
        assert count("select count(*) from commits where is_merge = 1") == sum(
            len(r[4].split()) == 2 for r in log(built))
        assert count("select count(*) from pull_requests") == len(pulls)
        assert count("select count(*) from reviews") == reviews
        assert count("select count(*) from issues") == len(issues)
        assert count("select count(*) from issue_comments") == sum(
            i["fields"]["comment"]["total"] for i in issues.values())
        assert count("select count(*) from pr_commits where found_by like '%lists commit'") == len(pr_commits)
        pr_files = sum(len(pr_doc(built, n, "files.json")) for n in pulls)
        assert count("select count(*) from pr_files") == pr_files
        linked = db.all("select distinct hash from commit_issues where issue_key = 'PROJ-1247'")
        assert {r["hash"] for r in linked} >= {c["sha"] for c in pr_doc(built, 382, "commits.json")}
        mehmet = db.all("select distinct i.source, i.email, i.login from identities i"
                        " join developers d on d.key = i.developer_key where d.name = 'Mehmet Turac'")
        emails = {r["email"] for r in mehmet}
        assert emails >= {"mehmet.turac@acme.io", "41234+mturac@users.noreply.github.com"}
        assert {r["source"] for r in mehmet} == {"git", "github", "jira"}
        bots = {r["name"] for r in db.all("select name from developers where is_bot = 1")}
        assert {"dependabot[bot]", "github-actions[bot]"} <= bots
        people = {r["name"] for r in db.all("select name from developers where is_bot = 0")}
        assert people == {m.name for m in story.PEOPLE}  # every account of the team tied to its person


def test_seed_reuses_a_built_demo_and_resets_the_store(sqlite_store: Store, built: demo.DemoFiles,
                                                       tmp_path: Path) -> None:
    assert demo.existing(built.folder) == built
    assert demo.existing(tmp_path) is None
    with sqlite_store.write() as db:
        db.execute("insert into developers (key, name) values ('old', 'From an earlier run')")
    mtime = (built.jira / "issues.json").stat().st_mtime_ns
    demo.seed(sqlite_store, built.folder)
    assert (built.jira / "issues.json").stat().st_mtime_ns == mtime  # not rebuilt
    with sqlite_store.read() as db:
        assert db.scalar("select count(*) from developers where key = 'old'") == 0
        assert db.scalar("select count(*) from commits") == built.commits

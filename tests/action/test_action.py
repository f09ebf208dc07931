"""`python -m teammemory.action` end to end: a real git checkout as the workspace, a
pull_request event file, and a stand-in for the GitHub API on 127.0.0.1 (tests/action/standin.py).

The workspace: main holds src/app.py (Ana 3 commits, Ben 1) and src/util.py; the PR (#7, by Dee,
GitHub login `dee`) is one commit on `feature` that changes src/app.py and adds src/new.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teammemory.action import comment
from teammemory.action.run import main
from teammemory.config import Config
from tests.action.standin import GitHub, serving
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

REPO = "acme/app"
TOKEN = "ghs_action_token_never_shown_0123456789"
DAY = 86_400
T0 = 1_780_000_000  # 2026-05-28T20:26:40Z: the moment that counts as now
NOW = datetime.fromtimestamp(T0, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
ANA, BEN, DEE = "Ana Lima <ana@example.com>", "Ben Okafor <ben@example.com>", "Dee Park <dee@example.com>"
LIST = "state=all&sort=updated&direction=desc&per_page=100"
# each commit of src/app.py adds one line: content after commit i is the first i+1 letters
HISTORY = [
    FakeCommit(ANA, T0 - 30 * DAY, "add app", {"src/app.py": "a\n", "src/util.py": "u\n"}),
    FakeCommit(ANA, T0 - 20 * DAY, "app: b", {"src/app.py": "a\nb\n"}),
    FakeCommit(BEN, T0 - 10 * DAY, "app: c", {"src/app.py": "a\nb\nc\n", "src/util.py": "u\nv\n"}),
    FakeCommit(ANA, T0 - 5 * DAY, "app: d", {"src/app.py": "a\nb\nc\nd\n"}),
    FakeCommit(DEE, T0 - 2 * DAY, "app: e, and new", {"src/app.py": "a\nb\nc\nd\ne\n", "src/new.py": "n\n"},
               branch="feature", from_=3),
]


def day(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def iso(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def api() -> Iterator[GitHub]:
    with serving() as github:
        yield github


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The checkout a pull_request workflow gets (here: the PR's head, whole history)."""
    path = build_repo(tmp_path / "ws", HISTORY)
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "feature"], check=True)
    return path


def event_file(tmp_path: Path, workspace: Path) -> Path:
    event = {"action": "synchronize", "number": 7,
             "pull_request": {"number": 7, "title": "App: e, and a new module", "user": {"login": "dee"},
                              "base": {"ref": "main", "sha": rev(workspace, "main")},
                              "head": {"ref": "feature", "sha": rev(workspace, "feature")}}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return path


def environment(tmp_path: Path, workspace: Path, api: GitHub, **inputs: str) -> dict[str, str]:
    env = {"GITHUB_EVENT_PATH": str(event_file(tmp_path, workspace)), "GITHUB_REPOSITORY": REPO,
           "GITHUB_API_URL": api.url, "GITHUB_WORKSPACE": str(workspace), "GITHUB_TOKEN": TOKEN,
           "RUNNER_TEMP": str(tmp_path), "INPUT_NOW": NOW, "INPUT_SYNC_DAYS": "0",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "output.txt")}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return env


def script_no_pulls(api: GitHub) -> None:
    """A repository whose API lists no PRs and no issues: the store learns nothing of #7."""
    api.get(f"/repos/{REPO}/pulls?{LIST}", [])
    api.get(f"/repos/{REPO}/issues?{LIST}", [])


def risk_of(commits: list[FakeCommit], path: str) -> float:
    """The risk formula (docs/agents.md) over the commits touching `path`, with the default weights:
    churn*w + bug_fixes*w + contributors*w + commits*w; each commit here adds one line to it."""
    w = Config().risk
    touching = [c for c in commits if path in c.files]
    return len(touching) * w.churn + 0 * w.bug_fix + len({c.author for c in touching}) * w.contributor \
        + len(touching) * w.commit


def test_first_run_creates_the_comment_second_run_updates_it(tmp_path: Path, workspace: Path, api: GitHub,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    script_no_pulls(api)
    env = environment(tmp_path, workspace, api)
    assert main(env) == 0
    first = capfd.readouterr()
    [made] = api.comments[7]
    assert [w.method for w in api.writes()] == ["POST"]
    assert f"created comment {made['id']} on #7" in first.out

    body = made["body"]
    assert body.startswith(comment.MARKER + "\n## TeamMemory: reviewers and risk for #7")
    reviewers = body.split("### Risk of")[0]
    # fallback: the store has no GitHub data for #7, so the files come from git and Dee is its author
    assert "no GitHub data for #7" in reviewers and "git diff --name-only" in reviewers
    assert "author Dee Park" in reviewers
    assert not [line for line in reviewers.splitlines() if "Dee" in line and line[:1].isdigit()]  # never suggested
    ana, ben = reviewers.index("Ana Lima"), reviewers.index("Ben Okafor")
    assert ana < ben  # 3 commits on the file outweigh 1
    assert f"3 commits on src/app.py; last active {day(T0 - 5 * DAY)}" in reviewers
    assert f"1 commit on src/app.py; last active {day(T0 - 10 * DAY)}" in reviewers
    # risk: the PR's two files, highest risk first, each with its terms (the formula's inputs)
    app, new = risk_of(HISTORY, "src/app.py"), risk_of(HISTORY, "src/new.py")
    assert app > new
    assert body.index("### Risk of src/app.py") < body.index("### Risk of src/new.py")
    assert f"risk {app:g} = churn 5 + bug fixes 0 + contributors {3 * Config().risk.contributor:g}" in body
    assert f"risk {new:g} = churn 1 + bug fixes 0 + contributors {Config().risk.contributor:g}" in body
    assert "src/util.py" not in body  # not in the PR
    assert (tmp_path / "summary.md").read_text() == body
    assert f"comment-id={made['id']}\n" in (tmp_path / "output.txt").read_text()

    assert main(env) == 0
    second = capfd.readouterr()
    assert [w.method for w in api.writes()] == ["POST", "PATCH"]
    assert api.writes()[1].path == f"/repos/{REPO}/issues/comments/{made['id']}"
    assert len(api.comments[7]) == 1 and api.comments[7][0]["body"] == body  # same history, same answer
    assert f"updated comment {made['id']} on #7" in second.out
    for stream in (first.out, first.err, second.out, second.err):
        assert TOKEN not in stream
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api.requests)
    assert TOKEN.encode() not in (tmp_path / "teammemory.db").read_bytes()


def test_the_comment_is_the_cli_markdown_answers(tmp_path: Path, workspace: Path, api: GitHub) -> None:
    """Each section of the comment is what `teammemory file-risk PATH --format markdown` prints."""
    script_no_pulls(api)
    assert main(environment(tmp_path, workspace, api)) == 0
    body = api.comments[7][0]["body"]
    for path in ("src/app.py", "src/new.py"):
        assert cli(tmp_path, "file-risk", path).strip() in body


def cli(tmp_path: Path, question: str, subject: str) -> str:
    """What `teammemory QUESTION SUBJECT --format markdown` prints on the run's store."""
    return subprocess.run([sys.executable, "-m", "teammemory", "--db", str(tmp_path / "teammemory.db"), question,
                           subject, "--repo", REPO, "--now", NOW, "--format", "markdown"],
                          capture_output=True, text=True, check=True).stdout


def pull(number: int, user: str, state: str, updated: int, **more: Any) -> dict[str, Any]:
    base = f"{{base}}/repos/{REPO}"
    return {"number": number, "url": f"{base}/pulls/{number}", "html_url": f"https://github.example/{REPO}/pull/{number}",
            "title": f"PR {number}", "body": "", "state": state, "user": {"login": user, "id": len(user)},
            "created_at": iso(updated - DAY), "updated_at": iso(updated),
            "head": {"ref": f"b{number}", "sha": "0" * 40}, "base": {"ref": "main", "repo": {"full_name": REPO}},
            **more}


def script_pulls(api: GitHub, workspace: Path) -> None:
    """#7 (Dee's, open; its files and its one commit) and #3 (Ana's, merged; Eve approved it,
    touching src/app.py)."""
    pr7 = pull(7, "dee", "open", T0 - DAY)
    pr3 = pull(3, "ana", "closed", T0 - 4 * DAY, merged_at=iso(T0 - 4 * DAY))
    body = json.dumps([pr7, pr3]).replace("{base}", api.url)
    api.get(f"/repos/{REPO}/pulls?{LIST}", json.loads(body))
    api.get(f"/repos/{REPO}/issues?{LIST}", [])
    files = {7: ["src/app.py", "src/new.py"], 3: ["src/app.py"]}
    for n in (7, 3):
        api.get(f"/repos/{REPO}/pulls/{n}/files?per_page=100",
                [{"filename": f, "status": "modified", "additions": 1, "deletions": 0, "changes": 1} for f in files[n]])
        api.get(f"/repos/{REPO}/pulls/{n}/comments?per_page=100", [])
        api.get(f"/repos/{REPO}/pulls/{n}/commits?per_page=100", [] if n == 3 else [
            {"sha": rev(workspace, "feature"), "author": {"login": "dee", "id": 3},
             "commit": {"message": HISTORY[4].message, "author": {"name": "Dee Park", "email": "dee@example.com",
                                                                   "date": iso(HISTORY[4].when)}}}])
        api.get(f"/repos/{REPO}/pulls/{n}/reviews?per_page=100", [] if n == 7 else [
            {"id": 31, "user": {"login": "eve", "id": 5}, "state": "APPROVED", "body": "",
             "submitted_at": iso(T0 - 4 * DAY - 3600), "pull_request_url": f"{api.url}/repos/{REPO}/pulls/3"}])


def test_synced_pr_data_is_used(tmp_path: Path, workspace: Path, api: GitHub) -> None:
    script_pulls(api, workspace)
    assert main(environment(tmp_path, workspace, api)) == 0
    body = api.comments[7][0]["body"]
    reviewers = body.split("### Risk of")[0]
    assert "no GitHub data" not in reviewers
    assert "### Reviewers for PR #7 PR 7 (acme/app), author Dee Park" in reviewers  # login tied to git by its commit
    candidates = [line for line in reviewers.splitlines() if line[:1].isdigit()]
    assert [c.split(" score")[0] for c in candidates] == ["1. eve", "2. Ana Lima", "3. Ben Okafor"]
    assert "1 review on src/app.py" in reviewers  # what only the synced PR data knows
    assert cli(tmp_path, "review-suggest", "7").strip() in body
    assert "git history and GitHub PRs" in body


@pytest.mark.parametrize(("status", "answer", "says"), [
    (403, {"message": "Resource not accessible by integration"}, "pull-requests: write"),
    (422, {"message": "Validation Failed", "errors": [{"resource": "IssueComment", "code": "custom",
                                                       "field": "body", "message": "body is too long"}]},
     "Validation Failed; body is too long"),
])
def test_a_refused_comment_is_one_clear_line(tmp_path: Path, workspace: Path, api: GitHub, status: int,
                                             answer: dict[str, Any], says: str,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    script_no_pulls(api)
    api.fail.append((status, answer))
    assert main(environment(tmp_path, workspace, api)) == 1
    err = capfd.readouterr().err
    [line] = [x for x in err.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: POST /repos/{REPO}/issues/7/comments: HTTP {status}: ") and says in line
    assert TOKEN not in err
    assert [w.method for w in api.writes()] == ["POST"] and 7 not in api.comments  # not retried


def test_fail_on_error_false_warns_and_exits_0(tmp_path: Path, workspace: Path, api: GitHub,
                                              capfd: pytest.CaptureFixture[str]) -> None:
    script_no_pulls(api)
    api.fail.append((403, {"message": "Resource not accessible by integration"}))
    assert main(environment(tmp_path, workspace, api, fail_on_error="false")) == 0
    err = capfd.readouterr().err
    assert "warning: POST" in err and "fail-on-error is false" in err and TOKEN not in err


def test_a_post_that_failed_after_reaching_github_is_not_sent_twice(tmp_path: Path, workspace: Path,
                                                                    api: GitHub) -> None:
    """A 502 after GitHub stored the comment: the retry lists the comments first and PATCHes it."""
    script_no_pulls(api)
    real = api.handle

    def stored_then_502(method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any, dict[str, str]]:
        status, answer, extra = real(method, path, headers, body)
        if method == "POST" and len(api.writes()) == 1:
            return 502, {"message": "Bad Gateway"}, {"Retry-After": "0"}
        return status, answer, extra

    api.handle = stored_then_502  # type: ignore[method-assign]
    assert main(environment(tmp_path, workspace, api)) == 0
    assert [w.method for w in api.writes()] == ["POST", "PATCH"] and len(api.comments[7]) == 1


def test_no_token_prints_the_comment_and_asks_nothing(tmp_path: Path, workspace: Path, api: GitHub,
                                                      capfd: pytest.CaptureFixture[str]) -> None:
    env = environment(tmp_path, workspace, api)
    del env["GITHUB_TOKEN"]
    assert main(env) == 0
    out, err = capfd.readouterr()
    assert api.requests == []
    assert out.count(comment.MARKER) == 1 and "### Risk of src/app.py" in out and "no token" in err


def test_many_comments_are_paged_to_find_the_marker(tmp_path: Path, workspace: Path, api: GitHub) -> None:
    script_no_pulls(api)
    api.comments[7] = [{"id": i, "body": f"comment {i}"} for i in range(1, 251)]
    api.comments[7].append({"id": 251, "body": f"{comment.MARKER}\nold answer"})
    assert main(environment(tmp_path, workspace, api)) == 0
    assert [w.method for w in api.writes()] == ["PATCH"]
    assert api.comments[7][-1]["body"].startswith(comment.MARKER + "\n## TeamMemory")
    listed = [r.path for r in api.requests if r.path.startswith(f"/repos/{REPO}/issues/7/comments")]
    assert any("page=3" in p for p in listed)


@pytest.mark.parametrize(("change", "says"), [
    ({"INPUT_REVIEWERS": "many"}, "input 'reviewers': expected a whole number from 1 to 100, got 'many'"),
    ({"GITHUB_REPOSITORY": ""}, "GITHUB_REPOSITORY: not set"),
    ({"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "GITHUB_EVENT_PATH (/nonexistent/event.json): cannot read it"),
])
def test_bad_environment_is_one_line_exit_2(tmp_path: Path, workspace: Path, api: GitHub, change: dict[str, str],
                                            says: str, capfd: pytest.CaptureFixture[str]) -> None:
    assert main({**environment(tmp_path, workspace, api), **change}) == 2
    err = capfd.readouterr().err
    [line] = err.strip().splitlines()
    assert line.startswith("error: ") and says in line
    assert api.requests == []


def test_not_a_pull_request_event(tmp_path: Path, workspace: Path, api: GitHub,
                                  capfd: pytest.CaptureFixture[str]) -> None:
    env = environment(tmp_path, workspace, api)
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps({"ref": "refs/heads/main"}))
    assert main(env) == 2
    assert "no 'pull_request' object: run the action on a pull_request event" in capfd.readouterr().err

"""What one run of the Action is about, read from the standard GitHub Actions environment.

The runner sets GITHUB_EVENT_PATH (the `pull_request` event's JSON), GITHUB_REPOSITORY,
GITHUB_API_URL (https://HOST/api/v3 on GitHub Enterprise) and GITHUB_WORKSPACE (the checkout);
action.yml passes its inputs as INPUT_* variables and the token as GITHUB_TOKEN. Every value is
checked here, before anything is ingested or sent, and a bad one is one InputError naming the
variable or the input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from teammemory.config import MAX_DAYS
from teammemory.errors import InputError
from teammemory.outputs.options import parse_now
from teammemory.sources import github

MAX_REVIEWERS = 100
MAX_FILES = 100


@dataclass(frozen=True)
class PullEvent:
    """The pull request the event is about: number, title, author and both ends of the change."""

    number: int
    title: str
    author: str  # GitHub login ('' when the event has none)
    base_sha: str
    head_sha: str


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, checked."""

    reviewers: int | None  # None: the store's review.max_suggestions
    days: int | None  # None: the store's risk.days
    files: int  # most files whose risk the comment shows
    sync_days: int  # PRs updated in the last N days are synced (0: the store's cursors decide)
    fail_on_error: bool
    dry_run: bool  # print the comment, post nothing
    now: datetime


@dataclass(frozen=True)
class Run:
    """Everything one run needs, from the environment."""

    repo: str  # OWNER/REPO
    api_url: str
    workspace: Path
    db: str  # store URL
    token: str  # '' when not given; held here and in the HTTP client only, never printed
    event: PullEvent
    inputs: Inputs


def read_run(env: Mapping[str, str], *, now: datetime | None = None) -> Run:
    """The run the environment describes; InputError naming the first variable or input at fault."""
    repo = github.check_repo(_required(env, "GITHUB_REPOSITORY"))
    workspace = Path(env.get("GITHUB_WORKSPACE") or ".").resolve()
    temp = env.get("RUNNER_TEMP") or str(workspace)
    return Run(repo=repo, api_url=env.get("GITHUB_API_URL") or github.API, workspace=workspace,
               db=env.get("INPUT_DB") or str(Path(temp) / "teammemory.db"),
               token=env.get("GITHUB_TOKEN", "").strip(),
               event=read_event(Path(_required(env, "GITHUB_EVENT_PATH"))), inputs=read_inputs(env, now=now))


def read_event(path: Path) -> PullEvent:
    """The pull request of a `pull_request` (or `pull_request_target`) event file."""
    where = f"GITHUB_EVENT_PATH ({path})"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(where, f"cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(where, f"not JSON ({exc})") from None
    pr = raw.get("pull_request") if isinstance(raw, dict) else None
    if not isinstance(pr, dict):
        raise InputError(where, "no 'pull_request' object: run the action on a pull_request event")
    number = pr.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise InputError(where, f"pull_request.number: expected a positive whole number, got {number!r}")
    user = pr.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    return PullEvent(number, _text(pr.get("title")), _text(login),
                     _sha(pr, "base", where), _sha(pr, "head", where))


def read_inputs(env: Mapping[str, str], *, now: datetime | None = None) -> Inputs:
    """The INPUT_* variables action.yml sets ('' means the default)."""
    return Inputs(reviewers=_number(env, "reviewers", 1, MAX_REVIEWERS),
                  days=_number(env, "days", 1, MAX_DAYS),
                  files=_number(env, "files", 1, MAX_FILES) or 10,
                  sync_days=_number(env, "sync-days", 0, MAX_DAYS, default=90) or 0,
                  fail_on_error=_flag(env, "fail-on-error", default=True),
                  dry_run=_flag(env, "dry-run", default=False),
                  now=_moment(env) or now or parse_now(None))


def env_name(name: str) -> str:
    """The variable holding input `name`: 'fail-on-error' -> INPUT_FAIL_ON_ERROR."""
    return "INPUT_" + name.upper().replace("-", "_")


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise InputError(name, "not set: run the action in a GitHub Actions workflow (or set it)")
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _sha(pr: dict[str, Any], end: str, where: str) -> str:
    side = pr.get(end)
    sha = side.get("sha") if isinstance(side, dict) else None
    if not isinstance(sha, str) or not (7 <= len(sha) <= 64) or any(c not in "0123456789abcdef" for c in sha):
        raise InputError(where, f"pull_request.{end}.sha: expected a commit id, got {sha!r}")
    return sha


def _number(env: Mapping[str, str], name: str, low: int, high: int, default: int | None = None) -> int | None:
    raw = env.get(env_name(name), "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InputError(f"input '{name}'", f"expected a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(env_name(name), "").strip().lower()
    if not raw:
        return default
    if raw not in ("true", "false"):
        raise InputError(f"input '{name}'", f"expected true or false, got {raw!r}")
    return raw == "true"


def _moment(env: Mapping[str, str]) -> datetime | None:
    raw = env.get(env_name("now"), "").strip()
    return parse_now(raw, "input 'now'") if raw else None

"""One run of the Action: ingest the checkout, sync the PRs, answer, post the comment.

1. `ingest git` of GITHUB_WORKSPACE as GITHUB_REPOSITORY (the checkout needs its whole history:
   `actions/checkout` with `fetch-depth: 0`), into the store at INPUT_DB (default: a SQLite file
   in RUNNER_TEMP);
2. with a token, `sync github` of the repository from GITHUB_API_URL, PRs updated within the
   last `sync-days` days (0: since the store's cursors). A failed sync is a warning: the
   answers then come from git alone (the PR's files from `git diff base...head`);
3. the comment body (`action.body`), printed to stdout with `dry-run`, else upserted
   (`action.comment`) and also written to the job summary (GITHUB_STEP_SUMMARY) when there is one;
   the comment's id and URL go to GITHUB_OUTPUT (`comment-id`, `comment-url`).

Errors are one line on stderr (an `::error::` annotation under Actions), exit 2 for bad input
and 1 otherwise; with `fail-on-error: false` they are a warning and the exit is 0. The token
goes only into the HTTP client's headers: no line this module prints can hold it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from teammemory import config as config_mod
from teammemory.action import body, comment
from teammemory.action.event import Run, read_run
from teammemory.config import Config
from teammemory.errors import SourceError, TeamMemoryError
from teammemory.ingest.git import ingest_git
from teammemory.ingest.sync import sync_github
from teammemory.outputs.commands_data import print_summary
from teammemory.sources import github
from teammemory.sources.http import Http, RetryPolicy
from teammemory.store import Store


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the Action on the environment; the process's exit code."""
    env = os.environ if env is None else env
    added = _announce()
    fail_on_error = env.get("INPUT_FAIL_ON_ERROR", "true").strip().lower() != "false"
    try:
        run = read_run(env)
        fail_on_error = run.inputs.fail_on_error
        execute(run, env)
    except TeamMemoryError as exc:
        return report(exc, env, fail_on_error=fail_on_error)
    finally:  # called in a process that goes on (tests, a wrapper): leave the loggers as found
        for logger, handler in added:
            logger.removeHandler(handler)
    return 0


def execute(run: Run, env: Mapping[str, str]) -> None:
    """Steps 1-3 of the module's docstring."""
    if not env.get("INPUT_DB"):  # the default store: a file in RUNNER_TEMP, which may not exist yet
        Path(run.db).parent.mkdir(parents=True, exist_ok=True)
    config = load_config(run)
    store = Store.open(config.db_url)
    print_summary(ingest_git(store, run.workspace, config=config, name=run.repo))
    synced = sync(store, run, config)
    ask = body.Ask(run.repo, run.event, run.workspace, run.inputs.now, run.inputs.reviewers, run.inputs.days,
                   run.inputs.files, synced)
    with store.read() as db:
        text = body.build(db, ask, config=config)
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(text)
    if run.inputs.dry_run:
        sys.stdout.write(text)
        return
    if not run.token:
        warn("no token: the comment is not posted (give the action `token`, or set dry-run: true)")
        sys.stdout.write(text)
        return
    posted = comment.upsert(http(run), run.repo, run.event.number, text)
    say(f"{'created' if posted.created else 'updated'} comment {posted.id} on #{run.event.number}: {posted.url}")
    output_file = env.get("GITHUB_OUTPUT")
    if output_file:
        with open(output_file, "a", encoding="utf-8") as out:
            out.write(f"comment-id={posted.id}\ncomment-url={posted.url}\n")


def load_config(run: Run) -> Config:
    """The repository's teammemory.toml (when it has one) with the store at `run.db`."""
    toml = run.workspace / config_mod.CONFIG_FILE
    return config_mod.load(toml if toml.is_file() else None, db=run.db)


def http(run: Run) -> Http:
    client = github.make_github_client(run.api_url, env={"GITHUB_TOKEN": run.token}, name="GITHUB_API_URL")
    return Http(client, RetryPolicy())


def sync(store: Store, run: Run, config: Config) -> str:
    """Sync the repository's PRs when there is a token; what the footer says of the PR's data."""
    if not run.token:
        return "no token: PR data not synced, reviewers from git alone"
    since = None
    if run.inputs.sync_days:
        since = int((run.inputs.now - timedelta(days=run.inputs.sync_days)).timestamp())
    try:
        summary = sync_github(store, run.repo, config=config, client=http(run), since=since)
    except SourceError as exc:
        warn(f"sync github {run.repo} failed, answering from git alone: {exc}")
        return "the GitHub sync failed: reviewers from git alone"
    print_summary(summary)
    window = f" updated in the last {run.inputs.sync_days} days" if run.inputs.sync_days else ""
    return f"git history and GitHub PRs{window}"


def report(exc: TeamMemoryError, env: Mapping[str, str], *, fail_on_error: bool) -> int:
    """One line for `exc`: an error (exit code) or, without fail-on-error, a warning (exit 0)."""
    if fail_on_error:
        line = f"::error title=TeamMemory::{exc}" if env.get("GITHUB_ACTIONS") == "true" else f"error: {exc}"
        print(line, file=sys.stderr)
        return exc.exit_code
    warn(f"{exc} (fail-on-error is false: the job goes on)")
    return 0


def say(line: str) -> None:
    print(line, flush=True)


def warn(line: str) -> None:
    prefix = "::warning title=TeamMemory::" if os.environ.get("GITHUB_ACTIONS") == "true" else "warning: "
    print(prefix + line, file=sys.stderr, flush=True)


def _announce() -> list[tuple[logging.Logger, logging.Handler]]:
    """Retries and rate-limit waits (of sources.http and of comment writes) as warning lines; the
    handlers it added, for `main` to remove."""
    added: list[tuple[logging.Logger, logging.Handler]] = []
    for name in ("teammemory.sources", "teammemory.action"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Warnings) for h in logger.handlers):
            handler = _Warnings(logging.WARNING)
            logger.addHandler(handler)
            added.append((logger, handler))
            logger.setLevel(min(logger.getEffectiveLevel(), logging.WARNING))
    return added


class _Warnings(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


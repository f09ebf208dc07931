"""CLI commands that fetch from live APIs: `sync github`, `sync jira`.

Credentials come only from the environment (GITHUB_TOKEN; JIRA_API_TOKEN with JIRA_EMAIL for
Cloud basic auth, alone as a Server/Data Center bearer token) or, for Jira, the user:password of
`--url`; they are checked before anything is sent and never printed, logged or stored. Without
any, a warning says what anonymous access allows. A token goes over plain http:// only to this
machine unless `--allow-insecure`. How long a sync may wait is said in `--help` and bounded by
`--timeout` (each wait) and `--deadline` (each request); every retry is announced on stderr.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from teammemory.ingest.sync import sync_github, sync_jira
from teammemory.outputs.commands_data import print_summary
from teammemory.outputs.options import State, errors, parse_now, warn
from teammemory.sources import github, jira
from teammemory.sources.http import ATTEMPTS, DEADLINE, TIMEOUT, Http, RetryPolicy
from teammemory.store import Store

sync_app = typer.Typer(help="Fetch from GitHub or Jira itself, incrementally (credentials from the environment).",
                       no_args_is_help=True, rich_markup_mode=None)

TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, envvar="TEAMMEMORY_SYNC_TIMEOUT", metavar="SECONDS",
    help=f"Longest wait for a connection or for the next bytes of an answer. A request that fails"
         f" this way (or with a 5xx, or a dropped connection) is tried {ATTEMPTS} times in all, each"
         f" retry shown on stderr: a silent server fails after about {ATTEMPTS} x SECONDS. A refused"
         f" connection or a host that does not resolve fails at once.")]
DeadlineOption = Annotated[float, typer.Option(
    "--deadline", min=0.1, envvar="TEAMMEMORY_SYNC_DEADLINE", metavar="SECONDS",
    help="Longest time one request may take in all (connect, headers, body): a server that"
         " trickles its answer fails once past it, without retries.")]
InsecureFlag = Annotated[bool, typer.Option(
    "--allow-insecure", help="Send credentials over plain http:// to another machine than this one.")]


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")


class _Warnings(logging.Handler):
    """Log records of the sources (retries, rate-limit waits) as `warning: ...` lines on stderr,
    the stream of the moment (a test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"warning: {record.getMessage()}", file=sys.stderr)


def announce_retries() -> None:
    """Show every retry and wait of this run on stderr, as it happens (once per process)."""
    sources = logging.getLogger("teammemory.sources")
    if not any(isinstance(h, _Warnings) for h in sources.handlers):
        handler = _Warnings(logging.WARNING)
        sources.addHandler(handler)
        sources.setLevel(min(sources.getEffectiveLevel(), logging.WARNING))


@sync_app.command("github")
def sync_github_command(
    ctx: typer.Context,
    repo: Annotated[str, typer.Argument(metavar="OWNER/REPO", help="The repository to sync.")],
    base_url: Annotated[str, typer.Option("--base-url", help="API root; GitHub Enterprise: https://HOST/api/v3.")]
    = github.API,
    since: Annotated[str | None, typer.Option(
        "--since", help="ISO 8601 time: only PRs and issues updated since then [default: the stored cursors].")]
    = None,
    timeout: TimeoutOption = TIMEOUT,
    deadline: DeadlineOption = DEADLINE,
    allow_insecure: InsecureFlag = False,
) -> None:
    """Fetch PRs (reviews, comments, files, commits) and issues (comments); GITHUB_TOKEN authenticates."""
    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        github.check_repo(repo)
        client = github.make_github_client(base_url, env=os.environ, timeout=timeout,
                                           allow_insecure=allow_insecure, name="--base-url")
        warn(github.missing_token(os.environ))
        announce_retries()
        start = int(parse_now(since, "--since").timestamp()) if since else None
        http = Http(client, RetryPolicy(deadline=deadline))
        print_summary(sync_github(Store.open(config.db_url), repo, config=config, client=http, since=start,
                                  progress=True))


@sync_app.command("jira")
def sync_jira_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="Jira base URL, e.g. https://acme.atlassian.net.")],
    jql: Annotated[str, typer.Option("--jql", help='Which issues, e.g. "project = PROJ".')],
    cloud: Annotated[bool | None, typer.Option(
        "--cloud/--server", help="Force the Cloud (search/jql, nextPageToken) or Server API [default: by host].")]
    = None,
    timeout: TimeoutOption = TIMEOUT,
    deadline: DeadlineOption = DEADLINE,
    allow_insecure: InsecureFlag = False,
) -> None:
    """Fetch issues with comments, links and changelog; JIRA_API_TOKEN (+ JIRA_EMAIL) authenticates."""
    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        client = jira.make_jira_client(url, env=os.environ, timeout=timeout, allow_insecure=allow_insecure,
                                       name="--url")
        warn(jira.missing_token(os.environ, url))
        announce_retries()
        http = Http(client, RetryPolicy(deadline=deadline))
        print_summary(sync_jira(Store.open(config.db_url), url, jql, config=config, client=http, cloud=cloud,
                                progress=True))



"""CLI commands that fetch from live APIs: `sync github`, `sync jira`.

Credentials come only from the environment (GITHUB_TOKEN; JIRA_API_TOKEN with JIRA_EMAIL for
Cloud basic auth, alone as a Server/Data Center bearer token); they are never printed, logged
or stored.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from teammemory.ingest.sync import sync_github, sync_jira
from teammemory.outputs.commands_data import print_summary
from teammemory.outputs.options import State, errors, parse_now
from teammemory.sources import github, jira
from teammemory.store import Store

sync_app = typer.Typer(help="Fetch from GitHub or Jira itself, incrementally (credentials from the environment).",
                       no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")


@sync_app.command("github")
def sync_github_command(
    ctx: typer.Context,
    repo: Annotated[str, typer.Argument(metavar="OWNER/REPO", help="The repository to sync.")],
    base_url: Annotated[str, typer.Option("--base-url", help="API root; GitHub Enterprise: https://HOST/api/v3.")]
    = github.API,
    since: Annotated[str | None, typer.Option(
        "--since", help="ISO 8601 time: only PRs and issues updated since then [default: the stored cursors].")]
    = None,
) -> None:
    """Fetch PRs (reviews, comments, files, commits) and issues (comments); GITHUB_TOKEN authenticates."""
    state: State = ctx.obj
    with errors():
        config = state.config()
        github.check_repo(repo)
        client = github.make_github_client(base_url, env=os.environ)
        start = int(parse_now(since).timestamp()) if since else None
        print_summary(sync_github(Store.open(config.db_url), repo, config=config, client=client, since=start))


@sync_app.command("jira")
def sync_jira_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="Jira base URL, e.g. https://acme.atlassian.net.")],
    jql: Annotated[str, typer.Option("--jql", help='Which issues, e.g. "project = PROJ".')],
    cloud: Annotated[bool | None, typer.Option(
        "--cloud/--server", help="Force the Cloud (search/jql, nextPageToken) or Server API [default: by host].")]
    = None,
) -> None:
    """Fetch issues with comments, links and changelog; JIRA_API_TOKEN (+ JIRA_EMAIL) authenticates."""
    state: State = ctx.obj
    with errors():
        config = state.config()
        client = jira.make_jira_client(url, env=os.environ)
        print_summary(sync_jira(Store.open(config.db_url), url, jql, config=config, client=client, cloud=cloud))

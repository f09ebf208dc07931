"""CLI commands that build the memory: init-db, seed, ingest git|jira|github (the identities
group is commands_identities', a module of its own so that an ingest does not import it)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from teammemory.config import DEFAULT
from teammemory.ingest import IngestSummary, guard
from teammemory.outputs.options import State, errors, stdout, warn
from teammemory.store import Store, migrate

ingest_app = typer.Typer(help="Ingest git history, Jira issues, GitHub pull requests and issues, or postmortems.",
                         no_args_is_help=True,
                         rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("init-db")(init_db)
    app.command("seed")(seed)
    app.add_typer(ingest_app, name="ingest")


def init_db(ctx: typer.Context,
            reset: Annotated[bool, typer.Option(
                "--reset", help="Drop TeamMemory's tables first (all its data is lost; a store that holds"
                                " data needs --force too).")] = False,
            force: Annotated[bool, typer.Option(
                "--force", help="With --reset: drop a store that holds commits, PRs or issues. Also: add"
                                " TeamMemory's tables to a database that holds another application's.")]
            = False,
            ) -> None:
    """Create the store, or migrate it to this version's schema."""
    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        store = Store.open(config.db_url)
        with store.write(adopt=force) as db:
            if reset:
                if not force:
                    guard.refuse_replacing(db, store.where, "init-db --reset")
                migrate.drop_all(db)
            applied = migrate.apply(db)
        names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "none (already current)"
        stdout().print(f"store {store.url}: schema version {migrate.latest_version()}; applied: {names}")


DEMO_STORE = "teammemory-demo.db"


def seed(ctx: typer.Context,
         folder: Annotated[Path, typer.Option("--dir", help="Where the demo's repository and JSON files are built.")]
         = Path("teammemory-demo"),
         force: Annotated[bool, typer.Option(
             "--force", help="Replace a store that holds data other than the demo's.")] = False,
         ) -> None:
    """Build the demo (a git repository plus Jira and GitHub JSON) and load it into a fresh store.

    The store is teammemory-demo.db beside the demo's folder unless --db (or TEAMMEMORY_DB, or
    store.db in teammemory.toml) names one; a store that holds other data is never replaced
    without --force."""
    from teammemory import demo

    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        url = config.db_url if state.db or config.db_url != DEFAULT["store.db"] else \
            str(folder.parent / DEMO_STORE)
        if url != config.db_url:
            folder.parent.mkdir(parents=True, exist_ok=True)
        store = Store.open(url)
        if not force:
            with store.write() as db:
                guard.refuse_replacing(db, store.where, "seed", keep=lambda name, path: _is_demo(name, path))
        summary = demo.seed(store, folder)
        out = stdout()
        out.print(f"demo built in {summary.demo.folder} (head {summary.demo.head[:12]}); loaded into {store.url}")
        for source, counts in summary.counts.items():
            out.print(f"  {source}: " + ", ".join(f"{label(k)} {v}" for k, v in sorted(counts.items())))
        if url != config.db_url:
            out.print(f"ask it with --db {shlex.quote(url)} (or export TEAMMEMORY_DB={shlex.quote(url)})")


def _is_demo(name: str, path: str) -> bool:
    """A repository `seed` wrote: the demo's name, in a folder the demo generator marked."""
    from teammemory import demo

    return name == demo.story.REPO and (Path(path).parent / demo.MARKER).is_file()


def print_summary(summary: IngestSummary, quiet: bool = False) -> None:
    """The run's counts on stdout (not with `quiet`), then its warnings on stderr (always)."""
    if not quiet:
        counts = ", ".join(f"{label(k)}: {v}" for k, v in sorted(summary.counts.items()))
        stdout().print(f"ingested {summary.source} {summary.target}: {counts} in {summary.elapsed:.2f}s")
    for message in summary.warnings:
        warn(message)


def label(count: str) -> str:
    """A count's key as a summary says it: `file_changes` -> 'file changes' (each changed file of
    each commit, not distinct files), `files` of a JSON ingest -> 'input files'."""
    return "input files" if count == "files" else count.replace("_", " ")


@ingest_app.command("git")
def ingest_git(ctx: typer.Context,
               path: Annotated[Path, typer.Argument(help="A local clone (bare or not).")],
               name: Annotated[str | None, typer.Option("--name", help="Repository name [default: folder name].")]
               = None,
               branch: Annotated[str | None, typer.Option("--branch", help="Branch or ref [default: HEAD].")] = None,
               quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
               ) -> None:
    """Ingest every commit reachable from the branch: incremental, idempotent, rename-aware.

    A repository the store already holds under another name (same root commit, or same origin
    remote) is refused with that name: ingest it again with --name NAME. A shallow clone is
    ingested with a warning (answers see only the commits it holds); once it is deepened (git
    fetch --unshallow), the next ingest reads the rest."""
    from teammemory.ingest.git import ingest_git as run

    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        summary = run(Store.open(config.db_url), path, config=config, name=name, branch=branch, progress=not quiet)
        print_summary(summary, quiet)


@ingest_app.command("jira")
def ingest_jira(ctx: typer.Context,
                files: Annotated[list[Path], typer.Argument(help="Jira REST JSON files or folders of them.")],
                ) -> None:
    """Import Jira issues (search pages, single issues, comment pages, perceval items)."""
    from teammemory.ingest.jira import ingest_jira_files

    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        print_summary(ingest_jira_files(Store.open(config.db_url), files, config=config))


@ingest_app.command("github")
def ingest_github(ctx: typer.Context,
                  files: Annotated[list[Path], typer.Argument(help="GitHub REST JSON files or folders of them.")],
                  repo: Annotated[str | None, typer.Option("--repo", help="OWNER/REPO when the files do not say.")]
                  = None,
                  ) -> None:
    """Import GitHub pull requests (reviews, comments, files, commits) and issues (key OWNER/REPO#N)."""
    from teammemory.ingest.github import ingest_github_files

    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        print_summary(ingest_github_files(Store.open(config.db_url), files, config=config, repo=repo))



@ingest_app.command("incidents")
def ingest_incidents(ctx: typer.Context,
                     files: Annotated[list[Path], typer.Argument(
                         help="Postmortems (.yaml, .yml, .json, .md with front matter) or folders of them.")],
                     ) -> None:
    """Import postmortems: times, severity, causes and fixes (commits, PRs), components, action items.

    Jira issues of type Incident need no import: they are read from the Jira data."""
    from teammemory.ingest.incidents import ingest_incident_files

    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        print_summary(ingest_incident_files(Store.open(config.db_url), files, config=config))

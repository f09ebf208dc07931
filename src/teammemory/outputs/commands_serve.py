"""CLI: `teammemory serve` (the REST API, with MCP at /mcp) and `teammemory mcp` (MCP over stdio).

Both take the global --db/--config and open the store read-only per request. FastAPI, uvicorn and
mcp are imported only when one of these runs (the `api` extra), so other commands never pay
for them.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from teammemory.errors import InputError
from teammemory.outputs.options import State, check_range, errors
from teammemory.store import Store

EXTRA = "install the 'api' extra: pip install 'teammemory[api]'"


def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="TCP port (1 to 65535).")] = 8000) -> None:
    """Serve every question as JSON over HTTP (OpenAPI at /openapi.json, MCP at /mcp).

    With TEAMMEMORY_API_TOKEN set, every request needs `Authorization: Bearer <token>`."""
    state: State = ctx.obj
    with errors(ctx):
        check_range("--port", port, 1, 65535)
        config = state.config()
        uvicorn, create_app = _web()
        check_store(config.db_url)
        app = create_app(config=config, host=host)
    uvicorn.run(app, host=host, port=port, log_level="info")


def mcp(ctx: typer.Context) -> None:
    """Serve every question as an MCP tool over stdin/stdout (for coding agents)."""
    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        try:
            from teammemory.api.mcp import serve_stdio
        except ImportError as exc:
            raise InputError("mcp", f"{exc.name} is not installed; {EXTRA}") from None
        check_store(config.db_url)
    store = Store.open(config.db_url)
    from teammemory.ingest.rules import apply_component_rules

    apply_component_rules(store, config)
    serve_stdio(config, store.read)


def _web() -> tuple[Any, Any]:
    try:
        import uvicorn

        from teammemory.api.app import create_app
    except ImportError as exc:
        raise InputError("serve", f"{exc.name} is not installed; {EXTRA}") from None
    return uvicorn, create_app


def check_store(url: str) -> None:
    """Open the store once before serving, so a missing or unreadable store fails at start-up."""
    with Store.open(url).read():
        pass


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("mcp")(mcp)

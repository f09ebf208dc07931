"""The ASGI app: every registry question, the browse endpoints, /mcp, one error shape, a token.

`create_app` loads the config once and opens the store read-only per request (`Store.read()`
never migrates). Errors leave as `documents.error_body`: 404 with close matches, 422 naming the
bad parameter, 401 without the token, 503 when the store cannot be read, 500 for anything else
(its traceback goes to the server's log, never to the client).
"""

from __future__ import annotations

import dataclasses
import hmac
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from teammemory import __version__
from teammemory import config as config_mod
from teammemory.api import documents
from teammemory.api.browse import browse_routes
from teammemory.api.dashboard import install as install_dashboard
from teammemory.api.routes import Opener, question_routes
from teammemory.config import Config
from teammemory.errors import InputError, NotFound, TeamMemoryError
from teammemory.ingest.rules import apply_component_rules
from teammemory.outputs.commands_agents import BOUNDS
from teammemory.store import Store

TOKEN_ENV = "TEAMMEMORY_API_TOKEN"
log = logging.getLogger("teammemory.api")


def create_app(db_url: str | None = None, config: Config | str | Path | None = None, *,
               token: str | None = None, mcp: bool = True, host: str = "127.0.0.1") -> FastAPI:
    """The app over the store `db_url` (default: the config's, i.e. TEAMMEMORY_DB or teammemory.toml).

    `config` is a Config or the path of a teammemory.toml; `token` (default: TEAMMEMORY_API_TOKEN)
    makes every request need `Authorization: Bearer <token>`; `mcp` mounts the MCP server's
    streamable HTTP transport at /mcp; `host` is where it will listen (the MCP transport guards
    against DNS rebinding when that is localhost)."""
    cfg = _config(db_url, config)
    store = Store.open(cfg.db_url)
    apply_component_rules(store, cfg)  # the config is loaded once: its component rules take effect now
    open_reader = store.read
    lifespan, mcp_routes = _mcp(cfg, open_reader, host) if mcp else (None, [])
    app = FastAPI(title="TeamMemory", version=__version__, docs_url=None, redoc_url=None,
                  description="Your team's memory of why the code is the way it is: every answer with its evidence.",
                  lifespan=lifespan)
    app.include_router(question_routes(open_reader, cfg))
    app.include_router(browse_routes(open_reader, str(store.url)))
    app.router.routes.extend(mcp_routes)
    _handle_errors(app)
    secret = os.environ.get(TOKEN_ENV) if token is None else token
    if secret:
        app.add_middleware(BearerToken, token=secret)
    install_dashboard(app, open_reader, cfg, str(store.url), secret)  # after the guard: wraps it
    return app


def _config(db_url: str | None, config: Config | str | Path | None) -> Config:
    if isinstance(config, Config):
        return config if db_url is None else dataclasses.replace(config, db_url=db_url)
    return config_mod.load(Path(config) if config is not None else None, db=db_url)


def _mcp(cfg: Config, open_reader: Opener, host: str) -> tuple[Any, list[Any]]:
    """The MCP server's streamable HTTP route and the lifespan that runs its session manager."""
    from teammemory.api.mcp import build_server

    server = build_server(cfg, open_reader)
    sub = server.streamable_http_app(streamable_http_path="/mcp", host=host)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with server.session_manager.run():
            yield

    return lifespan, list(sub.routes)


def _handle_errors(app: FastAPI) -> None:
    """Every error as `documents.error_body`, with its status."""

    @app.exception_handler(TeamMemoryError)
    async def known(_request: Request, exc: TeamMemoryError) -> JSONResponse:
        status = documents.status_of(exc)
        if status >= 500:
            log.error("store error: %s", exc)
        return JSONResponse(documents.error_body(exc, status), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_validation_data(exc), status_code=422)

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> JSONResponse:
        where = f"{request.method} {request.url.path}"
        error = NotFound("endpoint", where, ()) if exc.status_code == 404 else \
            InputError(where, f"{str(exc.detail).lower()} (/openapi.json lists the endpoints)")
        return JSONResponse(documents.error_body(error, exc.status_code), status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return JSONResponse(documents.error_body(exc, 500), status_code=500)


def _validation_data(exc: RequestValidationError) -> dict[str, Any]:
    """The first bad parameter, named, in the CLI's words where the CLI has them (its bounds)."""
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ())][1:]  # past the place: query, path, header
    name = loc[0] if loc else "request"
    value = first.get("input")
    bounds = BOUNDS.get(name)
    if bounds is not None and first.get("type") in ("greater_than_equal", "less_than_equal"):
        what = f"{value} is out of range: {bounds.text}"
    elif first.get("type") == "missing":
        what = "missing"
    else:
        what = f"{first.get('msg', 'invalid')}" + (f" (not {str(value)[:80]!r})" if value not in (None, "") else "")
    return documents.error_body(InputError(name, what), 422)


class BearerToken:
    """Refuse every request without `Authorization: Bearer <token>` (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            given = dict(scope.get("headers") or ()).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                message = "missing bearer token" if not given else "wrong bearer token"
                data = documents.unauthorized(f"Authorization: {message} (the server's {TOKEN_ENV})")
                response = JSONResponse(data, status_code=401, headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

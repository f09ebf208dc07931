"""The web dashboard, served by the API's app at `/`: pages over the same answer documents the
API returns (templates in api/templates, one CSS file in api/static; nothing from the internet).

`install(app, ...)` adds the pages, the static files and, when the app has a token, the
browser's way to give it (`?token=` once, then an HttpOnly cookie: dashboard/token.py).
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from teammemory.api.dashboard import formats
from teammemory.api.dashboard.pages import Pages, page_routes
from teammemory.api.dashboard.token import DashboardToken
from teammemory.api.routes import Opener
from teammemory.config import Config


def templates() -> Jinja2Templates:
    """The page templates, autoescaped (every value from the store is text, never markup)."""
    env = Environment(loader=PackageLoader("teammemory.api", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(duration=formats.duration, moment=formats.moment, measure=formats.measure,
                       basename=formats.basename)
    return Jinja2Templates(env=env)


def install(app: FastAPI, open_reader: Opener, config: Config, store: str, token: str | None) -> None:
    """The dashboard's routes and static files on `app`; with `token`, the cookie exchange, which
    must wrap the app's bearer guard (so call this after that guard is added)."""
    t = templates()
    app.include_router(page_routes(Pages(open_reader, config, store, t)))
    app.mount("/static", StaticFiles(directory=str(files("teammemory.api") / "static")), name="static")
    if token:
        login = t.get_template("login.html").render()
        app.add_middleware(DashboardToken, token=token, login_page=login)

"""The endpoints beside the questions: components, people, search, and the store's health.

Each answers in the same envelope as a question (`{"question", "now", "result"}`, the document
`teammemory identities --json` prints for /people), except /health, which is about the store
rather than its contents.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from teammemory.api import catalog, documents, health, search
from teammemory.api.parameters import NOW, now_of
from teammemory.api.routes import ERRORS, AnswerDocument, Opener
from teammemory.identity.people import list_developers
from teammemory.outputs.commands_agents import BOUNDS
from teammemory.outputs.render import to_data

NowQuery = Annotated[str | None, Query(description=NOW.help)]
LIMIT = BOUNDS["limit"]


def browse_routes(open_reader: Opener, store: str) -> APIRouter:
    """/people, /people/{key}, /search and /health over the store `open_reader` opens (/components is
    the `components` question)."""
    router = APIRouter(responses=ERRORS)

    def answer(name: str, now: str | None, ask: Any) -> JSONResponse:
        when = now_of(now)
        with open_reader() as db:
            return JSONResponse(documents.document(name, when, ask(db)))

    @router.get("/people", tags=["browse"], response_model=AnswerDocument)
    def people(name: Annotated[str | None, Query(description="Only developers whose key, name, email or any"
                                                 " account's name, email or login contains it.")] = None,
               limit: Annotated[int | None, Query(ge=0, le=LIMIT.high, description="Show at most N.")] = None,
               now: NowQuery = None) -> JSONResponse:
        """Developers with their accounts and the rule that tied each (`teammemory identities`)."""
        return answer("identities", now, lambda db: list_developers(db, name=name or "", limit=limit))

    @router.get("/people/{key}", tags=["browse"], response_model=AnswerDocument)
    def person(key: Annotated[str, Path(min_length=1, description="Developer key, e.g. ali-ahmed.")],
               now: NowQuery = None) -> JSONResponse:
        """One developer with their accounts."""
        return answer("person", now, lambda db: catalog.developer(db, key))

    @router.get("/search", tags=["browse"], response_model=AnswerDocument)
    def find(q: Annotated[str, Query(min_length=1, description="Text in an issue key or summary, a PR number"
                                     " (382 or #382) or title, a path, a person's key, name or email.")],
             limit: Annotated[int, Query(ge=LIMIT.low, le=LIMIT.high, description="How many hits.")] = 50,
             now: NowQuery = None) -> JSONResponse:
        """Issues, pull requests, files and people whose name contains `q`, exact matches first."""
        return answer("search", now, lambda db: search.search(db, q, limit=limit))

    @router.get("/health", tags=["store"])
    def check() -> JSONResponse:
        """The store's schema and data freshness: per repository and per source, when last ingested."""
        with open_reader() as db:
            return JSONResponse(to_data(health.health(db, store)))

    return router

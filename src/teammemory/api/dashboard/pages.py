"""The dashboard's pages: each builds the same answer documents the API returns
(`documents.answer_document`, the CLI's `--json`) and hands them to a template, which only reads
them. Errors render as an HTML page with the API's status (404 with close matches as links).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from teammemory.api import catalog, documents, health, search
from teammemory.api.dashboard import chart, lookups, memory
from teammemory.api.dashboard.links import Links, unique_names
from teammemory.api.parameters import now_of
from teammemory.api.routes import Opener
from teammemory.config import Config
from teammemory.errors import InputError, NotFound, TeamMemoryError
from teammemory.outputs.render import error_data, to_data
from teammemory.store import Reader

Context = dict[str, Any]
Build = Callable[[Reader, datetime, Links], Context]
TOP = 10  # rows in the overview's lists


class Pages:
    """The page handlers over one store and config."""

    def __init__(self, open_reader: Opener, config: Config, store: str, templates: Jinja2Templates) -> None:
        self.open_reader, self.config, self.store, self.templates = open_reader, config, store, templates

    def ask(self, db: Reader, name: str, subject: Any, now: datetime, **options: Any) -> dict[str, Any]:
        """Question `name`'s answer document, exactly as GET on its endpoint returns it."""
        documents.check_question(name, subject, options)
        return documents.answer_document(db, name, subject, now=now, config=self.config, options=options)

    def each_component(self, db: Reader, name: str, now: datetime, **options: Any) -> list[dict[str, Any]]:
        """Question `name` for every listed component, leaving out the ones its agent does not
        know (a component of files no commit reached: /components lists it, the agent answers 404)."""
        out = []
        for c in catalog.list_components(db).components:
            try:
                out.append(self.ask(db, name, c.name, now, **options))
            except NotFound:
                continue
        return out

    def render(self, request: Request, template: str, build: Build) -> HTMLResponse:
        now_text = request.query_params.get("now") or None
        links = Links(now=now_text)
        try:
            now = now_of(now_text)
            with self.open_reader() as db:
                links = dataclasses.replace(links, people=unique_names(lookups.developer_names(db)))
                context = build(db, now, links)
        except TeamMemoryError as exc:
            return self.error(request, exc, links)
        return self.templates.TemplateResponse(request, template, {**context, "links": links, "now": now_text})

    def error(self, request: Request, exc: TeamMemoryError, links: Links) -> HTMLResponse:
        status = documents.status_of(exc)
        body = error_data(exc)["error"]
        suggestions = [(s, suggestion_url(links, request.url.path, s)) for s in body["suggestions"]]
        asked = request.query_params.get("path") or unquote(request.url.path.rstrip("/").rsplit("/", 1)[-1])
        return self.templates.TemplateResponse(request, "error.html", {
            "error": body, "status": status, "now": links.now, "links": links, "suggestions": suggestions,
            "asked": asked if status == 404 else ""}, status_code=status)

    # page builders: (reader, now, links) -> the template's context

    def overview(self, db: Reader, now: datetime, links: Links) -> Context:
        risky = self.ask(db, "risky-files", None, now, limit=TOP)
        active = lookups.component_activity(db, since=risky["result"]["since"], now=now)
        incidents = self.ask(db, "incidents", None, now, limit=TOP)
        return {"health": to_data(health.health(db, self.store)), "sizes": lookups.component_sizes(db),
                "active": active[:TOP], "active_total": len(active), "risky": risky,
                "hygiene": self.ask(db, "hygiene", None, now), "incidents": incidents}

    def component(self, name: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            known = [c.name for c in catalog.list_components(db).components]
            commits = lookups.component_commits(db, name, known)
            series = chart.monthly((c.authored_at for c in commits), now)
            return {"name": name, "bars": chart.bars(series), "chart": chart,
                    "experts": self.ask(db, "component-experts", name, now),
                    "risk": self.ask(db, "component-risk", name, now),
                    "onboarding": self.ask(db, "onboarding", name, now),
                    **memory.component_sections(self, db, name, now)}
        return build

    def month(self, name: str, month: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
                raise InputError("month", f"not a month (YYYY-MM): {month!r}")
            known = [c.name for c in catalog.list_components(db).components]
            rows = [c for c in lookups.component_commits(db, name, known) if chart.month_of(c.authored_at) == month]
            return {"name": name, "month": month, "commits": rows, "when": lookups.when}
        return build

    def file(self, path: str, repo: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            return {"path": path, "repo": repo,
                    "context": self.ask(db, "file-context", path, now, repo=repo or None),
                    "experts": self.ask(db, "file-experts", path, now, repo=repo or None),
                    "risk": self.ask(db, "file-risk", path, now),
                    **memory.file_sections(self, db, path, repo, now)}
        return build

    def issue(self, key: str, repo: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            return {"doc": self.ask(db, "issue-context", key, now, repo=repo or None),
                    "similar": memory.optional(lambda: self.ask(db, "similar", key, now, repo=repo or None))}
        return build

    def pr(self, number: int, repo: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            return {"context": self.ask(db, "pr-context", number, now, repo=repo or None),
                    "reviewers": self.ask(db, "review-suggest", number, now, repo=repo or None)}
        return build

    def person(self, key: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            person = documents.document("person", now, catalog.developer(db, key))
            known = []
            for doc in self.each_component(db, "component-experts", now):
                for rank, expert in enumerate(doc["result"]["experts"], 1):
                    if expert["person"]["key"] == key:
                        known.append({"component": doc["result"]["name"], "rank": rank,
                                      "of": len(doc["result"]["experts"]), "expert": expert})
            known.sort(key=lambda k: (-k["expert"]["score"]["total"], k["component"]))
            return {"person": person, "known": known, "work": lookups.recent_work(db, key), "when": lookups.when}
        return build

    def commit(self, ref: str, repo: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            return {"c": lookups.commit(db, ref, repo)}
        return build

    def search(self, q: str) -> Build:
        def build(db: Reader, now: datetime, links: Links) -> Context:
            doc = documents.document("search", now, search.search(db, q, limit=50)) if q.strip() else None
            return {"q": q, "doc": doc}
        return build


def suggestion_url(links: Links, path: str, text: str) -> str:
    """The page of a close match offered on a not-found page: the same kind as the page asked."""
    kind = path.removeprefix("/ui/").split("/")[0]
    pages: dict[str, Callable[[str], str]] = {"people": links.person, "components": links.component,
                                               "issues": links.issue, "files": links.file, "prs": links.pr,
                                               "commits": links.commit, "incidents": links.incident}
    return pages.get(kind, links.ref)(text)


def page_routes(pages: Pages) -> APIRouter:
    """The dashboard's GET routes (left out of the OpenAPI document: they answer HTML)."""
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @router.get("/")
    def overview(request: Request) -> HTMLResponse:
        return pages.render(request, "overview.html", pages.overview)

    # `:path`: a component named after a folder (`stream/clients`) keeps its slash, which the
    # server decodes from the link's %2F; the month listing is matched first
    @router.get("/ui/components/{name:path}/commits")
    def month(request: Request, name: str, month: str = "") -> HTMLResponse:
        return pages.render(request, "month.html", pages.month(name, month))

    @router.get("/ui/components/{name:path}")
    def component(request: Request, name: str) -> HTMLResponse:
        return pages.render(request, "component.html", pages.component(name))

    @router.get("/ui/files")
    def file(request: Request, path: str = "", repo: str = "") -> HTMLResponse:
        return pages.render(request, "file.html", pages.file(path, repo))

    @router.get("/ui/issues/{key}")
    def issue(request: Request, key: str, repo: str = "") -> HTMLResponse:
        return pages.render(request, "issue.html", pages.issue(key, repo))

    @router.get("/ui/prs/{number}")
    def pr(request: Request, number: str, repo: str = "") -> HTMLResponse:
        if not number.isdigit():
            return pages.error(request, InputError("number", f"not a pull request number: {number!r}"), Links())
        return pages.render(request, "pr.html", pages.pr(int(number), repo))

    @router.get("/ui/people/{key}")
    def person(request: Request, key: str) -> HTMLResponse:
        return pages.render(request, "person.html", pages.person(key))

    @router.get("/ui/commits/{ref}")
    def commit(request: Request, ref: str, repo: str = "") -> HTMLResponse:
        return pages.render(request, "commit.html", pages.commit(ref, repo))

    @router.get("/ui/search")
    def find(request: Request, q: str = "") -> HTMLResponse:
        return pages.render(request, "search.html", pages.search(q))

    memory_routes(router, pages)

    @router.get("/ui/{rest:path}")
    def unknown(request: Request, rest: str) -> HTMLResponse:
        return pages.error(request, NotFound("page", request.url.path, ()), Links(now=request.query_params.get("now")))

    return router


def memory_routes(router: APIRouter, pages: Pages) -> None:
    """The pages of issue 13's questions (dashboard/memory.py), before the catch-all 404."""

    @router.get("/ui/components")
    def components(request: Request) -> HTMLResponse:
        return pages.render(request, "components.html", memory.components(pages))

    @router.get("/ui/bus-factor")
    def bus_factor(request: Request, repo: str = "") -> HTMLResponse:
        return pages.render(request, "bus_factor.html", memory.bus_factor(pages, repo))

    @router.get("/ui/incidents")
    def incidents(request: Request, component: str = "") -> HTMLResponse:
        return pages.render(request, "incidents.html", memory.incidents(pages, component))

    @router.get("/ui/incidents/{key}")
    def incident(request: Request, key: str) -> HTMLResponse:
        return pages.render(request, "incident.html", memory.incident(pages, key))

    @router.get("/ui/timeline")
    def timeline(request: Request, since: str = "", until: str = "", component: str = "") -> HTMLResponse:
        return pages.render(request, "timeline.html", memory.timeline(pages, since, until, component))

    @router.get("/ui/why")
    def why(request: Request, path: str = "", lines: str = "", repo: str = "") -> HTMLResponse:
        return pages.render(request, "why.html", memory.why(pages, path, lines, repo))

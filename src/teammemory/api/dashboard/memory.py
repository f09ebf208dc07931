"""The dashboard's pages for issue 13's questions: why it changed, why a line is so, has it
happened before, who we depend on, incidents and the timeline.

Each builder asks the registry questions (`Pages.ask`, the API's own documents) and hands them
to a template; the only things done here are choosing which documents a page shows and, for
pages that show one item of a list answer (one incident, the incidents touching a file),
picking that item out of the answer unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from teammemory.agents.evidence import not_found
from teammemory.errors import InputError, NotFound
from teammemory.outputs.limits import LIMIT_MAX
from teammemory.store import Reader

if TYPE_CHECKING:
    from teammemory.api.dashboard.links import Links
    from teammemory.api.dashboard.pages import Build, Context, Pages

TIMELINE_DAYS = 30  # the timeline page's window when `since` is not given: the 30 days before `now`
MISSING_CLONE = "--git-dir"  # why_line's argument when the clone recorded at ingest is not on this machine


def component_sections(pages: Pages, db: Reader, name: str, now: datetime) -> Context:
    """A component's why-changed (this window against the one before), bus factor and incidents."""
    return {"why_changed": pages.ask(db, "why-changed", name, now),
            "bus": optional(lambda: pages.ask(db, "bus-factor", name, now)),
            "incidents": pages.ask(db, "incidents", None, now, component=name)}


def file_sections(pages: Pages, db: Reader, path: str, repo: str, now: datetime) -> Context:
    """A file's coupling, why-changed and the incidents whose causes or fixes touched it."""
    everything = pages.ask(db, "incidents", None, now, repo=repo or None, limit=LIMIT_MAX)
    return {"coupling": optional(lambda: pages.ask(db, "coupling", path, now, repo=repo or None)),
            "why_changed": pages.ask(db, "why-changed", path, now, repo=repo or None),
            "file_incidents": touching(everything["result"]["incidents"], path)}


def touching(incidents: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    """The incidents (answer items, unchanged) with a cause or a fix that changed `path`."""
    return [i for i in incidents if any(path in c["paths"] for c in (*i["causes"], *i["fixes"]))]


def optional(ask: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """`ask()`'s document, or None when its question does not know the subject (a file no
    commit reached in a coupling, a component no file is authored in): the page says so."""
    try:
        return ask()
    except NotFound:
        return None


def components(pages: Pages) -> Build:
    def build(db: Reader, now: datetime, links: Links) -> Context:
        return {"doc": pages.ask(db, "components", None, now, limit=LIMIT_MAX)}
    return build


def bus_factor(pages: Pages, repo: str) -> Build:
    def build(db: Reader, now: datetime, links: Links) -> Context:
        return {"doc": pages.ask(db, "bus-factor", None, now, repo=repo or None), "repo": repo}
    return build


def incidents(pages: Pages, component: str) -> Build:
    def build(db: Reader, now: datetime, links: Links) -> Context:
        return {"doc": pages.ask(db, "incidents", None, now, component=component or None, limit=LIMIT_MAX),
                "component": component}
    return build


def incident(pages: Pages, key: str) -> Build:
    """One incident of the incidents answer; NotFound with close keys when there is none."""
    def build(db: Reader, now: datetime, links: Links) -> Context:
        doc = pages.ask(db, "incidents", None, now, limit=LIMIT_MAX)
        found = [i for i in doc["result"]["incidents"] if i["key"] == key]
        if not found:
            raise not_found("incident", key, [i["key"] for i in doc["result"]["incidents"]])
        return {"doc": doc, "i": found[0], "around": around(found[0])}
    return build


def around(item: dict[str, Any]) -> tuple[str, str]:
    """The timeline window of an incident: from a week before it started (what changed just
    before it broke) to a day after its last recorded moment."""
    start = datetime.fromisoformat(item["started_at"])
    moments = [datetime.fromisoformat(item[k]) for k in ("detected_at", "mitigated_at", "resolved_at") if item[k]]
    return (start - timedelta(days=7)).isoformat(), (max([start, *moments]) + timedelta(days=1)).isoformat()


def timeline(pages: Pages, since: str, until: str, component: str) -> Build:
    """The timeline between `since` (default: TIMELINE_DAYS before `now`) and `until` (default `now`)."""
    def build(db: Reader, now: datetime, links: Links) -> Context:
        start = since or (now - timedelta(days=TIMELINE_DAYS)).isoformat()
        doc = pages.ask(db, "timeline", None, now, since=start, until=until or None, component=component or None)
        return {"doc": doc, "since": since, "until": until, "component": component, "days": TIMELINE_DAYS,
                "earlier": shifted(doc["result"], -1), "later": shifted(doc["result"], 1)}
    return build


def shifted(result: dict[str, Any], direction: int) -> tuple[str, str]:
    """(since, until) of the window of the same length just before (-1) or after (1) this one."""
    start, end = (datetime.fromisoformat(result[k]) for k in ("since_at", "until_at"))
    span = end - start
    return (start + direction * span).isoformat(), (end + direction * span).isoformat()


def why(pages: Pages, path: str, lines: str, repo: str) -> Build:
    """`why PATH:LINES`; without a path, only the form; when the clone recorded at ingest is not
    on this machine, the page says so (`missing`) instead of an error."""
    def build(db: Reader, now: datetime, links: Links) -> Context:
        context: Context = {"path": path, "lines": lines, "repo": repo, "doc": None, "missing": ""}
        if not path.strip():
            return context
        spec = f"{path}:{lines.strip()}" if lines.strip() else path
        try:
            context["doc"] = pages.ask(db, "why", spec, now, repo=repo or None)
        except InputError as exc:
            if exc.where != MISSING_CLONE:
                raise
            context["missing"] = exc.what
        return context
    return build

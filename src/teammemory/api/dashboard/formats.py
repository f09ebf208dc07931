"""Template filters: how long something took, and a moment, as people read them."""

from __future__ import annotations

from typing import Any


def duration(seconds: int | None) -> str:
    """166680 -> '1 d 22 h 18 min'; under a minute '45 s'; None -> '—' (not known yet)."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{int(seconds)} s"
    days, rest = divmod(int(seconds) // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes and not days else ""]  # minutes only under a day
    return " ".join(p for p in parts if p) or "0 min"


def moment(iso: str | None) -> str:
    """'2026-10-31T09:00:00+00:00' -> '2026-10-31 09:00' (UTC, as the answers give it); None -> '—'."""
    return iso[:16].replace("T", " ") if iso else "—"


def measure(incident: dict[str, Any], name: str) -> int | None:
    """The seconds of an incident's measure `name` (ttd, ttr, dormancy); None when not known."""
    return next((m["seconds"] for m in incident["measures"] if m["name"] == name), None)


def basename(path: str | None) -> str:
    """A file's name without the server's folders ('/srv/x/incidents/a.md' -> 'a.md'): the
    pages name the file, and keep where the server keeps it to the server (as the why page does)."""
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]

"""Import postmortems (YAML, JSON, Markdown with front matter) in one transaction.

Every file of the call is parsed before anything is written, inside `ingest.run`'s single
transaction, so a malformed file raises InputError naming the file, the incident and the field,
and nothing of the call is written. An incident is keyed by its `key`: writing it replaces its
row and its child rows (timeline, lessons, action items, causes and fixes), so re-ingesting the
same file leaves the store as it was, and an edited postmortem replaces the old version whole.
The same key in two files of one call is refused (which one is right cannot be told).

Jira issues of type Incident need no import of their own: the agents read them from the issues
table (agents/incidents.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from teammemory import ingest
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest import IngestSummary
from teammemory.sources import incidents as parse
from teammemory.sources.incidents import Incident
from teammemory.store import Store, Writer
from teammemory.store.write import upsert

CHILD_TABLES = ("incident_timeline", "incident_lessons", "incident_actions", "incident_refs")


def ingest_incident_files(store: Store, paths: Sequence[Path], *, config: Config) -> IngestSummary:
    """Import every postmortem in `paths` (directories walked for .yaml/.yml/.json/.md)."""
    def work(db: Writer) -> dict[str, int]:
        files = parse.incident_files(paths)
        found = read_all(files)
        return {"files": len(files), **write_incidents(db, found)}

    return ingest.run(store, "incidents", ", ".join(str(p) for p in paths), config, work)


def read_all(files: Sequence[Path]) -> list[Incident]:
    """Parse every file; the same key twice is an InputError naming both files."""
    seen: dict[str, Incident] = {}
    for f in files:
        for incident in parse.read_incidents(f):
            if incident.key in seen:
                other = seen[incident.key].source_file
                raise InputError(f"{f}: incident {incident.key}", f"key given twice (also in {other})")
            seen[incident.key] = incident
    return list(seen.values())


def write_incidents(db: Writer, incidents: Sequence[Incident]) -> dict[str, int]:
    """Write each incident whole (its old child rows deleted first); return the counts."""
    for i in sorted(incidents, key=lambda x: x.key):
        upsert(db, "incidents", [{
            "key": i.key, "title": i.title, "severity": i.severity, "started_at": i.started_at,
            "detected_at": i.detected_at, "mitigated_at": i.mitigated_at, "resolved_at": i.resolved_at,
            "summary": i.summary, "trigger_text": i.trigger, "root_cause": i.root_cause, "repo": i.repo,
            "source_file": i.source_file}], ("key",))
        for table in CHILD_TABLES:
            db.execute(f"delete from {table} where incident_key = :k", k=i.key)
        upsert(db, "incident_timeline", [{"incident_key": i.key, "seq": n, "at": e.at, "entry": e.entry}
                                         for n, e in enumerate(i.timeline)], ("incident_key", "seq"))
        upsert(db, "incident_lessons", [{"incident_key": i.key, "seq": n, "lesson": text}
                                        for n, text in enumerate(i.lessons)], ("incident_key", "seq"))
        upsert(db, "incident_actions", [{"incident_key": i.key, "issue_key": k, "seq": n}
                                        for n, k in enumerate(i.action_items)], ("incident_key", "issue_key"))
        upsert(db, "incident_refs", [{"incident_key": i.key, "role": r.role, "kind": r.kind, "repo": r.repo,
                                      "ref": r.ref} for r in i.refs],
               ("incident_key", "role", "kind", "repo", "ref"))
    return {"incidents": len(incidents),
            "timeline_entries": sum(len(i.timeline) for i in incidents),
            "action_items": sum(len(i.action_items) for i in incidents),
            "causes": sum(1 for i in incidents for r in i.refs if r.role == "cause"),
            "fixes": sum(1 for i in incidents for r in i.refs if r.role == "fix")}

"""Postmortems as records: YAML, JSON, or Markdown with YAML front matter (docs/incidents.md).

Reading a file is the only I/O here; `parse_incident` (a parsed document -> `Incident`) and
`markdown_document` (Markdown text -> the same document) are pure, so both are tested on
literal text. Every field is read through `fields.Obj` with its type and `checks` limits, and
a field that does not fit refuses the file with an InputError naming the file, the incident
and the field:

    incidents/a.md: incident INC-7: field 'resolved' (2026-11-02T09:00:00+00:00) is before 'started' (...)
    incidents/db.yaml: incident INC-9: field 'severity': unknown severity 'P7' (one of SEV1, SEV2, SEV3, SEV4, SEV5)

YAML is read with `yaml.safe_load` (no tags that build objects). Its unquoted times
(`started: 2026-11-02T10:00:00Z`) arrive as datetimes and are taken as they are; a time with
no offset is UTC, as everywhere in TeamMemory; a bare date is refused (an incident's times need
the hour). Unknown fields are refused (a typo would silently drop what it names).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from teammemory.errors import InputError
from teammemory.sources import jsonfiles
from teammemory.sources.checks import NAME, TEXT
from teammemory.sources.fields import Obj, kind_of, show, time_value

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4", "SEV5")
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".md": "markdown", ".markdown": "markdown"}
TIMES = ("started", "detected", "mitigated", "resolved")  # in the order they must happen
FIELDS = ("key", "title", "severity", *TIMES, "summary", "trigger", "root_cause", "timeline", "lessons",
          "action_items", "caused_by", "fixed_by", "components", "repo")
REF_FIELDS = ("commits", "prs", "components")
# Markdown sections (`## Root cause`, any letter case) and the field each fills.
SECTIONS = {"summary": "summary", "trigger": "trigger", "root cause": "root_cause", "timeline": "timeline",
            "lessons": "lessons", "lessons learned": "lessons", "action items": "action_items"}
COMMIT = re.compile(r"^(?:(?P<repo>[^@\s]+)@)?(?P<hash>[0-9a-fA-F]{7,40})$")
PR = re.compile(r"^(?:(?P<repo>[\w.-]+/[\w.-]+))?#?(?P<number>[0-9]{1,10})$")
ISSUE_KEY = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]*|[\w.-]+/[\w.-]+#[1-9][0-9]*)$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class TimelineEntry:
    at: int
    entry: str


@dataclass(frozen=True)
class IncidentRef:
    """What caused or fixed an incident (or a component it affected): `kind` commit | pr | component."""

    role: str  # cause | fix | affected
    kind: str
    ref: str  # a lower-case hash or prefix, a PR number as text, a component
    repo: str = ""


@dataclass(frozen=True)
class Incident:
    key: str
    title: str
    severity: str
    started_at: int
    detected_at: int | None
    mitigated_at: int | None
    resolved_at: int | None
    summary: str = ""
    trigger: str = ""
    root_cause: str = ""
    repo: str = ""
    source_file: str = ""
    timeline: tuple[TimelineEntry, ...] = ()
    lessons: tuple[str, ...] = ()
    action_items: tuple[str, ...] = ()
    refs: tuple[IncidentRef, ...] = ()


def incident_files(paths: Sequence[Path]) -> list[Path]:
    """Files to read: each file as given; each directory walked for postmortems, in sorted order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(str(path), "no such file or directory")
    return out


def read_incidents(path: Path) -> list[Incident]:
    """The incidents of one file (a YAML or JSON file may hold a list of them)."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(str(path), f"not a postmortem file: expected one of {', '.join(sorted(SUFFIXES))}")
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"cannot read: {exc}") from None
    data = (jsonfiles.loads(text, where) if kind == "json" else
            load_yaml(text, where) if kind == "yaml" else markdown_document(text, where))
    return parse_document(data, where, source_file=path.as_posix())


def parse_document(data: Any, where: str, *, source_file: str = "") -> list[Incident]:
    """One incident (an object) or several (a list of objects)."""
    if isinstance(data, list):
        if not data:
            raise InputError(where, "holds an empty list: no incident")
        return [parse_incident(item, f"{where}: [{i}]", source_file=source_file) for i, item in enumerate(data)]
    return [parse_incident(data, where, source_file=source_file)]


def load_yaml(text: str, where: str) -> Any:
    """`yaml.safe_load`, its failures as an InputError naming the line and column."""
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InputError(where, f"not valid YAML: {exc.problem or exc.context}{at}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError(where, f"not valid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                         ) from None


def parse_incident(data: Any, where: str, *, source_file: str = "") -> Incident:
    """Pure: one postmortem document -> `Incident`; InputError names `where`, the incident and the field."""
    if not isinstance(data, dict):
        raise InputError(where, f"expected an incident (an object of fields), got {kind_of(data)}")
    top = Obj(data, where)
    key = top.text("key", NAME, required=True).strip()
    if not key:
        raise top.fail("key", "is empty")
    obj = Obj(data, f"{where}: incident {key}")
    for name in data:
        if not isinstance(name, str):
            raise InputError(obj.ctx, f"field names must be text, got {kind_of(name)}")
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            raise InputError(obj.ctx, f"unknown field '{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    times = {name: _time(obj, name, required=name == "started") for name in TIMES}
    _check_order(obj, times)
    started = times["started"]
    assert started is not None  # required above
    repo = obj.text("repo", NAME).strip()
    refs = (*_refs(obj, "caused_by", "cause"), *_refs(obj, "fixed_by", "fix"),
            *(IncidentRef("affected", "component", c) for c in _names(obj, "components")))
    return Incident(
        key=key, title=obj.text("title", TEXT, required=True).strip(), severity=_severity(obj),
        started_at=started, detected_at=times["detected"], mitigated_at=times["mitigated"],
        resolved_at=times["resolved"], summary=obj.text("summary").strip(), trigger=obj.text("trigger").strip(),
        root_cause=obj.text("root_cause").strip(), repo=repo, source_file=source_file,
        timeline=_timeline(obj), lessons=tuple(x.strip() for x in obj.texts("lessons", TEXT) if x.strip()),
        action_items=_action_items(obj), refs=tuple(dict.fromkeys(refs)))


def _time(obj: Obj, name: str, *, required: bool = False) -> int | None:
    value = obj.get(name)
    if value is None and required:
        raise obj.fail(name, "missing")
    return time_of(value, obj.ctx, obj.name(name))


def time_of(value: Any, ctx: str, name: str) -> int | None:
    """An ISO 8601 time as text, or a YAML datetime; a date without a time is refused."""
    if isinstance(value, datetime):
        return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())
    if isinstance(value, date):
        raise InputError(ctx, f"field '{name}': expected a date and time (e.g. 2026-11-02T10:15:00Z),"
                              f" got a date ({value.isoformat()})")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        raise InputError(ctx, f"field '{name}': expected a date and time (e.g. 2026-11-02T10:15:00Z),"
                              f" got a date ({value.strip()})")
    return time_value(value.strip() if isinstance(value, str) else value, ctx, name)


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat()


def _check_order(obj: Obj, times: dict[str, int | None]) -> None:
    """started <= detected <= mitigated <= resolved, for those given."""
    given = [(name, t) for name, t in times.items() if t is not None]
    for i, (name, t) in enumerate(given):
        for earlier, e in given[:i]:
            if t < e:
                raise InputError(obj.ctx, f"field '{name}' ({_iso(t)}) is before '{earlier}' ({_iso(e)})")


def _severity(obj: Obj) -> str:
    value = obj.get("severity")
    if value is None or value == "":
        raise obj.fail("severity", "missing")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise obj.wrong("severity", "text such as SEV2")
    text = str(value).strip().upper().replace("-", "").replace(" ", "")
    norm = f"SEV{text}" if text.isdigit() else text
    if norm not in SEVERITIES:
        raise obj.fail("severity", f"unknown severity {show(value)} (one of {', '.join(SEVERITIES)})")
    return norm


def _names(obj: Obj, field: str) -> list[str]:
    return [n.strip() for n in obj.texts(field, NAME) if n.strip()]


def _refs(obj: Obj, field: str, role: str) -> list[IncidentRef]:
    """`caused_by` / `fixed_by`: {commits: [hash | repo@hash], prs: [382 | '#382' | 'o/r#382'], components}."""
    part = obj.obj(field)
    for name in part.data:
        if name not in REF_FIELDS:
            raise InputError(obj.ctx, f"field '{field}.{name}': unknown (expected {', '.join(REF_FIELDS)})")
    out: list[IncidentRef] = []
    for i, value in enumerate(part.items("commits")):
        m = COMMIT.match(value.strip()) if isinstance(value, str) else None
        if m is None:
            raise part.fail(f"commits[{i}]", f"expected a commit hash (7 to 40 hex digits, or REPO@HASH),"
                                             f" got {kind_of(value)}")
        out.append(IncidentRef(role, "commit", m["hash"].lower(), part.checked(f"commits[{i}]", m["repo"] or "", NAME)))
    for i, value in enumerate(part.items("prs")):
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        m = PR.match(text) if text is not None else None
        if m is None or not 0 < int(m["number"]) <= 2**31 - 1:
            raise part.fail(f"prs[{i}]", "expected a PR number (382, '#382' or 'OWNER/REPO#382'),"
                                         f" got {kind_of(value)}")
        out.append(IncidentRef(role, "pr", str(int(m["number"])), part.checked(f"prs[{i}]", m["repo"] or "", NAME)))
    out += [IncidentRef(role, "component", c) for c in _names(part, "components")]
    return out


def _timeline(obj: Obj) -> tuple[TimelineEntry, ...]:
    out = []
    for i, item in enumerate(obj.objs("timeline")):
        for name in item.data:
            if name not in ("at", "entry"):
                raise item.fail(str(name), "unknown (a timeline entry has 'at' and 'entry')")
        at = _time(item, "at", required=True)
        assert at is not None
        entry = item.text("entry", TEXT, required=True).strip()
        out.append((at, i, TimelineEntry(at, entry)))
    return tuple(e for _, _, e in sorted(out, key=lambda x: (x[0], x[1])))


def _action_items(obj: Obj) -> tuple[str, ...]:
    keys: list[str] = []
    for i, value in enumerate(obj.items("action_items")):
        text = value.strip() if isinstance(value, str) else None
        if text is None or not ISSUE_KEY.match(text):
            raise obj.fail(f"action_items[{i}]", "expected an issue key (PROJ-12 or OWNER/REPO#12),"
                                                 f" got {kind_of(value)}")
        key = text if "#" in text else text.upper()
        obj.checked(f"action_items[{i}]", key, NAME)
        if key not in keys:
            keys.append(key)
    return tuple(keys)


# --- Markdown ------------------------------------------------------------------------------------

def markdown_document(text: str, where: str) -> dict[str, Any]:
    """Pure: YAML front matter plus the known `## Sections` -> one document for `parse_incident`.

    The front matter (between `---` lines at the top) holds the fields; `# Title` gives the title
    when the front matter does not; `## Summary`, `## Trigger`, `## Root cause` are text;
    `## Timeline` is a list of `- <ISO time> <what happened>`; `## Lessons` a list (or text);
    `## Action items` a list whose items start with an issue key. Other sections are prose the
    answers do not use. A field given both in the front matter and as a section is refused."""
    found = FRONT.match(text)
    if found is None:
        raise InputError(where, "no front matter: a postmortem in Markdown starts with a '---' line,"
                                " its fields in YAML, and a closing '---' line")
    front = load_yaml(found.group(1), f"{where} (front matter)")
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise InputError(where, f"front matter: expected fields (key: value), got {kind_of(front)}")
    doc: dict[str, Any] = dict(front)
    first_line = text[:found.end()].count("\n") + 1
    title, sections = _sections(text[found.end():].splitlines(), first_line)
    if title and "title" not in doc:
        doc["title"] = title
    for name, (line, body) in sections.items():
        field = SECTIONS[name]
        if field in doc:
            raise InputError(f"{where}: line {line}", f"section '{name}' repeats field '{field}' of the front matter")
        if field == "timeline":
            doc[field] = _timeline_bullets(body, where)
        elif field in ("lessons", "action_items"):
            items = _bullets(body)
            if field == "action_items":
                doc[field] = [_leading_key(text_, n, where) for n, text_ in items]
            else:
                doc[field] = [t for _, t in items] or ([_prose(body)] if _prose(body) else [])
        else:
            doc[field] = _prose(body)
    return doc


def _sections(lines: list[str], first: int) -> tuple[str, dict[str, tuple[int, list[tuple[int, str]]]]]:
    title = ""
    sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    current: list[tuple[int, str]] | None = None
    fence = False
    for n, line in enumerate(lines, first):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = HEADING.match(line) if not fence else None
        if m and len(m.group(1)) == 1 and not title:
            title, current = m.group(2).strip(), None
            continue
        if m and len(m.group(1)) == 2:
            name = " ".join(m.group(2).lower().split()).rstrip(":")
            current = [] if name in SECTIONS else None
            if current is not None:
                sections[name] = (n, current)
            continue
        if current is not None:
            current.append((n, line))
    return title, sections


def _prose(body: list[tuple[int, str]]) -> str:
    return "\n".join(line for _, line in body).strip()


def _bullets(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """List items (a continuation line indented under an item joins it)."""
    items: list[tuple[int, str]] = []
    for n, line in body:
        m = BULLET.match(line)
        if m:
            items.append((n, m.group(1).strip()))
        elif items and line.strip() and line[:1].isspace():
            items[-1] = (items[-1][0], f"{items[-1][1]} {line.strip()}")
    return items


def _timeline_bullets(body: list[tuple[int, str]], where: str) -> list[dict[str, str]]:
    """`- 2026-11-02T10:15Z deploy of 1.12.0` (also `2026-11-02 10:15 —`, `...: what`)."""
    out = []
    for n, item in _bullets(body):
        parts = item.split(None, 2)
        at, rest = (parts[0], item[len(parts[0]):]) if parts else ("", "")
        if len(parts) >= 2 and re.fullmatch(r"\d{4}-\d\d-\d\d", parts[0]) and re.match(r"\d\d:\d\d", parts[1]):
            at = f"{parts[0]} {parts[1]}"
            rest = item[len(parts[0]):].lstrip()[len(parts[1]):]
        entry = rest.strip().lstrip("—–-:").strip()
        if not entry:
            raise InputError(f"{where}: line {n}", "section 'timeline': expected '- <ISO time> <what happened>'")
        out.append({"at": at.rstrip(":"), "entry": entry})
    return out


def _leading_key(item: str, line: int, where: str) -> str:
    key = item.split(None, 1)[0].rstrip(":,.") if item.split() else ""
    key = key.strip("[]")
    if not ISSUE_KEY.match(key):
        raise InputError(f"{where}: line {line}", f"section 'action items': an item starts with its issue key"
                                                  f" (PROJ-12 ...), got {show(item)}")
    return key

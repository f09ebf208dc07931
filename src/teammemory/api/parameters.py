"""The arguments a question takes on the API and MCP surfaces, derived from the registry.

A question's subject (`key`, `number`, `path`, `name`, `component`) and options (`repo`,
`days`, `limit`) each have one spec here: its JSON type, help and, for integers, the CLI's
bounds (`commands_agents.BOUNDS`), so the OpenAPI document, the MCP tool schemas and the checks
all say the same. Every question also takes `now` (ISO 8601), as `--now` on the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from teammemory.errors import InputError
from teammemory.outputs import answers
from teammemory.outputs.commands_agents import BOUNDS
from teammemory.outputs.options import check_range, parse_now, quoted
from teammemory.outputs.questions import Question


@dataclass(frozen=True)
class Param:
    name: str
    type: type  # int, bool or str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()  # the values a string may take ('' for any)

    @property
    def bounds(self) -> tuple[int, int] | None:
        b = BOUNDS.get(self.name)
        return (b.low, b.high) if b is not None and self.type is int else None

    def schema(self) -> dict[str, Any]:
        """This parameter as JSON Schema (MCP's tool input schemas)."""
        kind = {int: "integer", bool: "boolean"}.get(self.type, "string")
        out: dict[str, Any] = {"type": kind, "description": self.help}
        if self.bounds:
            out["minimum"], out["maximum"] = self.bounds
        elif self.choices:
            out["enum"] = list(self.choices)
        elif self.required:
            out["minLength"] = 1
        return out

    def check(self, value: Any) -> Any:
        """`value` if it is of this parameter's type and within its bounds; InputError naming it."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise InputError(self.name, f"not true or false: {quoted(str(value))}")
            return value
        if self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(self.name, f"not an integer: {quoted(str(value))}")
            b = BOUNDS[self.name]
            return check_range(self.name, value, b.low, b.high, b.unit)
        if not isinstance(value, str):
            raise InputError(self.name, f"not a string: {quoted(str(value))}")
        if self.required and not value.strip():
            raise InputError(self.name, "must not be empty")
        if self.choices and value not in self.choices:
            raise InputError(self.name, f"{quoted(value)} is not {' or '.join(self.choices)}")
        return value


def _text(name: str) -> str:
    b = BOUNDS.get(name)
    return f" ({b.text})" if b else ""


SUBJECTS: dict[str, Param] = {
    "key": Param("key", str, "Issue key, e.g. PROJ-1247.", True),
    "number": Param("number", int, f"Pull request number{_text('number')}.", True),
    "path": Param("path", str, "File path in the repository.", True),
    "name": Param("name", str, "Component name (see the component rules in teammemory.toml).", True),
    "component": Param("name", str, "Component name.", True),
    "scope": Param("component", str, "Component name; every repository and component when left out."),
    "target": Param("target", str, "A file path (followed across renames), else a component name.", True),
    "lines": Param("path", str, "File path, optionally with a line or a range: src/a.py:12-14.", True),
    "bug": Param("key", str, "Issue key, e.g. PROJ-1247 (or give `text` or `commit` instead)."),
}
OPTIONS: dict[str, Param] = {
    "repo": Param("repo", str, "Only this repository (as named at ingest)."),
    "days": Param("days", int, f"Window in days{_text('days')} [default: risk.days, 90]."),
    "limit": Param("limit", int, f"How many items each list shows{_text('limit')} [default: the question's own]."),
    "include_tests": Param("include_tests", bool, "Rank test files together with code (default: apart)."),
    "text": Param("text", str, "Text of a bug report to look for."),
    "commit": Param("commit", str, "Commit hash (4 to 40 hex digits) whose message to look for."),
    "component": Param("component", str, "Only this component."),
    "since": Param("since", str, "Start of the window (ISO 8601, e.g. 2026-05-01T00:00:00Z).", True),
    "until": Param("until", str, "End of the window (ISO 8601) [default: now]."),
    "window": Param("window", int, f"Minutes between the changes of one burst{_text('window')} [default: 30]."),
    "include_inactive": Param("include_inactive", bool,
                              "Fading scoring: keep people inactive longer than expertise.inactive_days."),
    "scoring": Param("scoring", str, "fading or article (the article's formula) [default: expertise.scoring].",
                     choices=("fading", "article")),
}
# Options only the CLI takes: a path on the server's disk is not the API client's to choose
# (`why` blames in the clone the store recorded at ingest).
CLI_ONLY = frozenset({"git_dir"})
# Options that are not query parameters of a question's GET endpoint: review-suggest's other ways
# to name a change (the CLI's; files and a diff are POST /reviewers's body, routes.py).
NOT_QUERY: dict[str, frozenset[str]] = {
    "review-suggest": frozenset({"commit", "range", "branch", "files", "diff", "authors"})}
NOW = Param("now", str, "ISO 8601 time that counts as now (default: the current time), for reproducible answers.")


def options_of(question: Question[Any]) -> tuple[str, ...]:
    """The options a question takes here: `answers.options_of` (the rule every surface shares),
    less the CLI's own and those its endpoint takes another way."""
    skip = CLI_ONLY | NOT_QUERY.get(question.name, frozenset())
    return tuple(o for o in answers.options_of(question.name) if o not in skip)


def params_of(question: Question[Any]) -> tuple[Param | None, tuple[Param, ...]]:
    """(the subject's parameter or None, the options' parameters) of a question."""
    subject = SUBJECTS[question.subject] if question.subject else None
    return subject, tuple(OPTIONS[o] for o in options_of(question))


def now_of(value: str | None) -> Any:
    """`now` as the agents take it (parse_now's rules), errors naming `now`."""
    return parse_now(value, "now")

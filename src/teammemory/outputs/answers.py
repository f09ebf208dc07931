"""One answer, for every surface: (question, subject, options, now, config, store) -> the answer
document (a dict) and its text, JSON or Markdown.

The CLI, the REST API and the MCP server all call `respond` (or `answer_document`), so each shows
the same agent result, cut to the same `--limit` (limits.py), with the same `omitted` counts:

    {"question": "file-experts", "now": "2026-11-20T12:00:00+00:00", "result": {...},
     "omitted": {"experts": 190}}

`omitted` is always there (`{}` when nothing was cut), so the shape never changes with the data.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from teammemory.errors import InputError
from teammemory.outputs import limits
from teammemory.outputs.questions import QUESTIONS, Question
from teammemory.outputs.render import dumps, to_data

if TYPE_CHECKING:  # start-up: rich loads for text and Markdown only, the Markdown writer for Markdown only
    from rich.console import RenderableType

    from teammemory.config import Config
    from teammemory.store import Reader

Format = Literal["text", "json", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "json", "markdown")
WIDTH = 80  # text width when the surface has no terminal to ask


@dataclass(frozen=True)
class Answer:
    """An agent's result as shown: cut to the limits, with what was left out."""

    question: Question[Any]
    now: datetime
    result: Any
    omitted: dict[str, int | None]

    def document(self) -> dict[str, Any]:
        return {"question": self.question.name, "now": self.now.isoformat(), "result": to_data(self.result),
                "omitted": dict(self.omitted)}

    def renderable(self) -> RenderableType:
        """The question's text renderer's output, then one line on what `--limit` left out."""
        body = self.question.text(self.result)
        note = limits.note(self.question.name, self.omitted)
        if not note:
            return body
        from rich.console import Group
        from rich.text import Text

        return Group(body, Text(note))

    def output(self, fmt: Format, width: int = WIDTH) -> str:
        """The answer as `fmt`, ending in a newline: JSON, Markdown, or plain text `width` wide."""
        if fmt == "json":
            return dumps(self.document()) + "\n"
        if fmt == "markdown":
            from teammemory.outputs.markdown import to_markdown

            return to_markdown(self.renderable())
        return plain_text(self.renderable(), width)


def plain_text(renderable: RenderableType, width: int = WIDTH) -> str:
    """`renderable` as text without colours or styles, wrapped to `width` columns (no trailing
    spaces: rich pads indented lines to the width)."""
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, _environ={}).print(renderable, crop=False)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def respond(db: Reader, name: str, subject: Any, *, now: datetime, config: Config,
            options: dict[str, Any]) -> Answer:
    """Answer question `name` about `subject` with `options` (`repo`, `days`, `limit`; None = not
    given): the agent's result, each list cut to `limit` (or its default).

    An option the question's agent does not take is refused (InputError naming it) rather than
    ignored, so `--repo` never silently answers for every repository."""
    question = QUESTIONS[name]
    given = times(check_options(name, options))
    kwargs = {k: v for k, v in given.items() if k in question.options}
    if kwargs.get("scoring") is not None:  # `--scoring` is the config's for this one answer
        config = with_scoring(config, kwargs.pop("scoring"))
    if "limit" in question.options:
        kwargs["limit"] = limits.agent_limit(name, config, given.get("limit")) or given.get("limit")
    args = (subject,) if question.subject else ()
    result = question.ask(db, *args, now=now, config=config, **{k: v for k, v in kwargs.items() if v is not None})
    shown, omitted = limits.cut(name, result, config, given.get("limit"))
    return Answer(question, now, shown, omitted)


SCORINGS = ("fading", "article")


def with_scoring(config: Config, scoring: str) -> Config:
    """`config` with expertise.scoring = `scoring` (`--scoring` overrides it for one answer)."""
    if scoring not in SCORINGS:
        raise InputError("--scoring", f"{scoring!r} is not {' or '.join(repr(s) for s in SCORINGS)}")
    return dataclasses.replace(config, expertise=dataclasses.replace(config.expertise, scoring=scoring))


TIME_OPTIONS = ("since", "until")  # ISO 8601 on every surface, aware datetimes for the agents


def times(options: dict[str, Any]) -> dict[str, Any]:
    """The options with `since`/`until` given as text parsed as `--now` is (InputError naming them)."""
    from teammemory.outputs.options import parse_now

    return {k: parse_now(v, f"--{k}") if k in TIME_OPTIONS and isinstance(v, str) else v for k, v in options.items()}


def options_of(name: str) -> tuple[str, ...]:
    """The options question `name` takes on every surface: its agent's, and `limit` when its
    answer has lists that `--limit` cuts (limits.py)."""
    options = QUESTIONS[name].options
    return (*options, "limit") if name in limits.LIMITS and "limit" not in options else options


def check_options(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options given (not None); InputError naming one that question `name` does not take."""
    given = {k: v for k, v in options.items() if v is not None}
    takes = options_of(name)
    for option in given:
        if option not in takes:
            raise InputError(f"--{option}", f"{name} does not take this option")
    return given


def answer_document(db: Reader, name: str, subject: Any, *, now: datetime, config: Config,
                    options: dict[str, Any]) -> dict[str, Any]:
    """`respond(...).document()`: what `--format json` prints, as data (REST API, MCP)."""
    return respond(db, name, subject, now=now, config=config, options=options).document()

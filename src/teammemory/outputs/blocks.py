"""The pieces text answers are built of, chosen so they wrap well at any width and convert to
Markdown (markdown.py) without a second renderer.

- `heading(text)`: a title or section heading (bold in a terminal, `###`/`####` in Markdown);
- `line(text)`: one plain line (never rich markup, so `dependabot[bot]` prints as it is); a line
  indented by spaces keeps its indent when it wraps (a `Padding`, not leading spaces);
- `group(lines)`: lines in order;
- `table(columns, rows)`: a table that cuts no key, number, name or path at any width.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

HEADING_STYLE = "bold"


def heading(text: str) -> Text:
    return Text(text, style=HEADING_STYLE)


def is_heading(renderable: object) -> bool:
    return isinstance(renderable, Text) and str(renderable.style) == HEADING_STYLE


def line(text: str) -> RenderableType:
    """`text` as one line; its leading spaces become an indent that wrapped lines keep too, and
    the wrapped lines of a `- ` list item hang under its text, not under the bullet."""
    body = text.lstrip(" ")
    indent = len(text) - len(body)
    if body.startswith(BULLET) and body[len(BULLET):].strip():
        return Hanging(indent, body[len(BULLET):])
    return Padding(Text(body), (0, 0, 0, indent), expand=False) if indent else Text(text)


BULLET = "- "


class Hanging:
    """A `- ` list item indented by `indent` spaces, whose text wraps under itself:

        - 2023-03-21 e3c24ae Yan Zhao: Improve group and flush add-responses after
          journal sync (#3848)
    """

    def __init__(self, indent: int, text: str) -> None:
        self.indent = indent
        self.text = text

    @property
    def plain(self) -> str:
        return " " * self.indent + BULLET + self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lead = self.indent + len(BULLET)
        inner = options.update_width(max(1, options.max_width - lead))
        for i, segments in enumerate(console.render_lines(Text(self.text), inner, pad=False, new_lines=False)):
            text = "".join(segment.text for segment in segments).rstrip()  # plain text: no style is lost
            yield Segment(" " * self.indent + (BULLET if i == 0 else " " * len(BULLET)) + text)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lead = self.indent + len(BULLET)
        inner = Measurement.get(console, options, Text(self.text))
        return Measurement(inner.minimum + lead, inner.maximum + lead)


def group(lines: Iterable[RenderableType | str]) -> Group:
    """Lines in order: strings become `line`s, renderables (headings, tables) stay as they are."""
    return Group(*(line(x) if isinstance(x, str) else x for x in lines))


Cell = Literal["key", "number", "path", "prose"]


def table(columns: Sequence[tuple[str, Cell]], rows: Iterable[Sequence[str]], *, header: bool = False) -> Table:
    """A borderless table whose cells are never cut with an ellipsis at any width: keys, numbers
    and names never wrap (`key`, `number`), paths fold onto a next line whole (`path`), prose wraps
    at words (`prose`) and gives up its width first. Headers are shown when `header`, and always
    become the Markdown table's header row."""
    t = Table(box=None, show_header=header, pad_edge=False, padding=(0, 2, 0, 0), header_style="")
    for title, kind in columns:
        t.add_column(title, justify="right" if kind == "number" else "left", no_wrap=kind in ("key", "number"),
                     overflow="fold")
    for row in rows:
        t.add_row(*(Text(cell) for cell in row))
    return t

"""The pieces text answers are built of, chosen so they wrap well at any width and convert to
Markdown (markdown.py) without a second renderer.

- `heading(text)`: a title or section heading (bold in a terminal, `###`/`####` in Markdown);
- `line(text)`: one plain line (never rich markup, so `dependabot[bot]` prints as it is); a line
  indented by spaces keeps its indent when it wraps (a `Padding`, not leading spaces); it wraps
  at spaces only (`Words`): a path or URL longer than the width is never cut, it overflows;
- `group(lines)`: lines in order;
- `table(columns, rows)`: a table that cuts no key, number, name or path at any width.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, JustifyMethod, OverflowMethod, RenderableType, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

HEADING_STYLE = "bold"


def heading(text: str) -> Text:
    return Words(text, style=HEADING_STYLE)


def is_heading(renderable: object) -> bool:
    return isinstance(renderable, Text) and str(renderable.style) == HEADING_STYLE


class Words(Text):
    """Plain text that wraps at spaces and never inside a word: a word wider than the line (a
    Java path, a URL) stays whole and overflows, on the line of what precedes it when that is
    short (a rank such as ` 1.`, a label), else on a line of its own. Printed uncropped
    (render.emit, answers.plain_text), so a user can copy it."""

    def wrap(self, console: Console, width: int, *, justify: JustifyMethod | None = None,
             overflow: OverflowMethod | None = None, tab_size: int = 8, no_wrap: bool | None = None) -> Lines:
        if no_wrap or self.no_wrap:
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size,
                                no_wrap=no_wrap)
        lines = Lines()
        for para in self.plain.split("\n"):
            lines.extend(Text(piece, style=self.style) for piece in wrap_words(para, width))
        return lines


def wrap_words(text: str, width: int) -> list[str]:
    """Pure: `text` cut at spaces into lines of at most `width` cells, keeping runs of spaces
    inside a line (aligned columns) and every word whole (see Words)."""
    out: list[str] = []
    current = ""
    for space, word in re.findall(r"(\s*)(\S+)", text) or [("", text)]:
        joined = current + space + word
        if not current or cell_len(joined) <= width:
            current = joined
        elif cell_len(word) > width and cell_len(current) <= max(4, width // 8):  # a rank or label: keep it
            current = joined
        else:
            out.append(current.rstrip())
            current = word
    out.append(current.rstrip() if current.strip() else current)
    return out


def line(text: str) -> RenderableType:
    """`text` as one line; its leading spaces become an indent that wrapped lines keep too, and
    the wrapped lines of a `- ` list item hang under its text, not under the bullet."""
    body = text.lstrip(" ")
    indent = len(text) - len(body)
    if body.startswith(BULLET) and body[len(BULLET):].strip():
        return Hanging(indent, body[len(BULLET):])
    ranked = RANK.match(body)  # ' 1. path  risk …': wrapped lines hang under the path too
    if ranked:
        return Hanging(indent, body[ranked.end():], bullet=ranked.group(0))
    return Hanging(indent, body, bullet="") if indent else Words(text)


BULLET = "- "
RANK = re.compile(r"\d{1,3}\. (?=\S)")


class Hanging:
    """A line indented by `indent` spaces whose wrapped lines keep the indent, or (`bullet`) a
    `- ` list item whose text wraps under itself:

        - 2023-03-21 e3c24ae Yan Zhao: Improve group and flush add-responses after
          journal sync (#3848)

    Wrapped by `wrap_words` and yielded as segments, uncropped (a long path overflows whole)."""

    def __init__(self, indent: int, text: str, bullet: str = BULLET) -> None:
        self.indent = indent
        self.text = text
        self.bullet = bullet

    @property
    def plain(self) -> str:
        return " " * self.indent + self.bullet + self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lead = self.indent + len(self.bullet)
        for i, text in enumerate(wrap_words(self.text, max(1, options.max_width - lead))):
            yield Segment(" " * self.indent + (self.bullet if i == 0 else " " * len(self.bullet)) + text)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lead = self.indent + len(self.bullet)
        inner = Measurement.get(console, options, Words(self.text))
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

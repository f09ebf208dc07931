"""Any answer's text renderable as GitHub-flavoured Markdown, for PR comments, wikis and chat.

One generic conversion of what the text renderers return, not a second renderer per question:
a `Group` (or `Padding`, `Panel`) is its parts in order; a `Text` styled as a heading (`blocks.heading`)
becomes `###` (the first) or `####`; a `Table` becomes a GFM table (a header row, a separator row
aligned as its columns are, `|` escaped); every other `Text` is one line, classified by its shape:

- `- item` is a bullet (nested when indented deeper than the bullet before it);
- ` 1. item` is a numbered item;
- an indented line after an item continues that item (a hard line break, then the line);
- anything else is its own paragraph.

Markdown's own characters in the data (`*`, `_` at a word's edge, `[`, `` ` ``, `<`, `|`, ...) are
escaped, so `dependabot[bot]` and `__init__.py` print as they are. Anything else rich can render
falls back to its plain text in a code block.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from teammemory.outputs.blocks import Hanging, is_heading

_BULLET = re.compile(r"^(\s*)- (.*)$")
_NUMBERED = re.compile(r"^\s*(\d+)\.\s+(.*)$")
_ALWAYS = re.compile(r"([\\`*\[\]<>|~])")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


@dataclass
class _Item:
    kind: str  # 'heading' | 'line' | 'table' | 'other'
    text: str = ""
    table: Table | None = None
    other: RenderableType | None = None


def to_markdown(renderable: RenderableType) -> str:
    """`renderable` as Markdown text, blocks separated by one blank line, ending in a newline."""
    blocks = _blocks(list(_flatten(renderable)))
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"


def _flatten(r: RenderableType) -> Iterator[_Item]:
    if isinstance(r, Group):
        for part in r.renderables:
            yield from _flatten(part)
    elif isinstance(r, Panel):
        if r.title:
            yield _Item("heading", _plain(r.title))
        yield from _flatten(r.renderable)
    elif isinstance(r, Hanging):
        yield _Item("line", r.plain)
    elif isinstance(r, Padding) and isinstance(r.renderable, Text):
        for line in r.renderable.plain.splitlines():
            yield _Item("line", " " * r.left + line)
    elif isinstance(r, Padding):
        yield from _flatten(r.renderable)
    elif isinstance(r, Table):
        yield _Item("table", table=r)
    elif isinstance(r, Text | str):
        kind = "heading" if is_heading(r) else "line"
        for line in _plain(r).splitlines() or [""]:
            yield _Item(kind, line)
    else:
        yield _Item("other", other=r)


def _blocks(items: list[_Item]) -> list[list[str]]:
    """Group the items into Markdown blocks: each list with its continuations is one block."""
    blocks: list[list[str]] = []
    in_list = False
    indents: list[int] = []  # the indent of each open bullet level
    headings = 0
    for item in items:
        if item.kind == "heading":
            headings += 1
            blocks.append([("###" if headings == 1 else "####") + " " + escape(item.text.strip().rstrip(":"))])
            in_list = False
        elif item.kind == "table" and item.table is not None:
            blocks.append(table_lines(item.table))
            in_list = False
        elif item.kind == "other" and item.other is not None:
            blocks.append(["```", *_plain_render(item.other).splitlines(), "```"])
            in_list = False
        elif not item.text.strip():
            in_list = False
        elif (bullet := _BULLET.match(item.text)) is not None:
            indent = len(bullet.group(1))
            if not in_list:
                blocks.append([])
                indents = []
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            blocks[-1].append("  " * (len(indents) - 1) + "- " + escape(_squeeze(bullet.group(2))))
            in_list = True
        elif (numbered := _NUMBERED.match(item.text)) is not None:
            if not in_list:
                blocks.append([])
                indents = []
            blocks[-1].append(f"{numbered.group(1)}. {escape(_squeeze(numbered.group(2)))}")
            indents = [0]
            in_list = True
        elif in_list and item.text[:1].isspace():
            blocks[-1][-1] += "\\"
            blocks[-1].append("  " * len(indents) + escape(_squeeze(item.text.strip())))
        else:
            blocks.append([escape(_squeeze(item.text.strip()))])
            in_list = False
    return blocks


def table_lines(table: Table) -> list[str]:
    """A rich Table as GFM lines: header (the column headers, shown or not), separator, rows."""
    columns = table.columns
    header = [escape(_plain(c.header).strip()) or " " for c in columns]
    rule = {"right": "---:", "center": ":---:"}
    separator = [rule.get(c.justify, "---") for c in columns]
    lines = [_row(header), _row(separator)]
    cells = [list(c.cells) for c in columns]
    for i in range(table.row_count):
        lines.append(_row([escape(_squeeze(" ".join(_plain(col[i]).split()))) for col in cells]))
    return lines


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def escape(text: str) -> str:
    """`text` with the characters Markdown would read as syntax escaped by a backslash."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    return "\\" + text if text.startswith(("#", "+ ", "= ")) else text


def _squeeze(text: str) -> str:
    """Runs of spaces (text alignment) as one: Markdown aligns nothing."""
    return re.sub(r" {2,}", " ", text)


def _plain(value: object) -> str:
    """What a cell or line says: a `Text`'s characters, a string's with rich markup applied
    (as the text output shows it)."""
    if isinstance(value, Text):
        return value.plain
    if isinstance(value, str):
        return Text.from_markup(value).plain
    return _plain_render(value)


def _plain_render(renderable: Any) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None, _environ={}).print(renderable)
    return out.getvalue().rstrip("\n")

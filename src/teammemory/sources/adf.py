"""Pure: Atlassian Document Format (Jira Cloud's API v3 rich text) -> plain text.

    {"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "Ask "},
                                          {"type": "mention", "attrs": {"id": "x", "text": "@Ann"}}]}]}
    -> "Ask @Ann"

Blocks are separated by blank lines, lists become `- `/`1. ` lines, code blocks are fenced with
```, mentions give their text, links `text (url)`. Nodes are read through `fields.Obj`, so a
node of the wrong shape is refused by its path ('fields.description.content[0].text'), and a
document nested deeper than `MAX_DEPTH` nodes is refused rather than exhausting the stack.
"""

from __future__ import annotations

from teammemory.errors import InputError
from teammemory.sources.fields import Obj

MAX_DEPTH = 100  # real documents nest lists in lists a few levels; each level costs ~3 Python frames
BLOCKS = {"paragraph", "heading", "codeBlock", "blockquote", "bulletList", "orderedList", "rule",
          "panel", "table", "mediaSingle", "mediaGroup", "blockCard", "expand", "taskList", "decisionList"}
LISTS = ("bulletList", "orderedList", "taskList", "decisionList")
CONTAINERS = ("table", "tableRow", "tableCell", "tableHeader", "panel", "expand", "layoutSection",
              "layoutColumn", "mediaSingle", "mediaGroup")


def adf_to_text(doc: Obj) -> str:
    """Plain text of an ADF document (see the module docstring)."""
    return "\n\n".join(b for b in _blocks(doc, 0) if b).strip()


def _children(n: Obj, depth: int) -> list[Obj]:
    if depth >= MAX_DEPTH:
        root = n.path.split(".content[")[0].rstrip(".")
        raise InputError(n.ctx, f"field '{root}': rich text nested more than {MAX_DEPTH} levels deep")
    return n.objs("content")


def _blocks(n: Obj, depth: int) -> list[str]:
    return [_block(c, depth + 1) for c in _children(n, depth)]


def _block(n: Obj, depth: int) -> str:
    kind = n.text("type")
    if kind == "codeBlock":
        return "```\n" + _inline(n, depth) + "\n```"
    if kind in LISTS:
        return "\n".join(_item(kind, i, item, depth + 1) for i, item in enumerate(_children(n, depth), 1))
    if kind == "blockquote":
        return "\n".join("> " + line for line in "\n\n".join(_blocks(n, depth)).split("\n"))
    if kind == "rule":
        return "---"
    if kind in CONTAINERS:
        return "\n".join(b for b in _blocks(n, depth) if b)
    if kind == "blockCard":
        return n.obj("attrs").text("url")
    return _inline(n, depth) if kind in BLOCKS or n.items("content") else _leaf(n)


def _item(kind: str, i: int, item: Obj, depth: int) -> str:
    bullet = f"{i}." if kind == "orderedList" else "-"
    text = "\n".join(_blocks(item, depth)) or _inline(item, depth)
    return f"{bullet} " + text.replace("\n", "\n  ")


def _inline(n: Obj, depth: int) -> str:
    return "".join(_block(c, depth + 1) if c.items("content") else _leaf(c) for c in _children(n, depth))


def _leaf(n: Obj) -> str:
    kind, attrs = n.text("type"), n.obj("attrs")
    if kind == "text":
        text = n.text("text")
        for mark in n.objs("marks"):
            href = mark.obj("attrs").text("href")
            if mark.text("type") == "link" and href and href != text:
                text = f"{text} ({href})"
        return text
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        return attrs.text("text") or attrs.ident("id")
    if kind in ("inlineCard", "blockCard"):
        return attrs.text("url")
    if kind == "emoji":
        return attrs.text("text") or attrs.text("shortName")
    if kind in ("date", "status"):
        return attrs.text("text") or attrs.ident("timestamp")
    return ""

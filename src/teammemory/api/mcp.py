"""The MCP server: every registry question a tool, so coding agents ask the team's memory the
same questions and get the same evidence (the official `mcp` SDK's low-level server).

A tool is named like its CLI command; its input schema comes from the registry (the question's
subject and options, plus `now`, with the CLI's bounds: api/parameters.py); its result is the
answer document `--json` prints, as structured content and as its JSON text. A bad argument or
an unknown subject is a tool error carrying `documents.error_body`, not a protocol failure.
Served over stdio by `teammemory mcp`, and over streamable HTTP at /mcp by `teammemory serve`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server, ServerRequestContext

from teammemory import __version__
from teammemory.api import documents
from teammemory.api.parameters import NOW, Param, now_of, params_of
from teammemory.config import Config
from teammemory.errors import InputError, TeamMemoryError
from teammemory.outputs.questions import QUESTIONS
from teammemory.store import Reader

Opener = Callable[[], AbstractContextManager[Reader]]


def tool_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of question `name`'s arguments, from the registry."""
    subject, options = params_of(QUESTIONS[name])
    params: list[Param] = ([subject] if subject else []) + [*options, NOW]
    return {"type": "object", "properties": {p.name: p.schema() for p in params},
            "required": [subject.name] if subject else [], "additionalProperties": False}


def tools() -> list[types.Tool]:
    """Every registry question as a tool, in the registry's order."""
    return [types.Tool(name=name, description=q.help, input_schema=tool_schema(name))
            for name, q in QUESTIONS.items()]


def call(open_reader: Opener, config: Config, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Answer tool `name` with `arguments`: the answer document, or InputError naming the argument."""
    if name not in QUESTIONS:
        raise InputError("tool", f"{name!r} is not a question (tools/list names them)")
    subject, options = params_of(QUESTIONS[name])
    known = {p.name: p for p in ([subject] if subject else []) + [*options, NOW]}
    unknown = sorted(set(arguments) - set(known))
    if unknown:
        raise InputError(unknown[0], f"not an argument of {name} (it takes {', '.join(known)})")
    if subject is not None and subject.name not in arguments:
        raise InputError(subject.name, "missing")
    given = {k: known[k].check(v) for k, v in arguments.items() if v is not None}
    now = now_of(given.pop("now", None))
    value = given.pop(subject.name) if subject is not None else None
    documents.check_question(name, value, given)
    with open_reader() as db:
        return documents.answer_document(db, name, value, now=now, config=config, options=given)


def build_server(config: Config, open_reader: Opener) -> Server[Any]:
    """The low-level MCP server over the store `open_reader` opens (read-only, per call)."""

    async def list_tools(_ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
                         ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools())

    async def call_tool(_ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
                        ) -> types.CallToolResult:
        args = dict(params.arguments or {})
        try:
            doc = await anyio.to_thread.run_sync(call, open_reader, config, params.name, args)
        except TeamMemoryError as exc:
            return _result(documents.error_body(exc), error=True)
        return _result(doc, error=False)

    return Server("teammemory", version=__version__, on_list_tools=list_tools, on_call_tool=call_tool,
                  instructions="TeamMemory answers questions about a codebase's history (issues, PRs, files,"
                               " components, people) from git, GitHub and Jira, each answer with its evidence.")


def _result(doc: dict[str, Any], *, error: bool) -> types.CallToolResult:
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], structured_content=doc,
                                is_error=error)


def serve_stdio(config: Config, open_reader: Opener) -> None:
    """Serve over stdin/stdout until the client hangs up (`teammemory mcp`)."""
    from mcp.server.stdio import stdio_server

    server = build_server(config, open_reader)

    async def main() -> None:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())

    anyio.run(main)

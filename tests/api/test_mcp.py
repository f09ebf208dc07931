"""The MCP server through the SDK's own client: `python -m teammemory … mcp` over stdio, and
the streamable HTTP transport that `serve` mounts at /mcp. Tools are the registry's questions;
a tool's result is the CLI's `--json` document for the same question."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import anyio

from teammemory.api import create_app
from teammemory.outputs.questions import QUESTIONS
from tests.api.conftest import NOW, Demo
from tests.api.server import running

if TYPE_CHECKING:  # the MCP SDK is imported by the tests that use it: ~1.4 s that every worker paid at collection
    import mcp_types as types
    from mcp.client.stdio import StdioServerParameters


def tool_schema(name: str) -> dict[str, Any]:
    from teammemory.api.mcp import tool_schema as of

    return of(name)


def stdio(demo: Demo) -> StdioServerParameters:
    from mcp.client.stdio import StdioServerParameters

    return StdioServerParameters(command=sys.executable, args=[
        "-m", "teammemory", "--db", demo.url, "--config", str(demo.config), "mcp"])


async def session(server: Any, calls: list[tuple[str, dict[str, Any]]]
                  ) -> tuple[list[types.Tool], list[types.CallToolResult]]:
    from mcp import Client

    async with Client(server) as client:
        listed = (await client.list_tools()).tools
        results = [await client.call_tool(name, args) for name, args in calls]
    return listed, results


def test_stdio_lists_every_question_and_answers_as_the_cli(sqlite_demo: Demo) -> None:
    calls: list[tuple[str, dict[str, Any]]] = [("file-experts", {"path": "src/auth/token_service.py", "now": NOW}),
             ("risky-files", {"days": 30, "limit": 3, "now": NOW}),
             ("issue-context", {"key": "PROJ-124"}),
             ("risky-files", {"days": 0})]
    listed, (experts, risky, missing, bad) = anyio.run(session, stdio(sqlite_demo), calls)
    assert [t.name for t in listed] == list(QUESTIONS)
    assert {t.name: t.input_schema for t in listed} == {name: tool_schema(name) for name in QUESTIONS}
    assert {t.name: t.description for t in listed} == {name: q.help for name, q in QUESTIONS.items()}
    assert listed[0].input_schema["required"] == ["key"]
    expected = sqlite_demo.cli_json("file-experts", "src/auth/token_service.py", "--now", NOW)
    assert not experts.is_error and experts.structured_content == expected
    assert json.loads(experts.content[0].text) == expected  # type: ignore[union-attr]
    assert risky.structured_content == sqlite_demo.cli_json("risky-files", "--days", "30", "--limit", "3",
                                                            "--now", NOW)
    assert missing.is_error and missing.structured_content is not None
    assert missing.structured_content["error"]["suggestions"][0] == "PROJ-1247"
    assert bad.is_error and bad.structured_content is not None
    assert bad.structured_content["error"]["message"] == "days: 0 is out of range: 1 to 36500 days"


def test_the_schemas_come_from_the_registry() -> None:
    schema = tool_schema("risky-files")
    assert schema["required"] == [] and schema["additionalProperties"] is False
    assert schema["properties"]["days"] == {"type": "integer", "description": schema["properties"]["days"]
                                            ["description"], "minimum": 1, "maximum": 36500}
    assert set(tool_schema("pr-context")["properties"]) == {"number", "repo", "limit", "now"}
    assert tool_schema("pr-context")["properties"]["number"]["maximum"] == 2**31 - 1


def test_streamable_http_under_serve(sqlite_demo: Demo) -> None:
    with running(create_app(sqlite_demo.url, sqlite_demo.config, token="")) as base:
        listed, (hygiene,) = anyio.run(session, base + "/mcp", [("hygiene", {"now": NOW})])
    assert [t.name for t in listed] == list(QUESTIONS)
    assert hygiene.structured_content == sqlite_demo.cli_json("hygiene", "--now", NOW)

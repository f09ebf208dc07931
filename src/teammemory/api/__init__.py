"""The REST API and the MCP server (the `api` extra: FastAPI, uvicorn, mcp).

`create_app(db_url=None, config=None)` builds the app; `app` is one built from the environment
(TEAMMEMORY_DB, teammemory.toml), so `uvicorn teammemory.api:app` works. Both are looked up
lazily (module `__getattr__`): importing the package loads no web framework and opens no store.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from teammemory.api.app import create_app

        return create_app
    if name == "app":
        from teammemory.api.app import create_app

        globals()["app"] = built = create_app()
        return built
    raise AttributeError(f"module 'teammemory.api' has no attribute {name!r}")

"""The import rules of docs/architecture.md, checked on the real import graph (AST)."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "teammemory"
BASE = {"model", "issue_keys", "collector", "errors", "config", "components", "redact", "__init__"}
ALLOWED: dict[str, set[str]] = {
    "base": BASE,
    "sources": BASE | {"sources"},
    "store": BASE | {"store"},
    "identity": BASE | {"store", "identity"},
    "agents": BASE | {"store", "agents"},
    "backtest": BASE | {"store", "agents", "backtest"},
    "derive": BASE | {"store", "identity"},
    "ingest": BASE | {"store", "sources", "identity", "derive", "ingest"},
    "demo": BASE | {"store", "ingest", "demo", "demo_story", "demo_incidents"},
    "demo_story": BASE | {"demo_story"},
    "demo_incidents": BASE | {"demo_incidents", "demo_story", "demo"},  # demo: for its History type only
    "outputs": BASE | {"store", "sources", "identity", "agents", "derive", "ingest", "demo", "outputs", "backtest",
                       "api"},
    "api": BASE | {"store", "identity", "agents", "outputs", "api", "ingest"},
    "action": BASE | {"store", "sources", "agents", "ingest", "outputs", "action"},  # an edge, like outputs
    "__main__": {"outputs"},
}


def _layer(path: Path) -> str:
    top = path.relative_to(PKG).parts[0].removesuffix(".py")
    return "base" if top in BASE else top


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        for name in names:
            if name.startswith("teammemory."):
                found.add(name.split(".")[1])
            elif name == "teammemory":
                found.add("__init__")
    return found


def test_every_module_imports_only_from_allowed_layers() -> None:
    broken = []
    for path in sorted(PKG.rglob("*.py")):
        layer = _layer(path)
        allowed = ALLOWED.get(layer)
        assert allowed is not None, f"{path}: no layer rule for {layer!r}; add it to docs and this test"
        for target in sorted(_imports(path) - allowed):
            broken.append(f"{path.relative_to(PKG)} ({layer}) imports teammemory.{target}")
    assert broken == []


def test_base_layer_uses_only_the_standard_library() -> None:
    import sys

    for path in sorted(PKG.glob("*.py")):
        if _layer(path) != "base":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for mod in mods:
                top = mod.split(".")[0]
                assert top in sys.stdlib_module_names or top in ("teammemory", "__future__"), f"{path}: {mod}"

"""Docs are tested: every command and setting is documented, generated blocks are current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from teammemory.config import SETTINGS
from teammemory.outputs.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__) for c in group.registered_commands if c.callback]
    for sub in group.registered_groups:
        names.append(prefix + str(sub.name))
        assert sub.typer_instance is not None
        names += _commands(sub.typer_instance, prefix + f"{sub.name} ")
    return names


def test_every_command_is_documented_with_help() -> None:
    cli_md = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in _commands(app):
        assert f"## {name}\n" in cli_md, f"docs/cli.md lacks a section for `{name}`"


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text and f"`{setting.env}`" in text, setting.name
        assert setting.help.strip(), setting.name


def test_generated_blocks_are_current() -> None:
    files = ["README.md", "docs/cli.md", "docs/configuration.md", "docs/agents.md"]
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "-I", "src", *files], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

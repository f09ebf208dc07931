"""action.yml: valid YAML, a composite action whose steps install the checkout and run the entry
point with every input passed through the environment (never pasted into the script)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from teammemory.action.event import env_name

ACTION = Path(__file__).resolve().parents[2] / "action.yml"


def load() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_action_yml_is_a_composite_action() -> None:
    action = load()
    assert action["runs"]["using"] == "composite"
    assert {"token", "reviewers", "days", "fail-on-error"} <= set(action["inputs"])
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"


def test_steps_install_the_action_and_run_the_entry_point_with_the_inputs() -> None:
    action = load()
    steps = action["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    [run] = [s for s in steps if "-m teammemory.action" in s.get("run", "")]
    assert run["shell"] == "bash"
    env = run["env"]
    assert env["GITHUB_TOKEN"] == "${{ inputs.token }}"
    for name in set(action["inputs"]) - {"token", "python-version"}:
        assert env[env_name(name)] == f"${{{{ inputs.{name} }}}}", name
    assert "${{" not in run["run"]  # inputs reach the script as variables only: no shell injection
    assert action["outputs"]["comment-id"]["value"] == f"${{{{ steps.{run['id']}.outputs.comment-id }}}}"


def test_every_input_is_read_by_the_entry_point() -> None:
    source = "".join(p.read_text() for p in (ACTION.parent / "src/teammemory/action").glob("*.py"))
    for name in set(load()["inputs"]) - {"token", "python-version"}:
        assert f'"{name}"' in source or env_name(name) in source, name

"""The registry of questions and the CLI agree: same questions, same subjects, same options; and the
registry stays lazy while every entry resolves to an agent and renderer that fit each other."""

from __future__ import annotations

import dataclasses
import inspect
import subprocess
import sys
from typing import get_type_hints

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.outputs.commands_agents import COMMANDS
from teammemory.outputs.limits import LIMITS
from teammemory.outputs.questions import QUESTIONS, resolve


def test_every_question_has_one_command_and_every_command_a_question() -> None:
    assert list(COMMANDS) == list(QUESTIONS)
    registered = {c.name: c.callback for c in app.registered_commands}
    for name, command in COMMANDS.items():
        assert registered[name] is command, name


def test_each_command_takes_its_questions_subject_and_options() -> None:
    for name, q in QUESTIONS.items():
        params = list(inspect.signature(COMMANDS[name]).parameters)
        assert params[0] == "ctx", name
        subject = params[1:2] if q.subject else []
        lists = "limit" in q.options or name in LIMITS
        expected = ["now", "as_json", "output_format", "repo", *(["limit"] if lists else []),
                    *(o for o in q.options if o not in ("repo", "limit"))]
        assert params[1 + len(subject):] == expected, name
        assert bool(subject) == bool(q.subject) and subject != ["now"], name


def test_help_comes_from_the_registry() -> None:
    for name, q in QUESTIONS.items():
        out = CliRunner().invoke(app, [name, "--help"]).output
        assert q.help in " ".join(out.split()), name


def test_each_renderer_takes_what_its_agent_returns() -> None:
    """What mypy checked while `Question` held the objects: the agent's return annotation and the
    renderer's first parameter are the declared result type (annotations evaluated, not their text)."""
    for name, q in QUESTIONS.items():
        assert get_type_hints(q.ask)["return"] is q.result, name
        first = next(iter(inspect.signature(q.text).parameters))
        # a renderer may import its result type only for type checking (no agent loaded to render)
        hints = get_type_hints(q.text, localns={q.result.__name__: q.result})
        assert hints[first] is q.result, name
        assert dataclasses.is_dataclass(q.result) and q.result.__dataclass_params__.frozen, name  # type: ignore[attr-defined]


def test_each_reference_names_where_its_object_is_defined() -> None:
    """A re-export would still resolve, but would import the modules around it too."""
    for name, q in QUESTIONS.items():
        for ref in (q.ask_ref, q.result_ref, q.text_ref):
            module, _, attribute = ref.partition(":")
            obj = resolve(ref)
            assert (obj.__module__, obj.__qualname__) == (f"teammemory.{module}", attribute), (name, ref)


def test_the_registry_imports_no_agent_and_no_renderer() -> None:
    code = ("import sys\nfrom teammemory.outputs.questions import QUESTIONS\n"
            "assert QUESTIONS\nprint('\\n'.join(sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    heavy = [m for m in loaded if m.startswith(("teammemory.agents.", "teammemory.outputs.render", "rich"))]
    assert heavy == []


def loaded_after(code: str) -> set[str]:
    """The teammemory modules a fresh interpreter holds after running `code`."""
    code += "\nimport sys\nprint('\\n'.join(m for m in sys.modules if m.startswith('teammemory')))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_resolving_a_question_loads_only_what_its_own_modules_import(name: str) -> None:
    q = QUESTIONS[name]
    resolved = loaded_after(f"from teammemory.outputs.questions import QUESTIONS\nq = QUESTIONS[{name!r}]\n"
                            "q.ask, q.result, q.text")
    modules = {f"teammemory.{ref.partition(':')[0]}" for ref in (q.ask_ref, q.result_ref, q.text_ref)}
    imported = loaded_after("import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules))
    assert resolved == imported | {"teammemory.outputs.questions"}


def test_hygiene_loads_no_other_questions_agent() -> None:
    others = {f"teammemory.{ref.partition(':')[0]}" for n, q in QUESTIONS.items() if n != "hygiene"
              for ref in (q.ask_ref, q.text_ref)}
    loaded = loaded_after("from teammemory.outputs.questions import QUESTIONS\nq = QUESTIONS['hygiene']\n"
                          "q.ask, q.result, q.text")
    uses = {"teammemory.agents.incidents"}  # open postmortem action items come from the incidents agent
    assert "teammemory.agents.hygiene" in loaded and not (others - uses) & loaded

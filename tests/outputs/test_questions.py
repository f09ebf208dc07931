"""The registry of questions and the CLI agree: same questions, same subjects, same options."""

from __future__ import annotations

import inspect

from typer.testing import CliRunner

from teammemory.outputs.cli import app
from teammemory.outputs.commands_agents import COMMANDS
from teammemory.outputs.questions import QUESTIONS


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
        assert params[1 + len(subject):] == ["now", "as_json", *q.options], name
        assert bool(subject) == bool(q.subject) and subject != ["now"], name


def test_help_comes_from_the_registry() -> None:
    for name, q in QUESTIONS.items():
        out = CliRunner().invoke(app, [name, "--help"]).output
        assert q.help in " ".join(out.split()), name


def test_each_result_type_is_what_its_agent_returns() -> None:
    for name, q in QUESTIONS.items():
        returned = inspect.signature(q.ask).return_annotation
        assert returned in (q.result.__name__, q.result), name

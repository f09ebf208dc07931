"""The one registry of questions: name -> the agent that answers it, what it returns, how it is shown.

A plain dict (code-maat's `supported-analysis`), not a plugin system. The CLI's question commands
(commands_agents.py), docs/cli.md and docs/agents.md are driven by it, and so will the REST API and
the dashboard be: every surface lists the same questions. `Question` is generic in its result
type, so mypy checks that an agent's answer is what its renderer takes.

Adding a question: write the agent (agents/<name>.py + agents/sql/<name>.sql), its text renderer
(outputs/render_<name>.py), one entry here, and its command function in commands_agents.py (a
test checks the two agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from rich.console import RenderableType

from teammemory.agents import context, expertise, hygiene, onboarding, review_routing, risk
from teammemory.outputs import (
    render_context,
    render_expertise,
    render_hygiene,
    render_onboarding,
    render_review,
    render_risk,
)

R = TypeVar("R")
Subject = Literal["key", "number", "path", "name", "component", ""]
Option = Literal["repo", "days", "limit"]


@dataclass(frozen=True)
class Question(Generic[R]):
    """One question: `ask(reader, subject?, now=, config=, **options) -> R`, rendered by `text`."""

    name: str
    help: str
    ask: Callable[..., R]
    result: type[R]
    text: Callable[[R], RenderableType]
    agent: str  # the module whose docstring states the formula (docs/agents.md)
    subject: Subject = ""  # the positional argument, '' for none
    options: tuple[Option, ...] = ()  # what the agent takes besides now and config


def _all(*questions: Question[Any]) -> dict[str, Question[Any]]:
    return {q.name: q for q in questions}


QUESTIONS: dict[str, Question[Any]] = _all(
    Question("issue-context", "An issue with its PRs, commits, files and people: why is it so?",
             context.ask_issue, context.IssueContext, render_context.render_issue_context,
             "teammemory.agents.context_issue", "key"),
    Question("pr-context", "A pull request with its issues, commits, files, reviews and people.",
             context.ask_pr, context.PrContext, render_context.render_pr_context,
             "teammemory.agents.context_pr", "number", ("repo",)),
    Question("file-context", "Who changed a file most and last, and the issues and PRs behind its changes.",
             context.ask_file, context.FileContext, render_context.render_file_context,
             "teammemory.agents.context_file", "path", ("repo",)),
    Question("file-experts", "Who knows a file best, with the commits, reviews and comments behind each score.",
             expertise.ask_file, expertise.Expertise, render_expertise.render_expertise,
             "teammemory.agents.expertise", "path", ("repo",)),
    Question("component-experts", "Who knows a component best, with the evidence behind each score.",
             expertise.ask_component, expertise.Expertise, render_expertise.render_expertise,
             "teammemory.agents.expertise", "name"),
    Question("file-risk", "How risky a file is over a window: churn, bug fixes, contributors, commits.",
             risk.ask_file, risk.RiskReport, render_risk.render_risk, "teammemory.agents.risk", "path", ("days",)),
    Question("component-risk", "How risky a component is over a window, and its riskiest files.",
             risk.ask_component, risk.RiskReport, render_risk.render_risk, "teammemory.agents.risk", "name",
             ("days",)),
    Question("risky-files", "The riskiest files over a window, across the whole store.",
             risk.ask_top, risk.RiskReport, render_risk.render_risk, "teammemory.agents.risk", "",
             ("days", "limit")),
    Question("review-suggest", "Reviewer candidates for a PR's files: never its author, never a bot.",
             review_routing.ask, review_routing.ReviewSuggestion, render_review.render_review_suggestion,
             "teammemory.agents.review_routing", "number", ("repo", "limit")),
    Question("onboarding", "What a newcomer should read first for a component, and whom to ask.",
             onboarding.ask, onboarding.Onboarding, render_onboarding.render_onboarding,
             "teammemory.agents.onboarding", "component", ("limit",)),
    Question("hygiene", "Data-quality report: unlinked commits and PRs, empty descriptions, orphans, coverage.",
             hygiene.ask, hygiene.HygieneReport, render_hygiene.render_hygiene, "teammemory.agents.hygiene"),
)

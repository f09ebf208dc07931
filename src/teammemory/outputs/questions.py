"""The one registry of questions: name -> the agent that answers it, what it returns, how it is shown.

A plain dict (code-maat's `supported-analysis`), not a plugin system. The CLI's question commands
(commands_agents.py), docs/cli.md and docs/agents.md are driven by it, and so are the REST API,
the MCP server and the dashboard: every surface lists the same questions.

Start-up is part of every answer, so the registry itself imports no agent and no renderer: each
entry names its agent function, result type and text renderer as "module:attribute" strings
(modules of the teammemory package) that `resolve` imports on first use, while the name, help,
subject and options, which every surface needs to list the questions, are plain values. A
question's process loads only its own agent and renderer. What mypy checked while `Question`
held the objects (the renderer takes what the agent returns) tests/outputs/test_questions.py
checks on the resolved objects' annotations, for every entry.

Adding a question: write the agent (agents/<name>.py + agents/sql/<name>.sql), its text renderer
(outputs/render_<name>.py), one entry here, and its command function in commands_agents.py (a
test checks the two agree).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

if TYPE_CHECKING:
    from rich.console import RenderableType

R = TypeVar("R")
Subject = Literal["key", "number", "path", "name", "component", "scope", "target", "lines", "bug", ""]
# scope: an optional component (every repository and component when left out); target: a path or a
# component; lines: PATH[:LINE[-LINE]]; bug: an optional issue key (or the `text` / `commit` option)
Option = Literal["repo", "days", "limit", "include_tests", "git_dir", "text", "commit", "component", "since", "until",
                 "window", "include_inactive", "scoring", "range", "branch", "files", "diff", "authors"]
# include_inactive, scoring: the fading expertise scoring's (scoring overrides expertise.scoring for
# one answer, in answers.respond); commit/range/branch/files/diff/authors: review-suggest's change


@functools.cache
def resolve(ref: str) -> Any:
    """The object `ref` names: "agents.risk:ask_file" is `ask_file` of teammemory.agents.risk,
    imported on first use (once per process)."""
    module, _, attribute = ref.partition(":")
    return functools.reduce(getattr, attribute.split("."), importlib.import_module(f"teammemory.{module}"))


@dataclass(frozen=True)
class Question(Generic[R]):
    """One question: `ask(reader, subject?, now=, config=, **options) -> R`, rendered by `text`.

    `ask`, `result` and `text` are what `ask_ref`, `result_ref` and `text_ref` name, resolved
    (imported) when first used."""

    name: str
    help: str
    ask_ref: str  # "agents.<module>:<function>", called as above
    result_ref: str  # "agents.<module>:<dataclass>", what the function returns
    text_ref: str  # "outputs.render_<name>:<function>", result -> rich renderable
    agent: str  # the module whose docstring states the formula (docs/agents.md)
    subject: Subject = ""  # the positional argument, '' for none
    options: tuple[Option, ...] = ()  # what the agent takes besides now and config

    @property
    def ask(self) -> Callable[..., R]:
        return cast("Callable[..., R]", resolve(self.ask_ref))

    @property
    def result(self) -> type[R]:
        return cast("type[R]", resolve(self.result_ref))

    @property
    def text(self) -> Callable[[R], RenderableType]:
        return cast("Callable[[R], RenderableType]", resolve(self.text_ref))


def _all(*questions: Question[Any]) -> dict[str, Question[Any]]:
    return {q.name: q for q in questions}


QUESTIONS: dict[str, Question[Any]] = _all(
    Question("issue-context", "An issue with its PRs, commits, files and people: why is it so?",
             "agents.context_issue:ask_issue", "agents.context_issue:IssueContext",
             "outputs.render_context:render_issue_context", "teammemory.agents.context_issue", "key", ("repo",)),
    Question("pr-context", "A pull request with its issues, commits, files, reviews and people.",
             "outputs.edges_pr:ask_pr_context", "agents.context_pr:PrContext",
             "outputs.render_context:render_pr_context",
             "teammemory.agents.context_pr", "number", ("repo",)),
    Question("file-context", "Who changed a file most and last, and the issues and PRs behind its changes.",
             "agents.context_file:ask_file", "agents.context_file:FileContext",
             "outputs.render_context:render_file_context", "teammemory.agents.context_file", "path", ("repo", "limit")),
    Question("file-experts", "Who knows a file best, with the commits, reviews and comments behind each score.",
             "agents.expertise:ask_file", "agents.expertise:Expertise", "outputs.render_expertise:render_expertise",
             "teammemory.agents.expertise", "path", ("repo", "include_inactive", "scoring")),
    Question("component-experts", "Who knows a component best, with the evidence behind each score.",
             "agents.expertise:ask_component", "agents.expertise:Expertise",
             "outputs.render_expertise:render_expertise", "teammemory.agents.expertise", "name",
             ("repo", "include_inactive", "scoring")),
    Question("file-risk", "How risky a file is over a window: churn, bug fixes, contributors, commits.",
             "agents.risk:ask_file", "agents.risk:RiskReport", "outputs.render_risk:render_risk",
             "teammemory.agents.risk", "path", ("repo", "days")),
    Question("component-risk", "How risky a component is over a window, and its riskiest files.",
             "agents.risk:ask_component", "agents.risk:RiskReport", "outputs.render_risk:render_risk",
             "teammemory.agents.risk", "name", ("repo", "days", "limit", "include_tests")),
    Question("risky-files", "The riskiest files over a window, across the whole store.",
             "agents.risk:ask_top", "agents.risk:RiskReport", "outputs.render_risk:render_risk",
             "teammemory.agents.risk", "", ("repo", "days", "limit", "include_tests")),
    Question("review-suggest", "Reviewer candidates for a change (a PR, a commit, a range, a branch, files or a"
             " diff on stdin): never its author, never a bot.",
             "outputs.edges_review:ask_review", "agents.review_routing:ReviewSuggestion",
             "outputs.render_review:render_review_suggestion", "teammemory.agents.review_routing", "number",
             ("repo", "limit", "include_inactive", "scoring", "commit", "range", "branch", "files", "diff",
              "authors", "git_dir")),
    Question("onboarding", "What a newcomer should read first for a component, and whom to ask.",
             "agents.onboarding:ask", "agents.onboarding:Onboarding", "outputs.render_onboarding:render_onboarding",
             "teammemory.agents.onboarding", "component", ("repo", "limit")),
    Question("hygiene", "Data-quality report: unlinked commits and PRs, empty descriptions, orphans, coverage.",
             "agents.hygiene:ask", "agents.hygiene:HygieneReport", "outputs.render_hygiene:render_hygiene",
             "teammemory.agents.hygiene", "", ("repo",)),
    Question("components", "Each component with its rule, file count and top people.",
             "agents.components_list:ask", "agents.components_list:ComponentList",
             "outputs.render_components:render_components", "teammemory.agents.components_list", "", ("repo",)),
    Question("why-changed", "Why a file or component changed over a window: by issue, epic, PR, person and file,"
             " with bug-fix and revert shares against the window before.",
             "agents.why_changed:ask", "agents.why_changed:WhyChanged",
             "outputs.render_why_changed:render_why_changed", "teammemory.agents.why_changed", "target",
             ("repo", "days", "limit")),
    Question("bus-factor", "Who we depend on: truck factor by Degree of Authorship, knowledge islands and"
             " orphaned files, per repository and component.",
             "agents.bus_factor:ask", "agents.bus_factor:BusFactor", "outputs.render_bus_factor:render_bus_factor",
             "teammemory.agents.bus_factor", "scope", ("repo", "limit")),
    Question("coupling", "Files that change together with a file, in commits, PRs and issues, and how often"
             " its test does.",
             "agents.coupling:ask", "agents.coupling:Coupling", "outputs.render_coupling:render_coupling",
             "teammemory.agents.coupling", "path", ("repo", "limit")),
    Question("why", "Why these lines are so: the commits that last changed them (git blame through renames),"
             " with their PRs, review discussion and issues.",
             "outputs.edges:ask_why", "agents.why_line:WhyLine", "outputs.render_why:render_why",
             "teammemory.agents.why_line", "lines", ("repo", "git_dir")),
    Question("similar", "Has this bug occurred before? Earlier issues, PRs, commits and incidents by BM25 text"
             " relevance, shared files and components, and Jira links.",
             "agents.similar:ask", "agents.similar:Similar", "outputs.render_similar:render_similar",
             "teammemory.agents.similar", "bug", ("repo", "limit", "text", "commit")),
    Question("incidents", "Incidents: severity, time to detect and resolve, dormancy, causes, fixes, open action"
             " items.",
             "agents.incidents:ask", "agents.incidents:Incidents", "outputs.render_incidents:render_incidents",
             "teammemory.agents.incidents", "", ("component", "repo")),
    Question("timeline", "Commits, merges, PRs, releases and incidents in a window; bursts of changes touching"
             " several components flagged.",
             "agents.timeline:ask", "agents.timeline:Timeline", "outputs.render_timeline:render_timeline",
             "teammemory.agents.timeline", "", ("since", "until", "component", "window", "repo")),
)

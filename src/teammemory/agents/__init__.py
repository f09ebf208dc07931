"""Rule-based agents: each a module with `ask…(reader, …, now=, config=)` and pure `rank…` functions.

`AGENTS` registers them in a plain dict (code-maat's `supported-analysis`), not a plugin
system: question name -> the function that answers it. The CLI and, later, the API and the
dashboard look questions up here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teammemory.agents import context, expertise, hygiene, onboarding, review_routing, risk

AGENTS: dict[str, Callable[..., Any]] = {
    "issue-context": context.ask_issue,
    "pr-context": context.ask_pr,
    "file-context": context.ask_file,
    "file-experts": expertise.ask_file,
    "component-experts": expertise.ask_component,
    "file-risk": risk.ask_file,
    "component-risk": risk.ask_component,
    "top-risk": risk.ask_top,
    "review-suggest": review_routing.ask,
    "onboarding": onboarding.ask,
    "hygiene": hygiene.ask,
}

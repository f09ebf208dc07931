from __future__ import annotations

import pytest

from teammemory.components import compile_glob, component_of
from teammemory.config import DEFAULT_COMPONENT_RULES

RULES = (
    ("src/auth/**", "authentication"),
    ("src/*/api/**", "{1}-api"),
    ("**/migrations/*.sql", "db"),
    ("docs/**", "docs"),
    ("*.md", "readme"),
)


@pytest.mark.parametrize(("path", "component"), [
    ("src/auth/token.py", "authentication"),
    ("src/auth/deep/er/x.py", "authentication"),
    ("src/billing/api/v1/routes.py", "billing-api"),
    ("src/store/migrations/0001.sql", "db"),
    ("migrations/0001.sql", "db"),            # `**/` also matches no folder at all
    ("docs/guide/intro.md", "docs"),           # first match wins over `*.md`
    ("README.md", "readme"),
    ("src/README.md", ""),                     # `*` never crosses a '/'
    ("src/billing/core.py", ""),
])
def test_component_of_first_matching_rule(path: str, component: str) -> None:
    assert component_of(path, RULES) == component


@pytest.mark.parametrize(("path", "component"), [
    ("src/auth/token.py", "auth"),
    ("src/main.py", "src"),                    # `src/*/**` needs a folder under src; `*/**` catches it
    ("tests/auth/test_token.py", "auth"),
    ("lib/parser/x/y.py", "parser"),
    ("docs/a.md", "docs"),
    ("setup.py", ""),
])
def test_default_rules_name_the_folder(path: str, component: str) -> None:
    assert component_of(path, DEFAULT_COMPONENT_RULES) == component


def test_templates_name_any_star_and_missing_stars_are_empty() -> None:
    rules = (("*/*/**", "{2}.{1}{3}"),)
    assert component_of("src/auth/x.py", rules) == "auth.src"


def test_trailing_double_star_needs_something_inside() -> None:
    assert compile_glob("src/**").fullmatch("src/") is None
    assert compile_glob("src/**").fullmatch("src/a/b.py") is not None
    assert compile_glob("a?c").fullmatch("abc") and not compile_glob("a?c").fullmatch("a/c")


def test_special_characters_are_literal() -> None:
    assert component_of("src/a+b/x.py", (("src/a+b/**", "plus"),)) == "plus"
    assert component_of("src/aab/x.py", (("src/a+b/**", "plus"),)) == ""

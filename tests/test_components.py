from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import components_list
from teammemory.components import Assignment, assign_components, compile_glob, component_of
from teammemory.config import DEFAULT_COMPONENT_RULES, Config
from teammemory.ingest.git import ingest_git
from teammemory.outputs.render_components import render_components
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

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
    ("src/main.py", "src"),                    # a file right under src/: the top-level folder
    ("tests/auth/test_token.py", "tests"),     # alone, there is no component 'auth' to belong to
    ("lib/parser/x/y.py", "parser"),
    ("docs/a.md", "docs"),
    ("setup.py", ""),
])
def test_default_rules_see_one_path_alone(path: str, component: str) -> None:
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


def _layout(paths: list[str]) -> dict[str, str]:
    return {p: a.component for p, a in assign_components(paths, DEFAULT_COMPONENT_RULES).items()}


def test_maven_and_gradle_modules_hold_their_tests() -> None:
    got = _layout([
        "pom.xml", "README.md", "server/pom.xml", "server/src/main/java/org/x/Bookie.java",
        "server/src/test/java/org/x/BookieTest.java", "stream/core/build.gradle", "stream/core/src/A.java",
        "tools/core/build.gradle.kts", "tools/core/src/B.java", "docs/index.md", "tests/it/pom.xml",
        "tests/it/src/test/java/ITest.java"])
    assert got == {
        "pom.xml": "", "README.md": "", "server/pom.xml": "server", "server/src/main/java/org/x/Bookie.java": "server",
        "server/src/test/java/org/x/BookieTest.java": "server",  # a module's tests belong to it
        "stream/core/build.gradle": "stream/core", "stream/core/src/A.java": "stream/core",  # 'core' twice: by path
        "tools/core/build.gradle.kts": "tools/core", "tools/core/src/B.java": "tools/core",
        "docs/index.md": "docs",
        "tests/it/pom.xml": "tests", "tests/it/src/test/java/ITest.java": "tests"}  # no module of its own


def test_python_packages_and_their_tests() -> None:
    got = _layout(["src/flask/__init__.py", "src/flask/app.py", "src/flask/json/__init__.py",
                   "src/flask/json/tag.py", "flask.py", "flask/__init__.py", "tests/test_app.py",
                   "tests/cassettes/big/1.yaml", "tests/flask/test_x.py", "tests/__init__.py"])
    assert got == {"src/flask/__init__.py": "flask", "src/flask/app.py": "flask",
                   "src/flask/json/__init__.py": "flask.json", "src/flask/json/tag.py": "flask.json",
                   "flask.py": "flask",  # a top-level module named like a package (the old layout)
                   "flask/__init__.py": "flask",  # the same package before it moved under src/
                   "tests/test_app.py": "tests", "tests/cassettes/big/1.yaml": "tests",  # cassettes: tests
                   "tests/flask/test_x.py": "flask", "tests/__init__.py": "tests"}


def test_go_ruby_js_and_rust_layouts() -> None:
    got = _layout(["go.mod", "cmd/server/main.go", "pkg/auth/token.go", "pkg/auth/token_test.go",
                   "lib/rails.rb", "lib/rails/engine.rb", "spec/rails/engine_spec.rb", "package.json",
                   "packages/ui/package.json", "packages/ui/src/button.tsx", "node_modules/x/package.json",
                   "crates/parse/Cargo.toml", "crates/parse/src/lib.rs", "test/fixtures/app/package.json"])
    assert got == {"go.mod": "", "cmd/server/main.go": "server", "pkg/auth/token.go": "auth",
                   "pkg/auth/token_test.go": "auth", "lib/rails.rb": "rails", "lib/rails/engine.rb": "rails",
                   "spec/rails/engine_spec.rb": "rails", "package.json": "", "packages/ui/package.json": "ui",
                   "packages/ui/src/button.tsx": "ui", "node_modules/x/package.json": "node_modules",
                   "crates/parse/Cargo.toml": "parse", "crates/parse/src/lib.rs": "parse",
                   "test/fixtures/app/package.json": "tests"}  # a fixture's package.json makes no module


def test_layout_rules_say_why_and_mix_with_globs() -> None:
    rules = (("docs/**", "documentation"), ("**", "{layout}"))
    got = assign_components(["docs/a.md", "server/pom.xml", "server/A.java", "bin/run"], rules)
    assert got["docs/a.md"] == Assignment("documentation", "glob docs/** -> documentation")
    assert got["server/A.java"] == Assignment("server", "Maven module (server/pom.xml)")
    assert got["bin/run"] == Assignment("bin", "top-level folder (bin/)")
    assert assign_components(["x.py"], (("src/**", "s"),))["x.py"] == Assignment("", "no rule matched")


def test_assignment_is_a_function_of_the_path_list() -> None:
    paths = ["b/pom.xml", "b/A.java", "tests/b/BTest.java", "a/x.py"]
    assert assign_components(paths, DEFAULT_COMPONENT_RULES) == assign_components(
        list(reversed(paths)) + paths, DEFAULT_COMPONENT_RULES)


LIST_HISTORY = [
    FakeCommit("Ana <ana@x.io>", 1767225600, "add server", {
        "server/pom.xml": "<p/>\n", "server/src/main/java/A.java": "a\n", "server/src/test/java/ATest.java": "t\n",
        "docs/a.md": "d\n", "old/gone.txt": "g\n"}),
    FakeCommit("Ben <ben@x.io>", 1767225600 + 86400, "more", {
        "server/src/main/java/B.java": "b\n", "old/gone.txt": None, "docs/a.md": "e\n"}),
    FakeCommit("Ben <ben@x.io>", 1767225600 + 2 * 86400, "more", {"server/src/main/java/A.java": "c\n"}),
]


def test_components_list(store: Store, tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "r", LIST_HISTORY), config=Config(), name="r")
    with store.read() as db:
        got = components_list.ask(db, now=datetime(2026, 6, 1, tzinfo=UTC), config=Config())
    # server: pom.xml, A.java, ATest.java, B.java = 4 files; Ben 2 commits, Ana 1; docs: 1 file, Ana 1, Ben 1;
    # old/gone.txt was deleted: no component 'old'
    assert got.components == (
        components_list.Component("server", "Maven module (server/pom.xml)", 4, ("r",),
                                  (components_list.Contributor("Ben", 2), components_list.Contributor("Ana", 1))),
        components_list.Component("docs", "top-level folder (docs/)", 1, ("r",),
                                  (components_list.Contributor("Ana", 1), components_list.Contributor("Ben", 1))))
    text = io.StringIO()
    Console(file=text, width=100, color_system=None, _environ={}).print(render_components(got))
    assert "Maven module (server/pom.xml)" in text.getvalue() and "Ben 2, Ana 1" in text.getvalue()

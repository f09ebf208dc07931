from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import components_list
from teammemory.components import Assignment, assign_components, compile_glob, component_of
from teammemory.config import DEFAULT_COMPONENT_RULES, LAYOUT_VERSION, Config, rules_fingerprint
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


# Rule 4: a component holding more than a third of the paths (150 at least) is split. Each
# expected count below is worked out in the comments from the path lists, not read off a run.

def _counts(paths: list[str]) -> dict[str, int]:
    got: dict[str, int] = {}
    for a in assign_components(paths, DEFAULT_COMPONENT_RULES).values():
        got[a.component] = got.get(a.component, 0) + 1
    return got


def _gem() -> list[str]:
    """A one-gem repository (rubocop's layout): 284 paths."""
    return (["rubocop.gemspec", "README.md", "lib/rubocop.rb", "lib/rubocop/cli.rb", "lib/rubocop/cop/base.rb",
             "spec/rubocop/cli_spec.rb", "spec/spec_helper.rb"]
            + [f"lib/rubocop/cop/style/s{i}.rb" for i in range(100)]
            + [f"spec/rubocop/cop/style/s{i}_spec.rb" for i in range(100)]
            + [f"lib/rubocop/cop/lint/l{i}.rb" for i in range(60)]
            + [f"lib/rubocop/cop/naming/n{i}.rb" for i in range(5)]  # under PART_MIN (10): stays with cop
            + [f"lib/rubocop/formatter/f{i}.rb" for i in range(12)])


def test_a_gem_is_split_into_its_folders_and_its_specs_follow_them() -> None:
    # lib/rubocop/ (a folder under lib/) holds 180 paths of lib/ and 101 specs (spec/rubocop/):
    # 281 of 284, more than a third. Its code below cop/ is 166 of 180 (92 %, the trunk), so
    # cop/ is split at once: style/ (100) and lint/ (60) become components, naming/ (5) is too
    # small and stays with cop (with base.rb), and formatter/ (12), beside the trunk, is one too.
    paths = _gem()
    assert len(paths) == 284
    assert _counts(paths) == {
        "style": 200,  # 100 cops and their 100 specs (spec/rubocop/cop/style/ mirrors lib/rubocop/cop/style/)
        "lint": 60, "formatter": 12,
        "cop": 6,  # base.rb and naming/'s 5
        "rubocop": 4,  # rubocop.gemspec (its stem), lib/rubocop.rb (beside), cli.rb, cli_spec.rb
        "tests": 1,  # spec/spec_helper.rb
        "": 1}  # README.md
    got = assign_components(paths, DEFAULT_COMPONENT_RULES)
    assert got["spec/rubocop/cop/style/s7_spec.rb"] == got["lib/rubocop/cop/style/s7.rb"] == Assignment(
        "style", "sub-folder lib/rubocop/cop/style/ of lib/rubocop/, which held 281 of 284 paths")


def test_a_one_module_maven_project_is_split_into_its_packages() -> None:
    # src/ (a top-level folder, no unit) holds 168 of 171 paths (src/site/ is a folder under src/,
    # a unit of its own). Its code below src/main/<lang>/: org/ 106 of 107 (99 %; the other is
    # the resource file) -> acme/ -> shop/, where App.java sits beside cart/ (60),
    # pay/ (40) and util/ (5): cart and pay become components, and shop/ itself (App.java, util/).
    paths = (["pom.xml", "README.md", "src/main/java/org/acme/shop/App.java",
              "src/test/java/org/acme/shop/AppTest.java", "src/main/resources/log4j.properties", "src/site/index.md"]
             + [f"src/main/java/org/acme/shop/cart/C{i}.java" for i in range(60)]
             + [f"src/test/java/org/acme/shop/cart/C{i}Test.java" for i in range(60)]
             + [f"src/main/java/org/acme/shop/pay/P{i}.java" for i in range(40)]
             + [f"src/main/java/org/acme/shop/util/U{i}.java" for i in range(5)])
    assert len(paths) == 171
    assert _counts(paths) == {
        "cart": 120,  # with its tests: src/test/java/org/acme/shop/cart/ mirrors src/main/java/org/acme/shop/cart/
        "pay": 40,
        "shop": 7,  # App.java, AppTest.java and util/'s 5
        "src": 1,  # the resource file, outside the trunk: the rest of src/
        "site": 1,  # src/site/ (folder under src/), as before
        "": 2}  # pom.xml and README.md at the top
    got = assign_components(paths, DEFAULT_COMPONENT_RULES)
    assert got["src/main/java/org/acme/shop/pay/P1.java"].rule == (
        "sub-folder src/main/java/org/acme/shop/pay/ of src/, which held 168 of 171 paths")


def test_a_rails_app_has_its_models_controllers_and_views() -> None:
    # app/<x> is a folder under a container, as lib/<x>: models, controllers, views and helpers.
    # spec/models/ is the tests of the component models (spec/<x>/ of a component x); requests
    # has no component, so spec/requests/ is in tests.
    paths = (["Gemfile", "Rakefile"] + [f"app/models/m{i}.rb" for i in range(100)]
             + [f"spec/models/m{i}_spec.rb" for i in range(100)] + [f"app/controllers/c{i}.rb" for i in range(60)]
             + [f"app/views/v{i % 3}/x{i}.erb" for i in range(30)] + [f"app/helpers/h{i}.rb" for i in range(3)]
             + [f"spec/requests/r{i}_spec.rb" for i in range(20)] + [f"config/c{i}.rb" for i in range(10)]
             + [f"db/migrate/{i}.rb" for i in range(20)])
    assert len(paths) == 345
    assert _counts(paths) == {"models": 200, "controllers": 60, "views": 30, "helpers": 3, "tests": 20,
                              "config": 10, "db": 20, "": 2}
    # models (200 of 345, 58 %) is looked at for rule 4: its files sit in one folder, so it stays whole.


def test_an_android_module_app_keeps_its_src() -> None:
    # app/ with app/build.gradle is a Gradle module: app/src/ is no folder under a container there.
    got = _layout(["settings.gradle", "app/build.gradle", "app/src/main/java/com/x/Main.java",
                   "app/src/test/java/com/x/MainTest.java", "lib/build.gradle", "lib/src/main/java/com/x/L.java"])
    assert set(got.values()) == {"", "app", "lib"}
    assert got["app/src/main/java/com/x/Main.java"] == "app" and got["lib/src/main/java/com/x/L.java"] == "lib"


def test_a_scala_folder_is_split_and_its_test_tree_may_add_a_folder() -> None:
    # core/ (a top-level folder: Kafka's modules have no build file of their own) holds 171 of
    # 272 paths. Below src/main/scala/ its code is kafka/ (131 of 131) -> server/ (80), log/ (50)
    # and Kafka.scala. Its tests sit in src/test/scala/unit/kafka/server/: unit/ is the test
    # tree's own folder, so they go with server.
    paths = (["build.gradle", "core/src/main/scala/kafka/Kafka.scala"]
             + [f"core/src/main/scala/kafka/server/S{i}.scala" for i in range(80)]
             + [f"core/src/main/scala/kafka/log/L{i}.scala" for i in range(50)]
             + [f"core/src/test/scala/unit/kafka/server/S{i}Test.scala" for i in range(40)]
             + [f"clients/src/main/java/org/apache/kafka/clients/C{i}.java" for i in range(100)])
    assert len(paths) == 272
    assert _counts(paths) == {"server": 120, "log": 50, "kafka": 1, "clients": 100, "": 1}


def test_a_part_in_two_source_roots_is_one_component_of_one_name() -> None:
    # core/ (a Maven module) holds 551 of 603 paths: hudson/ (270 of its 450 code paths) and
    # jenkins/ (180) under src/main/java/ and src/main/resources/ alike; each still holds more
    # than a third (330 and 220 with their tests), so each is split again into its packages.
    # 'model' is in both: hudson/model and jenkins/model, the same name for java/ and resources/.
    paths = ["pom.xml", "core/pom.xml", "war/pom.xml"] + [f"war/src/main/webapp/x{i}.js" for i in range(50)]
    for top, subs in (("hudson", ("model", "util", "tasks")), ("jenkins", ("model", "security"))):
        for sub in subs:
            paths += ([f"core/src/main/java/{top}/{sub}/C{i}.java" for i in range(60)]
                      + [f"core/src/main/resources/{top}/{sub}/C{i}/index.jelly" for i in range(30)]
                      + [f"core/src/test/java/{top}/{sub}/C{i}Test.java" for i in range(20)])
    assert len(paths) == 603
    assert _counts(paths) == {"hudson/model": 110, "util": 110, "tasks": 110, "jenkins/model": 110, "security": 110,
                              "core": 1, "war": 51, "": 1}  # 60 classes, 30 resources and 20 tests each
    got = assign_components(paths, DEFAULT_COMPONENT_RULES)
    assert got["core/src/main/resources/hudson/model/C1/index.jelly"] == got["core/src/main/java/hudson/model/C1.java"]


def test_a_python_package_part_is_named_as_a_package() -> None:
    # shop.contrib (a package two levels down) holds 161 of 173 paths: admin/ (100) and auth/
    # (60) become shop.contrib.admin and shop.contrib.auth; its __init__.py stays shop.contrib.
    paths = (["shop/__init__.py", "shop/core.py", "shop/contrib/__init__.py"]
             + [f"shop/contrib/admin/a{i}.py" for i in range(100)] + [f"shop/contrib/auth/b{i}.py" for i in range(60)]
             + [f"tests/test_x{i}.py" for i in range(10)])
    assert len(paths) == 173
    assert _counts(paths) == {"shop.contrib.admin": 100, "shop.contrib.auth": 60, "shop.contrib": 1, "shop": 2,
                              "tests": 10}


def test_no_split_at_a_third_or_under_150_paths() -> None:
    # api/ holds exactly a third (150 of 450): not more than a third, so it stays whole; a
    # folder of 149 paths that is nearly all of its repository stays whole too.
    third = ([f"src/api/{d}/f{i}.py" for d in ("v1", "v2", "v3") for i in range(50)]
             + [f"src/core/f{i}.py" for i in range(150)] + [f"docs/p{i}.md" for i in range(150)])
    assert _counts(third) == {"api": 150, "core": 150, "docs": 150}
    small = [f"src/api/{d}/f{i}.py" for d in ("v1", "v2") for i in range(74)] + ["src/api/x.py", "README.md"]
    assert _counts(small) == {"api": 149, "": 1}


def test_a_split_is_a_function_of_the_path_list() -> None:
    paths = _gem()
    assert assign_components(paths, DEFAULT_COMPONENT_RULES) == assign_components(
        list(reversed(paths)) + paths, DEFAULT_COMPONENT_RULES)


def test_the_fingerprint_names_the_layout_version() -> None:
    # A store derived by the layout's older rules is derived again by the next command.
    assert rules_fingerprint(DEFAULT_COMPONENT_RULES) == f'[["**", "{{layout}}"]] layout {LAYOUT_VERSION}'
    assert rules_fingerprint((("src/**", "s"),)) == '[["src/**", "s"]]'  # glob rules: as before


def test_a_large_folder_without_source_code_stays_whole() -> None:
    """A top-level folder of data or docs (no source root below it: nothing to split by) that
    holds most paths stays one component. Before, its split walked forever: `ingest git` of a
    repository with a flat folder of 3,000 files never ended. In a child process with a time
    limit, so that a regression fails here instead of hanging the suite."""
    script = (
        "import json, sys\n"
        "from teammemory.components import assign_components\n"
        "from teammemory.config import DEFAULT_COMPONENT_RULES\n"
        "paths = json.load(sys.stdin)\n"
        "print(json.dumps(sorted(a.component for a in assign_components(paths, DEFAULT_COMPONENT_RULES).values())))\n")
    flat = [f"gen/f{k}.txt" for k in range(3000)] + ["README.md", "docs/a/p.md"]
    nested = [f"data/{d}/f{k}.csv" for d in ("x", "y", "z") for k in range(100)] + ["src/app/main.py"]
    for paths, want in ((flat, {"gen": 3000, "docs": 1, "": 1}), (nested, {"data": 300, "app": 1})):
        done = subprocess.run([sys.executable, "-c", script], input=json.dumps(paths), capture_output=True,
                              text=True, timeout=60, check=True)
        assert Counter(json.loads(done.stdout)) == want

"""Pure: which component a path belongs to, from ordered (glob, template) rules; first match wins.

Globs: `*` matches within one path segment (no '/'), `**` matches any number of whole segments
(`a/**` is everything inside `a/`, `**/x` is `x` at any depth), `?` one character of a segment.
Templates may name the text the n-th single `*` matched as `{n}` (1-based), so the default rule
`("src/*/**", "{1}")` puts `src/auth/token.py` in component `auth`. A path no rule matches has
no component (''). The idea is code-maat's architectural grouping (`-g layers.txt`), with
globs instead of regular expressions because that is how people write paths.

The template `{layout}` (the default rule, `("**", "{layout}")`) names the component the
repository's layout gives the path, which needs every path of the repository at once
(`assign_components(paths, rules)`, a pure function of the path list and the rules):

1. the deepest unit folder holding the path: a build module (a folder below the root with
   pom.xml, build.gradle(.kts), go.mod, package.json, Cargo.toml, setup.py, pyproject.toml,
   *.gemspec or *.csproj, named by its folder), a Python package (a folder with __init__.py at
   the top or under src/, and its sub-packages as `pkg.sub`), or a folder under a container
   (`src/<name>`, `lib/<name>`, `pkg/<name>`, `packages/<name>`, `internal/<name>`, `cmd/<name>`,
   `crates/<name>`, `apps/<name>`, `modules/<name>`, `plugins/<name>`);
2. a top-level test folder (tests/, test/, spec/, __tests__/, ...): `tests/<x>/...` belongs to
   unit or top-level folder `x` when there is one, else to the one component `tests` (fixtures
   and cassettes too);
3. any other top-level folder names its component (`docs`, `examples`); a top-level file
   belongs to the unit its stem names (`flask.py` -> `flask`), else to none; a file beside a
   container's unit belongs to it (`lib/rails.rb` -> `rails`).
Markers inside node_modules/, vendor/ or a test folder do not make modules.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

_TEMPLATE = re.compile(r"\{(\d+)\}")
LAYOUT = "{layout}"
MARKERS = {"pom.xml": "Maven module", "build.gradle": "Gradle module", "build.gradle.kts": "Gradle module",
           "go.mod": "Go module", "package.json": "JS package", "Cargo.toml": "Rust crate",
           "setup.py": "Python project", "pyproject.toml": "Python project"}
MARKER_SUFFIXES = {".gemspec": "Ruby gem", ".csproj": ".NET project"}
_SUFFIXES = tuple(MARKER_SUFFIXES)
CONTAINERS = frozenset({"src", "lib", "pkg", "packages", "internal", "cmd", "crates", "apps", "modules",
                        "plugins", "libs", "components", "services"})
TEST_DIRS = frozenset({"test", "tests", "testsuite", "spec", "specs", "__tests__", "testing", "testdata", "fixtures",
                       "cassettes", "e2e", "it", "integration-tests"})
NOT_UNITS = frozenset({"node_modules", "vendor", "third_party", "main", "java", "resources"}) | TEST_DIRS
TESTS = "tests"


@dataclass(frozen=True)
class Assignment:
    """A path's component and the rule that gave it, as `teammemory components` shows it."""

    component: str
    rule: str


def component_of(path: str, rules: Sequence[tuple[str, str]]) -> str:
    """The component of `path` under the first rule whose glob matches it; '' when none does.
    A `{layout}` rule sees this one path only: `assign_components` sees the whole layout."""
    return assign_components([path], rules)[path].component


def assign_components(paths: Iterable[str], rules: Sequence[tuple[str, str]]) -> dict[str, Assignment]:
    """Every path's component under the first matching rule (pure: the same paths and rules
    always give the same components); the layout is read only when a rule asks for it."""
    every = sorted(set(paths))
    compiled = [(compile_glob(glob), glob, template) for glob, template in rules]
    layout: Layout | None = None
    filled: dict[tuple[str, tuple[str | None, ...]], str] = {}  # a few components, thousands of paths
    out = {}
    for path in every:
        for pattern, glob, template in compiled:
            m = pattern.fullmatch(path)
            if not m:
                continue
            if LAYOUT in template:
                layout = layout or Layout.of(every)
                found = layout.assign(path)
                component = ""
                if found.component:
                    key = (template.replace(LAYOUT, found.component), m.groups())
                    component = filled.get(key) or filled.setdefault(key, _fill(*key))
                out[path] = Assignment(component, found.rule)
            else:
                out[path] = Assignment(_fill(template, m.groups()), f"glob {glob} -> {template}")
            break
        else:
            out[path] = _NO_RULE
    return out


_NO_RULE = Assignment("", "no rule matched")


@dataclass(frozen=True)
class Layout:
    """The units of a repository (folder -> its component and why), read off its paths."""

    units: dict[str, Assignment]
    folders: frozenset[str] = frozenset()  # top-level folders (not test folders), for tests/<x>/

    @classmethod
    def of(cls, paths: Sequence[str]) -> Layout:
        units: dict[str, tuple[int, Assignment]] = {}  # folder -> (precedence, unit): markers beat folders

        def offer(rank: int, at: str, kind: str) -> None:
            if kind and not _hidden(at) and (at not in units or rank < units[at][0]):
                units[at] = (rank, Assignment("", kind))

        folders: set[str] = set()
        for path in paths:  # a marker or __init__.py is looked at per path, a folder's box once
            folder, name = posixpath.split(path)
            if name in MARKERS or name.endswith(_SUFFIXES):
                offer(0, folder, _marker(folder, name))
            if name == "__init__.py":
                offer(1, folder, _python(folder, name))
            if folder not in folders:
                folders.add(folder)
                box = "/".join(folder.split("/")[:2])
                offer(2, box, _container(box))
        tops = frozenset(p.split("/", 1)[0] for p in paths if "/" in p) - TEST_DIRS
        return cls(_named({d: a for d, (_, a) in units.items()}), tops)

    def assign(self, path: str) -> Assignment:
        """The component of one path of this layout (rules 1-3 of the module docstring)."""
        folder, _, name = path.rpartition("/")
        if folder in CONTAINERS:  # lib/rails.rb beside lib/rails/
            beside = self.units.get(f"{folder}/{posixpath.splitext(name)[0]}")
            if beside is not None:
                return beside
        unit = self._unit_above(folder)
        if unit is not None:
            return unit
        top, _, rest = path.partition("/")
        if not rest:
            return self._by_stem.get(posixpath.splitext(top)[0], _TOP_LEVEL_FILE)
        if top in TEST_DIRS:
            sub = rest.split("/", 1)[0]
            if "/" in rest and ((sub and sub in self._components) or sub in self.folders):
                return Assignment(sub, f"tests of {sub} ({top}/{sub}/)")
            return Assignment(TESTS, f"test folder ({top}/)")
        return Assignment(top, f"top-level folder ({top}/)")

    def _unit_above(self, folder: str) -> Assignment | None:
        """The deepest unit holding `folder` (itself or an ancestor), remembered per folder: a
        repository's paths share a few hundred folders (BookKeeper: 9,787 paths, 1,400 folders)."""
        seen = self._folder_units
        if folder in seen:
            return seen[folder]
        walked = []
        found: Assignment | None = None
        at = folder
        while at:
            if at in seen:
                found = seen[at]
                break
            walked.append(at)
            if at in self.units:
                found = self.units[at]
                break
            at = at.rpartition("/")[0]
        for f in walked:
            seen[f] = found
        seen.setdefault(folder, found)
        return found

    @cached_property
    def _folder_units(self) -> dict[str, Assignment | None]:
        return {}

    @cached_property
    def _by_stem(self) -> dict[str, Assignment]:
        """Component name -> the unit of that name first in folder order (a top-level file's stem)."""
        out: dict[str, Assignment] = {}
        for _, unit in sorted(self.units.items()):
            out.setdefault(unit.component, unit)
        return out

    @cached_property
    def _components(self) -> frozenset[str]:
        return frozenset(a.component for a in self.units.values())


_TOP_LEVEL_FILE = Assignment("", "top-level file")


def _marker(folder: str, name: str) -> str:
    """'Maven module (x/pom.xml)' when `name` marks `folder` as a build module (not the root)."""
    kind = MARKERS.get(name) or next((k for s, k in MARKER_SUFFIXES.items() if name.endswith(s)), "")
    return f"{kind} ({posixpath.join(folder, name)})" if kind and folder else ""


def _python(folder: str, name: str) -> str:
    """'Python package (src/x/__init__.py)' for a package at the top, under src/, or one level in."""
    parts = folder.split("/")
    if name != "__init__.py" or parts[0] in TEST_DIRS:
        return ""
    if parts[0] == "src":
        parts = parts[1:]
    return f"Python package ({folder}/__init__.py)" if 1 <= len(parts) <= 2 and parts[0] else ""


def _container(folder: str) -> str:
    parts = folder.split("/")
    return f"folder under {parts[0]}/ ({folder}/)" if len(parts) == 2 and parts[0] in CONTAINERS else ""


def _hidden(folder: str) -> bool:
    """Folders whose markers make no unit: dependencies and test trees (fixtures have package.json)."""
    parts = folder.split("/")
    return any(p in NOT_UNITS or p.startswith(".") for p in parts)


def _named(units: dict[str, Assignment]) -> dict[str, Assignment]:
    """Name each unit: a Python package `pkg` or `pkg.sub` (one name wherever it lived: the same
    package moved under src/), any other unit by the shortest end of its path that no other unit
    shares, except units whose paths end alike beyond it (the same module, moved)."""
    python = {d for d, a in units.items() if a.rule.startswith("Python package")}
    names = {d: _python_name(d) for d in python}
    depth = {d: 1 for d in units if d not in python}
    for _ in range(12):
        names.update({d: _suffix(d, k) for d, k in depth.items()})
        grow = {d for d in depth for e in depth if e != d and names[e] == names[d]
                and _suffix(e, depth[e] + 1) != _suffix(d, depth[d] + 1)}
        if not grow:
            break
        depth.update({d: depth[d] + 1 for d in grow})
    return {d: Assignment(names[d], a.rule) for d, a in sorted(units.items())}


def _suffix(folder: str, k: int) -> str:
    return "/".join(folder.split("/")[-k:])


def _python_name(folder: str) -> str:
    parts = folder.split("/")
    return ".".join(parts[1:] if parts[0] == "src" else parts)


def _fill(template: str, groups: Sequence[str | None]) -> str:
    """Replace `{n}` by the n-th single-star capture ('' when the glob has no such star)."""

    def one(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return (groups[n - 1] or "") if 0 < n <= len(groups) else ""

    return _TEMPLATE.sub(one, template)


@lru_cache(maxsize=256)
def compile_glob(glob: str) -> re.Pattern[str]:
    """Translate a path glob to a regex; each single `*` becomes a capture group, in order."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append(r"(?:[^/]+/)*")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append(r"/.+")
            i += 3
        elif glob.startswith("**", i):
            out.append(r".*")
            i += 2
        elif glob[i] == "*":
            out.append(r"([^/]*)")
            i += 1
        elif glob[i] == "?":
            out.append(r"[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))

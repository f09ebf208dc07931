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
   (`src/<name>`, `lib/<name>`, `app/<name>` (a Rails app's models, controllers, views),
   `pkg/<name>`, `packages/<name>`, `internal/<name>`, `cmd/<name>`, `crates/<name>`,
   `apps/<name>`, `modules/<name>`, `plugins/<name>`), unless the container is itself a unit (an
   Android module `app/` with its app/build.gradle keeps app/src/);
2. a top-level test folder (tests/, test/, spec/, __tests__/, ...): `tests/<x>/...` belongs to
   unit or top-level folder `x` when there is one, else to the one component `tests` (fixtures
   and cassettes too);
3. any other top-level folder names its component (`docs`, `examples`); a top-level file
   belongs to the unit its stem names (`flask.py` -> `flask`), else to none; a file beside a
   container's unit belongs to it (`lib/rails.rb` -> `rails`);
4. a component that holds more than a third of the repository's paths (150 at least) is split
   into its sub-folders: below the folders all its code shares (`src/main/java/org/apache/x/`,
   the trunk), each sub-folder of 10 paths or more becomes a component (named as units are, a
   Python package's as `pkg.sub.part`), and so does the trunk's own folder when files sit in it;
   the rest stays with the component. Tests go with the code they mirror (`src/test/java/org/x/`
   with `src/main/java/org/x/`, `spec/rubocop/cop/` with `lib/rubocop/cop/`, a test tree's own
   first folder aside: `src/test/scala/unit/kafka/server/` with `kafka/server/`), and a part that
   is still that large is split again. So a one-gem repository's `lib/rubocop/` becomes its
   cops' departments and a one-module Maven project's `src/` its Java packages, instead of one
   component holding nearly every file.
Markers inside node_modules/, vendor/ or a test folder do not make modules. A change to these
rules raises config.LAYOUT_VERSION, which the stored components' fingerprint names
(config.rules_fingerprint), so a store derived by older ones is derived again by the next
command, as after a change of rules.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

_TEMPLATE = re.compile(r"\{(\d+)\}")
LAYOUT = "{layout}"
MARKERS = {"pom.xml": "Maven module", "build.gradle": "Gradle module", "build.gradle.kts": "Gradle module",
           "go.mod": "Go module", "package.json": "JS package", "Cargo.toml": "Rust crate",
           "setup.py": "Python project", "pyproject.toml": "Python project"}
MARKER_SUFFIXES = {".gemspec": "Ruby gem", ".csproj": ".NET project"}
_SUFFIXES = tuple(MARKER_SUFFIXES)
CONTAINERS = frozenset({"src", "lib", "app", "pkg", "packages", "internal", "cmd", "crates", "apps", "modules",
                        "plugins", "libs", "components", "services"})
TEST_DIRS = frozenset({"test", "tests", "testsuite", "spec", "specs", "__tests__", "testing", "testdata", "fixtures",
                       "cassettes", "e2e", "it", "integration-tests"})
NOT_UNITS = frozenset({"node_modules", "vendor", "third_party", "main", "java", "resources"}) | TEST_DIRS
TESTS = "tests"
# Rule 4: a component holding more than 1/SPLIT_FRACTION of a repository's paths (and SPLIT_MIN
# at least) says little of who knows what (a gem's lib/<name>/, a one-module
# Maven project's src/): it is split into its sub-folders of PART_MIN paths or more, again and
# again while one is still that large (SPLIT_ROUNDS at most).
SPLIT_FRACTION = 3
SPLIT_MIN = 150
PART_MIN = 10
SPLIT_ROUNDS = 8
ROOT_TOPS = frozenset({"src", "lib", "app", "source"})  # a top-level folder that is itself a source root
# Where a module's (or a top-level folder's) code starts: `src/main/java/`, `src/test/scala/`,
# `lib/`, `app/`, `src/`, or a test root (`spec/`, `test/`); what follows is its package path.
_SOURCE_ROOT = re.compile(r"src/(?P<set>main|test|it|jmh|testFixtures|integrationTest|androidTest)/[a-z0-9]+/"
                          r"|(?P<test>test|tests|spec|specs|__tests__)/|(?:src|lib|app)/")


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


class _Place(NamedTuple):
    """Where the layout puts one path: its component, the unit or folder that gives it (`home`:
    a unit's folder, `top:<name>` for a top-level folder, '' for neither), the path below that
    home (`rel`; the whole path for a top-level source folder such as src/) and what the home
    is (`kind`: module, python, container, part, top, or tests: a test mirroring its home)."""

    assignment: Assignment
    home: str
    rel: str
    kind: str
    path: str

    def logical(self) -> tuple[str | None, bool]:
        """(the path below its home's source root, is a test's path): `org/x/A.java` for
        `server/src/main/java/org/x/A.java`; None when it is no source path (`server/pom.xml`).
        A container's unit, a package or a part is a source folder itself; a module or a
        top-level folder has its sources below a root (`src/main/java/`, `lib/`, `spec/`) or none."""
        if self.kind == "tests":
            return self.rel, True
        if self.kind not in ("module", "top"):
            return self.rel, any(part in TEST_DIRS for part in self.rel.split("/")[:-1])
        m = _SOURCE_ROOT.match(self.rel)
        if m is None:
            return None, False
        return self.rel[m.end():], bool(m["test"]) or m["set"] not in (None, "main")


@dataclass(frozen=True)
class Layout:
    """The units of a repository (folder -> its component and why), read off its paths."""

    units: dict[str, Assignment]
    folders: frozenset[str] = frozenset()  # top-level folders (not test folders), for tests/<x>/
    kinds: dict[str, str] = field(default_factory=dict)  # unit folder -> module, python, container, part
    homes: dict[str, str] = field(default_factory=dict)  # a part's other folders (java/, scala/) -> its home
    parts: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # split home -> (logical/, part)

    @classmethod
    def of(cls, paths: Sequence[str]) -> Layout:
        """The units of `paths` (rules 1-4 of the module docstring)."""
        units: dict[str, tuple[int, Assignment, str]] = {}  # folder -> (precedence, unit, kind): markers first

        def offer(rank: int, at: str, kind: str, rule: str) -> None:
            if rule and not _hidden(at) and (at not in units or rank < units[at][0]):
                units[at] = (rank, Assignment("", rule), kind)

        folders: set[str] = set()
        for path in paths:  # a marker or __init__.py is looked at per path, a folder's box once
            folder, name = posixpath.split(path)
            if name in MARKERS or name.endswith(_SUFFIXES):
                offer(0, folder, "module", _marker(folder, name))
            if name == "__init__.py":
                offer(1, folder, "python", _python(folder, name))
            if folder not in folders:
                folders.add(folder)
                box = "/".join(folder.split("/")[:2])
                offer(2, box, "container", _container(box))
        for at in [d for d, (_, _, kind) in units.items() if kind == "container" and d.split("/")[0] in units]:
            del units[at]  # app/src/ of an Android module app/ (app/build.gradle) is no unit of its own
        tops = frozenset(p.split("/", 1)[0] for p in paths if "/" in p) - TEST_DIRS
        kinds = {d: kind for d, (_, _, kind) in units.items()}
        layout = cls(_named({d: a for d, (_, a, _) in units.items()}, kinds), tops, kinds)
        for _ in range(SPLIT_ROUNDS):  # lib/rubocop -> lib/rubocop/cop -> lib/rubocop/cop/style
            split = layout._split(paths)
            if split is None:
                break
            layout = split
        return layout

    def assign(self, path: str) -> Assignment:
        """The component of one path of this layout."""
        return self._place(path).assignment

    def _place(self, path: str) -> _Place:
        """Rules 1-3 of the module docstring, then rule 4: a path whose home was split goes to
        the part its logical path lies in (a test mirrors its code: `src/test/java/org/x/` goes
        with `src/main/java/org/x/`, `spec/rubocop/cop/` with `lib/rubocop/cop/`). Remembered:
        the split check places every path, and the assignment then asks again."""
        memo = self._places
        place = memo.get(path)
        if place is not None:
            return place
        place = memo[path] = self._refined(self._placed(path))
        return place

    def _refined(self, place: _Place) -> _Place:
        while place.home in self.parts:
            logical, test = place.logical()
            if logical is None:
                break
            part = self._part(place.home, logical)
            if part is None and test and "/" in logical:  # a test tree's own first folder:
                logical = logical.split("/", 1)[1]  # core/src/test/scala/unit/kafka/server/
                part = self._part(place.home, logical)
            if part is None:
                break
            prefix, home = part
            place = _Place(self.units[home], home, logical[len(prefix):], "tests" if test else "part", place.path)
        return place

    def _part(self, home: str, logical: str) -> tuple[str, str] | None:
        """(its logical folder/, its home) of the deepest part of split `home` holding `logical`."""
        return next(((prefix, part) for prefix, part in self.parts[home] if logical.startswith(prefix)), None)

    @cached_property
    def _places(self) -> dict[str, _Place]:
        return {}

    def _placed(self, path: str) -> _Place:
        folder, _, name = path.rpartition("/")
        if folder in CONTAINERS:  # lib/rails.rb beside lib/rails/
            at = f"{folder}/{posixpath.splitext(name)[0]}"
            if at in self.units:
                return _Place(self.units[at], self.homes.get(at, at), "", "beside", path)
        above = self._unit_above(folder)
        if above is not None:
            return _Place(self.units[above], self.homes.get(above, above), path[len(above) + 1:],
                          self.kinds.get(above, "part"), path)
        top, _, rest = path.partition("/")
        if not rest:
            return _Place(self._by_stem.get(posixpath.splitext(top)[0], _TOP_LEVEL_FILE), "", top, "file", path)
        if top in TEST_DIRS:
            sub, _, tail = rest.partition("/")
            if tail and ((sub and sub in self._components) or sub in self.folders):
                home = self._home_of.get(sub, f"top:{sub}")
                return _Place(Assignment(sub, f"tests of {sub} ({top}/{sub}/)"), home, tail, "tests", path)
            return _Place(Assignment(TESTS, f"test folder ({top}/)"), "", rest, "tests", path)
        return _Place(Assignment(top, f"top-level folder ({top}/)"), f"top:{top}", path if top in ROOT_TOPS else rest,
                      "top", path)

    def _split(self, paths: Sequence[str]) -> Layout | None:
        """This layout with each component that holds more than 1/SPLIT_FRACTION of `paths` (and
        SPLIT_MIN at least) split into its sub-folders (rule 4); None when none is."""
        by_home: dict[str, list[_Place]] = {}
        for path in paths:
            place = self._place(path)
            if place.home:
                by_home.setdefault(place.home, []).append(place)
        units, kinds, homes, parts = dict(self.units), dict(self.kinds), dict(self.homes), dict(self.parts)
        for home, members in sorted(by_home.items()):
            if home in parts or len(members) < SPLIT_MIN or len(members) * SPLIT_FRACTION <= len(paths):
                continue
            found = _parts(members, self.kinds.get(home, "top"))
            if found is None:
                continue
            held = f"{home[4:] if home.startswith('top:') else home}/"
            kind = "python-part" if self.kinds.get(home, "").startswith("python") else "part"
            entries = []
            for logical, folders in found:
                first = folders[0]
                rule = f"sub-folder {first}/ of {held}, which held {len(members):,} of {len(paths):,} paths"
                for folder in folders:
                    units[folder], kinds[folder] = Assignment("", rule), kind
                    if folder != first:
                        homes[folder] = first
                entries.append((logical, first))
            parts[home] = tuple(sorted(entries, key=lambda e: (-len(e[0]), e[0])))  # deepest first
        if parts == self.parts:
            return None
        return Layout(_named(units, kinds, homes), self.folders, kinds, homes, parts)

    def _unit_above(self, folder: str) -> str | None:
        """The folder of the deepest unit holding `folder` (itself or an ancestor), remembered per
        folder: a repository's paths share a few hundred folders (BookKeeper: 9,787 paths, 1,400)."""
        seen = self._folder_units
        if folder in seen:
            return seen[folder]
        walked = []
        found: str | None = None
        at = folder
        while at:
            if at in seen:
                found = seen[at]
                break
            walked.append(at)
            if at in self.units:
                found = at
                break
            at = at.rpartition("/")[0]
        for f in walked:
            seen[f] = found
        seen.setdefault(folder, found)
        return found

    @cached_property
    def _folder_units(self) -> dict[str, str | None]:
        return {}

    @cached_property
    def _by_stem(self) -> dict[str, Assignment]:
        """Component name -> the unit of that name first in folder order (a top-level file's stem)."""
        out: dict[str, Assignment] = {}
        for _, unit in sorted(self.units.items()):
            out.setdefault(unit.component, unit)
        return out

    @cached_property
    def _home_of(self) -> dict[str, str]:
        """Component name -> the home of the unit of that name first in folder order (tests/<x>/)."""
        out: dict[str, str] = {}
        for folder, unit in sorted(self.units.items()):
            out.setdefault(unit.component, self.homes.get(folder, folder))
        return out

    @cached_property
    def _components(self) -> frozenset[str]:
        return frozenset(a.component for a in self.units.values())


def _parts(members: list[_Place], kind: str) -> list[tuple[str, list[str]]] | None:
    """How a large home splits (rule 4): [(logical folder/, its folders)], from its code's paths
    (not its tests'): each sub-folder of PART_MIN paths or more below the trunk (the folders nine
    tenths of them share: `org/apache/x/`) or beside it, and the trunk's own folder when files
    sit in it; None when that leaves fewer than two components."""
    found = [(p.path, *p.logical()) for p in members]
    if kind == "module" and not any(logical is not None and not test for _, logical, test in found):
        found = [(p.path, p.rel, test) for p, (_, _, test) in zip(members, found, strict=True)]  # a Go/JS module
    code = [(path, logical) for path, logical, test in found if logical is not None and not test]
    if not code:  # no source path to split by (a top-level folder of data or docs without a source
        return None  # root, a home of tests only): it stays whole (the walk below needs one path)
    trunk, chosen = "", []
    while True:
        below = [logical[len(trunk):] for _, logical in code if logical.startswith(trunk)]
        kids = Counter(rest.split("/", 1)[0] for rest in below if "/" in rest)
        direct = len(below) - sum(kids.values())
        kid, n = min(kids.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if n * 10 < len(below) * 9:  # no one sub-folder holds nine tenths of them (a stray
            break                    # resource file beside org/ does not stop the trunk)
        chosen += [f"{trunk}{other}/" for other, m in sorted(kids.items()) if other != kid and m >= PART_MIN]
        trunk += f"{kid}/"
    chosen += [f"{trunk}{kid}/" for kid, n in sorted(kids.items()) if n >= PART_MIN]
    if trunk and direct:
        chosen.append(trunk)
    covered = sum(1 for _, logical, _ in found if logical is not None and any(logical.startswith(c) for c in chosen))
    if len(chosen) + (covered < len(members)) < 2:
        return None
    out = []
    for logical in chosen:
        folders = sorted({path[:len(path) - len(lg)] + logical for path, lg in code if lg.startswith(logical)})
        out.append((logical, [f.rstrip("/") for f in folders]))
    return out


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


def _named(units: dict[str, Assignment], kinds: dict[str, str],
           homes: dict[str, str] | None = None) -> dict[str, Assignment]:
    """Name each unit: a Python package `pkg` or `pkg.sub` (one name wherever it lived: the same
    package moved under src/; a part of one `pkg.sub.part`), any other unit by the shortest end of
    its path that no other unit shares, except units whose paths end alike beyond it (the same
    module, moved). A part's other folders (`homes`: its resources/ beside its java/) take its name."""
    homes = homes or {}
    python = {d for d in units if kinds.get(d, "").startswith("python") and d not in homes}
    names = {d: _python_name(d) for d in python}
    depth = {d: 1 for d in units if d not in python and d not in homes}
    for _ in range(12):
        names.update({d: _suffix(d, k) for d, k in depth.items()})
        grow = {d for d in depth for e in depth if e != d and names[e] == names[d]
                and _suffix(e, depth[e] + 1) != _suffix(d, depth[d] + 1)}
        if not grow:
            break
        depth.update({d: depth[d] + 1 for d in grow})
    names.update({d: names[home] for d, home in homes.items() if d in units})
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

"""Pure: which component a path belongs to, from ordered (glob, template) rules; first match wins.

Globs: `*` matches within one path segment (no '/'), `**` matches any number of whole segments
(`a/**` is everything inside `a/`, `**/x` is `x` at any depth), `?` one character of a segment.
Templates may name the text the n-th single `*` matched as `{n}` (1-based), so the default rule
`("src/*/**", "{1}")` puts `src/auth/token.py` in component `auth`. A path no rule matches has
no component (''). The idea is code-maat's architectural grouping (`-g layers.txt`), with
globs instead of regular expressions because that is how people write paths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_TEMPLATE = re.compile(r"\{(\d+)\}")


def component_of(path: str, rules: Sequence[tuple[str, str]]) -> str:
    """The component of `path` under the first rule whose glob matches it; '' when none does."""
    for glob, template in rules:
        m = compile_glob(glob).fullmatch(path)
        if m:
            return _fill(template, m.groups())
    return ""


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

"""Pure: which component a path belongs to, by config rules (glob -> component, first match wins).

Globs: `*` matches within one path segment, `**` any number of segments; a component may say
`{1}` for the text the first `*` matched (the default rules map `src/<name>/**` to `<name>`).
Paths that no rule matches have no component ('').
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=256)
def _compile(glob: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("([^/]*)")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def component_of(path: str, rules: Sequence[tuple[str, str]]) -> str:
    """The component of `path` under `rules`, or '' when none matches."""
    for glob, component in rules:
        m = _compile(glob).match(path)
        if m:
            groups = [g for g in m.groups() if g is not None]
            name = component.replace("{1}", groups[0]) if "{1}" in component and groups else component
            if name and "{1}" not in name:
                return name
    return ""

"""Text for `teammemory components`: one numbered item per component, biggest first, with the
rule that makes it and its top people under it.

```
Components (rules: defaults)
Change them in teammemory.toml, [components] rules.
 1. bookkeeper-server  402 files
    Maven module (bookkeeper-server/pom.xml)
    top people (commits): Ivan Brendan Kelly 227, Sijie Guo 140, Flavio Paiva Junqueira 76
```
A long rule (a module's path) or a long list of people gets a line of its own, so nothing is
squeezed into a column at 80 columns. Components of a store of several repositories say which
repositories they are in.
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.components_list import Component, ComponentList
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.words import plural


def render_components(result: ComponentList) -> RenderableType:
    """Every component, biggest first, with the rule that makes it and who works on it most."""
    parts: list[RenderableType | str] = [heading(f"Components (rules: {result.rules_source})"),
                                         "Change them in teammemory.toml, [components] rules."]
    if not result.components:
        return group([*parts, "No files in the store."])
    several = len({r for c in result.components for r in c.repos}) > 1
    for i, c in enumerate(result.components, 1):
        where = f"  in {', '.join(c.repos)}" if several else ""
        parts += [f"{i:2d}. {c.name or '(no component)'}  {plural(c.files, 'file')}{where}",
                  f"    {c.rule}", f"    top people (commits): {people(c)}"]
    return group(parts)


def people(c: Component) -> str:
    """'Ben 2, Ana 1': the component's top people with their commits, or 'none' (bots only)."""
    return ", ".join(f"{p.name} {p.commits:,}" for p in c.people) or "none"

"""Text for Similar answers: the subject and what its query was made of, each earlier hit as a
numbered item with its score and what it shares with the subject under it, then the recurring
error signatures.

```
Like issue PROJ-7 "Parser overflows on long input" as of 2026-06-01
query: the issue's summary and description
score = bm25 + 1.0*shared_files + ...
 1. issue PROJ-3  score 9.12
    Overflow in the parser on long lines (2026-01-02)
    Jira link: Duplicate (duplicates)
    terms: overflow, parser, long; files: src/parser.py; components: core
Recurring error signatures:
  - 'timeout' in 4 earlier documents (issue 3, commit 1): PROJ-3, app@1a2b3c4, ...
```
A commit's ref shows its short hash (the JSON answer keeps the whole one).
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.similar import Similar, SimilarHit
from teammemory.agents.similar_signatures import SignatureCount
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_expertise import number
from teammemory.outputs.words import plural

Part = RenderableType | str


def render_similar(result: Similar) -> RenderableType:
    s = result.subject
    what = {"text": "the text", "key": s.ref}.get(s.kind) or f"{s.kind} {short_ref(s.kind, s.ref)}"
    parts: list[Part] = [heading(f"Like {what} \"{s.title}\" as of {result.as_of}")]
    if s.basis:
        parts.append(f"query: {s.basis}")
    parts.append(f"score = {result.formula}")
    if not result.hits:
        parts.append("Nothing similar in the store.")
    for i, hit in enumerate(result.hits, 1):
        parts += _hit(i, hit)
    if result.signatures:
        parts.append(heading("Recurring error signatures:"))
        parts += [f"  - {signature_line(sig)}" for sig in result.signatures]
    return group(parts)


def short_ref(kind: str, ref: str) -> str:
    """'app@1a2b3c4' for a commit 'app@1a2b3c4d5e...'; other refs as they are."""
    repo, at, sha = ref.rpartition("@")
    return f"{repo}@{sha[:7]}" if kind == "commit" and at else ref


def signature_line(sig: SignatureCount) -> str:
    """"'deadlock' in 1 earlier document (issue 1): BK-1"."""
    kinds = ", ".join(f"{k} {n}" for k, n in sig.by_kind)
    examples = f": {', '.join(sig.examples)}" if sig.examples else ""
    where = plural(sig.documents, "earlier document") if sig.documents else "no earlier document"
    return f"{sig.name!r} in {where}{f' ({kinds})' if kinds else ''}{examples}"


def _hit(i: int, h: SimilarHit) -> list[Part]:
    facts = [f"terms: {', '.join(h.matched_terms[:8])}" if h.matched_terms else "no shared terms"]
    if h.shared_files:
        facts.append(f"files: {', '.join(h.shared_files[:5])}")
    if h.shared_components:
        facts.append(f"components: {', '.join(h.shared_components)}")
    if h.signatures:
        facts.append(f"signatures: {', '.join(h.signatures)}")
    out: list[Part] = [f"{i:2d}. {h.kind} {short_ref(h.kind, h.ref)}  score {number(h.score.total)}",
                       f"    {h.title} ({h.date})" if h.title else f"    {h.date}"]
    if h.link:
        out.append(f"    Jira link: {h.link}")
    return [*out, f"    {'; '.join(facts)}"]

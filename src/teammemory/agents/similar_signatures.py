"""Recurring error signatures for `similar`: which a text shows, and how often the index shows them.

A signature is a name and the phrases that show it (the setting `similar.signatures`, by default
config.DEFAULT_ERROR_SIGNATURES: "race condition", "null pointer", "OOMKilled", "certificate
expired", ...). A phrase is turned into index terms (store/fulltext.py: ASCII, lower case, stop
words dropped, no stemming) and matches a document whose terms hold that run of terms, whole
terms only: "npe" matches "NPE in parser" but not "npes". A phrase with no index terms (only stop
words or punctuation) matches nothing.

The count of a signature is the number of index documents that show it as of `now`, the
subject's own left out, by kind, with the five newest (time, then kind, then ref) as examples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from teammemory.agents import text_search
from teammemory.store import Reader, fulltext

Signatures = Sequence[tuple[str, Sequence[str]]]
EXAMPLES = 5


@dataclass(frozen=True)
class SignatureCount:
    name: str
    documents: int  # index documents showing it as of now, the subject's own left out
    by_kind: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]  # newest first


def phrases(signatures: Signatures) -> list[tuple[str, str]]:
    """(name, phrase as space-separated index terms) for every phrase that has terms."""
    out = [(name, " ".join(fulltext.terms(p))) for name, ps in signatures for p in ps]
    return [(name, p) for name, p in out if p]


def in_terms(terms: str, signatures: Signatures) -> set[str]:
    """Pure: the signature names whose phrases occur in a space-separated term string."""
    padded = f" {terms} "
    return {name for name, phrase in phrases(signatures) if f" {phrase} " in padded}


def in_text(text: str, signatures: Signatures) -> list[str]:
    """Pure: the signature names that `text` shows, in the order of `signatures`."""
    found = in_terms(" ".join(fulltext.terms(text)), signatures)
    return [name for name, _ in signatures if name in found]


def candidates(db: Reader, terms: Sequence[str]) -> set[int]:
    """The documents holding every term of at least one phrase (by the engine; order checked after)."""
    out: set[int] = set()
    for phrase in terms:
        words = phrase.split()
        found = fulltext.match(db, words[:1])
        for w in words[1:]:
            found &= fulltext.match(db, [w]) if found else set()
        out |= found
    return out


def count(db: Reader, text: str, at: int, own: set[int], signatures: Signatures) -> tuple[SignatureCount, ...]:
    """Each signature `text` shows: the documents of the index (as of `at`, `own` left out) showing it."""
    out = []
    for name in in_text(text, signatures):
        ids = candidates(db, [p for n, p in phrases(signatures) if n == name]) - own
        docs = [d for d in text_search.fetch_docs(db, ids)
                if (d.at or 0) <= at and name in in_terms(d.terms, signatures)]
        kinds: dict[str, int] = {}
        for d in docs:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        newest = sorted(docs, key=lambda d: (-(d.at or 0), d.kind, d.ref))[:EXAMPLES]
        out.append(SignatureCount(name, len(docs), tuple(sorted(kinds.items())), tuple(d.ref for d in newest)))
    return tuple(out)

"""The text index's terms and each backend's own full-text match (migration 0007).

One tokenizer for both backends, so SQLite and PostgreSQL index exactly the same terms: text is
folded to ASCII (NFKD, accents dropped), lower-cased and split into runs of `[a-z0-9]`; runs of
one character, runs over 40 and a short list of English stop words are dropped; "NPE" stays
"npe", "NullPointerException" becomes "nullpointerexception" (no stemming: a ranking anyone can
recompute by hand). A document keeps its first MAX_TERMS terms.

`text_docs.terms` holds those terms space-separated, which is what each engine indexes: SQLite an
FTS5 table `text_fts` (contentless, rowid = doc_id, kept here, because a trigger cannot be written
in a migration that is split on ';'), PostgreSQL a generated `tsvector` column with the 'simple'
configuration (no stemming, no stop words: the terms are already final). `match` asks the engine
for the documents holding any of the terms; scoring is portable (agents/text_search.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from teammemory.store import Reader, Writer

MAX_TERMS = 5000
_RUN = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    "a an and are as at be but by can could did do does for from had has have he her his how i if in into is it "
    "its me my no not of on or our she so than that the their them then there these they this to too us was we "
    "were what when where which who why will with would you your".split())


def terms(text: str) -> list[str]:
    """Pure: the index terms of `text`, in text order (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    out = [t for t in _RUN.findall(folded) if 1 < len(t) <= 40 and t not in STOP_WORDS]
    return out[:MAX_TERMS]


def sync(db: Writer, removed: Iterable[tuple[int, str]], added: Iterable[tuple[int, str]]) -> None:
    """Keep the engine's index in step with text_docs: (doc_id, terms) removed and added.
    PostgreSQL's generated column follows by itself; SQLite's FTS5 table is told."""
    if db.dialect != "sqlite":
        return
    db.executemany_raw("insert into text_fts (text_fts, rowid, terms) values ('delete', ?, ?)", list(removed))
    db.executemany_raw("insert into text_fts (rowid, terms) values (?, ?)", list(added))


def match(db: Reader, words: Sequence[str]) -> set[int]:
    """The doc_ids whose terms hold any of `words` (index terms), by the backend's own engine."""
    words = sorted({w for w in words if _RUN.fullmatch(w)})
    if not words:
        return set()
    if db.dialect == "sqlite":
        rows = db.all("select rowid as doc_id from text_fts where text_fts match :q",
                      q=" OR ".join(f'"{w}"' for w in words))
    else:
        rows = db.all("select doc_id from text_docs where tsv @@ to_tsquery('simple', :q)",
                      q=" | ".join(f"'{w}'" for w in words))
    return {int(r["doc_id"]) for r in rows}

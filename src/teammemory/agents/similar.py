"""Has this bug occurred before? `similar KEY | --text "..." | --commit SHA`.

Past issues, PRs and commits (incidents: a kind the text index can take once they are ingested)
ranked by

    score = bm25 + FILE_WEIGHT * shared_files + COMPONENT_WEIGHT * shared_components + link

- bm25: the subject's text (an issue's summary and description, a commit's message, or the
  text given) against each document's, agents/text_search.py (k1 = 1.2, b = 0.75);
- shared_files: files the subject's fixes touched (an issue's commits and PRs, a commit's own)
  that the candidate's touched too; shared_components likewise for components (an issue's Jira
  components count as its own), each capped at CAP;
- link: an explicit Jira link between the subject and a candidate issue: DUPLICATE_WEIGHT for a
  Duplicate link, LINK_WEIGHT for any other (Relates, Blocks, ...); a linked issue is a
  candidate even when no term matches.

The subject's own documents (the issue itself and the commits and PRs that name it; the commit
itself, its PRs and the issues it names) are not "before": they are left out. Only what exists
at `now` counts. Ties: higher score, then kind, then ref.

Recurring error signatures (SIGNATURES: a name and the phrases that show it, as index terms)
found in the subject are counted over every document of the index as of `now`, with the
newest few as examples; each hit lists the signatures it shares with the subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from teammemory.agents import text_search
from teammemory.agents.evidence import Score, epoch, iso_day, short
from teammemory.config import Config
from teammemory.errors import InputError, NotFound
from teammemory.store import Reader, fulltext, queries

Q = queries.load("teammemory.agents.sql", "similar.sql")
FILE_WEIGHT, COMPONENT_WEIGHT, CAP = 1.0, 0.5, 5
DUPLICATE_WEIGHT, LINK_WEIGHT = 5.0, 2.0
POOL = 100  # text hits looked at before files, components and links re-rank them
SIGNATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("race condition", ("race condition", "data race", "race conditions")),
    ("null pointer", ("null pointer", "npe", "nullpointerexception", "null reference")),
    ("OOMKilled", ("oomkilled", "out of memory", "outofmemoryerror", "oom killed")),
    ("deadlock", ("deadlock", "deadlocks", "deadlocked")),
    ("timeout", ("timeout", "timeouts", "timed out", "timeoutexception", "sockettimeoutexception")),
    ("certificate expired", ("certificate expired", "expired certificate", "certificateexpiredexception")),
    ("memory leak", ("memory leak", "memory leaks", "leaks memory", "leaking memory")),
    ("stack overflow", ("stack overflow", "stackoverflowerror")),
    ("connection refused", ("connection refused", "connectexception")),
    ("data corruption", ("data corruption", "corrupted", "corruption")),
)
Kind = str  # issue | pr | commit (| incident)


@dataclass(frozen=True)
class Subject:
    kind: str  # issue | commit | text
    ref: str
    title: str
    text: str
    files: tuple[str, ...]
    components: tuple[str, ...]


@dataclass(frozen=True)
class SimilarHit:
    kind: str
    ref: str
    title: str
    date: str
    score: Score  # its terms: bm25, shared files, shared components, link
    matched_terms: tuple[str, ...]
    shared_files: tuple[str, ...]
    shared_components: tuple[str, ...]
    link: str  # 'Duplicate (is duplicated by)', '' for none
    signatures: tuple[str, ...]


@dataclass(frozen=True)
class SignatureCount:
    name: str
    documents: int  # index documents showing it as of now, the subject's own left out
    by_kind: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]  # newest first


@dataclass(frozen=True)
class Similar:
    subject: Subject
    as_of: str
    formula: str
    hits: tuple[SimilarHit, ...]
    signatures: tuple[SignatureCount, ...]


class IssueRow(NamedTuple):
    key: str
    summary: str
    description: str
    created_at: int | None


class LinkRow(NamedTuple):
    other_key: str
    link_type: str
    direction: str
    description: str


class FileRow(NamedTuple):
    path: str
    component: str


class ComponentRow(NamedTuple):
    component: str


class OwnRow(NamedTuple):
    kind: str
    ref: str


class CommitRow(NamedTuple):
    repo: str
    hash: str
    message: str
    authored_at: int


FORMULA = (f"bm25 + {FILE_WEIGHT}*shared_files + {COMPONENT_WEIGHT}*shared_components (each at most {CAP})"
           f" + link ({DUPLICATE_WEIGHT} Duplicate, {LINK_WEIGHT} other Jira link); bm25: {text_search.FORMULA}")


def ask(db: Reader, key: str | None = None, *, now: datetime, config: Config, text: str | None = None,
        commit: str | None = None, repo: str | None = None, limit: int = 10) -> Similar:
    """Earlier issues, PRs and commits like the subject (exactly one of KEY, --text, --commit)."""
    del config  # weights and signatures are this module's constants (see the docstring)
    at = epoch(now)
    subject, own, links = _subject(db, key, text, commit, repo)
    own_ids = {d.doc_id for kind, ref in own if (d := db.fetch_one(text_search.Q["doc-by-ref"], text_search.DocRow,
                                                                    kind=kind, ref=ref))}
    hits = text_search.search(db, subject.text, limit=POOL, now=at, exclude=own_ids)
    linked = [k for k in sorted(links) if ("issue", k) not in own and not any(h.ref == k for h in hits)]
    extra = [_linked_doc(db, k) for k in linked]
    scored = [_hit(db, subject, h.kind, h.ref, h.title, h.at, h.value, h.matched, links)
              for h in hits] + [_hit(db, subject, "issue", k, t, a, 0.0, (), links)
                                for k, (t, a) in zip(linked, extra, strict=True) if (a or 0) <= at]
    ranked = sorted(scored, key=lambda s: (-s.score.total, s.kind, s.ref))
    return Similar(subject, iso_day(at), FORMULA, tuple(ranked[:limit]),
                   count_signatures(db, subject.text, at, own_ids))


def _subject(db: Reader, key: str | None, text: str | None, commit: str | None,
             repo: str | None) -> tuple[Subject, set[tuple[str, str]], dict[str, str]]:
    given = [n for n, v in (("KEY", key), ("--text", text), ("--commit", commit)) if v]
    if len(given) != 1:
        raise InputError("KEY", "give exactly one of KEY, --text or --commit"
                         + (f" (got {', '.join(given)})" if given else ""))
    if text:
        return Subject("text", "", text[:80], text, (), ()), set(), {}
    if commit:
        return _commit_subject(db, commit.strip().lower(), repo)
    assert key is not None
    row = db.fetch_one(Q["issue"], IssueRow, key=key)
    if row is None:
        raise NotFound("issue", key)
    files = db.fetch(Q["issue-files"], FileRow, key=key)
    comps = {r.component for r in db.fetch(Q["issue-components"], ComponentRow, key=key)}
    own = {(r.kind, r.ref) for r in db.fetch(Q["issue-own"], OwnRow, key=key)} | {("issue", key)}
    links: dict[str, str] = {}
    for r in db.fetch(Q["issue-links"], LinkRow, key=key) + db.fetch(Q["linked-to"], LinkRow, key=key):
        links.setdefault(r.other_key, f"{r.link_type} ({r.description})" if r.description else r.link_type)
    return (Subject("issue", key, row.summary, f"{row.summary}\n{row.description}", _paths(files),
                    _components(files, comps)), own, links)


def _commit_subject(db: Reader, sha: str, repo: str | None) -> tuple[Subject, set[tuple[str, str]], dict[str, str]]:
    if len(sha) < 4 or any(c not in "0123456789abcdef" for c in sha):
        raise InputError("--commit", f"{sha!r} is not a commit hash (4 to 40 hex digits)")
    rows = [r for r in db.fetch(Q["commit-lookup"], CommitRow, prefix=sha + "%") if repo in (None, r.repo)]
    if not rows:
        raise NotFound("commit", sha)
    if len({(r.repo, r.hash) for r in rows}) > 1:
        raise InputError("--commit", f"{sha} is ambiguous: " + ", ".join(sorted(f"{r.repo}@{short(r.hash)}"
                                                                                for r in rows)[:5]))
    c = rows[0]
    files = db.fetch(Q["commit-files"], FileRow, repo=c.repo, hash=c.hash)
    subject = Subject("commit", f"{c.repo}@{c.hash}", c.message.split("\n", 1)[0], c.message, _paths(files),
                      _components(files, set()))
    own = {(r.kind, r.ref) for r in db.fetch(Q["commit-own"], OwnRow, repo=c.repo, hash=c.hash)}
    return subject, own | {("commit", subject.ref)}, {}


def _linked_doc(db: Reader, key: str) -> tuple[str, int | None]:
    row = db.fetch_one(Q["issue"], IssueRow, key=key)
    return (row.summary, row.created_at) if row else ("(not ingested)", None)


def _hit(db: Reader, subject: Subject, kind: str, ref: str, title: str, at: int | None, bm25: float,
         matched: tuple[str, ...], links: dict[str, str]) -> SimilarHit:
    files = candidate_files(db, kind, ref)
    shared = tuple(sorted(set(subject.files) & set(_paths(files))))
    comps = tuple(sorted(set(subject.components) & set(_components(files, _issue_components(db, kind, ref)))))
    link = links.get(ref, "") if kind == "issue" else ""
    link_points = (DUPLICATE_WEIGHT if link.lower().startswith("duplicate") else LINK_WEIGHT) if link else 0.0
    inputs: dict[str, float | int | str] = {"bm25": round(bm25, 4), "shared_files": len(shared),
                                            "shared_components": len(comps), "link": link}
    score = Score.of(FORMULA, inputs, {"bm25": bm25, "shared files": FILE_WEIGHT * min(len(shared), CAP),
                                       "shared components": COMPONENT_WEIGHT * min(len(comps), CAP),
                                       "link": link_points})
    doc = db.fetch_one(text_search.Q["doc-by-ref"], text_search.DocRow, kind=kind, ref=ref)
    sigs = tuple(name for name in signatures_in(subject.text) if doc and name in signatures_in_terms(doc.terms))
    return SimilarHit(kind, ref, title, iso_day(at), score, matched, shared, comps, link, sigs)


def candidate_files(db: Reader, kind: str, ref: str) -> list[FileRow]:
    if kind == "issue":
        return db.fetch(Q["issue-files"], FileRow, key=ref)
    if kind == "commit":
        repo, _, hash_ = ref.rpartition("@")
        return db.fetch(Q["commit-files"], FileRow, repo=repo, hash=hash_)
    if kind == "pr":
        repo, _, number = ref.rpartition("#")
        return db.fetch(Q["pr-files"], FileRow, repo=repo, number=int(number))
    return []


def _issue_components(db: Reader, kind: str, ref: str) -> set[str]:
    return {r.component for r in db.fetch(Q["issue-components"], ComponentRow, key=ref)} if kind == "issue" else set()


def _paths(rows: list[FileRow]) -> tuple[str, ...]:
    return tuple(sorted({r.path for r in rows}))


def _components(rows: list[FileRow], more: set[str]) -> tuple[str, ...]:
    return tuple(sorted(({r.component for r in rows} | more) - {""}))


def _phrases() -> list[tuple[str, str]]:
    return [(name, " ".join(fulltext.terms(p))) for name, phrases in SIGNATURES for p in phrases]


def signatures_in_terms(terms: str) -> set[str]:
    """Pure: the signature names whose phrases occur in a space-separated term string."""
    padded = f" {terms} "
    return {name for name, phrase in _phrases() if phrase and f" {phrase} " in padded}


def signatures_in(text: str) -> list[str]:
    """Pure: the signature names that `text` shows, in SIGNATURES order."""
    found = signatures_in_terms(" ".join(fulltext.terms(text)))
    return [name for name, _ in SIGNATURES if name in found]


def count_signatures(db: Reader, text: str, at: int, own: set[int]) -> tuple[SignatureCount, ...]:
    """Each signature of `text`: the documents of the index (as of `at`, `own` left out) showing it."""
    out = []
    for name in signatures_in(text):
        words = sorted({w for n, p in _phrases() if n == name for w in p.split()})
        ids = fulltext.match(db, words) - own
        docs = [d for d in text_search.fetch_docs(db, ids)
                if (d.at or 0) <= at and name in signatures_in_terms(d.terms)]
        kinds: dict[str, int] = {}
        for d in docs:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        newest = sorted(docs, key=lambda d: (-(d.at or 0), d.kind, d.ref))[:5]
        out.append(SignatureCount(name, len(docs), tuple(sorted(kinds.items())), tuple(d.ref for d in newest)))
    return tuple(out)

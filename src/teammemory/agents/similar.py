"""Has this bug occurred before? `similar KEY | --text "..." | --commit SHA`.

Past issues, PRs, commits and incidents (ingested postmortems) ranked by

    score = bm25 + FILE_WEIGHT * shared_files + COMPONENT_WEIGHT * shared_components + link

- bm25: the subject's text against each document's, agents/text_search.py (k1 = 1.2, b = 0.75).
  The subject (agents/similar_subject.py) is an issue (summary and description), a postmortem
  (title, summary, trigger, root cause, lessons), a key only commits and PRs name (their text:
  the answer says so), a commit (its message) or the text given;
- shared_files: files the subject's fixes touched (an issue's commits and PRs, an incident's
  causes and fixes, a commit's own) that the candidate's touched too (an incident's: the commits
  and PRs that caused and fixed it); shared_components likewise for components (an issue's Jira
  components and the components a postmortem names count as its own), each capped at CAP;
- link: an explicit Jira link between the subject and a candidate issue: DUPLICATE_WEIGHT for a
  Duplicate link, LINK_WEIGHT for any other (Relates, Blocks, ...); a linked issue is a
  candidate even when no term matches.

The subject's own documents (the issue itself and the commits and PRs that name it; an incident
and its causes and fixes; the commit itself, its PRs and the issues it names) are not "before":
they are left out. Only what exists at `now` counts. Ties: higher score, then kind, then ref.

Recurring error signatures (the setting `similar.signatures`: a name and the phrases that show
it, agents/similar_signatures.py) found in the subject are counted over every document of the
index as of `now`, with the newest few as examples; each hit lists the signatures it shares with
the subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teammemory.agents import incidents, similar_signatures, text_search
from teammemory.agents.evidence import Score, epoch, iso_day
from teammemory.agents.similar_signatures import SignatureCount
from teammemory.agents.similar_subject import ComponentRow, FileRow, IssueRow, Subject, components, find, paths
from teammemory.config import Config
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "similar.sql")
FILE_WEIGHT, COMPONENT_WEIGHT, CAP = 1.0, 0.5, 5
DUPLICATE_WEIGHT, LINK_WEIGHT = 5.0, 2.0
POOL = 100  # text hits looked at before files, components and links re-rank them
Kind = str  # issue | pr | commit | incident


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
class Similar:
    subject: Subject
    as_of: str
    formula: str
    hits: tuple[SimilarHit, ...]
    signatures: tuple[SignatureCount, ...]


FORMULA = (f"bm25 + {FILE_WEIGHT}*shared_files + {COMPONENT_WEIGHT}*shared_components (each at most {CAP})"
           f" + link ({DUPLICATE_WEIGHT} Duplicate, {LINK_WEIGHT} other Jira link); bm25: {text_search.FORMULA}")


def ask(db: Reader, key: str | None = None, *, now: datetime, config: Config, text: str | None = None,
        commit: str | None = None, repo: str | None = None, limit: int = 10) -> Similar:
    """Earlier issues, PRs, commits and incidents like the subject (exactly one of KEY, --text, --commit)."""
    at = epoch(now)
    found = find(db, key, text, commit, repo, at=at)
    subject, own, links = found.subject, found.own, found.links
    own_ids = {d.doc_id for kind, ref in sorted(own) if (d := db.fetch_one(text_search.Q["doc-by-ref"],
                                                                            text_search.DocRow, kind=kind, ref=ref))}
    hits = text_search.search(db, subject.text, text_search.KINDS, limit=POOL, now=at, exclude=own_ids)
    linked = [k for k in sorted(links) if ("issue", k) not in own and not any(h.ref == k for h in hits)]
    extra = [_linked_doc(db, k) for k in linked]
    facts = Facts(db, at, config.error_signatures, subject, links)
    scored = [_hit(facts, h.kind, h.ref, h.title, h.at, h.value, h.matched) for h in hits] + [
        _hit(facts, "issue", k, t, a, 0.0, ()) for k, (t, a) in zip(linked, extra, strict=True) if (a or 0) <= at]
    ranked = sorted(scored, key=lambda s: (-s.score.total, s.kind, s.ref))
    return Similar(subject, iso_day(at), FORMULA, tuple(ranked[:limit]),
                   similar_signatures.count(db, subject.text, at, own_ids, config.error_signatures))


class Facts:
    """What scoring a candidate reads besides its own rows: the subject, its links, the
    signatures, and the incidents as of `at` (read once, when the first incident is scored)."""

    def __init__(self, db: Reader, at: int, signatures: similar_signatures.Signatures, subject: Subject,
                 links: dict[str, str]) -> None:
        self.db, self.at, self.signatures, self.subject, self.links = db, at, signatures, subject, links
        self.subject_signatures = similar_signatures.in_text(subject.text, signatures)
        self._incidents: dict[str, incidents.IncidentItem] | None = None

    def incident(self, key: str) -> incidents.IncidentItem | None:
        if self._incidents is None:
            self._incidents = {i.key: i for i in incidents.load(self.db, now=self.at) if i.source == "postmortem"}
        return self._incidents.get(key)


def _linked_doc(db: Reader, key: str) -> tuple[str, int | None]:
    row = db.fetch_one(Q["issue"], IssueRow, key=key)
    return (row.summary, row.created_at) if row else ("(not ingested)", None)


def _hit(facts: Facts, kind: str, ref: str, title: str, at: int | None, bm25: float,
         matched: tuple[str, ...]) -> SimilarHit:
    db, subject = facts.db, facts.subject
    files, comps_of = candidate_files(facts, kind, ref)
    shared = tuple(sorted(set(subject.files) & set(paths(files))))
    comps = tuple(sorted(set(subject.components) & set(components(files, comps_of))))
    link = facts.links.get(ref, "") if kind == "issue" else ""
    link_points = (DUPLICATE_WEIGHT if link.lower().startswith("duplicate") else LINK_WEIGHT) if link else 0.0
    inputs: dict[str, float | int | str] = {"bm25": round(bm25, 4), "shared_files": len(shared),
                                            "shared_components": len(comps), "link": link}
    score = Score.of(FORMULA, inputs, {"bm25": bm25, "shared files": FILE_WEIGHT * min(len(shared), CAP),
                                       "shared components": COMPONENT_WEIGHT * min(len(comps), CAP),
                                       "link": link_points})
    doc = db.fetch_one(text_search.Q["doc-by-ref"], text_search.DocRow, kind=kind, ref=ref)
    theirs = similar_signatures.in_terms(doc.terms, facts.signatures) if doc else set()
    sigs = tuple(name for name in facts.subject_signatures if name in theirs)
    return SimilarHit(kind, ref, title, iso_day(at), score, matched, shared, comps, link, sigs)


def candidate_files(facts: Facts, kind: str, ref: str) -> tuple[list[FileRow], set[str]]:
    """A candidate's files (with their components) and the components it names besides."""
    db = facts.db
    if kind == "issue":
        return (db.fetch(Q["issue-files"], FileRow, key=ref),
                {r.component for r in db.fetch(Q["issue-components"], ComponentRow, key=ref)})
    if kind == "commit":
        repo, _, hash_ = ref.rpartition("@")
        return db.fetch(Q["commit-files"], FileRow, repo=repo, hash=hash_), set()
    if kind == "pr":
        repo, _, number = ref.rpartition("#")
        return db.fetch(Q["pr-files"], FileRow, repo=repo, number=int(number)), set()
    if kind == "incident" and (item := facts.incident(ref)):
        changes = item.causes + item.fixes
        rows = [FileRow(p, "") for c in changes for p in c.paths]
        return rows, set(item.component_names)
    return [], set()

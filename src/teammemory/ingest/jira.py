"""Import Jira issues from saved REST responses (files or directories of *.json), in one transaction.

Every file of the call is read and parsed inside the same write transaction (`ingest.run`), so a
malformed file or issue raises InputError naming the file, the issue and the field, and nothing
of the call is written. Which documents are taken and which are skipped:

- taken: search pages, single issues, lists of issues, perceval Jira items, comment pages
  (GET /issue/{id}/comment), field lists (GET /field: tell which custom field is 'Epic Link');
- skipped and counted (`skipped.<shape>`): error bodies, empty lists and pages, perceval items
  of other backends, and comment pages whose issue is not among the issues of the same call
  (a comment page names its issue only by numeric id; save it as .../issue/KEY/comment.json to
  import it alone);
- anything else: InputError.

The same issue met several times (a search page and a perceval dump of it) is written oldest
`updated` first, so the newest version wins whatever the file order; comments are the union.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from teammemory import ingest
from teammemory.config import Config
from teammemory.ingest import IngestSummary
from teammemory.model import Issue, IssueComment
from teammemory.sources import jira_parse, jsonfiles
from teammemory.sources.jira_parse import JiraDocument
from teammemory.store import Store, Writer
from teammemory.store.write import upsert, write_identities, write_issue


def ingest_jira_files(store: Store, paths: Sequence[Path], *, config: Config) -> IngestSummary:
    """Import every Jira document in `paths` (directories walked for *.json in sorted order)."""
    def work(db: Writer) -> dict[str, int]:
        files = jsonfiles.json_files(paths)
        docs = [jira_parse.read_document(jsonfiles.read_json(f), str(f), f.as_posix()) for f in files]
        return {"files": len(files), **write_documents(db, docs)}

    return ingest.run(store, "jira-files", _target(paths), config, work)


def _target(paths: Sequence[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def write_documents(db: Writer, docs: Sequence[JiraDocument]) -> dict[str, int]:
    """Parse the issues of all documents, attach comment pages, write; return the counts."""
    epic_fields = frozenset[str]().union(*(d.epic_fields for d in docs))
    raws = [(raw, where) for d in docs for raw, where in d.issues]
    issues = [jira_parse.parse_issue(raw, where, epic_fields=epic_fields) for raw, where in raws]
    by_id = {str(raw.get("id")): issue.key
             for (raw, _), issue in zip(raws, issues, strict=True) if raw.get("id")}
    counts = _skipped(docs)
    issues, loose = _attach_comments(issues, docs, by_id, counts)
    ordered = sorted(enumerate(issues), key=lambda p: (p[1].updated_at or -1, p[0]))
    for _, issue in ordered:
        write_issue(db, issue)
    _write_loose_comments(db, loose)
    counts.update(_counts(issues, loose))
    return counts


def _skipped(docs: Sequence[JiraDocument]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in docs:
        for k, v in d.skipped.items():
            out[k] = out.get(k, 0) + v
    return out


def _attach_comments(issues: list[Issue], docs: Sequence[JiraDocument], by_id: dict[str, str],
                     counts: dict[str, int]) -> tuple[list[Issue], list[tuple[str, Issue]]]:
    """Comment pages join their issue when it is in this call; a page saved under its key stands alone."""
    keys = {i.key for i in issues}
    extra: dict[str, list[IssueComment]] = {}
    loose: list[tuple[str, Issue]] = []
    for d in docs:
        for page in d.comment_pages:
            key = by_id.get(page.issue) or (page.issue if not page.issue.isdigit() else "")
            comments = jira_parse.parse_comments(page.comments, f"{page.where}: issue {key or page.issue}")
            if key in keys:
                extra.setdefault(key, []).extend(comments)
            elif key:
                loose.append((key, Issue(key=key, summary="", comments=comments)))
            else:
                counts["skipped.comment-page-of-unknown-issue"] = counts.get(
                    "skipped.comment-page-of-unknown-issue", 0) + 1
    return [_with_comments(i, extra.get(i.key, [])) for i in issues], loose


def _with_comments(issue: Issue, comments: list[IssueComment]) -> Issue:
    if not comments:
        return issue
    have = {c.comment_id for c in issue.comments}
    new = tuple({c.comment_id: c for c in comments if c.comment_id not in have}.values())
    return replace(issue, comments=issue.comments + new)


def _write_loose_comments(db: Writer, loose: Sequence[tuple[str, Issue]]) -> None:
    """Comments of an issue this call does not hold: written alone, the issue row left untouched."""
    for key, holder in loose:
        write_identities(db, [c.author for c in holder.comments])
        upsert(db, "issue_comments", [{
            "issue_key": key, "comment_id": c.comment_id, "author_key": c.author.key if c.author else None,
            "body": c.body, "created_at": c.created_at, "updated_at": c.updated_at} for c in holder.comments],
            ("issue_key", "comment_id"))


def _counts(issues: Sequence[Issue], loose: Sequence[tuple[str, Issue]]) -> dict[str, int]:
    """Distinct records written (an issue met in two files counts once)."""
    latest = {i.key: i for i in issues}
    comments = {(i.key, c.comment_id) for i in issues for c in i.comments}
    comments |= {(k, c.comment_id) for k, i in loose for c in i.comments}
    return {"issues": len(latest),
            "comments": len(comments),
            "links": len({(i.key, lk.other_key, lk.link_type, lk.direction)
                          for i in issues for lk in i.links}),
            "transitions": len({(i.key, t.at, t.to_status) for i in issues for t in i.transitions})}

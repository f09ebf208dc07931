"""Idempotent writes by natural key: every write is INSERT ... ON CONFLICT (key) DO UPDATE.

Functions take a `Writer` (one open transaction) and model records; they never commit. Writing
the same records twice leaves the store exactly as writing them once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from teammemory import redact
from teammemory.issue_keys import issue_project
from teammemory.model import Commit, IdentityRef, Issue, IssueComment, PullRequest
from teammemory.store import Writer, summaries


def upsert(db: Writer, table: str, rows: Iterable[Mapping[str, Any]], keys: Sequence[str],
           *, update: bool = True) -> int:
    """Insert `rows` (dicts with the same columns) into `table`; on a key clash update the rest."""
    rows = list(rows)
    if not rows:
        return 0
    cols = tuple(rows[0])
    return upsert_tuples(db, table, cols, [tuple(r[c] for c in cols) for r in rows], keys, update=update)


def identity_row(ref: IdentityRef, *, is_bot: bool = False) -> dict[str, Any]:
    return {"key": ref.key, "source": ref.source, "email": ref.email, "name": ref.name,
            "login": ref.login, "account_id": ref.account_id, "display_name": ref.display_name,
            "is_bot": int(is_bot)}


def write_identities(db: Writer, refs: Iterable[IdentityRef | None]) -> int:
    """Record accounts; resolution (developer_key, rule) is left to identity.resolve."""
    rows = {r.key: identity_row(r) for r in refs if r is not None}
    return upsert(db, "identities", [rows[k] for k in sorted(rows)], ("key",))


def _key(ref: IdentityRef | None) -> str | None:
    return ref.key if ref is not None else None


def write_repository(db: Writer, name: str, *, path: str = "", branch: str = "", head: str = "",
                     ingested_at: int | None = None) -> None:
    upsert(db, "repositories", [{"name": name, "path": path, "branch": branch, "head": head,
                                 "ingested_at": ingested_at}], ("name",))


COMMIT_COLUMNS = ("repo", "hash", "author_key", "committer_key", "authored_at", "authored_offset", "committed_at",
                  "committed_offset", "subject", "message", "parents", "is_merge", "is_revert", "reverts",
                  "is_bug_fix", "bug_fix_reason")


def write_commits(db: Writer, commits: Sequence[Commit], *,
                  classify: Callable[[Commit], tuple[int, str]] | None = None,
                  component_of: Callable[[str], str] | None = None) -> int:
    """Write commits with their files, people, issue references and PR references.

    The hot path of git ingestion (a million commits): rows are plain tuples and every table is
    one `executemany`. `classify` (derive.subject_classifier) gives (is_bug_fix, reason) as the
    rows are written, so new commits need no second pass; without it derive classifies them.
    Likewise `component_of` (a path's component under the config's rules): new files get their
    component and the commits their summary rows (store.summaries) as they are written, which is
    several times cheaper than summarizing them afterwards in SQL. Only for commits the store does
    not hold yet, as git ingestion guarantees (it reads only those): the file sums are added to.
    """
    rows: list[tuple[Any, ...]] = []
    files: list[tuple[Any, ...]] = []
    paths: dict[tuple[str, str], None] = {}
    people: dict[tuple[str, str, str, str], str] = {}
    issue_links: dict[tuple[str, str, str, str, str], None] = {}
    pr_links: dict[tuple[str, int, str, str], None] = {}
    idents: dict[str, IdentityRef] = {}
    for c in commits:
        repo, sha = c.repo, c.hash
        author = c.author.key
        idents[author] = c.author
        idents[c.committer.key] = c.committer
        rows.append((repo, sha, author, c.committer.key, c.authored_at, c.authored_offset, c.committed_at,
                     c.committed_offset, c.subject, c.message, " ".join(c.parents), int(c.is_merge),
                     int(bool(c.reverts)), c.reverts) + (classify(c) if classify else (0, ""))
                    + ((1,) if component_of else ()))  # summarized: add_new below
        for f in c.files:
            files.append((repo, sha, f.path, f.old_path, f.change_type, f.added, f.deleted, int(f.is_binary)))
            paths[(repo, f.path)] = None
        people[(repo, sha, author, "author")] = "commit author"
        for p in c.people:
            idents[p.who.key] = p.who
            people.setdefault((repo, sha, p.who.key, p.role), p.evidence)
        for r in c.issue_refs:
            issue_links.setdefault((repo, sha, r.target, issue_project(r.target), r.evidence), None)
        for r in c.pr_refs:
            pr_links.setdefault((repo, int(r.target), sha, r.evidence), None)
    write_identities(db, [idents[k] for k in sorted(idents)])
    upsert_tuples(db, "commits", COMMIT_COLUMNS + (("summarized",) if component_of else ()), rows,
                  ("repo", "hash"), keep=("summarized",))
    upsert_tuples(db, "commit_files", ("repo", "hash", "path", "old_path", "change_type", "added", "deleted",
                                       "is_binary"), files, ("repo", "hash", "path"))
    upsert_tuples(db, "files", ("repo", "path", "component"),
                  [k + (component_of(k[1]) if component_of else "",) for k in paths], ("repo", "path"), update=False)
    if component_of:
        summaries.add_new(db, commits, component_of)
    upsert_tuples(db, "commit_people", ("repo", "hash", "identity_key", "role", "evidence"),
                  [k + (v,) for k, v in people.items()], ("repo", "hash", "identity_key", "role"))
    upsert_tuples(db, "commit_issues", ("repo", "hash", "issue_key", "project", "found_by"), list(issue_links),
                  ("repo", "hash", "issue_key", "found_by"))
    upsert_tuples(db, "pr_commits", ("repo", "number", "hash", "found_by"), list(pr_links),
                  ("repo", "number", "hash", "found_by"))
    return len(rows)


def upsert_tuples(db: Writer, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                  keys: Sequence[str], *, update: bool = True, keep: Sequence[str] = ()) -> int:
    """`upsert` for rows given as tuples in `columns` order (no per-row dicts on hot paths);
    columns in `keep` are written by an insert only, never changed on a key clash."""
    if not rows:
        return 0
    mark = "?" if db.dialect == "sqlite" else "%s"
    rest = [c for c in columns if c not in keys and c not in keep]
    sql = (f"insert into {table} ({', '.join(columns)}) values ({', '.join(mark for _ in columns)})"
           f" on conflict ({', '.join(keys)}) do ")
    sql += ("update set " + ", ".join(f"{c} = excluded.{c}" for c in rest)) if update and rest else "nothing"
    db.executemany_raw(sql, rows)
    return len(rows)


def _unique(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in keys), row)
    return list(seen.values())


def write_issue(db: Writer, issue: Issue) -> None:
    """Write one issue with its components, comments, links and status transitions."""
    write_identities(db, [issue.reporter, issue.assignee] + [c.author for c in issue.comments]
                     + [t.author for t in issue.transitions])
    upsert(db, "issues", [{
        "key": issue.key, "project": issue.project, "summary": issue.summary,
        "description": issue.description, "status": issue.status, "status_category": issue.status_category,
        "priority": issue.priority, "issue_type": issue.issue_type, "resolution": issue.resolution,
        "labels": ",".join(issue.labels), "created_at": issue.created_at, "updated_at": issue.updated_at,
        "resolved_at": issue.resolved_at, "reporter_key": _key(issue.reporter),
        "assignee_key": _key(issue.assignee), "parent_key": issue.parent_key, "url": issue.url}], ("key",))
    db.execute("delete from issue_components where issue_key = :k", k=issue.key)
    upsert(db, "issue_components", [{"issue_key": issue.key, "component": c}
                                    for c in sorted(set(issue.components))], ("issue_key", "component"))
    upsert(db, "issue_comments", [{
        "issue_key": issue.key, "comment_id": c.comment_id, "author_key": _key(c.author), "body": c.body,
        "created_at": c.created_at, "updated_at": c.updated_at} for c in issue.comments],
        ("issue_key", "comment_id"))
    upsert(db, "issue_links", _unique([{
        "issue_key": issue.key, "other_key": link.other_key, "link_type": link.link_type,
        "direction": link.direction, "description": link.description} for link in issue.links],
        ("issue_key", "other_key", "link_type", "direction")), ("issue_key", "other_key", "link_type", "direction"))
    upsert(db, "issue_transitions", _unique([{
        "issue_key": issue.key, "at": t.at, "from_status": t.from_status, "to_status": t.to_status,
        "author_key": _key(t.author)} for t in issue.transitions], ("issue_key", "at", "to_status")),
        ("issue_key", "at", "to_status"))


def write_issue_comments(db: Writer, key: str, comments: Sequence[IssueComment]) -> None:
    """Comments of issue `key` written alone (the issue row, if any, left untouched), so comments
    saved apart from their issue merge with it in any order."""
    write_identities(db, [c.author for c in comments])
    upsert(db, "issue_comments", _unique([{
        "issue_key": key, "comment_id": c.comment_id, "author_key": _key(c.author), "body": c.body,
        "created_at": c.created_at, "updated_at": c.updated_at} for c in comments], ("comment_id",)),
        ("issue_key", "comment_id"))


def write_pull_request(db: Writer, pr: PullRequest, *, with_row: bool = True) -> None:
    """Write one PR with its reviews, comments, files, commits and issue references.

    `with_row=False` writes only what the PR holds (a file of reviews for PR N) and leaves the
    pull_requests row alone, so partial data spread over several files merges in any order."""
    repo, n = pr.repo, pr.number
    write_identities(db, [pr.author] + [r.reviewer for r in pr.reviews] + [c.author for c in pr.review_comments]
                     + [c.author for c in pr.comments] + list(pr.requested_reviewers)
                     + [who for _, who in pr.commit_authors])
    upsert(db, "pull_requests", [{
        "repo": repo, "number": n, "title": pr.title, "body": pr.body, "state": pr.state,
        "author_key": _key(pr.author), "created_at": pr.created_at, "updated_at": pr.updated_at,
        "merged_at": pr.merged_at, "closed_at": pr.closed_at, "head_branch": pr.head_branch,
        "base_branch": pr.base_branch, "merge_commit": pr.merge_commit, "url": pr.url}] if with_row else [],
        ("repo", "number"))
    upsert(db, "reviews", [{"repo": repo, "number": n, "review_id": r.review_id, "reviewer_key": _key(r.reviewer),
                            "state": r.state, "submitted_at": r.submitted_at, "body": r.body}
                           for r in pr.reviews], ("repo", "number", "review_id"))
    upsert(db, "review_comments", [{
        "repo": repo, "number": n, "comment_id": c.comment_id, "author_key": _key(c.author), "path": c.path,
        "body": c.body, "created_at": c.created_at, "review_id": c.review_id, "line": c.line,
        "start_line": c.start_line, "original_line": c.original_line, "original_start_line": c.original_start_line,
        "side": c.side or None, "commit_id": c.commit_id or None, "original_commit_id": c.original_commit_id or None,
        "diff_hunk": c.diff_hunk or None, "in_reply_to_id": c.in_reply_to_id or None} for c in pr.review_comments],
        ("repo", "number", "comment_id"))
    upsert(db, "pr_comments", [{"repo": repo, "number": n, "comment_id": c.comment_id,
                                "author_key": _key(c.author), "body": c.body, "created_at": c.created_at}
                               for c in pr.comments], ("repo", "number", "comment_id"))
    upsert(db, "review_requests", _unique([{"repo": repo, "number": n, "reviewer_key": r.key}
                                           for r in pr.requested_reviewers], ("reviewer_key",)),
           ("repo", "number", "reviewer_key"))
    upsert(db, "pr_files", _unique([{
        "repo": repo, "number": n, "path": f.path, "additions": f.additions, "deletions": f.deletions,
        "change_type": f.change_type, "found_by": f"PR #{n} lists file"} for f in pr.files], ("path",)),
        ("repo", "number", "path"))
    commits = [{"repo": repo, "number": n, "hash": h, "found_by": f"PR #{n} lists commit"} for h in pr.commits]
    if pr.merge_commit:
        commits.append({"repo": repo, "number": n, "hash": pr.merge_commit, "found_by": f"merge commit of PR #{n}"})
    upsert(db, "pr_commits", _unique(commits, ("hash", "found_by")), ("repo", "number", "hash", "found_by"))
    # The PR commits API pairs a commit with a GitHub user: evidence for identity resolution.
    upsert(db, "commit_people", _unique([{"repo": repo, "hash": h, "identity_key": who.key, "role": "github-author",
                                          "evidence": f"PR #{n} commits API"} for h, who in pr.commit_authors],
                                        ("hash", "identity_key")), ("repo", "hash", "identity_key", "role"))
    upsert(db, "pr_issues", _unique([{"repo": repo, "number": n, "issue_key": r.target,
                                      "found_by": r.evidence} for r in pr.issue_refs], ("issue_key", "found_by")),
           ("repo", "number", "issue_key", "found_by"))


def get_cursor(db: Writer, source: str, target: str) -> str | None:
    """The cursor of `target`, looked up as `set_cursor` stores it (`redact.url`: no secret)."""
    value = db.scalar("select value from cursors where source = :s and target = :t", s=source,
                      t=redact.url(target))
    return None if value is None else str(value)


def set_cursor(db: Writer, source: str, target: str, value: str, *, now: int) -> None:
    """Store a cursor; its target passes through `redact.url` (the same way every run, so the
    next run finds it) and never holds a secret."""
    upsert(db, "cursors", [{"source": source, "target": redact.url(target), "value": value, "updated_at": now}],
           ("source", "target"))


def delete_cursor(db: Writer, source: str, target: str) -> None:
    """Forget a cursor (`target` as `set_cursor` stores it)."""
    db.execute("delete from cursors where source = :s and target = :t", s=source, t=redact.url(target))


def record_run(db: Writer, *, run_id: str, source: str, target: str, started_at: int, finished_at: int,
               status: str, counts: Mapping[str, int]) -> None:
    upsert(db, "ingest_runs", [{"run_id": run_id, "source": source, "target": redact.url(target),
                                "started_at": started_at,
                                "finished_at": finished_at, "status": status,
                                "counts": json.dumps(dict(counts), sort_keys=True)}], ("run_id",))

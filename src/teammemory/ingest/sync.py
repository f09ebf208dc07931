"""Live sync: GitHub PRs and issues, and Jira issues, fetched over HTTP, parsed, written in one transaction.

Each run happens inside `ingest.run`, so fetching, writing, deriving and the cursors move
together: a cursor holds the newest update time written (UTC ISO 8601, `2024-05-01T09:30:00Z`)
and advances only when the run commits. GitHub keeps two per repository, ('github', OWNER/REPO)
for PRs and ('github', 'OWNER/REPO issues') for issues, since the two listings advance apart;
Jira one per site and query ('jira', URL + JQL). No target, cursor or cached page holds a
secret: the site URL is stored as `redact.url` prints it (the same way every run, so the cursor
is found again), a cached page whose next link carries one is not kept, and a cursor stored
under a secret-bearing target by an older version is moved to its redacted target (its runs
too) on the next sync, keeping its position. Any
failure (network, rate limit beyond reason, a bad record) rolls back everything, so the next
run starts from the same cursor and loses nothing.

Within the transaction everything is fetched and parsed first and written afterwards, so
SQLite's write lock is held only for the writing, not across network waits.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from teammemory import ingest, redact
from teammemory.config import Config
from teammemory.errors import StoreError
from teammemory.ingest import IngestSummary, links
from teammemory.ingest.github import options
from teammemory.ingest.jira import write_documents
from teammemory.ingest.status import counted, status_line
from teammemory.model import Issue, PullRequest
from teammemory.sources import github, github_issue_parse, github_parse, jira, jira_parse
from teammemory.sources.github import IssueBundle, PullBundle
from teammemory.sources.http import Http, HttpStatusError, Reply
from teammemory.store import Store, Writer
from teammemory.store.write import get_cursor, set_cursor, upsert, write_issue, write_pull_request

log = logging.getLogger(__name__)


def sync_github(store: Store, repo: str, *, config: Config, client: httpx.Client | Http,
                since: int | None = None, clock: Callable[[], float] = time.time,
                progress: bool = False) -> IngestSummary:
    """Fetch the PRs and the issues of OWNER/REPO updated since their cursors (or `since`, epoch
    seconds) and write them. `progress`: a status line on stderr when it is a terminal
    (ingest/status.py): what is being fetched and how many so far, then each write and derive step."""
    github.check_repo(repo)
    http = as_http(client)
    issues_at = issues_target(repo)

    def work(db: Writer) -> dict[str, int]:
        load_etags(db, http)
        hits = http.etags.hits  # the cache may outlive one run when the caller reuses `http`
        stored = cursor_epoch(get_cursor(db, "github", repo))
        stored_issues = cursor_epoch(get_cursor(db, "github", issues_at))
        bundles = list(counted(github.fetch_bundles(http, repo, since=since if since is not None else stored),
                               "pull requests", say))
        issue_bundles = list(counted(github.fetch_issue_bundles(
            http, repo, since=since if since is not None else stored_issues), "issues", say))
        say(f"writing {len(bundles):,} pull requests and {len(issue_bundles):,} issues")
        known = links.with_known_projects(db, config)  # keys of known projects in any letter case
        pulls = [parse_bundle(b, known) for b in bundles]
        issues = [parse_issue_bundle(b, config) for b in issue_bundles]
        for pr in sorted(pulls, key=lambda p: (p.updated_at or 0, p.number)):
            write_pull_request(db, pr)
        for issue in sorted(issues, key=lambda i: (i.updated_at or 0, i.key)):
            write_issue(db, issue)
        now = int(clock())
        advance_cursor(db, "github", repo, stored, (p.updated_at for p in pulls), now=now)
        advance_cursor(db, "github", issues_at, stored_issues, (i.updated_at for i in issues), now=now)
        save_etags(db, http, now=now)
        return {**count_pulls(pulls), **count_issues(issues), "not_modified": http.etags.hits - hits}

    with status_line(progress and sys.stderr.isatty(), repo) as say:
        return ingest.run(store, "github", repo, config, work, clock=clock, step=say)


def sync_jira(store: Store, url: str, jql: str, *, config: Config, client: httpx.Client | Http,
              cloud: bool | None = None, clock: Callable[[], float] = time.time,
              progress: bool = False) -> IngestSummary:
    """Fetch the issues matching `jql` updated since the cursor and write them.

    `cloud`: True for Jira Cloud, False for Server/Data Center, None to detect (see sources.jira).
    `progress`: a status line on stderr when it is a terminal, as sync_github's.
    """
    http = as_http(client)
    target = jira_target(url, jql)
    site = redact.url(url)

    def work(db: Writer) -> dict[str, int]:
        scrub_targets(db, "jira")
        stored = cursor_epoch(get_cursor(db, "jira", target))
        query = jira.incremental_jql(jql, stored)
        epic_fields = fetch_epic_fields(http)
        raws = [(raw, site) for raw in counted(jira.fetch_issues(http, query, cloud=cloud), "issues", say)]
        say(f"writing {len(raws):,} issues")
        counts = write_documents(db, [jira_parse.JiraDocument(tuple(raws), epic_fields=epic_fields)])
        updated = (jira_parse.jira_time((r.get("fields") or {}).get("updated"), w, "fields.updated")
                   for r, w in raws)
        advance_cursor(db, "jira", target, stored, updated, now=int(clock()))
        return counts

    with status_line(progress and sys.stderr.isatty(), site) as say:
        return ingest.run(store, "jira", target, config, work, clock=clock, step=say)


def is_list_url(url: str) -> bool:
    """`.../pulls?...` and `.../issues?...`: the pages a rerun asks again whatever changed."""
    path = urlsplit(url).path.rstrip("/")
    return path.endswith(("/pulls", "/issues"))


def load_etags(db: Writer, http: Http) -> None:
    """Put the stored list pages into the run's ETag cache, so unchanged lists answer 304 (a 304
    costs no GitHub quota) across runs, not only within one."""
    for row in db.all("select url, etag, status, body, next_url from http_cache"):
        if row["url"] not in http.etags.entries:
            reply = Reply(row["url"], int(row["status"]), json.loads(row["body"]), row["next_url"] or None)
            http.etags.entries[row["url"]] = (row["etag"], reply)


def save_etags(db: Writer, http: Http, *, now: int) -> None:
    """Store the ETag and body of every list page of this run (in its transaction); the cache's
    URLs are already redacted, and a page whose next link holds a secret is not kept (replayed
    redacted, the link would no longer work)."""
    rows = [{"url": url, "etag": etag, "status": reply.status, "body": json.dumps(reply.data, sort_keys=True),
             "next_url": reply.next_url or "", "stored_at": now}
            for url, (etag, reply) in sorted(http.etags.entries.items())
            if is_list_url(url) and redact.url(reply.next_url or "") == (reply.next_url or "")]
    upsert(db, "http_cache", rows, ("url",))


def scrub_targets(db: Writer, source: str) -> None:
    """Targets stored with a secret (before `redact.url` kept them out) get their redacted form:
    a cursor moves there (unless one is there already), keeping its position; runs follow."""
    for row in db.all("select target, value from cursors where source = :s", s=source):
        clean = redact.url(row["target"])
        if clean != row["target"]:
            if get_cursor(db, source, clean) is None:
                db.execute("update cursors set target = :c where source = :s and target = :t", c=clean,
                           s=source, t=row["target"])
            else:
                db.execute("delete from cursors where source = :s and target = :t", s=source, t=row["target"])
    for row in db.all("select distinct target from ingest_runs where source = :s", s=source):
        clean = redact.url(row["target"])
        if clean != row["target"]:
            db.execute("update ingest_runs set target = :c where source = :s and target = :t", c=clean,
                       s=source, t=row["target"])


def as_http(client: httpx.Client | Http) -> Http:
    """A bare httpx client gets the default retry policy, real sleep and a fresh ETag cache."""
    return client if isinstance(client, Http) else Http(client)


def jira_target(url: str, jql: str) -> str:
    """The cursor's target: one cursor per site and query (`https://jira.example.com :: project = X`),
    the site as `redact.url` prints it."""
    return f"{redact.url(url).rstrip('/')} :: {jql.strip()}"


def issues_target(repo: str) -> str:
    """The issues cursor's target: 'OWNER/REPO issues' (the PRs' cursor is 'OWNER/REPO')."""
    return f"{repo} issues"


def parse_bundle(bundle: PullBundle, config: Config) -> PullRequest:
    """One fetched PR with its lists -> one PullRequest, via github_parse on each document."""
    repo, n = bundle.repo, bundle.number
    opts = options(config, repo)
    pr = github_parse.parse_pull(bundle.pull, _doc(bundle.pull, repo, f"pulls/{n}"), opts)
    lists = {"reviews": f"pulls/{n}/reviews", "review_comments": f"pulls/{n}/comments",
             "comments": f"issues/{n}/comments", "files": f"pulls/{n}/files", "commits": f"pulls/{n}/commits"}
    for name, path in lists.items():
        items = list(getattr(bundle, name))
        if items:
            doc = github_parse.read_document(_doc(items, repo, path), opts)
            for part in doc.parts:
                pr = merge(pr, part.pr)
            if doc.comments:  # PR N's own conversation endpoint: every comment is the PR's
                pr = replace(pr, comments=pr.comments + tuple(c.as_pr_comment() for c in doc.comments))
    return pr


def parse_issue_bundle(bundle: IssueBundle, config: Config) -> Issue:
    """One fetched issue with its comments -> one Issue."""
    repo, n = bundle.repo, bundle.number
    issue = github_issue_parse.parse_issue(bundle.issue, _doc(bundle.issue, repo, f"issues/{n}"), options(config, repo))
    where = f"GET /repos/{repo}/issues/{n}/comments"
    comments = tuple(github_issue_parse.parse_comment(c, where) for c in bundle.comments)
    return replace(issue, comments=issue.comments + comments)


def _doc(data: object, repo: str, path: str) -> github_parse.Doc:
    api_path = f"repos/{repo}/{path}"
    return github_parse.Doc(data, f"GET /{api_path}", api_path)


def merge(pr: PullRequest, part: PullRequest) -> PullRequest:
    """`pr` with the child records `part` carries (reviews, comments, files, commits, ...) appended."""
    children = ("reviews", "review_comments", "comments", "files", "commits", "commit_authors",
                "requested_reviewers")
    return replace(pr, **{c: getattr(pr, c) + getattr(part, c) for c in children if getattr(part, c)})


def count_pulls(pulls: list[PullRequest]) -> dict[str, int]:
    return {"pull_requests": len(pulls), "reviews": sum(len(p.reviews) for p in pulls),
            "review_comments": sum(len(p.review_comments) for p in pulls),
            "comments": sum(len(p.comments) for p in pulls), "file_changes": sum(len(p.files) for p in pulls),
            "commits": sum(len(p.commits) for p in pulls)}


def count_issues(issues: list[Issue]) -> dict[str, int]:
    return {"issues": len(issues), "issue_comments": sum(len(i.comments) for i in issues)}


def fetch_epic_fields(http: Http) -> frozenset[str]:
    """Ids of the 'Epic Link' custom field; a site that hides `/field` just gets no epic links."""
    try:
        fields = jira.fetch_fields(http)
    except HttpStatusError as exc:
        if exc.status not in (403, 404):
            raise
        log.warning("%s: HTTP %d; epic links will not be read", jira.FIELDS, exc.status)
        return frozenset()
    return jira_parse.read_document(fields, f"GET {jira.FIELDS}").epic_fields


def cursor_epoch(value: str | None) -> int | None:
    """A stored cursor (`2024-05-01T09:30:00Z`) as epoch seconds."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise StoreError(f"stored sync cursor {value!r} is not a time; delete it from 'cursors'"
                         " to sync from the start") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def cursor_value(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def advance_cursor(db: Writer, source: str, target: str, stored: int | None, seen: Iterable[int | None],
                   *, now: int) -> None:
    """Move the cursor to the newest update time seen, never backwards."""
    newest = max((t for t in seen if t is not None), default=None)
    if newest is not None and (stored is None or newest > stored):
        set_cursor(db, source, target, cursor_value(newest), now=now)

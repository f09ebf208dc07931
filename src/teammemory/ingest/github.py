"""Import GitHub pull requests and issues from saved REST responses (files or directories of *.json).

One transaction for the whole call (`ingest.run`): a malformed file or record raises InputError
naming the file, the PR or issue and the field, and nothing of the call is written.

- taken: PRs (list or single), reviews, review comments, PR files, PR commits, requested
  reviewers, issues (list or single; key 'OWNER/REPO#N', see `sources.github_issue_parse`),
  conversation comments (`issues/N/comments`, on a PR or an issue), perceval GitHub
  `pull_request` and `issue` items, and recorded HTTP sessions (betamax cassettes, nock
  recordings), which are unpacked: each 2xx JSON response is read as the document its request
  path names;
- skipped and counted (`skipped.<shape>`): the PRs an issue list holds (`pull_request` key:
  their PR data comes from the pulls endpoints), milestones, events, search results,
  repositories, users, error and rate-limit bodies, indexes, empty lists, a repository's own
  commit list (git history is ingested from git), perceval `repository` items, non-2xx recorded
  responses, and conversation comments that say nothing of where they belong and whose number
  is neither a PR nor an issue of this call;
- anything else: InputError.

A conversation comment on number N goes to PR N when PR N is in this call, else to issue N when
issue N is, else where its own link points (`/pull/N#...` or `/issues/N#...`): PRs and issues
share numbers, so the data of the call settles it before the link does.

Partial data spread over files merges: a file with only reviews for PR N (or comments for issue
N) writes them and leaves the PR (issue) row alone. The same PR or issue met twice is written
oldest `updated_at` first, so the newest version of its row wins whatever the file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from teammemory import ingest
from teammemory.config import Config
from teammemory.ingest import IngestSummary, links
from teammemory.issue_keys import github_issue_key
from teammemory.model import IssueComment, PrComment, PullRequest
from teammemory.sources import jsonfiles
from teammemory.sources.github_parse import CommentPart, Doc, GithubDocument, Options, PrPart, read_document
from teammemory.store import Store, Writer
from teammemory.store.write import write_issue, write_issue_comments, write_pull_request

UNPLACED = "skipped.comments-not-on-a-known-pr-or-issue"


def options(config: Config, repo: str | None = None) -> Options:
    """Parser options from the config (issue keys, ignored projects, bug types) and a fixed repo."""
    return Options(repo=repo, key_pattern=config.key_pattern, ignored=config.ignored_projects,
                   bug_types=config.bug_issue_types, known=config.project_keys)


def ingest_github_files(store: Store, paths: Sequence[Path], *, config: Config,
                        repo: str | None = None) -> IngestSummary:
    """Import every GitHub PR and issue document in `paths`; `repo` (OWNER/REPO) overrides what the data says."""
    options(config, repo)  # an unusable `repo` is refused before anything runs

    def work(db: Writer) -> dict[str, int]:
        files = jsonfiles.json_files(paths)
        skipped: dict[str, int] = {}
        docs = []
        known = options(links.with_known_projects(db, config), repo)
        for f in files:
            for doc in documents(f, skipped):
                docs.append(read_document(doc, known))
        return {"files": len(files), **write_documents(db, docs, skipped)}

    return ingest.run(store, "github-files", repo or ", ".join(str(p) for p in paths), config, work)


def documents(path: Path, skipped: dict[str, int]) -> Iterator[Doc]:
    """The documents of one file: the file itself, or each usable response of a recorded session."""
    data = jsonfiles.read_json(path)
    if jsonfiles.shape(data) not in jsonfiles.RECORDINGS:
        yield Doc(data, str(path), path.as_posix())
        return
    for r in jsonfiles.unpack_recording(data, str(path)):
        if not 200 <= r.status < 300 or r.body is None:
            name = "skipped.recorded-non-2xx" if not 200 <= r.status < 300 else "skipped.recorded-no-json"
            skipped[name] = skipped.get(name, 0) + 1
            continue
        yield Doc(r.body, f"{path} (response {r.index}: {r.method} {r.path})", r.path)


def write_documents(db: Writer, docs: Sequence[GithubDocument], skipped: dict[str, int]) -> dict[str, int]:
    """Write every PR part and issue, then the conversation comments where they belong."""
    counts = dict(skipped)
    for d in docs:
        for k, v in d.skipped.items():
            counts[k] = counts.get(k, 0) + v
    parts = [p for d in docs for p in d.parts]
    issues = [i for d in docs for i in d.issues]
    prs = {(p.pr.repo, p.pr.number) for p in parts if p.has_row}
    on_prs, on_issues, unplaced = place_comments((c for d in docs for c in d.comments), prs,
                                                 {i.key for i in issues})
    if unplaced:
        counts[UNPLACED] = unplaced
    parts += [PrPart(PullRequest(repo=r, number=n, title="", comments=tuple(cs))) for (r, n), cs in on_prs.items()]
    rows = sorted((p for p in parts if p.has_row), key=lambda p: p.pr.updated_at or -1)
    for part in rows + [p for p in parts if not p.has_row]:
        write_pull_request(db, part.pr, with_row=part.has_row)
    for _, issue in sorted(enumerate(issues), key=lambda x: (x[1].updated_at or -1, x[0])):
        write_issue(db, issue)
    for key, comments in on_issues.items():
        write_issue_comments(db, key, comments)
    counts.update(_counts(parts, prs))
    counts["issues"] = len({i.key for i in issues})
    counts["issue_comments"] = len({(i.key, c.comment_id) for i in issues for c in i.comments}
                                   | {(k, c.comment_id) for k, cs in on_issues.items() for c in cs})
    return counts


def place_comments(comments: Iterable[CommentPart], prs: set[tuple[str, int]], issues: set[str]
                   ) -> tuple[dict[tuple[str, int], list[PrComment]], dict[str, list[IssueComment]], int]:
    """Pure: each comment to PR N or issue N (see the module docstring); also how many fit neither."""
    on_prs: dict[tuple[str, int], list[PrComment]] = {}
    on_issues: dict[str, list[IssueComment]] = {}
    unplaced = 0
    for c in comments:
        key = github_issue_key(c.repo, c.number)
        if (c.repo, c.number) in prs or (key not in issues and c.says == "pr"):
            on_prs.setdefault((c.repo, c.number), []).append(c.as_pr_comment())
        elif key in issues or c.says == "issue":
            on_issues.setdefault(key, []).append(c.comment)
        else:
            unplaced += 1
    return on_prs, on_issues, unplaced


def _counts(parts: Sequence[PrPart], prs: set[tuple[str, int]]) -> dict[str, int]:
    """Distinct records written (a PR met in two files counts once)."""
    def distinct(attr: str, key: str) -> int:
        return len({(p.pr.repo, p.pr.number, getattr(x, key)) for p in parts for x in getattr(p.pr, attr)})

    return {"pull_requests": len(prs), "reviews": distinct("reviews", "review_id"),
            "review_comments": distinct("review_comments", "comment_id"),
            "pr_comments": distinct("comments", "comment_id"), "pr_files": distinct("files", "path"),
            "pr_commits": len({(p.pr.repo, p.pr.number, h) for p in parts for h in p.pr.commits}),
            "review_requests": len({(p.pr.repo, p.pr.number, r.key) for p in parts
                                    for r in p.pr.requested_reviewers})}

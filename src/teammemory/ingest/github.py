"""Import GitHub pull requests from saved REST responses (files or directories of *.json).

One transaction for the whole call (`ingest.run`): a malformed file or record raises InputError
naming the file, the PR and the field, and nothing of the call is written.

- taken: PRs (list or single), reviews, review comments, issue comments on PRs, PR files, PR
  commits, requested reviewers, perceval GitHub `pull_request` items, and recorded HTTP sessions
  (betamax cassettes, nock recordings), which are unpacked: each 2xx JSON response is read as
  the document its request path names;
- skipped and counted (`skipped.<shape>`): issues, events, search results, repositories, users,
  error and rate-limit bodies, indexes, empty lists, a repository's own commit list (git history
  is ingested from git), perceval `issue`/`repository` items, non-2xx recorded responses, and
  issue comments whose number is not a PR of this call;
- anything else: InputError.

Partial data for one PR spread over files merges: a file with only reviews for PR N writes the
reviews and leaves the PR row alone. The same PR met twice is written oldest `updated_at` first,
so the newest version of its row wins whatever the file order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from teammemory import ingest
from teammemory.config import Config
from teammemory.ingest import IngestSummary
from teammemory.sources import jsonfiles
from teammemory.sources.github_parse import Doc, GithubDocument, Options, PrPart, read_document
from teammemory.store import Store, Writer
from teammemory.store.write import write_pull_request


def ingest_github_files(store: Store, paths: Sequence[Path], *, config: Config,
                        repo: str | None = None) -> IngestSummary:
    """Import every GitHub PR document in `paths`; `repo` (OWNER/REPO) overrides what the data says."""
    opts = Options(repo=repo, key_pattern=config.key_pattern, ignored=config.ignored_projects)

    def work(db: Writer) -> dict[str, int]:
        files = jsonfiles.json_files(paths)
        skipped: dict[str, int] = {}
        docs = []
        for f in files:
            for doc in documents(f, skipped):
                docs.append(read_document(doc, opts))
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
    """Write every PR part; issue comments only where their number is a PR of this call."""
    counts = dict(skipped)
    for d in docs:
        for k, v in d.skipped.items():
            counts[k] = counts.get(k, 0) + v
    parts = [p for d in docs for p in d.parts]
    prs = {(p.pr.repo, p.pr.number) for p in parts if p.has_row}
    kept = [p for p in parts if not p.if_pr or (p.pr.repo, p.pr.number) in prs]
    dropped = sum(len(p.pr.comments) for p in parts if p.if_pr and (p.pr.repo, p.pr.number) not in prs)
    if dropped:
        counts["skipped.issue-comments-not-on-a-pr"] = dropped
    rows = sorted((p for p in kept if p.has_row), key=lambda p: p.pr.updated_at or -1)
    for part in rows + [p for p in kept if not p.has_row]:
        write_pull_request(db, part.pr, with_row=part.has_row)
    counts.update(_counts(kept, prs))
    return counts


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

"""Pure: GitHub REST v3 JSON -> pull-request and issue records; errors name the file, the PR or
issue, and the field.

Accepted documents (one object or a list, as GET returns them):

    GET /repos/O/R/pulls, /pulls/N              {number, title, state, merged_at, user, head, base, ...}
    GET /repos/O/R/pulls/N/reviews              [{id, state, submitted_at, user, pull_request_url}]
    GET /repos/O/R/pulls/N/comments, /pulls/comments   [{id, path, body, pull_request_review_id, ...}]
    GET /repos/O/R/issues/N/comments, /issues/comments [{id, body, user, issue_url, html_url}]
    GET /repos/O/R/pulls/N/files                [{filename, status, additions, deletions, ...}]
    GET /repos/O/R/pulls/N/commits              [{sha, author: {login}, commit: {author: {email, name}}}]
    GET /repos/O/R/pulls/N/requested_reviewers  {users: [...], teams: [...]}
    GET /repos/O/R/issues, /issues/N            issues (see `github_issue_parse`); the PRs this
                                                endpoint also lists (`pull_request` key) are skipped
    perceval items {"backend_name": "GitHub", "category": "pull_request", "data": {..., "reviews_data",
                   "review_comments_data", "commits_data", "requested_reviewers_data", "user_data"}}
                   and category "issue" (an issue with its `comments_data`; for a PR's issue
                   facet, only those comments, which are the PR's conversation)

Files, commits and requested reviewers do not say their PR: it comes from the document's API path
(`repos/O/R/pulls/N/files.json`, also flattened as `..._pulls_N_files...json`). Conversation
comments (`issues/N/comments`) may be on a PR or on an issue (they share numbers): the importer
settles it (`CommentPart`). Closing keywords in a PR's title or body (`fixes #12`) link it to
issue 'OWNER/REPO#12'.
The repository is: the caller's `repo`, else `base.repo.full_name`, else a URL, else the path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from teammemory.errors import InputError
from teammemory.model import (
    IdentityRef,
    Issue,
    IssueComment,
    PrComment,
    PrFile,
    PullRequest,
    Ref,
    Review,
    ReviewComment,
)
from teammemory.sources import diff_hunk, jsonfiles, refs
from teammemory.sources.checks import NAME, NUMBER, PATH
from teammemory.sources.fields import Obj
from teammemory.sources.github_fields import Doc, Options, gh_time, item, person, repo_of, users
from teammemory.sources.github_fields import number as parse_number
from teammemory.sources.github_issue_parse import is_pull, parse_comment, parse_issue

__all__ = ["CommentPart", "Doc", "GithubDocument", "Options", "PrPart", "gh_time", "parse_pull", "read_document"]

CHANGE_TYPES = {"added": "A", "modified": "M", "removed": "D", "renamed": "R", "copied": "C", "changed": "M"}
NOT_DATA = ("github-events", "github-search", "github-repo", "github-user", "github-users", "error",
            "rate-limit", "index", "empty")
_PR_URL = re.compile(r"/pulls?/(\d+)(?:$|[/#?])")
_ISSUE_URL = re.compile(r"/issues/(\d+)(?:$|[/#?])")
_PATH_PR = re.compile(r"(?:^|[/_])pull(?:s|_?requests?)[/_](\d+)[/_]"
                      r"(files|commits|requested_reviewers|reviews|comments)(?=$|[/_.?])")
_PATH_ISSUE = re.compile(r"(?:^|[/_])issues[/_](\d+)[/_]comments(?=$|[/_.?])")
_PATH_REPO_COMMITS = re.compile(r"(?:^|[/_])repos[/_].+[/_]commits(?=$|[/_.?])")


@dataclass(frozen=True)
class PrPart:
    """What one document says about one PR. `has_row`: it gives the PR itself (title, state, ...),
    not only reviews/files/..."""

    pr: PullRequest
    has_row: bool = False


@dataclass(frozen=True)
class CommentPart:
    """A conversation comment on number N of a repository, a PR's or an issue's: they share numbers
    and the `issues/N/comments` endpoint. `says` is what the comment itself tells: 'pr' (its link is
    `/pull/N#...`, or it was saved under `issues/N/comments` with no link), 'issue' (`/issues/N#...`)
    or '' (nothing). The importer decides: a PR or issue N of the same import first, else `says`."""

    repo: str
    number: int
    comment: IssueComment
    says: str

    def as_pr_comment(self) -> PrComment:
        c = self.comment
        return PrComment(c.comment_id, c.author, c.body, c.created_at)


@dataclass(frozen=True)
class GithubDocument:
    parts: tuple[PrPart, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    comments: tuple[CommentPart, ...] = ()


def read_document(doc: Doc, opts: Options) -> GithubDocument:
    """All PR parts, issues and conversation comments in one document; other data (users, repos,
    events, errors, ...) is counted as skipped."""
    kind = jsonfiles.shape(doc.data)
    items = doc.data if isinstance(doc.data, list) else [doc.data]
    if kind in NOT_DATA:
        return GithubDocument(skipped={f"skipped.{kind}": 1})
    if kind in ("github-commit", "github-commits") and not _PATH_PR.search(doc.api_path) \
            and _PATH_REPO_COMMITS.search(doc.api_path):
        return GithubDocument(skipped={"skipped.github-repository-commits": 1})
    if kind == "perceval":
        return _perceval(items, doc, opts)
    if kind in ("github-issue", "github-issues"):
        return _issues(items, doc, opts)
    if kind in ("github-issue-comment", "github-issue-comments"):
        return GithubDocument(comments=tuple(_issue_comments(items, doc, opts)))
    parser = _PARSERS.get(kind)
    if parser is None:
        raise InputError(doc.where, f"not GitHub pull-request or issue data (looks like: {kind})")
    return GithubDocument(tuple(parser(items, doc, opts)))


def _issues(items: list[Any], doc: Doc, opts: Options) -> GithubDocument:
    """Issue objects; the PRs the issues endpoint lists too, and milestones (which also have a
    number and a title), are counted as skipped."""
    issues: list[Issue] = []
    skipped: dict[str, int] = {}
    for i, x in enumerate(items):
        d = item(x, doc.where, i).data
        name = "pr-in-issue-list" if is_pull(d) else "github-milestone" if "open_issues" in d else ""
        if name:
            skipped[f"skipped.{name}"] = skipped.get(f"skipped.{name}", 0) + 1
        else:
            issues.append(parse_issue(d, doc, opts))
    return GithubDocument(skipped=skipped, issues=tuple(issues))


def _perceval(items: list[Any], doc: Doc, opts: Options) -> GithubDocument:
    parts: list[PrPart] = []
    issues: list[Issue] = []
    comments: list[CommentPart] = []
    skipped: dict[str, int] = {}
    for i, x in enumerate(items):
        if not isinstance(x, dict) or not isinstance(x.get("data"), dict):
            raise InputError(doc.where, f"item {i}: perceval item without 'data'")
        o = Obj(x, doc.where, f"[{i}].")
        category, data = o.text("category", NAME), x["data"]
        if o.text("backend_name", NAME).lower() != "github" or category not in ("pull_request", "issue"):
            name = f"skipped.perceval-{category or 'other'}"
            skipped[name] = skipped.get(name, 0) + 1
        elif category == "pull_request":
            parts.append(PrPart(parse_pull(data, doc, opts), has_row=True))
        elif is_pull(data):
            comments += _pr_conversation(data, doc, opts)
        else:
            issues.append(parse_issue(data, doc, opts))
    return GithubDocument(tuple(parts), skipped, tuple(issues), tuple(comments))


def _pr_conversation(d: Mapping[str, Any], doc: Doc, opts: Options) -> list[CommentPart]:
    """The `comments_data` of a PR's issue facet (perceval 'issue' item of a PR): its conversation."""
    n = parse_number(d, doc.where, "PR")
    ctx = f"{doc.where}: PR #{n}"
    o = Obj(d, ctx)
    repo = repo_of([o.text("url"), o.text("html_url")], doc, ctx, opts.repo)
    return [CommentPart(repo, n, parse_comment(c.data, ctx), "pr") for c in o.objs("comments_data")]


def parse_pull(d: Mapping[str, Any], doc: Doc, opts: Options) -> PullRequest:
    """One PR object (REST or perceval's, with its `*_data`) -> PullRequest with what it embeds."""
    number = parse_number(d, doc.where, "PR")
    ctx = f"{doc.where}: PR #{number}"
    o = Obj(d, ctx)
    head, base = o.obj("head"), o.obj("base")
    repo = repo_of([o.text("url"), o.text("html_url")], doc, ctx,
                   opts.repo or base.obj("repo").text("full_name", NAME))
    merged_at = o.time("merged_at")
    merged_flag, listed_state = o.flag("merged"), o.text("state", NAME)
    merged = merged_at is not None or merged_flag is True
    state = "merged" if merged else ("closed" if listed_state == "closed" else "open")
    title, body, branch = o.text("title"), o.text("body"), head.text("ref", PATH)
    merge_commit = o.text("merge_commit_sha", NAME)
    return PullRequest(
        repo=repo, number=number, title=title, body=body, state=state,
        author=person(o, "user_data", "user"),
        created_at=o.time("created_at"), updated_at=o.time("updated_at"), merged_at=merged_at,
        closed_at=o.time("closed_at"), head_branch=branch, base_branch=base.text("ref", PATH),
        merge_commit=merge_commit if merged else "", url=o.text("html_url"),
        reviews=tuple(_review(r) for r in o.objs("reviews_data")),
        review_comments=tuple(_review_comment(c) for c in o.objs("review_comments_data")),
        commits=o.texts("commits_data", NAME),
        requested_reviewers=users(o.objs("requested_reviewers") + o.objs("requested_reviewers_data")),
        issue_refs=issue_refs(title, body, branch, opts, repo=repo))


def issue_refs(title: str, body: str, branch: str, opts: Options, *, repo: str) -> tuple[Ref, ...]:
    """Issue keys in the PR's title, body and branch name, then GitHub issues its closing keywords
    name in title and body ('fixes #12' -> 'OWNER/REPO#12'; a bare '#12' is no link)."""
    found: dict[str, Ref] = {}
    for text, where in ((title, "PR title"), (body, "PR body"), (branch, "branch name")):
        for ref in refs.issue_keys(text, where, pattern=opts.key_pattern, ignored=opts.ignored, known=opts.known):
            found.setdefault(ref.target + "\x00" + ref.evidence, ref)
    for text, where in ((title, "PR title"), (body, "PR body")):
        for ref in refs.closing_issue_keys(text, where, repo=repo):
            found.setdefault(ref.target + "\x00" + ref.evidence, ref)
    return tuple(found.values())


def _pulls(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    return [PrPart(parse_pull(item(x, doc.where, i).data, doc, opts), has_row=True) for i, x in enumerate(items)]


def _reviews(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    for i, x in enumerate(items):
        r = item(x, doc.where, i)
        number, repo = _target(r, ("pull_request_url", "html_url"), _PR_URL, doc, opts, "review", i)
        out.append(_part(repo, number, reviews=(_review(Obj(r.data, f"{doc.where}: PR #{number}")),)))
    return out


def _review(r: Obj) -> Review:
    rid = Obj(r.data, r.ctx, f"{r.path}review ").ident("id", required=True)
    o = Obj(r.data, r.ctx, f"review {rid}.")
    return Review(rid, person(o, "user_data", "user"), o.text("state", NAME).upper(), o.time("submitted_at"),
                  o.text("body"))


def _review_comments(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    for i, x in enumerate(items):
        c = item(x, doc.where, i)
        link = c.obj("_links").obj("pull_request").text("href")
        c2 = Obj({**c.data, "_pr_link": link}, c.ctx)
        number, repo = _target(c2, ("pull_request_url", "_pr_link", "html_url"), _PR_URL, doc, opts,
                               "review comment", i)
        out.append(_part(repo, number, review_comments=(_review_comment(Obj(c.data, f"{doc.where}: PR #{number}")),)))
    return out


def _review_comment(c: Obj) -> ReviewComment:
    """A review comment with where it sits: GitHub's line fields, or, when it has none (data from
    before they existed), the line its diff_hunk ends at as `original_line` (sources/diff_hunk.py)."""
    cid = Obj(c.data, c.ctx, f"{c.path}review comment ").ident("id", required=True)
    o = Obj(c.data, c.ctx, f"comment {cid}.")
    line, original, side = o.integer("line"), o.integer("original_line"), o.text("side", NAME)
    hunk = o.text("diff_hunk")
    if line is None and original is None and (found := diff_hunk.last_line(hunk)):
        original, side = found
    return ReviewComment(cid, person(o, "user_data", "user"), o.text("path", PATH), o.text("body"),
                         o.time("created_at"), o.ident("pull_request_review_id"), line=line,
                         start_line=o.integer("start_line"), original_line=original,
                         original_start_line=o.integer("original_start_line"), side=side.upper(),
                         commit_id=o.text("commit_id", NAME), original_commit_id=o.text("original_commit_id", NAME),
                         diff_hunk=hunk, in_reply_to_id=o.ident("in_reply_to_id"))


def _issue_comments(items: list[Any], doc: Doc, opts: Options) -> list[CommentPart]:
    out = []
    path_says = _PATH_ISSUE.search(doc.api_path)
    for i, x in enumerate(items):
        c = item(x, doc.where, i)
        html = c.text("html_url")
        number, repo = _target(c, ("issue_url", "html_url"), _ISSUE_URL if "/pull/" not in html else _PR_URL,
                               doc, opts, "issue comment", i, path=_PATH_ISSUE)
        comment = parse_comment(c.data, f"{doc.where}: #{number}")
        # GitHub links a PR's conversation comment as /pull/N#issuecomment-..., an issue's as /issues/N#...
        if html:
            says = "pr" if "/pull/" in html else "issue" if "/issues/" in html else ""
        else:  # saved alone under issues/N/comments: taken as a PR's, as before issues were imported
            says = "pr" if path_says and int(path_says.group(1)) == number else ""
        out.append(CommentPart(repo, number, comment, says))
    return out


def _files(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("blob_url", "raw_url", "contents_url"), doc, opts, "files")
    ctx = f"{doc.where}: PR #{number}"
    files = []
    for i, x in enumerate(items):
        f = Obj(item(x, ctx, i).data, ctx, f"file {i}.")
        path = f.text("filename", PATH, required=True)
        files.append(PrFile(path, f.integer("additions") or 0, f.integer("deletions") or 0,
                            CHANGE_TYPES.get(f.text("status", NAME), "M"), f.text("previous_filename", PATH)))
    return [_part(repo, number, files=tuple(files))]


def _commits(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("url", "html_url"), doc, opts, "commits")
    ctx = f"{doc.where}: PR #{number}"
    hashes, authors = [], []
    for i, x in enumerate(items):
        c = Obj(item(x, ctx, i).data, ctx, f"commit {i}.")
        sha = c.text("sha", NAME, required=True)
        hashes.append(sha)
        login = c.obj("author").text("login", NAME)
        git_author = c.obj("commit").obj("author")
        if login:  # without a GitHub account the pair says nothing the git log does not
            authors.append((sha, IdentityRef("github", email=git_author.text("email", NAME),
                                             name=git_author.text("name", NAME), login=login)))
    return [_part(repo, number, commits=tuple(hashes), commit_authors=tuple(authors))]


def _requested(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed([], (), doc, opts, "requested reviewers")
    listed = Obj(items[0], f"{doc.where}: PR #{number}")
    return [_part(repo, number, requested_reviewers=users(listed.objs("users")))]


_PARSERS = {"github-pull": _pulls, "github-pulls": _pulls,
            "github-review": _reviews, "github-reviews": _reviews,
            "github-review-comment": _review_comments, "github-review-comments": _review_comments,
            "github-file": _files, "github-files": _files,
            "github-commit": _commits, "github-commits": _commits,
            "github-requested-reviewers": _requested}


def _pr(repo: str, number: int, **children: Any) -> PullRequest:
    return replace(PullRequest(repo=repo, number=number, title=""), **children)


def _part(repo: str, number: int, **children: Any) -> PrPart:
    return PrPart(_pr(repo, number, **children))


def _target(o: Obj, url_fields: Sequence[str], number_re: re.Pattern[str], doc: Doc,
            opts: Options, what: str, i: int, *, path: re.Pattern[str] = _PATH_PR) -> tuple[int, str]:
    """(PR number, repo) of one item: from its URLs, else from the document's API path."""
    urls = [o.text(f) for f in url_fields]
    number = next((_url_number(m.group(1), o.ctx, what, i) for u in urls if (m := number_re.search(u))), None)
    if number is None:
        m = path.search(doc.api_path)
        if m is None:
            raise InputError(doc.where, f"{what} {i}: cannot tell its PR (no PR URL in the item, and the path"
                                        " is not laid out like the API: repos/OWNER/REPO/pulls/N/...)")
        number = _url_number(m.group(1), doc.where, what, i)
    return number, repo_of([*urls, o.text("url")], doc, f"{doc.where}: PR #{number}", opts.repo)


def _url_number(digits: str, where: str, what: str, i: int) -> int:
    """A PR or issue number read from a URL or a path, within what a store holds (2^31-1)."""
    if len(digits) > 10 or int(digits) > NUMBER[1]:
        raise InputError(where, f"{what} {i}: number {digits[:40]} in its URL is out of range (0 to {NUMBER[1]})")
    return int(digits)


def _listed(items: list[Any], url_fields: Sequence[str], doc: Doc, opts: Options,
            what: str) -> tuple[int, str]:
    """(PR number, repo) of a list that does not name its PR: the number comes from the API path."""
    m = _PATH_PR.search(doc.api_path)
    if m is None:
        raise InputError(doc.where, f"{what}: cannot tell which PR they belong to; save the response as"
                                    f" repos/OWNER/REPO/pulls/N/{what.replace(' ', '_')}.json")
    number = _url_number(m.group(1), doc.where, what, 0)
    ctx = f"{doc.where}: PR #{number}"
    urls = [Obj(x, ctx, f"{what} 0.").text(f) for x in items[:1] if isinstance(x, dict) for f in url_fields]
    return number, repo_of(urls, doc, ctx, opts.repo)

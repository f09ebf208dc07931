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
from teammemory.sources import jsonfiles, refs
from teammemory.sources.github_fields import (
    Doc,
    Options,
    as_dict,
    as_int,
    as_list,
    gh_time,
    github_user,
    repo_of,
    users,
)
from teammemory.sources.github_fields import number as parse_number
from teammemory.sources.github_issue_parse import is_pull, parse_comment, parse_issue
from teammemory.sources.jsonfiles import obj

__all__ = ["CommentPart", "Doc", "GithubDocument", "Options", "PrPart", "gh_time", "github_user", "parse_pull",
           "read_document"]

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
        d = as_dict(x, doc.where, i)
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
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InputError(doc.where, f"item {i}: perceval item without 'data'")
        category, data = str(item.get("category") or ""), item["data"]
        if str(item.get("backend_name", "")).lower() != "github" or category not in ("pull_request", "issue"):
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
    n = parse_number(d.get("number"), doc.where, "PR")
    ctx = f"{doc.where}: PR #{n}"
    repo = opts.repo or repo_of([d.get("url"), d.get("html_url")], doc, ctx)
    return [CommentPart(repo, n, parse_comment(c, ctx), "pr") for c in as_list(d, "comments_data", ctx)]


def parse_pull(d: Mapping[str, Any], doc: Doc, opts: Options) -> PullRequest:
    """One PR object (REST or perceval's, with its `*_data`) -> PullRequest with what it embeds."""
    number = parse_number(d.get("number"), doc.where, "PR")
    ctx = f"{doc.where}: PR #{number}"
    repo = opts.repo or _full_name(d) or repo_of([d.get("url"), d.get("html_url")], doc, ctx)
    merged_at = gh_time(d.get("merged_at"), ctx, "merged_at")
    merged = merged_at is not None or d.get("merged") is True
    state = "merged" if merged else ("closed" if d.get("state") == "closed" else "open")
    head, base = obj(d, "head", ctx), obj(d, "base", ctx)
    title, body = str(d.get("title") or ""), str(d.get("body") or "")
    reviewers = [*(d.get("requested_reviewers") or []), *(d.get("requested_reviewers_data") or [])]
    return PullRequest(
        repo=repo, number=number, title=title, body=body, state=state,
        author=github_user(d.get("user_data") or d.get("user")),
        created_at=gh_time(d.get("created_at"), ctx, "created_at"),
        updated_at=gh_time(d.get("updated_at"), ctx, "updated_at"), merged_at=merged_at,
        closed_at=gh_time(d.get("closed_at"), ctx, "closed_at"),
        head_branch=str(head.get("ref") or ""), base_branch=str(base.get("ref") or ""),
        merge_commit=str(d.get("merge_commit_sha") or "") if merged else "", url=str(d.get("html_url") or ""),
        reviews=tuple(_review(r, ctx) for r in as_list(d, "reviews_data", ctx)),
        review_comments=tuple(_review_comment(c, ctx) for c in as_list(d, "review_comments_data", ctx)),
        commits=tuple(str(h) for h in as_list(d, "commits_data", ctx) if isinstance(h, str)),
        requested_reviewers=users(reviewers),
        issue_refs=issue_refs(title, body, str(head.get("ref") or ""), opts, repo=repo))


def issue_refs(title: str, body: str, branch: str, opts: Options, *, repo: str) -> tuple[Ref, ...]:
    """Issue keys in the PR's title, body and branch name, then GitHub issues its closing keywords
    name in title and body ('fixes #12' -> 'OWNER/REPO#12'; a bare '#12' is no link)."""
    found: dict[str, Ref] = {}
    for text, where in ((title, "PR title"), (body, "PR body"), (branch, "branch name")):
        for ref in refs.issue_keys(text, where, pattern=opts.key_pattern, ignored=opts.ignored):
            found.setdefault(ref.target + "\x00" + ref.evidence, ref)
    for text, where in ((title, "PR title"), (body, "PR body")):
        for ref in refs.closing_issue_keys(text, where, repo=repo):
            found.setdefault(ref.target + "\x00" + ref.evidence, ref)
    return tuple(found.values())


def _pulls(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    return [PrPart(parse_pull(as_dict(x, doc.where, i), doc, opts), has_row=True) for i, x in enumerate(items)]


def _reviews(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    for i, r in enumerate(items):
        r = as_dict(r, doc.where, i)
        number, repo = _target(r, ("pull_request_url", "html_url"), _PR_URL, doc, opts, "review", i)
        out.append(_part(repo, number, reviews=(_review(r, f"{doc.where}: PR #{number}"),)))
    return out


def _review(r: Any, ctx: str) -> Review:
    if not isinstance(r, dict) or r.get("id") in (None, ""):
        raise InputError(ctx, "review: field 'id' missing")
    return Review(str(r["id"]), github_user(r.get("user_data") or r.get("user")),
                  str(r.get("state") or "").upper(),
                  gh_time(r.get("submitted_at"), ctx, f"review {r['id']}.submitted_at"),
                  str(r.get("body") or ""))


def _review_comments(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    for i, c in enumerate(items):
        c = as_dict(c, doc.where, i)
        link = ((c.get("_links") or {}).get("pull_request") or {}).get("href")
        c2 = {**c, "_pr_link": link}
        number, repo = _target(c2, ("pull_request_url", "_pr_link", "html_url"), _PR_URL, doc, opts,
                               "review comment", i)
        out.append(_part(repo, number, review_comments=(_review_comment(c, f"{doc.where}: PR #{number}"),)))
    return out


def _review_comment(c: Any, ctx: str) -> ReviewComment:
    if not isinstance(c, dict) or c.get("id") in (None, ""):
        raise InputError(ctx, "review comment: field 'id' missing")
    review = c.get("pull_request_review_id")
    return ReviewComment(str(c["id"]), github_user(c.get("user_data") or c.get("user")),
                         str(c.get("path") or ""), str(c.get("body") or ""),
                         gh_time(c.get("created_at"), ctx, f"comment {c['id']}.created_at"),
                         "" if review is None else str(review))


def _issue_comments(items: list[Any], doc: Doc, opts: Options) -> list[CommentPart]:
    out = []
    path_says = _PATH_ISSUE.search(doc.api_path)
    for i, c in enumerate(items):
        c = as_dict(c, doc.where, i)
        html = str(c.get("html_url") or "")
        number, repo = _target(c, ("issue_url", "html_url"), _ISSUE_URL if "/pull/" not in html else _PR_URL,
                               doc, opts, "issue comment", i, path=_PATH_ISSUE)
        comment = parse_comment(c, f"{doc.where}: #{number}")
        # GitHub links a PR's conversation comment as /pull/N#issuecomment-..., an issue's as /issues/N#...
        if html:
            says = "pr" if "/pull/" in html else "issue" if "/issues/" in html else ""
        else:  # saved alone under issues/N/comments: taken as a PR's, as before issues were imported
            says = "pr" if path_says and int(path_says.group(1)) == number else ""
        out.append(CommentPart(repo, number, comment, says))
    return out


def _files(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("blob_url", "raw_url", "contents_url"), doc, opts, "files")
    files = []
    for i, f in enumerate(items):
        f = as_dict(f, doc.where, i)
        if not f.get("filename"):
            raise InputError(f"{doc.where}: PR #{number}", f"file {i}: field 'filename' missing")
        files.append(PrFile(str(f["filename"]), as_int(f.get("additions")), as_int(f.get("deletions")),
                            CHANGE_TYPES.get(str(f.get("status")), "M"),
                            str(f.get("previous_filename") or "")))
    return [_part(repo, number, files=tuple(files))]


def _commits(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("url", "html_url"), doc, opts, "commits")
    hashes, authors = [], []
    for i, c in enumerate(items):
        c = as_dict(c, doc.where, i)
        if not c.get("sha"):
            raise InputError(f"{doc.where}: PR #{number}", f"commit {i}: field 'sha' missing")
        hashes.append(str(c["sha"]))
        login = str((c.get("author") or {}).get("login") or "")
        git_author = (c.get("commit") or {}).get("author") or {}
        if login:  # without a GitHub account the pair says nothing the git log does not
            authors.append((str(c["sha"]), IdentityRef("github", email=str(git_author.get("email") or ""),
                                                       name=str(git_author.get("name") or ""), login=login)))
    return [_part(repo, number, commits=tuple(hashes), commit_authors=tuple(authors))]


def _requested(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed([], (), doc, opts, "requested reviewers")
    return [_part(repo, number, requested_reviewers=users(items[0].get("users") or []))]


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


def _target(item: Mapping[str, Any], url_fields: Sequence[str], number_re: re.Pattern[str], doc: Doc,
            opts: Options, what: str, i: int, *, path: re.Pattern[str] = _PATH_PR) -> tuple[int, str]:
    """(PR number, repo) of one item: from its URLs, else from the document's API path."""
    urls = [str(item.get(f) or "") for f in url_fields]
    number = next((int(m.group(1)) for u in urls if (m := number_re.search(u))), None)
    if number is None:
        m = path.search(doc.api_path)
        if m is None:
            raise InputError(doc.where, f"{what} {i}: cannot tell its PR (no PR URL in the item, and the path"
                                        " is not laid out like the API: repos/OWNER/REPO/pulls/N/...)")
        number = int(m.group(1))
    return number, opts.repo or repo_of([*urls, item.get("url")], doc, f"{doc.where}: PR #{number}")


def _listed(items: list[Any], url_fields: Sequence[str], doc: Doc, opts: Options,
            what: str) -> tuple[int, str]:
    """(PR number, repo) of a list that does not name its PR: the number comes from the API path."""
    m = _PATH_PR.search(doc.api_path)
    if m is None:
        raise InputError(doc.where, f"{what}: cannot tell which PR they belong to; save the response as"
                                    f" repos/OWNER/REPO/pulls/N/{what.replace(' ', '_')}.json")
    number = int(m.group(1))
    urls = [str(x.get(f) or "") for x in items[:1] if isinstance(x, dict) for f in url_fields]
    return number, opts.repo or repo_of(urls, doc, f"{doc.where}: PR #{number}")


def _full_name(d: Mapping[str, Any]) -> str:
    base = d.get("base")
    repo = base.get("repo") if isinstance(base, dict) else None
    return str(repo.get("full_name") or "") if isinstance(repo, dict) else ""

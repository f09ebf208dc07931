"""Pure: GitHub REST v3 JSON -> pull-request records; errors name the file, the PR and the field.

Accepted documents (one object or a list, as GET returns them):

    GET /repos/O/R/pulls, /pulls/N              {number, title, state, merged_at, user, head, base, ...}
    GET /repos/O/R/pulls/N/reviews              [{id, state, submitted_at, user, pull_request_url}]
    GET /repos/O/R/pulls/N/comments, /pulls/comments   [{id, path, body, pull_request_review_id, ...}]
    GET /repos/O/R/issues/N/comments, /issues/comments [{id, body, user, issue_url}]
    GET /repos/O/R/pulls/N/files                [{filename, status, additions, deletions, ...}]
    GET /repos/O/R/pulls/N/commits              [{sha, author: {login}, commit: {author: {email, name}}}]
    GET /repos/O/R/pulls/N/requested_reviewers  {users: [...], teams: [...]}
    perceval items {"backend_name": "GitHub", "category": "pull_request", "data": {..., "reviews_data",
                   "review_comments_data", "commits_data", "requested_reviewers_data", "user_data"}}

Files, commits and requested reviewers do not say their PR: it comes from the document's API path
(`repos/O/R/pulls/N/files.json`, also flattened as `..._pulls_N_files...json`). Issue comments count
only when they are on a PR: the URL says `/pull/`, the path is `issues/N/comments`, or PR N is
among the PRs of the same import (the caller decides the last; see `PrPart.if_pr`).
The repository is: the caller's `repo`, else `base.repo.full_name`, else a URL, else the path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from teammemory.errors import InputError
from teammemory.model import IdentityRef, PrComment, PrFile, PullRequest, Ref, Review, ReviewComment
from teammemory.sources import jsonfiles, refs

CHANGE_TYPES = {"added": "A", "modified": "M", "removed": "D", "renamed": "R", "copied": "C", "changed": "M"}
NOT_PR_DATA = ("github-issue", "github-issues", "github-events", "github-search", "github-repo",
               "github-user", "github-users", "error", "rate-limit", "index", "empty")
_REPO_URL = re.compile(r"https?://(?:api\.github\.com/repos|github\.com)/([\w.-]+)/([\w.-]+)/")
_PR_URL = re.compile(r"/pulls?/(\d+)(?:$|[/#?])")
_ISSUE_URL = re.compile(r"/issues/(\d+)(?:$|[/#?])")
_PATH_PR = re.compile(r"(?:^|[/_])pull(?:s|_?requests?)[/_](\d+)[/_]"
                      r"(files|commits|requested_reviewers|reviews|comments)(?=$|[/_.?])")
_PATH_ISSUE = re.compile(r"(?:^|[/_])issues[/_](\d+)[/_]comments(?=$|[/_.?])")
_PATH_REPO = re.compile(r"(?:^|/)repos/([\w.-]+)/([\w.-]+)(?:/|$)")
# Flattened names (`GET_repos_OWNER_REPO_pulls_...`): GitHub owners cannot hold '_', repos can.
_FLAT_REPO = re.compile(r"(?:^|[/_])repos_([A-Za-z0-9-]+)_([\w.-]+?)_(?:pulls|issues|commits)(?=$|[/_.?])")
_PATH_REPO_COMMITS = re.compile(r"(?:^|[/_])repos[/_].+[/_]commits(?=$|[/_.?])")


@dataclass(frozen=True)
class Options:
    """What the parser needs from the caller: a fixed repo name, and how issue keys look."""

    repo: str | None = None
    key_pattern: str = r"\b([A-Z][A-Z0-9_]{1,9})-([1-9][0-9]{0,6})\b"
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrPart:
    """What one document says about one PR. `has_row`: it gives the PR itself (title, state, ...),
    not only reviews/files/...; `if_pr`: issue comments that count only if N turns out to be a PR."""

    pr: PullRequest
    has_row: bool = False
    if_pr: bool = False


@dataclass(frozen=True)
class GithubDocument:
    parts: tuple[PrPart, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Doc:
    """A JSON document, where it came from (for errors) and its API path (for PR number and repo)."""

    data: Any
    where: str
    api_path: str


def read_document(doc: Doc, opts: Options) -> GithubDocument:
    """All PR parts in one document; non-PR data (issues, users, repos, errors, ...) is counted as skipped."""
    kind = jsonfiles.shape(doc.data)
    items = doc.data if isinstance(doc.data, list) else [doc.data]
    if kind in NOT_PR_DATA:
        return GithubDocument(skipped={f"skipped.{kind}": 1})
    if kind in ("github-commit", "github-commits") and not _PATH_PR.search(doc.api_path) \
            and _PATH_REPO_COMMITS.search(doc.api_path):
        return GithubDocument(skipped={"skipped.github-repository-commits": 1})
    if kind == "perceval":
        return _perceval(items, doc, opts)
    parser = _PARSERS.get(kind)
    if parser is None:
        raise InputError(doc.where, f"not GitHub pull-request data (looks like: {kind})")
    return GithubDocument(tuple(parser(items, doc, opts)))


def _perceval(items: list[Any], doc: Doc, opts: Options) -> GithubDocument:
    parts: list[PrPart] = []
    skipped: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InputError(doc.where, f"item {i}: perceval item without 'data'")
        category = str(item.get("category") or "")
        if str(item.get("backend_name", "")).lower() != "github" or category != "pull_request":
            name = f"skipped.perceval-{category or 'other'}"
            skipped[name] = skipped.get(name, 0) + 1
            continue
        parts.append(PrPart(parse_pull(item["data"], doc, opts), has_row=True))
    return GithubDocument(tuple(parts), skipped)


def parse_pull(d: Mapping[str, Any], doc: Doc, opts: Options) -> PullRequest:
    """One PR object (REST or perceval's, with its `*_data`) -> PullRequest with what it embeds."""
    number = _number(d.get("number"), doc.where, "PR")
    ctx = f"{doc.where}: PR #{number}"
    repo = opts.repo or _full_name(d) or _repo_of([d.get("url"), d.get("html_url")], doc, ctx)
    merged_at = gh_time(d.get("merged_at"), ctx, "merged_at")
    merged = merged_at is not None or d.get("merged") is True
    state = "merged" if merged else ("closed" if d.get("state") == "closed" else "open")
    head, base = _obj(d, "head", ctx), _obj(d, "base", ctx)
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
        reviews=tuple(_review(r, ctx) for r in _list(d, "reviews_data", ctx)),
        review_comments=tuple(_review_comment(c, ctx) for c in _list(d, "review_comments_data", ctx)),
        commits=tuple(str(h) for h in _list(d, "commits_data", ctx) if isinstance(h, str)),
        requested_reviewers=_users(reviewers),
        issue_refs=_issue_refs(title, body, str(head.get("ref") or ""), opts))


def _issue_refs(title: str, body: str, branch: str, opts: Options) -> tuple[Ref, ...]:
    found: dict[str, Ref] = {}
    for text, where in ((title, "PR title"), (body, "PR body"), (branch, "branch name")):
        for ref in refs.issue_keys(text, where, pattern=opts.key_pattern, ignored=opts.ignored):
            found.setdefault(ref.target + "\x00" + ref.evidence, ref)
    return tuple(found.values())


def _pulls(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    return [PrPart(parse_pull(_dict(x, doc.where, i), doc, opts), has_row=True) for i, x in enumerate(items)]


def _reviews(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    for i, r in enumerate(items):
        r = _dict(r, doc.where, i)
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
        c = _dict(c, doc.where, i)
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


def _issue_comments(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    out = []
    path_says = _PATH_ISSUE.search(doc.api_path)
    for i, c in enumerate(items):
        c = _dict(c, doc.where, i)
        html = str(c.get("html_url") or "")
        number, repo = _target(c, ("issue_url", "html_url"), _ISSUE_URL if "/pull/" not in html else _PR_URL,
                               doc, opts, "issue comment", i, path=_PATH_ISSUE)
        if c.get("id") in (None, ""):
            raise InputError(f"{doc.where}: PR #{number}", f"comment {i}: field 'id' missing")
        ctx = f"{doc.where}: PR #{number}"
        comment = PrComment(str(c["id"]), github_user(c.get("user")), str(c.get("body") or ""),
                            gh_time(c.get("created_at"), ctx, f"comment {c['id']}.created_at"))
        # GitHub links a PR's conversation comment as /pull/N#issuecomment-..., an issue's as /issues/N#...
        sure = "/pull/" in html or (not html and bool(path_says and int(path_says.group(1)) == number))
        out.append(PrPart(_pr(repo, number, comments=(comment,)), if_pr=not sure))
    return out


def _files(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("blob_url", "raw_url", "contents_url"), doc, opts, "files")
    files = []
    for i, f in enumerate(items):
        f = _dict(f, doc.where, i)
        if not f.get("filename"):
            raise InputError(f"{doc.where}: PR #{number}", f"file {i}: field 'filename' missing")
        files.append(PrFile(str(f["filename"]), _int(f.get("additions")), _int(f.get("deletions")),
                            CHANGE_TYPES.get(str(f.get("status")), "M"),
                            str(f.get("previous_filename") or "")))
    return [_part(repo, number, files=tuple(files))]


def _commits(items: list[Any], doc: Doc, opts: Options) -> list[PrPart]:
    number, repo = _listed(items, ("url", "html_url"), doc, opts, "commits")
    hashes, authors = [], []
    for i, c in enumerate(items):
        c = _dict(c, doc.where, i)
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
    return [_part(repo, number, requested_reviewers=_users(items[0].get("users") or []))]


_PARSERS = {"github-pull": _pulls, "github-pulls": _pulls,
            "github-review": _reviews, "github-reviews": _reviews,
            "github-review-comment": _review_comments, "github-review-comments": _review_comments,
            "github-issue-comment": _issue_comments, "github-issue-comments": _issue_comments,
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
    return number, opts.repo or _repo_of([*urls, item.get("url")], doc, f"{doc.where}: PR #{number}")


def _listed(items: list[Any], url_fields: Sequence[str], doc: Doc, opts: Options,
            what: str) -> tuple[int, str]:
    """(PR number, repo) of a list that does not name its PR: the number comes from the API path."""
    m = _PATH_PR.search(doc.api_path)
    if m is None:
        raise InputError(doc.where, f"{what}: cannot tell which PR they belong to; save the response as"
                                    f" repos/OWNER/REPO/pulls/N/{what.replace(' ', '_')}.json")
    number = int(m.group(1))
    urls = [str(x.get(f) or "") for x in items[:1] if isinstance(x, dict) for f in url_fields]
    return number, opts.repo or _repo_of(urls, doc, f"{doc.where}: PR #{number}")


def _full_name(d: Mapping[str, Any]) -> str:
    base = d.get("base")
    repo = base.get("repo") if isinstance(base, dict) else None
    return str(repo.get("full_name") or "") if isinstance(repo, dict) else ""


def _repo_of(urls: Sequence[Any], doc: Doc, ctx: str) -> str:
    """OWNER/REPO from the first GitHub URL that names one, else from the document's API path."""
    for url in urls:
        m = _REPO_URL.match(str(url or ""))
        if m:
            return f"{m.group(1)}/{m.group(2)}"
    m = _PATH_REPO.search(doc.api_path) or _FLAT_REPO.search(doc.api_path)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    raise InputError(ctx, "cannot tell the repository (no GitHub URL, no repos/OWNER/REPO/ path): pass repo=")


def github_user(u: Any) -> IdentityRef | None:
    """A GitHub account by login; `{}` (a deleted account, as perceval records it) is no one."""
    if not isinstance(u, dict) or not u.get("login"):
        return None
    return IdentityRef("github", login=str(u["login"]), display_name=str(u.get("name") or ""))


def _users(items: Sequence[Any]) -> tuple[IdentityRef, ...]:
    found = {ref.key: ref for ref in map(github_user, items) if ref is not None}
    return tuple(found[k] for k in sorted(found))


def gh_time(value: Any, ctx: str, name: str) -> int | None:
    """`2019-02-22T16:21:03Z` -> UTC epoch seconds."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(ctx, f"field '{name}' is not an ISO 8601 time: {value!r}") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _number(value: Any, where: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise InputError(where, f"{what}: field 'number' missing or not a number ({value!r})")
    return int(value)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _dict(value: Any, where: str, i: int) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where, f"item {i}: not an object")
    return value


def _obj(d: Mapping[str, Any], name: str, ctx: str) -> Mapping[str, Any]:
    value = d.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(ctx, f"field '{name}' is not an object")
    return value


def _list(d: Mapping[str, Any], name: str, ctx: str) -> list[Any]:
    value = d.get(name)
    if value is None or value == {}:  # perceval records "nothing fetched" as {}
        return []
    if not isinstance(value, list):
        raise InputError(ctx, f"field '{name}' is not a list")
    return value

"""Frozen records that cross layers: parsers produce them, the store writes them.

Times are UTC epoch seconds (int) everywhere: comparable and identical on SQLite and PostgreSQL.
People are referred to by `IdentityRef` (one account in one system); identity resolution later
groups identities into developers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from teammemory.issue_keys import issue_project


@dataclass(frozen=True)
class IdentityRef:
    """One account as one system shows it (SortingHat's identity): never merged, only grouped."""

    source: str  # git | github | jira
    email: str = ""
    name: str = ""
    login: str = ""
    account_id: str = ""
    display_name: str = ""

    @cached_property
    def key(self) -> str:
        """Deterministic key: a hash of the normalized tuple that identifies the account."""
        return identity_key(self.source, self.email, self.name, self.login, self.account_id)

    @property
    def label(self) -> str:
        return self.display_name or self.name or self.login or self.email or self.account_id or "?"


@lru_cache(maxsize=1 << 16)  # pure; writers ask for the same few thousand keys millions of times
def identity_key(source: str, email: str, name: str, login: str, account_id: str) -> str:
    """Hash of the identifying fields (display names change, so they are left out for github/jira)."""
    parts: tuple[str, ...]
    if source == "git":
        parts = (source, email.strip().lower(), " ".join(name.split()))
    elif source == "github":
        parts = (source, login.strip().lower() or email.strip().lower() or name.strip())
    else:
        parts = (source, account_id.strip() or login.strip().lower() or email.strip().lower() or name.strip())
    return source + ":" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FileChange:
    path: str
    added: int
    deleted: int
    change_type: str = "M"  # A added, M modified, D deleted, R renamed, C copied
    old_path: str = ""
    is_binary: bool = False


CommitRole = Literal["author", "co-author", "reviewer", "acked-by", "tested-by", "signed-off-by", "committer",
                     "github-author"]

# The roles in which a commit credits a person with its work: wrote it, co-wrote it, or reviewed it
# (a reviewer trailer). Acking, signing off and committing credit no work; 'github-author' is the
# PR commits API pairing a commit with a login, evidence for identity resolution only. The summary
# tables keep exactly these rows, and the agents that count work (expertise) count these.
CREDITED_ROLES: tuple[CommitRole, ...] = ("author", "co-author", "reviewer")


@dataclass(frozen=True)
class CommitPerson:
    """Someone credited on a commit beyond its author: co-author, reviewer, acker, signer."""

    role: CommitRole
    who: IdentityRef
    evidence: str


@dataclass(frozen=True)
class Commit:
    repo: str
    hash: str
    author: IdentityRef
    committer: IdentityRef
    authored_at: int
    authored_offset: int  # minutes east of UTC
    committed_at: int
    committed_offset: int
    message: str
    parents: tuple[str, ...]
    files: tuple[FileChange, ...] = ()
    people: tuple[CommitPerson, ...] = ()
    reverts: str = ""  # hash (or subject) of the reverted commit
    issue_refs: tuple[Ref, ...] = ()
    pr_refs: tuple[Ref, ...] = ()

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True)
class Ref:
    """A reference found in text: an issue key ('PROJ-12') or a PR number ('382'), with how."""

    target: str
    evidence: str


@dataclass(frozen=True)
class Issue:
    key: str
    summary: str
    description: str = ""
    status: str = ""
    status_category: str = ""  # new | indeterminate | done
    priority: str = ""
    issue_type: str = ""
    resolution: str = ""
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    created_at: int | None = None
    updated_at: int | None = None
    resolved_at: int | None = None
    reporter: IdentityRef | None = None
    assignee: IdentityRef | None = None
    parent_key: str = ""
    url: str = ""
    comments: tuple[IssueComment, ...] = ()
    links: tuple[IssueLink, ...] = ()
    transitions: tuple[Transition, ...] = ()

    @property
    def project(self) -> str:
        return issue_project(self.key)


@dataclass(frozen=True)
class IssueComment:
    comment_id: str
    author: IdentityRef | None
    body: str
    created_at: int | None
    updated_at: int | None = None


@dataclass(frozen=True)
class IssueLink:
    """`issue_key` <link_type, direction> `other_key`, e.g. PROJ-2 'is duplicated by' (inward) PROJ-1."""

    other_key: str
    link_type: str
    direction: str  # outward | inward
    description: str = ""


@dataclass(frozen=True)
class Transition:
    at: int
    from_status: str
    to_status: str
    author: IdentityRef | None = None


@dataclass(frozen=True)
class Review:
    review_id: str
    reviewer: IdentityRef | None
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    submitted_at: int | None
    body: str = ""


@dataclass(frozen=True)
class ReviewComment:
    comment_id: str
    author: IdentityRef | None
    path: str
    body: str
    created_at: int | None
    review_id: str = ""
    # where it sits (GitHub's fields; None/'' when the data has none): lines at commit_id (the
    # PR's head), original lines at original_commit_id (where it was written); side RIGHT | LEFT
    line: int | None = None
    start_line: int | None = None
    original_line: int | None = None
    original_start_line: int | None = None
    side: str = ""
    commit_id: str = ""
    original_commit_id: str = ""
    diff_hunk: str = ""
    in_reply_to_id: str = ""  # the thread's first comment, for a reply


@dataclass(frozen=True)
class PrComment:
    comment_id: str
    author: IdentityRef | None
    body: str
    created_at: int | None


@dataclass(frozen=True)
class PrFile:
    path: str
    additions: int
    deletions: int
    change_type: str = "M"
    old_path: str = ""


@dataclass(frozen=True)
class PullRequest:
    repo: str
    number: int
    title: str
    body: str = ""
    state: str = "open"  # open | closed | merged
    author: IdentityRef | None = None
    created_at: int | None = None
    updated_at: int | None = None
    merged_at: int | None = None
    closed_at: int | None = None
    head_branch: str = ""
    base_branch: str = ""
    merge_commit: str = ""
    url: str = ""
    reviews: tuple[Review, ...] = ()
    review_comments: tuple[ReviewComment, ...] = ()
    comments: tuple[PrComment, ...] = ()
    files: tuple[PrFile, ...] = ()
    commits: tuple[str, ...] = ()  # hashes the PR lists
    commit_authors: tuple[tuple[str, IdentityRef], ...] = ()  # (hash, GitHub user) from the PR commits API
    requested_reviewers: tuple[IdentityRef, ...] = ()
    issue_refs: tuple[Ref, ...] = field(default_factory=tuple)

"""Context: "why is it so?" for an issue, a pull request or a file.

Each answer gathers what the store links to the thing asked about — commits, PRs, reviews,
issues, files, people — and says for every item how it was found (`found_by`). The three
questions live in their own modules (context_issue, context_pr, context_file; shared records
and the people rule in context_common); this module is the one name the edges import.

Tie-breaks everywhere are explicit and done in Python: commits and PRs newest first (then
repo, hash/number), files by (-commits, -lines, path), issues in natural key order, people in
context by group (authors, reviewers, commenters), then (-count, name, key).
"""

from __future__ import annotations

from teammemory.agents.context_common import (
    CommitRef,
    FileChurn,
    IssueRef,
    PersonInContext,
    PrRef,
    rank_people,
)
from teammemory.agents.context_file import FileChanger, FileContext, IssueBehind, ask_file
from teammemory.agents.context_issue import IssueContext, LinkedIssue, StatusChange, ask_issue
from teammemory.agents.context_pr import CommentItem, PrContext, ReviewItem, ask_pr

__all__ = [
    "CommentItem", "CommitRef", "FileChanger", "FileChurn", "FileContext", "IssueBehind", "IssueContext",
    "IssueRef", "LinkedIssue", "PersonInContext", "PrContext", "PrRef", "ReviewItem", "StatusChange",
    "ask_file", "ask_issue", "ask_pr", "rank_people",
]

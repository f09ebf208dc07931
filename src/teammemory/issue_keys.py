"""Pure: the parts of an issue key, Jira's ('PROJ-12') and GitHub's ('owner/repo#12').

A module of its own, not in model.py: questions that only split a key (hygiene, issue-context)
then need not import model's records and hashlib (~15 ms of a process).
"""

from __future__ import annotations


def issue_project(key: str) -> str:
    """The project part of an issue key: 'PROJ' of Jira's 'PROJ-12', 'owner/repo' of GitHub's 'owner/repo#12'."""
    return key.rpartition("#")[0] if "#" in key else key.rsplit("-", 1)[0]


def github_issue_key(repo: str, number: int | str) -> str:
    """GitHub issues are keyed 'OWNER/REPO#N' (numbers are only unique within a repository)."""
    return f"{repo}#{int(number)}"

"""The rules that find issue links, as derive re-applies them to stored text (derive may not
import the sources; ingestion, which may, hands them in).

The links a commit or a PR names depend on the parsers' rules (`refs.LINK_RULES_VERSION`, bumped
when they change, and the closing-keyword pattern), the configured issue-key pattern, the
ignored projects and the known projects: keys of a known project count in any letter case
(`proj-1430`), so a project that becomes known (configured in `issues.project_keys`, or its
first Jira issue ingested) re-derives the links of every stored message once. Which upper-case
keys are real is still decided when answers are computed, so ingestion order never matters.
"""

from __future__ import annotations

import json
from dataclasses import replace

from teammemory import derive
from teammemory.config import Config
from teammemory.model import Ref
from teammemory.sources import github_parse, gitparse, refs
from teammemory.sources.github_fields import Options
from teammemory.store import Reader


def link_rules(config: Config) -> derive.LinkRules:
    """The commit and PR link rules under `config`, with their fingerprint."""
    opts = Options(key_pattern=config.key_pattern, ignored=config.ignored_projects, known=config.project_keys)

    def commit_links(repo: str, message: str, is_merge: bool) -> tuple[Ref, ...]:
        return gitparse.issue_refs(message, is_merge=is_merge, config=config, repo=repo)

    def pr_links(repo: str, title: str, body: str, branch: str) -> tuple[Ref, ...]:
        return github_parse.issue_refs(title, body, branch, opts, repo=repo)

    return derive.LinkRules(fingerprint(config), commit_links, pr_links)


def fingerprint(config: Config) -> str:
    return json.dumps({"version": refs.LINK_RULES_VERSION, "closing_keywords": refs.CLOSING_KEY.pattern,
                       "key_pattern": config.key_pattern, "ignored_projects": sorted(set(config.ignored_projects)),
                       "known_projects": sorted({k.upper() for k in config.project_keys}
                                                - {k.upper() for k in config.ignored_projects})}, sort_keys=True)


def with_known_projects(db: Reader, config: Config) -> Config:
    """`config` whose project_keys are the configured ones and the Jira projects the store holds
    issues of (GitHub issues, keyed OWNER/REPO#N, name no project of such keys)."""
    stored = {str(r["project"]).upper() for r in db.all("select distinct project from issues where key not like '%#%'")}
    known = tuple(sorted(set(config.project_keys) | stored))
    return config if known == config.project_keys else replace(config, project_keys=known)

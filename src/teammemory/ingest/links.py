"""The rules that find issue links, as derive re-applies them to stored text (derive may not
import the sources; ingestion, which may, hands them in).

The links a commit or a PR names depend on the parsers' rules (`refs.LINK_RULES_VERSION`, bumped
when they change, and the closing-keyword pattern), the configured issue-key pattern and the
ignored projects. Those make the fingerprint. The known projects (`issues.project_keys`) are not
part of it: which keys are real is decided when answers are computed, never when links are stored.
"""

from __future__ import annotations

import json

from teammemory import derive
from teammemory.config import Config
from teammemory.model import Ref
from teammemory.sources import github_parse, gitparse, refs
from teammemory.sources.github_fields import Options


def link_rules(config: Config) -> derive.LinkRules:
    """The commit and PR link rules under `config`, with their fingerprint."""
    opts = Options(key_pattern=config.key_pattern, ignored=config.ignored_projects)

    def commit_links(repo: str, message: str, is_merge: bool) -> tuple[Ref, ...]:
        return gitparse.issue_refs(message, is_merge=is_merge, config=config, repo=repo)

    def pr_links(repo: str, title: str, body: str, branch: str) -> tuple[Ref, ...]:
        return github_parse.issue_refs(title, body, branch, opts, repo=repo)

    return derive.LinkRules(fingerprint(config), commit_links, pr_links)


def fingerprint(config: Config) -> str:
    return json.dumps({"version": refs.LINK_RULES_VERSION, "closing_keywords": refs.CLOSING_KEY.pattern,
                       "key_pattern": config.key_pattern, "ignored_projects": sorted(set(config.ignored_projects))},
                      sort_keys=True)

"""The comment's text: the suggested reviewers and the risk of the PR's files, under one header.

Each part is an answer exactly as `teammemory review-suggest N --format markdown` and
`teammemory file-risk PATH --format markdown` print it (`outputs.answers.respond`, then
`Answer.output("markdown")`), so the comment never says anything the CLI would not:

    <!-- teammemory -->
    ## TeamMemory: reviewers and risk for #N
    <review-suggest N, Markdown>
    <file-risk PATH, Markdown>   for the riskiest `files` of the PR's files, highest risk first
    <a line naming the files with no history, and how many were left out>
    <sub>as of, and where the PR's data came from</sub>

When the store does not hold the PR (no token, or the sync failed), the reviewers are those of
`review_routing.ask_files` for the files `git diff base...head` lists, the PR's commit authors
(and its GitHub author) left out: the same ranking, with a line saying where the files came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from teammemory import __version__
from teammemory.action.comment import MARKER
from teammemory.action.event import PullEvent
from teammemory.agents import persons, review_routing
from teammemory.config import Config
from teammemory.errors import NotFound
from teammemory.model import identity_key
from teammemory.outputs import limits
from teammemory.outputs.answers import Answer, respond
from teammemory.outputs.questions import QUESTIONS
from teammemory.sources import pr_diff
from teammemory.store import Reader

MAX_BODY = 65_000  # GitHub refuses a comment longer than 65,536 characters


@dataclass(frozen=True)
class Ask:
    """What the comment is about and how much of it to show."""

    repo: str
    event: PullEvent
    workspace: Path
    now: datetime
    reviewers: int | None
    days: int | None
    files: int
    synced: str  # where the PR's data came from, for the footer


def build(db: Reader, ask: Ask, *, config: Config) -> str:
    """The whole comment body, Markdown, starting with MARKER; fewer files' risk when the whole
    would pass GitHub's limit on a comment's length."""
    reviewers, files, fallback = review_answer(db, ask, config=config)
    head = [MARKER, f"## TeamMemory: reviewers and risk for #{ask.event.number}", "", md(reviewers)]
    if fallback:
        head += ["", f"_{fallback}_"]
    while True:
        body = _join(head, risk_sections(db, ask, files, config=config), ask)
        if len(body) <= MAX_BODY or ask.files == 1:
            return body[:MAX_BODY]
        ask = dataclasses.replace(ask, files=max(1, ask.files // 2))


def _join(head: list[str], risk: list[str], ask: Ask) -> str:
    parts = ["\n".join(head), *risk]
    parts += [f"<sub>TeamMemory {__version__}, as of {ask.now:%Y-%m-%dT%H:%M:%SZ}; {ask.synced}."
                  " Each score shows its terms; `teammemory review-suggest` and `file-risk` with"
                  " `--json` give the evidence behind them.</sub>"]
    return "\n\n".join(parts).rstrip() + "\n"


def md(answer: Answer) -> str:
    return answer.output("markdown").rstrip()


def review_answer(db: Reader, ask: Ask, *, config: Config) -> tuple[Answer, tuple[str, ...], str]:
    """(the reviewers' answer, the PR's files, '' or the line saying the files came from git)."""
    options = {"repo": ask.repo, "limit": ask.reviewers}
    try:
        answer = respond(db, "review-suggest", ask.event.number, now=ask.now, config=config, options=options)
    except NotFound:
        answer = None
    if answer is not None and answer.result.files:
        return answer, tuple(answer.result.files), ""
    ev = ask.event
    files = pr_diff.changed_files(ask.workspace, ev.base_sha, ev.head_sha)
    own = pr_diff.commits(ask.workspace, ev.base_sha, ev.head_sha)
    result = review_routing.ask_files(db, files, now=ask.now, config=config, repo=ask.repo,
                                      authors=author_keys(db, ask), limit=limits.LIMIT_MAX, what=f"PR #{ev.number}",
                                      commits=own, title=ev.title, number=ev.number)
    shown, omitted = limits.cut("review-suggest", result, config, ask.reviewers)
    why = (f"The store holds no GitHub data for #{ev.number}: reviewers for the {len(files)} files of"
           f" `git diff --name-only {ev.base_sha[:12]}...{ev.head_sha[:12]}`; its {len(own)} commits count as"
           " nobody's expertise and their authors are not suggested.")
    return Answer(QUESTIONS["review-suggest"], ask.now, shown, omitted), files, why


def author_keys(db: Reader, ask: Ask) -> list[str]:
    """Person keys of whoever wrote the PR's commits (git) or opened it (GitHub login)."""
    ev = ask.event
    accounts = [identity_key("git", w.email, w.name, "", "")
                for w in pr_diff.writers(ask.workspace, ev.base_sha, ev.head_sha)]
    if ev.author:
        accounts.append(identity_key("github", "", "", ev.author, ""))
    found = persons.lookup(db, accounts)
    return sorted({who.person.key for who in found.values()})


def risk_sections(db: Reader, ask: Ask, files: Sequence[str], *, config: Config) -> list[str]:
    """The `files` riskiest of the PR's files as file-risk answers (highest risk, then path),
    then one line for the files the store has no history of and one for those left out."""
    answers: list[tuple[float, str, Answer]] = []
    unknown: list[str] = []
    for path in sorted(set(files)):
        try:
            answer = respond(db, "file-risk", path, now=ask.now, config=config,
                             options={"repo": ask.repo, "days": ask.days})
        except NotFound:
            unknown.append(path)
            continue
        total = answer.result.total
        answers.append((total.score.total if total is not None else 0.0, path, answer))
    answers.sort(key=lambda a: (-a[0], a[1]))
    out = [md(answer) for _, _, answer in answers[:ask.files]]
    if not files:
        out.append("This PR changes no files.")
    if unknown:
        out.append(f"No history in the store yet (new files): {', '.join(f'`{p}`' for p in unknown)}")
    left = len(answers) - ask.files
    if left > 0:
        out.append(f"… and {left} more file{'s' if left != 1 else ''} with lower risk (raise the `files` input"
                   " to show them)")
    return out

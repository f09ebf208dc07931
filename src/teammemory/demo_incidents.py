"""The demo's postmortems: three incidents of the story, one file in each format `ingest incidents` reads.

- INC-1 (YAML, SEV1, infra): the deploy job printed the database password (PROJ-1125). Caused by
  PR #303 (the move to GitHub Actions, whose deploy step echoed its environment), fixed by the
  commit that masks secrets; open action item PROJ-1253 (pin GitHub Actions to commit SHAs).
- INC-2 (JSON, SEV2, infra): the public ingress failed after HTTP/2 was enabled; caused by that
  commit, fixed by its revert three and a half hours later; action item PROJ-1150 (blue-green
  deployments), done since.
- INC-3 (Markdown, SEV2, auth): users logged out during checkout — the article's PROJ-1247.
  Caused by PR #331 (remember-me tokens, PROJ-1131), mitigated by PR #382, not resolved by the
  export (PROJ-1247 is being verified on staging); action items PROJ-1250 (open), PROJ-1203 (done).

Times come from the plan and commit ids from the replayed history, so the files name real commits.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from teammemory import demo_story as story

if TYPE_CHECKING:
    from teammemory.demo import History


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _main_commit(history: History, subject: str) -> str:
    return next(c.sha for c in history.commits if c.ref == "refs/heads/main" and c.message.split("\n")[0] == subject)


def _created(plan: story.Plan, number: int) -> int:
    return next(life.created for life in plan.lives if life.ticket.number == number)


def postmortems(history: History, plan: story.Plan) -> dict[str, str]:
    """File name -> text of each postmortem."""
    return {"2026-02-10-deploy-job-printed-password.yaml": _inc1(history, plan),
            "2026-05-26-ingress-http2.json": _inc2(history),
            "2026-10-31-logouts-during-checkout.md": _inc3(history, plan)}


def _inc1(history: History, plan: story.Plan) -> str:
    fix = _main_commit(history, "PROJ-1125 Mask secrets in deploy job output")
    fixed_at = history.by_sha[fix].at
    reported = _created(plan, 1125)
    started = reported - 2 * 3600
    return f"""\
# Postmortem of the leaked database password (written in YAML; see docs/incidents.md)
key: INC-1
title: Deploy job printed the database password
severity: SEV1
repo: {story.REPO}
started: {iso(started)}
detected: {iso(reported)}
mitigated: {iso(reported + 3600)}
resolved: {iso(fixed_at + 3600)}
summary: >
  The production deploy job printed its environment, the database password included, into a
  build log that every member of the organisation can read.
trigger: A deploy of the platform after the CI moved to GitHub Actions.
root_cause: >
  The new deploy step ran with shell tracing on and read the password from an environment
  variable instead of the secret store, so the trace printed it.
timeline:
  - at: {iso(started)}
    entry: The deploy job runs and prints its environment.
  - at: {iso(reported)}
    entry: Burak sees the password in the build log and opens PROJ-1125.
  - at: {iso(reported + 3600)}
    entry: The password is rotated; the old build logs are deleted.
  - at: {iso(fixed_at)}
    entry: Can masks secrets in the deploy job output.
lessons:
  - Secrets come from the secret store, never from plain environment variables.
  - Build logs are readable by everyone; treat them as public.
action_items: [PROJ-1253]
caused_by:
  prs: [303]
fixed_by:
  commits: [{fix}]
components: [infra]
"""


def _inc2(history: History) -> str:
    cause = _main_commit(history, "Enable HTTP/2 on the public ingress")
    fix = _main_commit(history, 'Revert "Enable HTTP/2 on the public ingress"')
    at, reverted = history.by_sha[cause].at, history.by_sha[fix].at
    doc = {
        "key": "INC-2", "title": "Public ingress failed after enabling HTTP/2", "severity": "SEV2",
        "repo": story.REPO, "started": iso(at + 10 * 60), "detected": iso(at + 25 * 60),
        "mitigated": iso(reverted), "resolved": iso(reverted + 15 * 60),
        "summary": "About a third of the API requests through the public ingress failed for three and a half hours.",
        "trigger": "The ingress was reloaded with HTTP/2 enabled.",
        "root_cause": "Older mobile clients negotiate HTTP/2 but cannot handle its connection reuse"
                      " behind the load balancer.",
        "timeline": [{"at": iso(at), "entry": "Burak enables HTTP/2 on the public ingress."},
                     {"at": iso(at + 10 * 60), "entry": "The ingress reloads; error rates rise."},
                     {"at": iso(at + 25 * 60), "entry": "The error-rate alert fires."},
                     {"at": iso(reverted), "entry": "Can reverts the change."}],
        "lessons": ["Ingress changes go out behind a canary first."],
        "action_items": ["PROJ-1150"],
        "caused_by": {"commits": [cause]},
        "fixed_by": {"commits": [fix]},
        "components": ["infra"],
    }
    return json.dumps(doc, indent=2) + "\n"


def _inc3(history: History, plan: story.Plan) -> str:
    detected = _created(plan, 1247)
    started = story.at(362, 9)
    mitigated = next(p.ended for p in plan.pulls if p.number == 382)
    assert mitigated is not None
    return f"""\
---
key: INC-3
severity: SEV2
repo: {story.REPO}
started: {iso(started)}
detected: {iso(detected)}
mitigated: {iso(mitigated + 2 * 3600)}
caused_by:
  prs: [331]
fixed_by:
  prs: [382]
components: [auth]
---
# Users logged out during checkout

## Summary
Users were logged out at random, often during checkout; support saw about 40 tickets a week.

## Trigger
Two browser tabs of one session refreshing an expired access token at the same moment.

## Root cause
Token refresh took no lock: two concurrent refreshes of one session both passed the expiry check,
and the second revoked the refresh token the first had just issued. The race came with the
remember-me tokens (PROJ-1131), which made long sessions, and so concurrent refreshes, common.

## Timeline
- {iso(started)} Support tickets about random logouts start to rise.
- {iso(detected)} Zeynep reproduces it on staging and opens PROJ-1247.
- {iso(mitigated)} PR #382 (per-session refresh lock) is merged.
- {iso(mitigated + 2 * 3600)} The fix is deployed; the logouts stop.

## Lessons
- A token refresh is a read-modify-write: serialize it per session.
- Load tests must include concurrent refreshes of one session.

## Action items
- PROJ-1250 Enable refresh token rotation
- PROJ-1203 Load test the token refresh endpoint
"""

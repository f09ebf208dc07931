#!/usr/bin/env bash
# Set up, build the demo into a SQLite store (demo/teammemory.db), and ask it the article's questions
# (and the ones it names beyond the six agents: why it changed, why this line, similar bugs, bus factor, incidents).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export TEAMMEMORY_DB="${TEAMMEMORY_DB:-demo/teammemory.db}"
NOW="2026-11-20T12:00:00Z"
ROOT="$(pwd)"
tm() { echo; echo "\$ teammemory $*"; "$ROOT/.venv/bin/teammemory" "$@"; }
mkdir -p demo
tm seed --dir demo/files
cd demo/files
export TEAMMEMORY_DB="../teammemory.db"
tm issue-context PROJ-1247 --now "$NOW"
tm file-experts src/auth/token_service.py --now "$NOW"
tm component-risk auth --now "$NOW"
tm review-suggest 382 --now "$NOW"
tm onboarding payment --now "$NOW"
tm hygiene --now "$NOW"
tm why-changed auth --now "$NOW"
tm why src/auth/token_service.py:10-12 --now "$NOW"
tm similar PROJ-1247 --now "$NOW" --limit 5
tm bus-factor auth --now "$NOW" --limit 3
tm incidents --now "$NOW" --limit 2

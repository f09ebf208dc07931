#!/usr/bin/env bash
# Set up, then run the whole check: ruff, mypy, and the test suite (SQLite and a real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== ruff";   .venv/bin/ruff check src tests bench
echo "== mypy";   .venv/bin/mypy
echo "== docs";   .venv/bin/cog --check -I src README.md docs/cli.md docs/configuration.md docs/agents.md
echo "== pytest"; .venv/bin/python -m pytest "$@"

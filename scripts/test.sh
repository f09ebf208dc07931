#!/usr/bin/env bash
# Set up, then run the whole check: ruff, mypy, and the test suite (SQLite and a real PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== ruff";   .venv/bin/ruff check src tests bench
echo "== mypy";   .venv/bin/mypy
echo "== docs";   .venv/bin/cog --check -I src README.md docs/cli.md docs/configuration.md docs/agents.md
# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set: each worker would otherwise compile
# and assertion-rewrite every test module again (~2.5 s each), and every `teammemory` process a
# test starts would compile the package (~17 s of the suite's CPU). __pycache__ is git-ignored.
export PYTHONDONTWRITEBYTECODE=
# Three test processes per two cores (pytest-xdist): many tests wait on git, PostgreSQL or a
# server thread, so a core has work while another test waits; but the cores are ~97 % busy all
# through, and each worker costs its own start (imports, collection, a PostgreSQL cluster): on 2
# cores, 3 workers used ~8 % less CPU than 4 (interleaved runs, docs/architecture.md).
# TEAMMEMORY_TEST_WORKERS=0 runs in one process.
workers="${TEAMMEMORY_TEST_WORKERS:-$(( $(nproc) * 3 / 2 > 1 ? $(nproc) * 3 / 2 : 2 ))}"
echo "== pytest ($workers workers)"; .venv/bin/python -m pytest -n "$workers" "$@"

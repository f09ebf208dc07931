"""Every question's answer on a store, written down, so two versions of the code can be compared.

    python bench/compare_answers.py dump --db URL --out answers.jsonl [--now ISO] [--seed-prs NAME]
    python bench/compare_answers.py diff before.jsonl after.jsonl

`dump` picks its subjects from the data itself (the most and least changed files and components,
the most renamed file, the most and least linked issue keys, every PR up to 8, and an unknown
name of each kind for the not-found path), asks every question through the real CLI in-process
(`teammemory.outputs.cli.app`) as text and as `--json`, and writes one line per call: the
arguments, the exit code and the output. `--now` defaults to the newest commit + 1 day.
`--seed-prs NAME` first writes the benchmark's two pull requests into a git-only store
(bench/worker.py's seed_prs), so the PR questions have something to answer.

It only uses what every version has (the CLI and `Store.read().all`), so an older checkout can
dump with `PYTHONPATH=<checkout>/src`. Refactors that must not change an answer (issue 8) are
checked by dumping before and after and running `diff`, which exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def subjects(db: Any) -> dict[str, list[str]]:
    """Deterministic subjects of each kind, chosen from the data."""
    files = _ranked(db.all("select path as k, count(*) as n from commit_files group by path"))
    renamed = _ranked(db.all("select path as k, count(distinct old_path) as n from commit_files"
                             " where old_path <> '' and old_path <> path group by path"))
    comps = _ranked(db.all("select f.component as k, count(*) as n from commit_files cf join files f"
                           " on f.repo = cf.repo and f.path = cf.path where f.component <> ''"
                           " group by f.component"))
    issues = _ranked(db.all("select issue_key as k, count(*) as n from commit_issues group by issue_key"))
    ingested = sorted(str(r["key"]) for r in db.all("select key from issues"))
    prs = sorted({int(r["number"]) for r in db.all("select number from pull_requests")})
    return {
        "file": _pick(files, 3) + renamed[:2] + ["no/such/file.py"],
        "component": _pick(comps, 2) + ["no-such-component"],
        "issue": _pick(issues, 2) + ingested[:3] + ["NOPE-999999"],
        "pr": [str(n) for n in prs[:8]] + ["999999"],
    }


def _ranked(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["k"]) for r in sorted(rows, key=lambda r: (-int(r["n"]), str(r["k"])))]


def _pick(ranked: list[str], top: int) -> list[str]:
    return list(dict.fromkeys(ranked[:top] + ranked[-1:]))


def calls(s: dict[str, list[str]]) -> list[list[str]]:
    """Every question with its subjects (and a few option variants)."""
    per = {"issue-context": "issue", "pr-context": "pr", "file-context": "file", "file-experts": "file",
           "component-experts": "component", "file-risk": "file", "component-risk": "component",
           "review-suggest": "pr", "onboarding": "component"}
    out = [[q, v] for q, kind in per.items() for v in s[kind]]
    out += [["component-risk", s["component"][0], "--days", "30"], ["file-risk", s["file"][0], "--days", "365"],
            ["risky-files"], ["risky-files", "--days", "30", "--limit", "5"], ["hygiene"],
            ["onboarding", s["component"][0], "--limit", "3"], ["review-suggest", s["pr"][0], "--limit", "5"]]
    return out


def dump(db_url: str, out: Path, now: str | None, seed_prs: str | None) -> int:
    from typer.testing import CliRunner

    from teammemory.outputs.cli import app
    from teammemory.store import Store

    runner = CliRunner()
    runner.invoke(app, ["--db", db_url, "init-db"])  # an older schema is migrated by the explicit step
    if seed_prs:
        sys.path.insert(0, str(BENCH))
        import worker

        with Store.open(db_url).read() as db:
            changes = worker.targets(db, seed_prs)["changes"]
        worker.seed_prs(Store.open(db_url), seed_prs, changes)
    with Store.open(db_url).read() as db:
        s = subjects(db)
        last = db.all("select max(committed_at) as t from commits")[0]["t"]
    when = now or datetime.fromtimestamp(int(last) + 86400, UTC).isoformat()
    lines = []
    for args in calls(s):
        for fmt in ([], ["--json"]):
            argv = ["--db", db_url, *args, "--now", when, *fmt]
            res = runner.invoke(app, argv)
            lines.append(json.dumps({"args": args + fmt, "exit": res.exit_code, "output": res.output},
                                    ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} answers written to {out} (now = {when})")
    return 0


def diff(a: Path, b: Path) -> int:
    left = [json.loads(x) for x in a.read_text(encoding="utf-8").splitlines()]
    right = [json.loads(x) for x in b.read_text(encoding="utf-8").splitlines()]
    bad = 0
    for x, y in zip(left, right, strict=False):
        if x != y:
            bad += 1
            print(f"DIFFERENT: {' '.join(x['args'])} (exit {x['exit']} vs {y['exit']})")
            if bad <= 3:
                _show(x["output"], y["output"])
    if len(left) != len(right):
        print(f"DIFFERENT: {len(left)} answers vs {len(right)}")
        bad += 1
    print(f"{len(left) - bad} of {len(left)} answers identical" if bad else f"all {len(left)} answers identical")
    return 1 if bad else 0


def _show(x: str, y: str) -> None:
    import difflib

    for line in list(difflib.unified_diff(x.splitlines(), y.splitlines(), "before", "after", lineterm=""))[:40]:
        print("    " + line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--db", required=True)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--now")
    d.add_argument("--seed-prs", metavar="NAME")
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.mode == "dump":
        return dump(args.db, args.out, args.now, args.seed_prs)
    return diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())

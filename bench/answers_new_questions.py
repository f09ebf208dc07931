"""The answers of the questions made faster for issue 11 (helpers perf2, perf3), written down for before/after diffs.

    python bench/answers_new_questions.py dump --db URL --out after.jsonl [--now ISO] [--git-dir CLONE]
    python bench/answers_new_questions.py diff before.jsonl after.jsonl   # compare_answers.py's diff

Asks, through the real CLI in-process, as `--json`: bus-factor (the whole store and each picked
component), coupling (the most and least changed files, the most renamed one, an unknown one),
timeline (the last 30 and 365 days before `now`, and one component), risky-files, file-risk and
component-risk (they read the covering tests), components, incidents and, with `--git-dir`, why
on lines of the most changed file that the clone still has. Subjects come from
compare_answers.subjects, so an older checkout dumps the same calls with
`PYTHONPATH=<checkout>/src` (the store must be at that checkout's schema: give it its own copy).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import compare_answers


def calls(s: dict[str, list[str]], now: datetime, git_dir: str | None) -> list[list[str]]:
    day = lambda n: (now - timedelta(days=n)).isoformat()  # noqa: E731
    files, comps = s["file"], s["component"]
    out = [["bus-factor"], ["bus-factor", "--limit", "3"]] + [["bus-factor", c] for c in comps]
    out += [["coupling", f] for f in files] + [["coupling", files[0], "--limit", "3"]]
    out += [["timeline", "--since", day(30)], ["timeline", "--since", day(365)],
            ["timeline", "--since", day(90), "--component", comps[0]]]
    out += [["risky-files"], ["risky-files", "--include-tests", "--limit", "30"], ["file-risk", files[0]],
            ["component-risk", comps[0]], ["components"], ["incidents"]]
    if git_dir:
        tracked = subprocess.run(["git", "-C", git_dir, "ls-files"], capture_output=True, text=True,
                                 check=True).stdout.split()
        mine = [f for f in files if f in tracked][:2]
        out += [["why", f"{f}:1-5", "--git-dir", git_dir] for f in mine]
    return out


def dump(db_url: str, out: Path, now: str | None, git_dir: str | None) -> int:
    from typer.testing import CliRunner

    from teammemory.outputs.cli import app
    from teammemory.store import Store

    runner = CliRunner()
    with Store.open(db_url).read() as db:
        s = compare_answers.subjects(db)
        last = db.all("select max(committed_at) as t from commits")[0]["t"]
    when = datetime.fromisoformat(now) if now else datetime.fromtimestamp(int(last) + 86400, UTC)
    lines = []
    for args in calls(s, when, git_dir):
        res = runner.invoke(app, ["--db", db_url, *args, "--now", when.isoformat(), "--json"])
        lines.append(json.dumps({"args": args, "exit": res.exit_code, "output": res.output}, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} answers written to {out} (now = {when.isoformat()})")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--db", required=True)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--now")
    d.add_argument("--git-dir")
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.mode == "dump":
        return dump(args.db, args.out, args.now, args.git_dir)
    return compare_answers.diff(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())

"""Identity resolution measured on real histories against hand-labelled golden sets.

    python bench/identities.py                                   # both histories of ../shared/realrepos
    python bench/identities.py --repo PATH --golden TSV [--name NAME]   # any history and golden set
    options: --results FILE (default bench/RESULTS-identities.md), --no-results, --worst N
    PYTHONPATH=<other checkout>/src python bench/identities.py ...   # score another version's code

Each history is ingested with the current code (`ingest_git`, defaults config) into a fresh SQLite
store, bench/work/identities-<name>.db (left there to inspect). Its git accounts are read from the
`persons` view, the one definition of a person every agent uses, and scored by identity_score.py:
pairwise merge precision and recall, developers per real person, the people split over several
developers, every false merge, and the accounts that the store and the golden set do not share.
Targets (issue 9): precision >= 99 %, recall >= 95 %, developers per person <= 1.02. They are
reported, never asserted. The results file keeps one section per history and any notes written by
hand after the last section (as bench/report.py does).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.append(str(ROOT / "src"))  # after PYTHONPATH: `PYTHONPATH=<checkout>/src` scores that code

from identity_score import Account, Score, read_golden, score  # noqa: E402

import teammemory  # noqa: E402
from teammemory.config import Config  # noqa: E402
from teammemory.ingest.git import ingest_git  # noqa: E402
from teammemory.store import Store  # noqa: E402

REALREPOS = ROOT.parent / "shared" / "realrepos"
GOLDEN = ROOT / "tests" / "fixtures" / "identities"
WORK = BENCH / "work"
DEFAULT_HISTORIES = ("bookkeeper", "flask")
TARGETS = {"precision": 0.99, "recall": 0.95, "developers_per_person": 1.02}
RESULTS_HEADER = """# Identity resolution against hand-labelled real identities: results

How it is measured: [README.md](README.md#identity-resolution-benchmark); how the golden sets were
labelled: [tests/fixtures/identities/README.md](../tests/fixtures/identities/README.md). Targets are
reported, not asserted.
"""
SECTION = re.compile(r"(?s)<!-- history (\S+) -->.*?<!-- end history \1 -->")
ACCOUNTS_SQL = """
select i.key, i.name, i.email, p.person_key, p.is_bot, i.rule, i.evidence
  from identities i join persons p on p.account_key = i.key
 where i.source = 'git'
"""


@dataclass(frozen=True)
class Run:
    name: str
    repo: Path
    golden: Path
    head: str
    commits: int
    ingest_s: float
    golden_rows: int
    golden_persons: int
    other_sources: int  # accounts of other sources (a trailer's @login): not scored
    score: Score


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def clone_bundle(name: str) -> Path:
    """bench/work/realrepos/<name>, cloned from ../shared/realrepos/<name>.bundle once and reused."""
    bundle = REALREPOS / f"{name}.bundle"
    if not bundle.is_file():
        sys.exit(f"{bundle}: not found (the real histories ship beside the repository; pass --repo and --golden)")
    target = WORK / "realrepos" / name
    if not (target / ".git").is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--quiet", str(bundle), str(target)], check=True)
    return target


def read_accounts(store: Store) -> tuple[list[Account], int]:
    """The git accounts with their person, and how many accounts of other sources there are."""
    with store.read() as reader:
        rows = reader.all(ACCOUNTS_SQL)
        others = int(reader.scalar("select count(*) from identities where source <> 'git'") or 0)
    return [Account(r["key"], r["name"], r["email"], r["person_key"], bool(r["is_bot"]), r["rule"] or "",
                    r["evidence"] or "") for r in rows], others


def measure(name: str, repo: Path, golden_path: Path, worst: int) -> Run:
    """Ingest `repo` into a fresh store and score its accounts against `golden_path`."""
    golden = read_golden(golden_path)
    db = WORK / f"identities-{name}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store.open(str(db))
    t0 = time.perf_counter()
    summary = ingest_git(store, repo, config=Config(db_url=str(db)), name=name)
    elapsed = time.perf_counter() - t0
    accounts, others = read_accounts(store)
    return Run(name, repo, golden_path, git(repo, "rev-parse", "HEAD"), summary.counts.get("commits", 0), elapsed,
               len(golden), len({g.person for g in golden}), others, score(accounts, golden, worst=worst))


def pct(x: float) -> str:
    return f"{100 * x:.2f} %"


def verdict(value: float, key: str) -> str:
    target = TARGETS[key]
    ok = value <= target if key == "developers_per_person" else value >= target
    return "met" if ok else "**missed**"


def who(a: Account) -> str:
    return f"{a.name or '(no name)'} <{a.email}>"


def summary_rows(s: Score) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows shared by the terminal table and the markdown."""
    merges = sum(f.wrong_pairs for f in s.false_merges)
    return [
        ("pairwise precision", f"{pct(s.precision)} ({s.correct_pairs:,} of {s.predicted_pairs:,} merged pairs)",
         f">= 99 %: {verdict(s.precision, 'precision')}"),
        ("pairwise recall", f"{pct(s.recall)} ({s.correct_pairs:,} of {s.true_pairs:,} same-person pairs)",
         f">= 95 %: {verdict(s.recall, 'recall')}"),
        ("developers per real person", f"{s.developers_per_person:.3f}",
         f"<= 1.02: {verdict(s.developers_per_person, 'developers_per_person')}"),
        ("developers / real persons", f"{s.developers:,} / {s.persons:,}", ""),
        ("persons split over > 1 developer", f"{s.split_total:,}", ""),
        ("false merges (developers with > 1 person)", f"{len(s.false_merges)} ({merges:,} wrong pairs)", ""),
        ("git accounts: in store / labelled / not in golden", f"{s.accounts:,} / {s.labelled:,} / {len(s.unknown):,}",
         ""),
        ("golden rows never seen", f"{len(s.unseen):,}", ""),
        ("bots not marked / humans marked as bots", f"{len(s.bots_unmarked)} / {len(s.humans_as_bots)}", ""),
    ]


def print_run(run: Run) -> None:
    s = run.score
    print(f"\n{run.name}: {run.commits:,} commits, head {run.head[:12]}, ingest {run.ingest_s:.1f} s;"
          f" golden {run.golden.name}: {run.golden_rows} rows, {run.golden_persons} persons")
    rows = summary_rows(s)
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value}{'   ' + target if target else ''}")
    for sp in s.split:
        print(f"  split: {sp.person}: {len(sp.developers)} developers over {sp.accounts} accounts")
    for fm in s.false_merges:
        print(f"  FALSE MERGE {fm.developer}: " + " + ".join(f"{p} ({len(a)})" for p, a in fm.persons))
    for a in s.unknown:
        print(f"  not in golden: {who(a)}")
    if run.other_sources:
        print(f"  {run.other_sources} accounts of other sources (not git) not scored")


def code_version() -> str:
    """The commit the measured code is at and whether src/ had uncommitted changes, or the folder
    the code was imported from when it is not this checkout's src/ (PYTHONPATH)."""
    src = Path(teammemory.__file__).resolve().parent.parent
    if src != ROOT / "src":
        return f"from `{src}`"
    try:
        sha = git(ROOT, "rev-parse", "--short=12", "HEAD")
        dirty = git(ROOT, "status", "--porcelain", "--", "src")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"
    return f"`{sha}`" + (" + uncommitted changes in src/" if dirty else "")


def account_cell(a: Account) -> str:
    rule = f" [{a.rule}]" if a.rule else ""
    return f"`{who(a)}`{rule}".replace("|", "\\|")


def section(run: Run, version: str, when: str) -> str:
    s = run.score
    lines = [f"<!-- history {run.name} -->",
             f"## {run.name} (`{run.head[:12]}`, {run.commits:,} commits)", "",
             f"Golden set `{run.golden.relative_to(ROOT) if run.golden.is_relative_to(ROOT) else run.golden}`:"
             f" {run.golden_rows} rows, {run.golden_persons} persons. Code {version}, measured {when};"
             f" ingest {run.ingest_s:.1f} s.", "",
             "| measure | value | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in summary_rows(s)]
    lines += ["", f"Persons split over more than one developer ({s.split_total}; the worst {len(s.split)}):", ""]
    if s.split:
        lines += ["| person | developers | accounts |", "|---|---|---|"]
        lines += [f"| {sp.person} | {len(sp.developers)}: {', '.join(f'`{d}`' for d in sp.developers)} |"
                  f" {sp.accounts} |" for sp in s.split]
    else:
        lines.append("none.")
    lines += ["", f"False merges, all of them ({len(s.false_merges)}):", ""]
    if s.false_merges:
        lines += ["| developer | wrong pairs | golden persons and their accounts [rule] |", "|---|---|---|"]
        for fm in s.false_merges:
            people = "; ".join(f"**{p}**: " + ", ".join(account_cell(a) for a in accs) for p, accs in fm.persons)
            lines.append(f"| `{fm.developer}` | {fm.wrong_pairs} | {people} |")
    else:
        lines.append("none.")
    lines += ["", f"Store accounts not in the golden set ({len(s.unknown)}; not scored):"
              + ("" if s.unknown else " none.")]
    lines += [f"- {account_cell(a)}" for a in s.unknown]
    if run.other_sources:
        lines += ["", f"Accounts of other sources (a trailer's `@login`), not scored: {run.other_sources}."]
    lines += ["", f"Golden rows the store never produced ({len(s.unseen)}; spellings another parser would give):"
              + ("" if s.unseen else " none.")]
    lines += [f"- `{g.name or '(no name)'} <{g.email}>` ({g.person})" for g in s.unseen]
    if s.bots_unmarked or s.humans_as_bots:
        lines += ["", "Bot marking: not marked: " + (", ".join(account_cell(a) for a in s.bots_unmarked) or "none")
                  + "; humans marked as bots: " + (", ".join(account_cell(a) for a in s.humans_as_bots) or "none")]
    lines.append(f"<!-- end history {run.name} -->")
    return "\n".join(lines)


def update(path: Path, texts: dict[str, str]) -> None:
    """Replace (or add) the sections of `texts` in `path`, keeping the others in name order and
    the notes written by hand after the last section."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    found = list(SECTION.finditer(old))
    sections = {m.group(1): m.group(0) for m in found}
    sections.update(texts)
    notes = old[found[-1].end():].strip() if found else ""
    path.write_text(RESULTS_HEADER + "\n" + "\n\n".join(sections[k] for k in sorted(sections))
                    + (f"\n\n{notes}" if notes else "") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, help="a git clone to score (with --golden)")
    ap.add_argument("--golden", type=Path, help="its golden TSV (person, name, email, note)")
    ap.add_argument("--name", help="the history's name in the store and the results (default: the folder name)")
    ap.add_argument("--results", type=Path, default=BENCH / "RESULTS-identities.md")
    ap.add_argument("--no-results", action="store_true", help="print only")
    ap.add_argument("--worst", type=int, default=10, help="split persons to list (default 10)")
    args = ap.parse_args(argv)
    if (args.repo is None) != (args.golden is None):
        ap.error("--repo and --golden go together")
    if args.repo:
        jobs = [(args.name or args.repo.resolve().name.removesuffix(".git"), args.repo, args.golden)]
    else:
        jobs = [(n, clone_bundle(n), GOLDEN / f"{n}.tsv") for n in DEFAULT_HISTORIES]
    version, when = code_version(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    texts = {}
    for name, repo, golden in jobs:
        run = measure(name, repo, golden, args.worst)
        print_run(run)
        texts[name] = section(run, version, when)
    if not args.no_results:
        update(args.results, texts)
        print(f"\nwrote {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

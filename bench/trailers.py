"""Trailer people on real histories: TeamMemory's parser against a plain `git log` + regex.

    python bench/trailers.py                       # /tmp/bookkeeper and /tmp/flask, or clones of
                                                   #   ../shared/realrepos/*.bundle in a temp dir
    python bench/trailers.py REPO [REPO ...] [--results FILE]   # default bench/RESULTS-trailers.md

The reference is deliberately simple and shares no code with the parser: a line of `git log
--format=%B` that starts (no indentation) with a trailer key and a colon; for the reviewer-type
keys (Reviewer, Reviewers, Reviewed-by, Acked-by, Tested-by) the value is split on every comma;
each piece is `name <email>` (text before `<`, text after it up to `>` or the end), `<None>`,
`<>` and an email without '@' meaning no email. The parser is `sources.credits.commit_people`
on the same message, as ingestion calls it (with the revision's .mailmap).

Per commit, reference and parser people are matched on (role, name, lower-cased email). What
is left on either side is a miss or an extra, and each is explained by a rule stated here
(EXPLAIN_*), decided from the raw message alone; anything no rule explains is UNEXPLAINED.
The target is 0 unexplained misses.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared" / "realrepos"
DEFAULTS = {"bookkeeper": Path("/tmp/bookkeeper"), "flask": Path("/tmp/flask")}
sys.path[:0] = [str(ROOT / "src")]

from teammemory.model import IdentityRef  # noqa: E402
from teammemory.sources import credits, gitlog, mailmap  # noqa: E402

KEYS = {"reviewer": "reviewer", "reviewers": "reviewer", "reviewed-by": "reviewer", "acked-by": "acked-by",
        "tested-by": "tested-by", "co-authored-by": "co-author", "signed-off-by": "signed-off-by"}
LISTS = {"reviewer", "reviewers", "reviewed-by", "acked-by", "tested-by"}
LINE = re.compile(r"^([A-Za-z-]+):(.*)$", re.MULTILINE)
INDENTED = re.compile(r"^[ \t]+([A-Za-z-]+)[ \t]*:(.*)$", re.MULTILINE)
SPACED = re.compile(r"^([A-Za-z-]+)[ \t]+:(.*)$", re.MULTILINE)
ROLES = ("reviewer", "co-author", "acked-by", "tested-by", "signed-off-by")

Person = tuple[str, str, str]  # role, name, email


@dataclass
class Result:
    name: str
    head: str
    commits: int = 0
    seconds: float = 0.0
    reference: Counter[str] = field(default_factory=Counter)
    parser: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, Person, str]] = field(default_factory=list)  # commit, person, explanation
    extras: list[tuple[str, Person, str]] = field(default_factory=list)


def reference_people(message: str) -> list[Person]:
    """The plain reading: unindented `Key: value` lines, comma lists split on every comma."""
    out: list[Person] = []
    for key, value in LINE.findall(message):
        role = KEYS.get(key.lower())
        if role is None:
            continue
        for piece in value.split(",") if key.lower() in LISTS else [value]:
            name, _, rest = piece.partition("<")
            email = rest.partition(">")[0].strip()
            email = email if "@" in email else ""
            name = " ".join(name.split())
            if name or email:
                out.append((role, name, email.lower()))
    return out


def explain_miss(message: str, person: Person, found: list[Person], people_map: mailmap.Mailmap) -> str:
    """Why the parser has no exact match for a person the reference reads (or 'UNEXPLAINED')."""
    role, name, email = person
    proper = people_map.map(name, email)
    if proper is not None and (role, proper[0], proper[1].lower()) in found:
        return "the repository's .mailmap maps it to someone the parser has"
    if not email and any(r == role and n == name and e for r, n, e in found):
        return "name-only mention of someone the same commit names with an email (one credit)"
    if "@" in name and (role, "", email) in found:
        return "an email where the name goes: the parser keeps the email and no name"
    if name.strip("[]") != name and (role, name.strip("[] "), email) in found:
        return "the reference keeps the '[' of a bracketed list in the name"
    if name.startswith('"') or name.endswith('"'):
        return "reference split a quoted \"Last, First\" name at its comma"
    if not email and name.lower() in ("none", "n/a", "nobody", "-"):
        return "a placeholder, not a person"
    return "UNEXPLAINED"


def explain_extra(message: str, person: Person, evidence: str) -> str:
    """Why the parser reads a person the reference does not (or 'UNEXPLAINED')."""
    role, name, email = person
    if not name and email and f"{email} <{email}>" in message.lower():
        return "an email where the name goes (`x@y <x@y>`): the parser keeps the email and no name"
    if f"[{name} <" in message or f"{name} <{email}>]" in message:
        return "the reference keeps the '[' of a bracketed list in the name"
    if evidence.startswith("'"):
        return "free-text credit in the body (" + evidence + ")"
    if ".mailmap" in evidence:
        return "mapped by the repository's .mailmap"
    if "wrapped" in evidence:
        return "on a continuation line of a wrapped trailer"
    if "unclosed" in evidence or "@-mention" in evidence:
        return "the reference misreads this value: " + evidence.partition("; ")[2]
    for key, value in INDENTED.findall(message):
        if KEYS.get(key.lower()) == role and (name in value or (email and email in value.lower())):
            return "indented trailer line (the reference reads only unindented lines)"
    for key, value in SPACED.findall(message):
        if key.lower() in (*KEYS, "co-author") and name in value:
            return f"space before the colon ({key + ' :'!r}); the reference needs 'Key:'"
    for key, value in LINE.findall(message):
        if key.lower() == "co-author" and role == "co-author" and name in value:
            return "'Co-author:' key (the reference knows only Co-authored-by)"
    return "UNEXPLAINED"


def measure(name: str, path: Path) -> Result:
    repo = gitlog.open_repo(path)
    people_map = mailmap.parse_mailmap(gitlog.read_mailmap(repo))
    log = subprocess.run(["git", "-C", str(path), "log", "--encoding=UTF-8", "--format=%H%x00%aN%x00%aE%x00%B%x00",
                          repo.head], capture_output=True, check=True).stdout.decode("utf-8", "replace")
    fields = log.split("\0")
    result = Result(name, repo.head)
    commits = [(fields[i].strip(), IdentityRef("git", fields[i + 2], fields[i + 1]), fields[i + 3])
               for i in range(0, len(fields) - 3, 4)]
    for sha, author, message in commits:
        people = credits.commit_people(message.partition("\n")[2], author=author, mailmap=people_map)
        found = [((p.role, p.who.name or p.who.login, p.who.email.lower()), p.evidence) for p in people]
        compare(result, sha, message, people_map, found)
    result.commits = len(commits)
    result.seconds = time_parsing(commits, people_map)
    return result


def time_parsing(commits: list[tuple[str, IdentityRef, str]], people_map: mailmap.Mailmap) -> float:
    """Best of 5 passes of the parser over every message, in CPU time (this process only, so other
    work on a shared machine inflates it less than wall time)."""
    bodies = [(author, message.partition("\n")[2]) for _, author, message in commits]
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for author, body in bodies:
            credits.commit_people(body, author=author, mailmap=people_map)
        best = min(best, time.process_time() - started)
    return best


def compare(result: Result, sha: str, message: str, people_map: mailmap.Mailmap,
            found: list[tuple[Person, str]]) -> None:
    """Match reference and parser people of one commit; explain what is left on either side."""
    wanted = [p for p in dict.fromkeys(reference_people(message))]
    got = {person: evidence for person, evidence in found if person[0] in ROLES}
    for person in wanted:
        result.reference[person[0]] += 1
        if person in got:
            result.matched[person[0]] += 1
        else:
            result.misses.append((sha, person, explain_miss(message, person, list(got), people_map)))
    for person, evidence in got.items():
        result.parser[person[0]] += 1
        if person not in wanted:
            result.extras.append((sha, person, explain_extra(message, person, evidence)))


def report(results: list[Result]) -> str:
    lines = ["# Trailer people: parser vs a plain `git log` grep", "",
             "Made by `python bench/trailers.py` (what it compares: its docstring). Reference = the plain",
             "reading of unindented trailer lines; parser = `sources.credits.commit_people` as ingestion runs it.",
             ""]
    for r in results:
        unexplained = sum(1 for *_, why in r.misses + r.extras if why == "UNEXPLAINED")
        per_commit = r.seconds / max(r.commits, 1) * 1e6
        lines += [f"## {r.name} (head `{r.head[:12]}`, {r.commits:,} commits)", "",
                  f"Parsing every message (CPU, best of 5): {r.seconds * 1000:.0f} ms ({per_commit:.1f} us a commit)."
                  f" Unexplained differences: {unexplained}.", "",
                  "| role | reference | parser | matched | misses | extras |", "|---|---|---|---|---|---|"]
        for role in ROLES:
            misses = sum(1 for _, p, _ in r.misses if p[0] == role)
            extras = sum(1 for _, p, _ in r.extras if p[0] == role)
            lines.append(f"| {role} | {r.reference[role]:,} | {r.parser[role]:,} | {r.matched[role]:,} | {misses}"
                         f" | {extras} |")
        lines += [""] + differences("Misses (the reference has them, the parser does not)", r.misses)
        lines += differences("Extras (the parser has them, the reference does not)", r.extras)
    return "\n".join(lines) + "\n"


def differences(title: str, rows: list[tuple[str, Person, str]]) -> list[str]:
    if not rows:
        return [f"{title}: none.", ""]
    reasons = Counter(why for *_, why in rows)
    out = [f"{title}, by explanation:", ""]
    out += [f"- {n} × {why}" for why, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
    out += ["", "<details><summary>every one, with its commit</summary>", ""]
    out += [f"- `{sha[:12]}` {role}: {name!r} <{email}> — {why}" for sha, (role, name, email), why in rows]
    return out + ["", "</details>", ""]


def repositories(paths: list[Path], tmp: Path) -> list[tuple[str, Path]]:
    """The named paths, else /tmp/bookkeeper and /tmp/flask, each cloned from its bundle if missing."""
    if paths:
        return [(p.name, p) for p in paths]
    out = []
    for name, path in DEFAULTS.items():
        if not (path / ".git").exists() and (SHARED / f"{name}.bundle").exists():
            path = tmp / name
            subprocess.run(["git", "clone", "--quiet", "--bare", str(SHARED / f"{name}.bundle"), str(path)], check=True)
        if path.exists():
            out.append((name, path))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("repos", nargs="*", type=Path)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS-trailers.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        repos = repositories(args.repos, Path(tmp))
        if not repos:
            print(f"no repositories: give paths, or provide {SHARED}", file=sys.stderr)
            return 2
        results = [measure(name, path) for name, path in repos]
    text = report(results)
    args.results.write_text(text)
    print(text)
    unexplained = sum(1 for r in results for *_, why in r.misses if why == "UNEXPLAINED")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())

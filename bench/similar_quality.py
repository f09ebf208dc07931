"""How well `similar`'s text search finds the history of an issue, judged by the history itself.

    python bench/similar_quality.py --db STORE            # a store with a git history ingested
    python bench/similar_quality.py --db STORE --per-key  # and each key's rank

For every issue key that two or more non-merge commits name: ask about the latest of them with
every key cut out of its message (what a newcomer would paste), as of just before it, over
commits only; an earlier commit that names the same key is a right answer. Reported: how many
keys have a right answer in the top 1, 3 and 5, and MRR@10 (1/rank of the first right answer,
0 past 10). Beside it, the same ask with the message's trailer lines (`Reviewed-by:`,
`Signed-off-by:`, `Reviewers:`, `Author:`, `Closes #N`, ...; sources/trailers.py's shape) cut
out too: what the people and bookkeeping lines add to the ranking, or cost it.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from pathlib import Path

from teammemory.agents import text_search
from teammemory.store import Store

TRAILER = re.compile(r"^\s*[A-Za-z][A-Za-z0-9-]*(?: [A-Za-z][A-Za-z0-9-]*)?:\s+\S.*$")
CLOSES = re.compile(r"^\s*This closes #\d+.*$", re.I)


def cut_keys(text: str, keys: set[str]) -> str:
    for key in sorted(keys, key=len, reverse=True):
        text = re.sub(re.escape(key), " ", text, flags=re.I)
    return text


def cut_trailers(text: str) -> str:
    """The message without trailer-shaped lines after its subject."""
    lines = text.split("\n")
    return "\n".join(lines[:1] + [ln for ln in lines[1:] if not (TRAILER.match(ln) or CLOSES.match(ln))])


def evaluate(db_path: Path, per_key: bool) -> None:
    store = Store.open(str(db_path))
    with store.read() as db:
        rows = db.all("select ci.issue_key as key, c.repo, c.hash, c.authored_at as at, c.message"
                      " from commit_issues ci join commits c on c.repo = ci.repo and c.hash = ci.hash"
                      " where c.is_merge = 0")
        keys_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        by_key: dict[str, dict[tuple[str, str], tuple[int, str]]] = defaultdict(dict)
        for r in rows:
            keys_of[(r["repo"], r["hash"])].add(str(r["key"]))
            by_key[str(r["key"]).upper()][(r["repo"], r["hash"])] = (int(r["at"]), str(r["message"]))
        asked = {"as written": [], "without trailers": []}  # type: dict[str, list[tuple[str, int | None]]]
        skipped = 0
        started = time.perf_counter()
        for key in sorted(by_key):
            commits = sorted(by_key[key].items(), key=lambda kv: (kv[1][0], kv[0]))
            if len(commits) < 2:
                continue
            (repo, sha), (at, message) = commits[-1]
            earlier = {f"{r}@{h}" for (r, h), (t, _) in commits[:-1] if t < at}
            if not earlier:
                skipped += 1
                continue
            text = cut_keys(message, keys_of[(repo, sha)])
            for name, asked_text in (("as written", text), ("without trailers", cut_trailers(text))):
                hits = text_search.search(db, asked_text, ("commit",), 10, now=at - 1)
                rank = next((i + 1 for i, h in enumerate(hits) if h.ref in earlier), None)
                asked[name].append((key, rank))
        took = time.perf_counter() - started
    print(f"store {db_path}: {len(asked['as written'])} keys asked ({skipped} skipped: no earlier commit"
          f" by time), {took:.1f} s")
    print("| query text | keys | top 1 | top 3 | top 5 | MRR@10 |")
    print("|---|---|---|---|---|---|")
    for name, ranks in asked.items():
        n = len(ranks)
        top = {k: sum(1 for _, r in ranks if r is not None and r <= k) for k in (1, 3, 5)}
        mrr = sum(1 / r for _, r in ranks if r is not None) / n if n else 0.0
        print(f"| {name} | {n} | {top[1]} | {top[3]} | {top[5]} | {mrr:.3f} |")
    if per_key:
        both = zip(asked["as written"], asked["without trailers"], strict=True)
        for (key, a), (_, b) in both:
            if a != b:
                print(f"{key}: {a} -> {b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--per-key", action="store_true")
    args = parser.parse_args()
    evaluate(args.db, args.per_key)


if __name__ == "__main__":
    main()

"""Pure scoring of identity resolution against a hand-labelled golden set (bench/identities.py).

A golden set is a TSV `person<TAB>name<TAB>email<TAB>note`, one row per account a history shows
(tests/fixtures/identities/README.md says how they were labelled). A store account is matched to
its golden row by `(name, email)` as the store holds them, with whitespace collapsed and the email
lower-cased, which is exactly how `model.identity_key` tells git accounts apart; nothing else is
normalised, so a parser that reads a trailer differently shows up as an unknown account instead of
being scored on a guess.

Over the accounts found in both, with D(a) the developer the store put account a in and P(a) its
golden person (the clustering measures of entity resolution, e.g. Menestrina et al., "Evaluating
entity resolution results", VLDB 2010):

- predicted pairs: account pairs with D(a) = D(b); true pairs: pairs with P(a) = P(b);
- precision = |predicted & true| / |predicted| (a false merge costs every pair it joins);
- recall = |predicted & true| / |true| (a person split in two loses the pairs across the cut);
- developers per person = sum over persons of |{D(a) : P(a) = p}| / number of persons, which only
  splits raise (a false merge cannot hide a split); 1.0 means no person is split.

Empty pair sets score 1.0 (nothing was claimed, nothing was missed). Lists are sorted with full
keys so two runs on the same data print the same report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HEADER = ("person", "name", "email", "note")


@dataclass(frozen=True)
class GoldenRow:
    person: str
    name: str
    email: str
    note: str = ""


@dataclass(frozen=True)
class Account:
    """One store account (identities row, source git) and where resolution put it."""

    key: str
    name: str
    email: str
    developer: str  # persons.person_key: the developer, or the account itself when unplaced
    is_bot: bool = False
    rule: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Split:
    person: str
    developers: tuple[str, ...]
    accounts: int


@dataclass(frozen=True)
class FalseMerge:
    developer: str
    persons: tuple[tuple[str, tuple[Account, ...]], ...]  # golden person -> its accounts here
    wrong_pairs: int


@dataclass(frozen=True)
class Score:
    accounts: int                     # git accounts in the store
    labelled: int                     # of which found in the golden set
    unknown: tuple[Account, ...]      # store accounts with no golden row
    unseen: tuple[GoldenRow, ...]     # golden rows the store never produced
    persons: int
    developers: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    developers_per_person: float
    split_total: int                  # persons over more than one developer
    split: tuple[Split, ...]          # the worst of them (most developers, then most accounts)
    false_merges: tuple[FalseMerge, ...]
    bots_unmarked: tuple[Account, ...]   # golden bot (person `bot:...`), store says human
    humans_as_bots: tuple[Account, ...]  # golden human, store says bot


def account_key(name: str, email: str) -> tuple[str, str]:
    """The matching key: whitespace collapsed in both, email lower-cased (as model.identity_key)."""
    return " ".join(name.split()), " ".join(email.split()).lower()


def read_golden(path: Path) -> list[GoldenRow]:
    """Rows of a golden TSV; ValueError names the file and line of a malformed row.

    Checked: the header, four fields, a non-empty person, one row per matching key, and rows sorted
    by (person, name, email) so a hand edit cannot slip in a duplicate unseen."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if tuple(lines[0].split("\t")) != HEADER:
        raise ValueError(f"{path}:1: header must be {'<TAB>'.join(HEADER)!r}")
    rows: list[GoldenRow] = []
    seen: dict[tuple[str, str], int] = {}
    for no, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise ValueError(f"{path}:{no}: expected 4 tab-separated fields, got {len(fields)}")
        row = GoldenRow(*fields)
        if not row.person.strip() or row.person != row.person.strip():
            raise ValueError(f"{path}:{no}: empty or padded person id {row.person!r}")
        key = account_key(row.name, row.email)
        if key in seen:
            raise ValueError(f"{path}:{no}: account {key} already on line {seen[key]}")
        seen[key] = no
        if rows and (rows[-1].person, rows[-1].name, rows[-1].email) > (row.person, row.name, row.email):
            raise ValueError(f"{path}:{no}: rows not sorted by (person, name, email)")
        rows.append(row)
    return rows


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(accounts: Iterable[Account], golden: Sequence[GoldenRow], *, worst: int = 10) -> Score:
    """Score the store's accounts against `golden` (see the module docstring); `worst` caps the
    list of split persons (their count is always complete), false merges are all listed."""
    label = {account_key(g.name, g.email): g for g in golden}
    matched: list[tuple[Account, str]] = []
    unknown: list[Account] = []
    used: set[tuple[str, str]] = set()
    total = 0
    for acc in accounts:
        total += 1
        key = account_key(acc.name, acc.email)
        row = label.get(key)
        if row is None:
            unknown.append(acc)
        else:
            used.add(key)
            matched.append((acc, row.person))
    cells = Counter((acc.developer, person) for acc, person in matched)
    by_dev = Counter(acc.developer for acc, _ in matched)
    by_person = Counter(person for _, person in matched)
    devs_of: dict[str, set[str]] = defaultdict(set)
    for acc, person in matched:
        devs_of[person].add(acc.developer)
    predicted = sum(pairs(n) for n in by_dev.values())
    true = sum(pairs(n) for n in by_person.values())
    correct = sum(pairs(n) for n in cells.values())
    split = sorted((Split(p, tuple(sorted(d)), by_person[p]) for p, d in devs_of.items() if len(d) > 1),
                   key=lambda s: (-len(s.developers), -s.accounts, s.person))
    return Score(
        accounts=total, labelled=len(matched),
        unknown=tuple(sorted(unknown, key=lambda a: account_key(a.name, a.email))),
        unseen=tuple(g for g in golden if account_key(g.name, g.email) not in used),
        persons=len(by_person), developers=len(by_dev),
        true_pairs=true, predicted_pairs=predicted, correct_pairs=correct,
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true if true else 1.0,
        developers_per_person=sum(len(d) for d in devs_of.values()) / len(devs_of) if devs_of else 1.0,
        split_total=len(split), split=tuple(split[:worst]),
        false_merges=false_merges(matched),
        bots_unmarked=tuple(sorted((a for a, p in matched if p.startswith("bot:") and not a.is_bot),
                                   key=lambda a: a.key)),
        humans_as_bots=tuple(sorted((a for a, p in matched if not p.startswith("bot:") and a.is_bot),
                                    key=lambda a: a.key)),
    )


def false_merges(matched: Sequence[tuple[Account, str]]) -> tuple[FalseMerge, ...]:
    """Every developer holding accounts of more than one golden person, most people first."""
    members: dict[str, dict[str, list[Account]]] = defaultdict(lambda: defaultdict(list))
    for acc, person in matched:
        members[acc.developer][person].append(acc)
    out = []
    for dev, people in members.items():
        if len(people) < 2:
            continue
        sizes = [len(a) for a in people.values()]
        wrong = pairs(sum(sizes)) - sum(pairs(n) for n in sizes)
        out.append(FalseMerge(dev, tuple((p, tuple(sorted(a, key=lambda x: x.key))) for p, a in sorted(people.items())),
                              wrong))
    return tuple(sorted(out, key=lambda f: (-len(f.persons), -f.wrong_pairs, f.developer)))

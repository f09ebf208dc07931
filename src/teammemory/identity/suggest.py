"""Candidate merges for a person to confirm: pairs of developers the rules left apart whose
accounts look like one person (SortingHat's recommendations). Nothing here merges anyone;
`identities accept N` records a suggestion as a manual merge.

score = the sum of these terms (points), each with the accounts it rests on:
  same-name         +50  a full name (2+ words) on both, folded: case, accents, punctuation,
                         'Last, First'
  same-single-name  +25  a one-word name of 4+ letters (any length in a non-Latin script) on both
  similar-name      +30  names equal once middle initials and word order are ignored, or an
                         initial for a first name ('J. Doe' ~ 'Jane Doe')
  email-is-login    +40  an email local part of one is a login of the other (GitHub, Jira, or a
                         noreply email's), punctuation ignored
  handle-is-name    +30  a login or email local part of one is the other's full name run
                         together ('janedoe', 'jane.doe') or initial + last name ('jdoe'),
                         a name its own side does not carry
  same-local-part   +15  one email local part (4+ letters, not 'info', 'dev', ...) at two domains
  same-domain       +10  one email domain, not a public mail provider (only with a name term
                         or handle-is-name)
  name-only         +15  one side has no email and no login at all (a trailer name, a Jira
                         display name), so nothing on it can contradict the name (only with a
                         name term)
  ambiguous-name    -20  the one-word name, or the initial + last name, they share is held by 3
                         or more developers (a full name shared by many developers is most
                         often one person under many emails, so it is not penalized)
Names and logins of the configured stoplist (`[identity] name_stoplist`) are no evidence.
Listed when score >= MIN_SCORE; ordered by score (high first), then the two developer keys, and
numbered from 1: the same store always gives the same list and numbers. Not suggested: bots,
accounts of one developer (already merged), and any developer holding an account split by hand
(the split said no; `identities split` is also how to reject a suggestion for good).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import combinations

from teammemory.identity.match import Account
from teammemory.identity.overrides import read_overrides
from teammemory.identity.signals import Person, fold
from teammemory.store import Reader

MIN_SCORE = 25
MAX_BUCKET = 20  # a signal shared by more developers than this tells nobody apart
POINTS = {"same-name": 50, "same-single-name": 25, "similar-name": 30, "email-is-login": 40,
          "handle-is-name": 30, "same-local-part": 15, "same-domain": 10, "name-only": 15, "ambiguous-name": -20}
GENERIC_LOCALS = {"info", "admin", "root", "mail", "contact", "hello", "support", "noreply", "no-reply", "user",
                  "test", "github", "jenkins", "build", "team", "office", "dev", "devs", "developer", "git", "me"}
PUBLIC_DOMAINS = {"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
                  "icloud.com", "me.com", "mac.com", "aol.com", "163.com", "126.com", "qq.com", "foxmail.com",
                  "protonmail.com", "proton.me", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru",
                  "users.noreply.github.com"}
Adder = Callable[[str, str, str, str], None]  # add(rule, evidence, account of p, account of q)
PERSONS_SQL = """
select p.person_key, p.person_name, p.is_bot, i.key, i.source, i.email, i.name, i.login, i.account_id,
       i.display_name
  from persons p join identities i on i.key = p.account_key"""


@dataclass(frozen=True)
class Term:
    rule: str
    points: int
    evidence: str


@dataclass(frozen=True)
class Side:
    key: str
    name: str


@dataclass(frozen=True)
class Suggestion:
    number: int
    score: int
    a: Side  # a.key < b.key
    b: Side
    terms: tuple[Term, ...]
    accounts: tuple[str, str]  # the account of each side the strongest term rests on


@dataclass(frozen=True)
class Suggestions:
    suggestions: tuple[Suggestion, ...]
    min_score: int = MIN_SCORE


def suggest(db: Reader, stoplist: Collection[str] = ()) -> Suggestions:
    """Every candidate merge in the store, ranked and numbered; names and logins in `stoplist`
    (`[identity] name_stoplist`: 'root', 'jenkins', 'your name', ...) suggest nobody."""
    rows = db.all(PERSONS_SQL)
    accounts = [Account(*(str(r[k] or "") for k in ("key", "source", "email", "name", "login", "account_id",
                                                     "display_name"))) for r in rows]
    split = set(read_overrides(db, accounts).split)
    refused = {str(r["person_key"]) for r in rows if r["key"] in split}
    people: dict[str, Person] = {}
    stop = frozenset(fold(w) for w in stoplist)
    for r, acc in sorted(zip(rows, accounts, strict=True), key=lambda x: x[1].key):
        if not r["is_bot"] and r["person_key"] not in refused:
            key = str(r["person_key"])
            people.setdefault(key, Person(key, str(r["person_name"]), stop=stop)).add(acc)
    return Suggestions(rank(list(people.values())))


def rank(people: Sequence[Person]) -> tuple[Suggestion, ...]:
    """Pure: score every pair of developers sharing a signal; keep those >= MIN_SCORE, numbered."""
    buckets: dict[tuple[str, object], set[str]] = {}
    for p in people:
        for signal in p.signals():
            buckets.setdefault(signal, set()).add(p.key)
    by_key = {p.key: p for p in people}
    pairs = {pair for keys in buckets.values() if len(keys) <= MAX_BUCKET for pair in combinations(sorted(keys), 2)}
    scored = []
    for ka, kb in sorted(pairs):
        terms, accounts = score(by_key[ka], by_key[kb], buckets)
        total = sum(t.points for t in terms)
        if total >= MIN_SCORE:
            scored.append((-total, ka, kb, terms, accounts))
    return tuple(Suggestion(n, -neg, Side(ka, by_key[ka].name), Side(kb, by_key[kb].name), terms, accounts)
                 for n, (neg, ka, kb, terms, accounts) in enumerate(sorted(scored), 1))


def score(p: Person, q: Person, buckets: dict[tuple[str, object], set[str]]
          ) -> tuple[tuple[Term, ...], tuple[str, str]]:
    """Pure: the terms of one pair (strongest first) and the two accounts the strongest rests on."""
    found: list[tuple[Term, tuple[str, str]]] = []

    def add(rule: str, evidence: str, a: str, b: str) -> None:
        found.append((Term(rule, POINTS[rule], evidence), (a, b)))

    name = _name_term(p, q, buckets, add)
    _handles(p, q, add, bool(name))
    if name:
        if not p.contact or not q.contact:
            alone = p if not p.contact else q
            add("name-only", f"{alone.key} has no email and no login to contradict the name",
                *_first(p, q))
    found.sort(key=lambda f: (-f[0].points, f[0].rule))
    return tuple(t for t, _ in found), found[0][1] if found else _first(p, q)


def _name_term(p: Person, q: Person, buckets: dict[tuple[str, object], set[str]], add: Adder) -> str:
    """Add the one name term the pair earns (same, single, similar) and, for the weak ones, the
    ambiguity penalty; return its rule ('' for none)."""
    for kind, rule, mine, theirs in (("full", "same-name", p.full, q.full), ("single", "same-single-name",
                                                                              p.single, q.single),
                                     ("core", "similar-name", p.core, q.core)):
        shared = sorted(set(mine) & set(theirs))
        if shared:
            value = shared[0]
            how = "are both named" if rule != "similar-name" else "have the same name words"
            add(rule, f"{p.labels[mine[value]]} and {q.labels[theirs[value]]} {how} '{value}'",
                mine[value], theirs[value])
            if kind == "single":
                _ambiguous(buckets.get((kind, value), set()), value, mine[value], theirs[value], add)
            return rule
    for (init, last), spelled in sorted(p.initial.items()):
        other = q.initial.get((init, last))
        if other is not None and (spelled or other):
            a, b = _first(p, q)
            add("similar-name", f"'{p.name}' and '{q.name}' share the last name '{last}' and the initial"
                                f" '{init}'", a, b)
            _ambiguous(buckets.get(("initial", (init, last)), set()), f"{init}. {last}", a, b, add)
            return "similar-name"
    return ""


def _ambiguous(holders: set[str], text: str, a: str, b: str, add: Adder) -> None:
    if len(holders) >= 3:
        add("ambiguous-name", f"{len(holders)} developers are named '{text}'", a, b)


def _handles(p: Person, q: Person, add: Adder, named: bool) -> None:
    """email-is-login, handle-is-name, same-local-part, and same-domain (with a name or handle term)."""
    for x, y in ((p, q), (q, p)):
        hit = sorted(h for h in set(x.locals) & set(y.logins) if len(h) >= 3 and h not in GENERIC_LOCALS)
        if hit:
            add("email-is-login", f"the email local part of {x.labels[x.locals[hit[0]]]} is the login of"
                                  f" {y.labels[y.logins[hit[0]]]}", *_order(p, x, x.locals[hit[0]],
                                                                           y.logins[hit[0]]))
            break
    named = _handle_is_name(p, q, add) or named
    shared = sorted(h for h in set(p.locals) & set(q.locals) if len(h) >= 4 and h not in GENERIC_LOCALS)
    if shared:
        add("same-local-part", f"{p.labels[p.locals[shared[0]]]} and {q.labels[q.locals[shared[0]]]} share the"
                               f" local part '{shared[0]}'", p.locals[shared[0]], q.locals[shared[0]])
    domains = sorted(set(p.domains) & set(q.domains) - PUBLIC_DOMAINS)
    if domains and named:
        add("same-domain", f"both write from @{domains[0]}", p.domains[domains[0]], q.domains[domains[0]])


def _handle_is_name(p: Person, q: Person, add: Adder) -> bool:
    """A login or local part of one side that spells a name only the other side carries (one
    that spells its own name too says nothing the name terms do not)."""
    for x, y in ((p, q), (q, p)):
        handles = {**x.locals, **x.logins}
        hit = sorted(h for h in set(handles) & set(y.runs) if len(h) >= 4 and h not in x.runs)
        if hit:
            add("handle-is-name", f"'{hit[0]}' of {x.labels[handles[hit[0]]]} is the name of"
                                  f" {y.labels[y.runs[hit[0]]]} run together", *_order(p, x, handles[hit[0]],
                                                                                    y.runs[hit[0]]))
            return True
    return False


def _order(p: Person, x: Person, mine: str, theirs: str) -> tuple[str, str]:
    """(p's account, q's account) whichever of them `x` is."""
    return (mine, theirs) if x is p else (theirs, mine)


def _first(p: Person, q: Person) -> tuple[str, str]:
    return min(p.labels), min(q.labels)


"""Suggested merges: each score worked out from the terms of suggest.py's docstring; accepting
records manual merges in one transaction that later resolutions keep."""

from __future__ import annotations

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.identity import people
from teammemory.identity.match import Account
from teammemory.identity.resolve import resolve
from teammemory.identity.signals import Person, fold
from teammemory.identity.suggest import rank, suggest
from teammemory.model import IdentityRef
from teammemory.store import Store
from teammemory.store.write import write_identities

C = Config()


def person(key: str, *accounts: Account) -> Person:
    p = Person(key, key)
    for acc in accounts:
        p.add(acc)
    return p


def git(key: str, name: str, email: str) -> Account:
    return Account(key, "git", email, name, "", "", "")


def gh(key: str, login: str, display: str = "") -> Account:
    return Account(key, "github", "", "", login, "", display)


def test_fold() -> None:
    assert fold("  Ayşe DEMİR ") == "ayse demir"
    assert fold("Can Yılmaz") == fold("can yilmaz") == "can yilmaz"
    assert fold("Jean-Luc  O'Neil") == "jean luc o neil"
    assert fold("冉小龙") == "冉小龙"


def scored(*people_: Person) -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    return {(s.a.key, s.b.key): (s.score, tuple(t.rule for t in s.terms)) for s in rank(people_)}


def test_same_full_name_and_a_handle_spelling_the_name_only_one_side_carries() -> None:
    a = person("a", git("g1", "Jane Doe", "jane@corp.com"))
    b = person("b", git("g2", "Doe, Jane", "jdoe@gmail.com"))  # 'Last, First'
    # same-name 50; 'jdoe' is 'Jane Doe' as initial + last, but b carries that name too: not counted
    assert scored(a, b) == {("a", "b"): (50, ("same-name",))}


def test_initial_for_a_first_name_same_domain_and_a_login_spelling_the_name() -> None:
    a = person("a", git("g1", "Jane Doe", "jane@corp.com"))
    b = person("b", git("g2", "J. Doe", "jd@corp.com"))
    c = person("c", gh("h1", "jdoe"))
    assert scored(a, b, c) == {
        ("a", "b"): (40, ("similar-name", "same-domain")),  # 30 + 10
        ("a", "c"): (30, ("handle-is-name",)),  # 'jdoe' = j + doe; c has no name of its own
        ("b", "c"): (30, ("handle-is-name",)),  # 'J. Doe' runs together as 'jdoe' too
    }


def test_email_local_part_is_a_login() -> None:
    a = person("a", git("g1", "Jane Doe", "jane.doe@corp.com"))
    b = person("b", gh("h1", "jane-doe"))
    # email-is-login 40 ('janedoe' both, punctuation ignored); handle-is-name 30 ('jane-doe' is the
    # name run together and b carries no name); both sides have a login or email: no name-only
    assert scored(a, b) == {("a", "b"): (70, ("email-is-login", "handle-is-name"))}


def test_a_name_only_account_and_weak_single_names() -> None:
    trailer = person("t", git("g1", "Jane Roe", ""))  # a Reviewers: trailer without an email
    roe = person("r", git("g2", "Jane Roe", "roe@x.org"))
    aloys = [person(f"al{i}", git(f"g{i + 3}", "Aloys", f"a{i}@x{i}.org")) for i in range(3)]
    result = scored(trailer, roe, *aloys)
    assert result[("r", "t")] == (65, ("same-name", "name-only"))  # 50 + 15
    # a one-word name held by 3 developers: 25 - 20 = 5, under the minimum of 25: not listed
    assert [k for k in result if k[0].startswith("al")] == []
    assert scored(*aloys[:2]) == {("al0", "al1"): (25, ("same-single-name",))}


def test_stoplisted_names_and_logins_are_no_evidence() -> None:
    stop = frozenset({"root", "jane doe"})
    a = Person("a", "a", stop=stop)
    b = Person("b", "b", stop=stop)
    for p, acc in ((a, git("g1", "Jane Doe", "jd@a.org")), (a, gh("h1", "root")), (b, git("g2", "Jane Doe", "")),
                   (b, git("g3", "root", "root@b.org"))):
        p.add(acc)
    assert rank([a, b]) == ()


def test_numbering_is_by_score_then_keys() -> None:
    listed = rank([person("z", git("g1", "Ana Lima", "ana@a.org")), person("y", git("g2", "Ana Lima", "")),
                   person("x", git("g3", "Bo Li", "bo@b.org")), person("w", git("g4", "Bo Li", "li@c.org"))])
    assert [(s.number, s.a.key, s.b.key, s.score) for s in listed] == [(1, "y", "z", 65), (2, "w", "x", 50)]


# pairs the automatic rules leave apart: an initial for a first name, a login spelling a name
# (no PR commits prove it), a one-word name; and two bots with one name
MARY = [IdentityRef("git", "mary@corp.com", "Mary Major"), IdentityRef("git", "mm@corp.com", "M. Major")]
MO = [IdentityRef("git", "mo@a.org", "Mo Tanaka"), IdentityRef("github", login="motanaka")]
SEB = [IdentityRef("git", "seb@a.org", "Sebastiano"), IdentityRef("git", "s.b@b.org", "Sebastiano")]
BOTS = [IdentityRef("git", "bot@x.org", "renovate[bot]"), IdentityRef("git", "bot@y.org", "renovate[bot]")]


@pytest.fixture
def world(store: Store) -> Store:
    with store.write() as db:
        write_identities(db, MARY + MO + SEB + BOTS)
        resolve(db, C)
    return store


def test_accept_records_manual_merges_in_one_go_and_they_hold(world: Store) -> None:
    with world.read() as db:
        listed = suggest(db).suggestions
    # similar-name 30 + same-domain 10; handle-is-name 30; same-single-name 25; bots never
    assert [(s.number, s.a.key, s.b.key, s.score) for s in listed] == [
        (1, "m-major", "mary-major", 40), (2, "mo-tanaka", "motanaka", 30), (3, "sebastiano", "sebastiano-2", 25)]
    with world.write() as db:
        accepted = people.accept(db, C, [], at_least=30)  # at least 30: #1 and #2
        resolve(db, C)  # a later ingest
    assert [s.number for s in accepted.suggestions] == [1, 2]
    assert accepted.change.recorded == tuple(f"accept {s.accounts[0]} {s.accounts[1]}" for s in listed[:2])
    assert accepted.change.after == accepted.change.before - 2
    assert accepted.change.gone == ("mary-major", "motanaka")  # 'M. Major' sorts first and names the merge
    with world.read() as db:
        devs = {str(r["key"]) for r in db.all("select developer_key as key from identities where is_bot = 0")}
        left = [(s.number, s.a.key, s.b.key) for s in suggest(db).suggestions]  # merged: not suggested
        evidence = db.scalar("select evidence from identities where key = :k", k=MO[1].key)
    assert devs == {"m-major", "mo-tanaka", "sebastiano", "sebastiano-2"}
    assert left == [(1, "sebastiano", "sebastiano-2")]
    assert evidence == f"accepted suggestion: {listed[1].accounts[0]} + {listed[1].accounts[1]}"


def test_accept_by_number_refuses_numbers_out_of_range(world: Store) -> None:
    with pytest.raises(InputError, match=r"^N: 4 is not a suggestion number \(there are 3: 1-3\)"), \
            world.write() as db:
        people.accept(db, C, [1, 4])
    with world.write() as db:
        accepted = people.accept(db, C, [2])
    assert [(s.a.key, s.b.key) for s in accepted.suggestions] == [("mo-tanaka", "motanaka")]


def test_a_split_account_is_not_suggested_again(world: Store) -> None:
    with world.write() as db:
        people.add_override(db, C, "split", MO[1].key)  # 'motanaka' is someone else: said once
    with world.read() as db:
        assert [s.score for s in suggest(db).suggestions] == [40, 25]

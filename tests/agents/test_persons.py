"""The one definition of a person: the `persons` view, and agents/persons.py reading it."""

from __future__ import annotations

import pytest

from teammemory.agents import persons
from teammemory.agents.evidence import Person
from teammemory.store import Store, queries
from tests.agents import people_world as w


def _view(store: Store) -> dict[str, tuple[str, str, int]]:
    with store.read() as db:
        rows = db.all("select account_key, person_key, person_name, is_bot from persons")
    return {r["account_key"]: (r["person_key"], r["person_name"], int(r["is_bot"])) for r in rows}


def test_the_view_gives_every_account_its_person_name_and_bot_flag(store: Store) -> None:
    view = _view(w.build(store))
    # both of Ben's accounts are one person named after the developer
    assert view[w.BEN_GIT.key] == view[w.BEN_GH.key] == ("ben", "Ben Okafor", 0)
    # an account resolution did not place is its own person, named by its own label
    assert view[w.CY_JIRA.key] == (w.CY_JIRA.key, "Cy P.", 0)
    assert view[w.BOT_GIT.key] == view[w.BOT_GH.key] == ("dependabot", "dependabot", 1)


def test_a_bot_developer_makes_each_of_its_accounts_a_bot(store: Store) -> None:
    w.build(store)
    with store.write() as db:
        db.execute("update identities set is_bot = 0 where key = :k", k=w.BOT_GH.key)
    assert _view(store)[w.BOT_GH.key] == ("dependabot", "dependabot", 1)


def test_an_account_flagged_bot_is_a_bot_even_when_its_developer_is_not(store: Store) -> None:
    w.build(store)
    with store.write() as db:
        db.execute("update identities set is_bot = 1 where key = :k", k=w.BEN_GH.key)
        db.execute("update developers set is_bot = 0 where key = 'ben'")
    view = _view(store)
    assert view[w.BEN_GH.key][2] == 1 and view[w.BEN_GIT.key][2] == 0


def test_lookup_reads_only_the_accounts_asked_for(store: Store) -> None:
    with w.build(store).read() as db:
        got = persons.lookup(db, [w.BEN_GIT.key, w.CY_JIRA.key, "git:not-in-the-store"])
    assert set(got) == {w.BEN_GIT.key, w.CY_JIRA.key}
    assert got[w.BEN_GIT.key] == persons.Who(Person("ben", "Ben Okafor"), False)
    assert got[w.CY_JIRA.key].person == Person(w.CY_JIRA.key, "Cy P.")
    assert persons.who(got, "git:not-in-the-store") == persons.Who(
        Person("git:not-in-the-store", "git:not-in-the-store"), False)


def test_lookup_persons_by_person_key_flags_bots(store: Store) -> None:
    with w.build(store).read() as db:
        got = persons.lookup_persons(db, ["dependabot", "ana", w.CY_JIRA.key])
        assert persons.lookup(db, []) == {}
    assert sorted(got) == sorted(["dependabot", "ana", w.CY_JIRA.key])
    assert got["dependabot"].is_bot and not got["ana"].is_bot
    assert got["ana"].person.name == "Ana Lima" and got[w.CY_JIRA.key].person.name == "Cy P."


def test_lookup_in_chunks_gives_every_account(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with w.build(store).read() as db:
        keys = [str(r["key"]) for r in db.all("select key from identities")]
        whole = persons.lookup(db, keys)
        monkeypatch.setattr(queries, "CHUNK", 2)  # several queries
        assert persons.lookup(db, keys) == whole and len(whole) == len(keys)

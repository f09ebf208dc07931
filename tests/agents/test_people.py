from __future__ import annotations

import pytest

from teammemory.agents import people
from teammemory.agents.evidence import Person
from teammemory.store import Store
from tests.agents import people_world as w


def test_lookup_reads_only_the_people_asked_for_and_agrees_with_the_directory(store: Store) -> None:
    with w.build(store).read() as db:
        everyone = people.directory(db)
        ben_git, cy_jira = w.BEN_GIT.key, w.CY_JIRA.key
        got = people.lookup(db, [ben_git, cy_jira, "git:not-in-the-store"])
    # Ben's two accounts (asked for one), Cy's unplaced Jira account on its own; nobody else
    assert set(got) == {ben_git, w.BEN_GH.key, cy_jira}
    assert all(got[k] == everyone[k] for k in got)
    assert got[ben_git].person.name == "Ben Okafor" and got[cy_jira].person.key == cy_jira
    assert people.who(got, "git:not-in-the-store") == people.Who(
        Person("git:not-in-the-store", "git:not-in-the-store"), False)


def test_lookup_persons_by_person_key_flags_bots(store: Store) -> None:
    with w.build(store).read() as db:
        got = people.lookup_persons(db, ["dependabot", "ana", w.CY_JIRA.key])
        assert people.lookup(db, []) == {}
    assert sorted(got) == sorted(["dependabot", "ana", w.CY_JIRA.key])
    assert got["dependabot"].is_bot and not got["ana"].is_bot
    assert got["ana"].person.name == "Ana Lima" and got[w.CY_JIRA.key].person.name == "Cy P."


def test_lookup_in_chunks_gives_the_whole_directory(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with w.build(store).read() as db:
        keys = [str(r["key"]) for r in db.all("select key from identities")]
        monkeypatch.setattr(people, "CHUNK", 2)  # several queries; a person's accounts fall in different ones
        assert people.lookup(db, keys) == people.directory(db)

"""`identities merge`/`split` take every key and spec `identities` shows, refuse anything else,
and say what changed; the listing filters by name (case and accents folded) and limits.

A git, a Jira and a GitHub account of one person that no automatic rule ties (different emails,
a login that is not an email local part), plus an unrelated developer.
"""

from __future__ import annotations

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.identity import people
from teammemory.identity.resolve import resolve
from teammemory.model import IdentityRef
from teammemory.store import Store
from teammemory.store.write import write_identities

CY_GIT = IdentityRef("git", "cy@example.com", "Cy Park")
CY_JIRA = IdentityRef("jira", account_id="557058:cy", login="cpark-jira", display_name="Cy P.")
CY_GH = IdentityRef("github", login="cy-gh")
ZOE = IdentityRef("git", "zoe@other.org", "Zoë Ünal")
C = Config()


@pytest.fixture
def world(store: Store) -> Store:
    with store.write() as db:
        write_identities(db, [CY_GIT, CY_JIRA, CY_GH, ZOE])
        resolve(db, C)
    return store


def _developer_of(store: Store, ref: IdentityRef) -> str:
    with store.read() as db:
        return str(db.scalar("select developer_key from identities where key = :k", k=ref.key))


def test_the_world_starts_apart(world: Store) -> None:
    # names: the Jira display name, the git name, the GitHub login; slugs of them
    assert {_developer_of(world, r) for r in (CY_GIT, CY_JIRA, CY_GH, ZOE)} == {"cy-park", "cy-p", "cy-gh", "zoe-unal"}


@pytest.mark.parametrize("jira", ["cy-p", CY_JIRA.key, "jira:557058:cy", "jira:cpark-jira", "jira:Cy P.",
                                  "name:Cy P."], ids=["developer", "account-key", "jira-id", "jira-login",
                                                      "jira-name", "name"])
def test_merge_takes_every_form_of_a_jira_account(world: Store, jira: str) -> None:
    with world.write() as db:
        change = people.add_override(db, C, "merge", "cy-park", jira)
    # one developer; the Jira display name wins the name, so the key that reads as it ('cy-p') is kept
    assert _developer_of(world, CY_GIT) == _developer_of(world, CY_JIRA) == "cy-p"
    assert [(m.account, m.was, m.now) for m in change.moved] == [(CY_GIT.key, "cy-park", "cy-p")]
    assert change.gone == ("cy-park",)
    assert (change.before, change.after) == (4, 3)
    [dev] = change.developers
    assert (dev.key, sorted(i.key for i in dev.identities)) == ("cy-p", sorted([CY_GIT.key, CY_JIRA.key]))


@pytest.mark.parametrize("github", ["cy-gh", CY_GH.key, "login:cy-gh", "login:CY-GH"])
def test_merge_takes_every_form_of_a_github_account(world: Store, github: str) -> None:
    with world.write() as db:
        people.add_override(db, C, "merge", github, "email:CY@example.com")
    assert _developer_of(world, CY_GIT) == _developer_of(world, CY_GH) == "cy-park"  # the git name wins


def test_the_jira_key_of_a_jira_only_developer_holds_after_reingestion(world: Store) -> None:
    """The bug: a developer key became its first account key, 'jira:…', which the spec parser
    took for a Jira id; the merge was recorded and changed nothing."""
    with world.write() as db:
        people.add_override(db, C, "merge", "cy-gh", "cy-p")
        resolve(db, C)
    assert _developer_of(world, CY_GH) == _developer_of(world, CY_JIRA) == "cy-p"


@pytest.mark.parametrize(("a", "b", "message"), [
    ("nobody", "cy-p", "A: 'nobody' is not a developer key, an account key or a spec"),
    ("cy-park", "git:0000000000000000", "B: 'git:0000000000000000' is not a developer key"),
    ("cy-park", "mail:cy@example.com", "B: 'mail:cy@example.com' is not a developer key"),
    ("cy-park", "email:", "B: 'email:' is not a developer key"),
    ("cy-park", "email:nobody@example.com", "B: 'email:nobody@example.com' matches no account"),
    ("login:cpark-jira", "cy-park", "A: 'login:cpark-jira' matches no account (a Jira account has that login:"
                                    " write jira:cpark-jira)"),
    ("name:cy park", "cy-p", "A: 'name:cy park' matches no account (did you mean name:Cy Park?)"),
])
def test_anything_else_is_refused_naming_the_argument(world: Store, a: str, b: str, message: str) -> None:
    with pytest.raises(InputError) as err, world.write() as db:
        people.add_override(db, C, "merge", a, b)
    assert str(err.value).startswith(message)
    with world.read() as db:
        assert db.scalar("select count(*) as n from identity_overrides") == 0


def test_a_split_undoes_an_earlier_merge_and_a_later_merge_redoes_it(world: Store) -> None:
    with world.write() as db:
        people.add_override(db, C, "merge", "cy-park", "cy-gh")
    assert _developer_of(world, CY_GH) == "cy-park"
    with world.write() as db:
        change = people.add_override(db, C, "split", CY_GH.key)
    assert _developer_of(world, CY_GH) == "cy-gh"
    assert [(m.account, m.was, m.now) for m in change.moved] == [(CY_GH.key, "cy-park", "cy-gh")]
    with world.write() as db:
        people.add_override(db, C, "merge", "login:cy-gh", "cy-park")
        resolve(db, C)
    assert _developer_of(world, CY_GH) == "cy-park"


def test_splitting_a_developer_key_splits_all_its_accounts(world: Store) -> None:
    with world.write() as db:
        people.add_override(db, C, "merge", "cy-park", "cy-gh")
        change = people.add_override(db, C, "split", "cy-park")
    assert change.recorded == tuple(f"split {k}" for k in sorted([CY_GIT.key, CY_GH.key]))
    assert (_developer_of(world, CY_GIT), _developer_of(world, CY_GH)) == ("cy-park", "cy-gh")


def test_a_merge_of_one_developer_changes_nothing_and_says_so(world: Store) -> None:
    with world.write() as db:
        change = people.add_override(db, C, "merge", "cy-park", "email:cy@example.com")
    assert (change.moved, change.gone, change.before, change.after) == ((), (), 4, 4)


def test_listing_filters_by_folded_name_and_limits(world: Store) -> None:
    with world.read() as db:
        everyone = people.list_developers(db)
        zoe = people.list_developers(db, name="ZOE UNAL")  # 'Zoë Ünal', accents and case folded
        by_login = people.list_developers(db, name="cpark")  # the Jira login of 'cy-p'
        first = people.list_developers(db, name="cy", limit=2)
    assert [d.key for d in everyone.developers] == ["cy-gh", "cy-p", "cy-park", "zoe-unal"]
    assert (everyone.matched, everyone.total) == (4, 4)
    assert [d.key for d in zoe.developers] == ["zoe-unal"]
    assert [d.key for d in by_login.developers] == ["cy-p"]
    assert ([d.key for d in first.developers], first.matched, first.total) == (["cy-gh", "cy-p"], 3, 4)

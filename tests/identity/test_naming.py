"""Developer keys are stable: other people's merges and splits never move a key (naming.py).

The accounts are single-word git names with unrelated emails, so no automatic rule ties any two
of them: every grouping below is the test's own (manual merges and splits).
"""

from __future__ import annotations

from teammemory.config import Config
from teammemory.identity import people
from teammemory.identity.naming import assign_keys, key_suffix
from teammemory.identity.resolve import resolve
from teammemory.model import IdentityRef
from teammemory.store import Store
from teammemory.store.write import write_identities

SAMS = [IdentityRef("git", "sam@a.org", "Sam"), IdentityRef("git", "s.two@b.org", "Sam"),
        IdentityRef("git", "third@c.org", "Sam")]
KIMS = [IdentityRef("git", "kim@a.org", "Kim"), IdentityRef("git", "k.two@b.org", "Kim")]
# the keys sort by account key: the first Sam by key is 'sam', the second 'sam-2', the third 'sam-3'
S1, S2, S3 = sorted(SAMS, key=lambda r: r.key)
K1, K2 = sorted(KIMS, key=lambda r: r.key)


def test_key_suffix() -> None:
    assert key_suffix("sam", "sam") == 1
    assert key_suffix("sam-2", "sam") == 2
    assert key_suffix("sam-10", "sam") == 10
    assert key_suffix("sam-1", "sam") == key_suffix("sam-02", "sam") == key_suffix("samuel", "sam") == 0
    assert key_suffix("agent-2", "agent-2") == 1  # a name that ends in a number
    assert key_suffix("ali-ahmed-2", "ahmed") == 0


def test_fresh_store_numbers_in_slug_then_account_key_order() -> None:
    groups = [("sam", ["g:c"]), ("kim", ["g:b"]), ("sam", ["g:a"]), ("sam", ["g:d"])]
    assert assign_keys(groups, {}) == ["sam-2", "kim", "sam", "sam-3"]


def test_an_unrelated_merge_moves_no_key() -> None:
    before = {"g:a": "sam", "g:b": "sam-2", "g:c": "sam-3", "g:k": "kim", "g:l": "kim-2"}
    groups = [("sam", ["g:a"]), ("sam", ["g:b"]), ("sam", ["g:c"]), ("kim", ["g:k", "g:l"])]
    assert assign_keys(groups, before) == ["sam", "sam-2", "sam-3", "kim"]


def test_a_merge_keeps_the_key_most_of_its_accounts_had_then_the_smaller() -> None:
    before = {"g:a": "sam", "g:b": "sam-2", "g:c": "sam-3", "g:d": "sam-3"}
    assert assign_keys([("sam", ["g:a"]), ("sam", ["g:b", "g:c", "g:d"])], before) == ["sam", "sam-3"]
    assert assign_keys([("sam", ["g:a", "g:c"]), ("sam", ["g:b"])], before) == ["sam", "sam-2"]
    before10 = {"g:a": "sam-10", "g:b": "sam-9"}
    assert assign_keys([("sam", ["g:a", "g:b"])], before10) == ["sam-9"]  # 9 < 10 as numbers


def test_a_split_leaves_the_key_with_the_part_not_split_off() -> None:
    before = {"g:a": "sam", "g:b": "sam", "g:c": "sam", "g:x": "sam-2"}
    # g:a has the smallest account key, but it is the part split off: the rest keep 'sam'
    assert assign_keys([("sam", ["g:a"]), ("sam", ["g:b", "g:c"]), ("sam", ["g:x"])], before,
                       {"g:a"}) == ["sam-3", "sam", "sam-2"]
    # 1 + 1, no manual split (an automatic rule stopped matching): the smaller account key keeps it
    assert assign_keys([("sam", ["g:b"]), ("sam", ["g:a"])], {"g:a": "sam", "g:b": "sam"}) == ["sam-2", "sam"]


def test_a_key_that_no_longer_reads_as_the_name_is_not_kept() -> None:
    # 'jdoe' was the key while the only name was the login; a Jira display name 'Jane Doe' arrived
    assert assign_keys([("jane-doe", ["g:a", "j:b"])], {"g:a": "jdoe"}) == ["jane-doe"]


def _keys(store: Store) -> dict[str, str]:
    with store.read() as db:
        return {str(r["key"]): str(r["developer_key"]) for r in db.all("select key, developer_key from identities")}


def test_keys_before_and_after_merges_and_splits(store: Store) -> None:
    config = Config()
    with store.write() as db:
        write_identities(db, SAMS + KIMS)
        resolve(db, config)
    assert _keys(store) == {S1.key: "sam", S2.key: "sam-2", S3.key: "sam-3", K1.key: "kim", K2.key: "kim-2"}
    with store.write() as db:  # merging the Kims moves no Sam
        people.add_override(db, config, "merge", "kim-2", "kim")
    assert _keys(store) == {S1.key: "sam", S2.key: "sam-2", S3.key: "sam-3", K1.key: "kim", K2.key: "kim"}
    with store.write() as db:  # sam + sam-2 keep 'sam' (1 account each: the smaller key); sam-3 stays sam-3
        people.add_override(db, config, "merge", "sam-2", "sam")
        resolve(db, config)  # a later ingest re-resolves: nothing moves
    assert _keys(store) == {S1.key: "sam", S2.key: "sam", S3.key: "sam-3", K1.key: "kim", K2.key: "kim"}
    with store.write() as db:  # sam-3 joins: 'sam' had 2 of the 3 accounts
        people.add_override(db, config, "merge", "sam-3", "sam")
    assert set(_keys(store).values()) == {"sam", "kim"}
    with store.write() as db:  # S2 split off: it is the one that gets a new key, the smallest free
        change = people.add_override(db, config, "split", S2.key)
    assert _keys(store) == {S1.key: "sam", S2.key: "sam-2", S3.key: "sam", K1.key: "kim", K2.key: "kim"}
    assert [(m.account, m.was, m.now) for m in change.moved] == [(S2.key, "sam", "sam-2")]
    with store.read() as db:
        rule = db.scalar("select rule from identities where key = :k", k=S2.key)
    assert rule == "manual-split"

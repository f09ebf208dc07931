from __future__ import annotations

from dataclasses import replace

from teammemory.config import Alias, Config
from teammemory.identity import people
from teammemory.identity.resolve import resolve
from teammemory.model import Commit, IdentityRef, PullRequest
from teammemory.store import Store
from teammemory.store.write import write_commits, write_identities, write_pull_request

GIT = IdentityRef("git", "mehmet.turac@acme.io", "Mehmet Turac")
NOREPLY = IdentityRef("git", "41234+mturac@users.noreply.github.com", "mturac")
GH = IdentityRef("github", login="mturac")
JIRA = IdentityRef("jira", "mehmet.turac@acme.io", login="mturac", account_id="5b10a", display_name="Mehmet Turac")
AYSE = IdentityRef("git", "ayse@acme.io", "Ayse Demir")
AYSE2 = IdentityRef("git", "ayse@acme.io", "Ayşe Demir")
AYSE_GH = IdentityRef("github", login="aysed")
BOT = IdentityRef("github", login="dependabot[bot]")


def commit(h: str, who: IdentityRef, when: int = 1_700_000_000) -> Commit:
    return Commit("r", h, who, who, when, 0, when, 0, f"change {h}", ())


def _developers(store: Store) -> dict[str, list[str]]:
    with store.read() as db:
        listing = people.list_developers(db)
    return {d.key: sorted(i.key for i in d.identities) for d in listing.developers}


def test_resolution_across_three_systems(store: Store) -> None:
    with store.write() as db:
        write_commits(db, [commit("a1", GIT), commit("a2", NOREPLY), commit("a3", AYSE), commit("a4", AYSE),
                           commit("a5", AYSE2)])
        write_identities(db, [GH, JIRA, BOT])
        write_pull_request(db, PullRequest("acme/platform", 1, "x", author=AYSE_GH,
                                           commit_authors=(("a3", AYSE_GH),)))
        resolve(db, Config())
    devs = _developers(store)
    # Jira display name wins; git 'Ayse Demir' has more commits (2 vs 1) than 'Ayşe Demir'.
    assert devs == {
        "ayse-demir": sorted([AYSE.key, AYSE2.key, AYSE_GH.key]),
        "dependabot-bot": [BOT.key],
        "mehmet-turac": sorted([GIT.key, JIRA.key]),
        "mturac": sorted([NOREPLY.key, GH.key]),
    }
    with store.read() as db:
        rules = {r["key"]: r["rule"] for r in db.all("select key, rule from identities")}
        bots = {r["key"]: r["is_bot"] for r in db.all("select key, is_bot from developers")}
    assert rules[AYSE_GH.key] == "commit-login"
    assert rules[NOREPLY.key] == "noreply-login"
    assert rules[JIRA.key] == "same-email"
    assert bots == {"ayse-demir": 0, "dependabot-bot": 1, "mehmet-turac": 0, "mturac": 0}


def test_alias_then_manual_merge_and_split_survive_reresolution(store: Store) -> None:
    with store.write() as db:
        write_commits(db, [commit("a1", GIT), commit("a2", NOREPLY)])
        write_identities(db, [GH, JIRA])
        resolve(db, Config())
    assert len(_developers(store)) == 2
    config = replace(Config(), aliases=(Alias("Mehmet", ("email:mehmet.turac@acme.io", "login:mturac")),))
    with store.write() as db:
        resolve(db, config)
    assert _developers(store) == {"mehmet-turac": sorted([GIT.key, NOREPLY.key, GH.key, JIRA.key])}
    with store.write() as db:
        people.add_override(db, config, "split", NOREPLY.key)
        resolve(db, config)  # a later ingest re-resolves: the split must hold
    devs = _developers(store)
    assert devs["mehmet-turac"] == sorted([GIT.key, GH.key, JIRA.key])
    assert devs["mturac"] == [NOREPLY.key]
    with store.write() as db:
        people.add_override(db, config, "merge", "mehmet-turac", "mturac")
        resolve(db, config)
    assert _developers(store) == {"mehmet-turac": sorted([GIT.key, NOREPLY.key, GH.key, JIRA.key])}

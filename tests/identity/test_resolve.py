from __future__ import annotations

from dataclasses import replace

from teammemory.config import Alias, Config
from teammemory.identity import people
from teammemory.identity.resolve import resolve
from teammemory.model import Commit, CommitPerson, IdentityRef, PullRequest
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
    # The noreply account is named 'mturac': Mehmet Turac's initial + last name, and no one
    # else's handle, so login-name joins it (with its GitHub account) to Mehmet.
    assert devs == {
        "ayse-demir": sorted([AYSE.key, AYSE2.key, AYSE_GH.key]),
        "dependabot-bot": [BOT.key],
        "mehmet-turac": sorted([GIT.key, JIRA.key, NOREPLY.key, GH.key]),
    }
    with store.read() as db:
        why = {r["key"]: (r["rule"], r["evidence"]) for r in db.all("select key, rule, evidence from identities")}
        bots = {r["key"]: r["is_bot"] for r in db.all("select key, is_bot from developers")}
    assert why[AYSE_GH.key][0] == "commit-login"
    # the tree from GIT (an end of the strongest edge, same-email with JIRA): NOREPLY hangs on
    # GIT by its name, GH on NOREPLY by the noreply email
    assert why[JIRA.key][0] == "same-email"
    assert why[NOREPLY.key] == ("login-name", "name 'mturac' is Mehmet Turac <mehmet.turac@acme.io>'s name "
                                              "written as one word")
    assert why[GH.key][0] == "noreply-login"
    assert bots == {"ayse-demir": 0, "dependabot-bot": 1, "mehmet-turac": 0}


def test_alias_then_manual_merge_and_split_survive_reresolution(store: Store) -> None:
    # names off: aliases and overrides must hold whatever the name rules would do
    names_off = Config(match_names=False)
    with store.write() as db:
        write_commits(db, [commit("a1", GIT), commit("a2", NOREPLY)])
        write_identities(db, [GH, JIRA])
        resolve(db, names_off)
    assert len(_developers(store)) == 2
    config = replace(names_off, aliases=(Alias("Mehmet", ("email:mehmet.turac@acme.io", "login:mturac")),))
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


SIJIE = IdentityRef("git", "sijie@apache.org", "Sijie Guo")
SIJIE_OLD = IdentityRef("git", "sijieg@twitter.com", "Sijie Guo")
SIJIE_TRAILER = IdentityRef("git", "", "Sijie Guo")  # `Reviewers: Sijie Guo`


def _reviewed(h: str, author: IdentityRef, reviewer: IdentityRef) -> Commit:
    return replace(commit(h, author), people=(CommitPerson("reviewer", reviewer, "Reviewers: trailer"),))


def test_name_rules_join_emails_and_trailer_names_and_can_be_turned_off(store: Store) -> None:
    with store.write() as db:
        write_commits(db, [commit("b1", SIJIE), commit("b2", SIJIE_OLD), _reviewed("b3", AYSE, SIJIE_TRAILER)])
        resolve(db, Config())
    assert _developers(store)["sijie-guo"] == sorted([SIJIE.key, SIJIE_OLD.key, SIJIE_TRAILER.key])
    with store.write() as db:
        resolve(db, Config(match_names=False))
    assert sorted(k for k, accs in _developers(store).items() if "sijie" in k) == ["sijie-guo", "sijie-guo-2",
                                                                                  "sijie-guo-3"]


def test_a_split_account_is_never_rejoined_by_a_name_rule(store: Store) -> None:
    with store.write() as db:
        write_commits(db, [commit("b1", SIJIE), commit("b2", SIJIE_OLD), _reviewed("b3", AYSE, SIJIE_TRAILER)])
        resolve(db, Config())
        people.add_override(db, Config(), "split", SIJIE_OLD.key)
    with store.write() as db:
        resolve(db, Config())  # a later ingest re-resolves: the name rules must not undo the split
    devs = _developers(store)
    assert devs["sijie-guo"] == sorted([SIJIE.key, SIJIE_TRAILER.key])
    assert [k for k, accs in devs.items() if accs == [SIJIE_OLD.key]] == ["sijie-guo-2"]
    with store.read() as db:
        assert db.scalar("select rule from identities where key = :k", k=SIJIE_OLD.key) == "manual-split"


def test_login_local_part_from_a_pr_and_its_commits(store: Store) -> None:
    jdoe_gh = IdentityRef("github", login="jdoe")
    jane = IdentityRef("git", "jdoe@company.com", "J D")  # 'J D' is no full name: only the PR ties her
    with store.write() as db:
        write_commits(db, [commit("c1", jane), commit("c2", GIT)])
        write_pull_request(db, PullRequest("r", 9, "x", author=jdoe_gh, commits=("c1", "c2")))
        resolve(db, Config())
    devs = _developers(store)
    assert sorted(jdoe_gh.key in accs and jane.key in accs for accs in devs.values()) == [False, True]
    with store.read() as db:
        why = db.all("select rule, evidence from identities where key = :k", k=jdoe_gh.key)[0]
    assert (why["rule"], why["evidence"]) == ("login-local-part", "r PR #9 by @jdoe holds commits by jdoe@company.com")


def test_a_trailer_email_that_lost_its_at_sign_joins_the_real_one_by_rule_not_by_name(store: Store) -> None:
    # BookKeeper: "Dustin <dcastor@salesforce.com>" commits; trailers "Signed-off-by: Dustin
    # <dcastorsalesforce.com>" and "Dustin Castor <dcastorsalesforce.com>" (the parser keeps the
    # email as written). Names off: only mangled-email and same-email can join them.
    dustin = IdentityRef("git", "dcastor@salesforce.com", "Dustin")
    short = IdentityRef("git", "dcastorsalesforce.com", "Dustin")
    full = IdentityRef("git", "dcastorsalesforce.com", "Dustin Castor")
    other = IdentityRef("git", "kudayashankarsalesforce.com", "Kishore")  # spells no real email here
    with store.write() as db:
        write_commits(db, [commit("d1", dustin), _reviewed("d2", AYSE, short), _reviewed("d3", AYSE, full),
                           _reviewed("d4", AYSE, other)])
        resolve(db, Config(match_names=False))
    devs = _developers(store)
    assert devs["dustin"] == sorted([dustin.key, short.key, full.key])
    assert devs["kishore"] == [other.key]
    with store.read() as db:
        why = {r["key"]: (r["rule"], r["evidence"]) for r in db.all("select key, rule, evidence from identities")}
    # a mangled email is no email for same-email: each spelling ties to the real one on its own
    lost = "email dcastorsalesforce.com is dcastor@salesforce.com with its '@' lost"
    assert {why[short.key], why[full.key]} == {("mangled-email", lost)}
    assert why[other.key][0] != "mangled-email"


def test_a_pr_merge_commit_ties_the_branch_author_to_the_login_and_its_one_word_name(store: Store) -> None:
    # Flask 6bf42f9a "Merge pull request #1577 from sprin/1102_warn_on_run" (David Lord's merge of
    # Steffen Prince's one commit); a one-word account 'sprin' elsewhere is that login's.
    david = IdentityRef("git", "davidism@gmail.com", "David Lord")
    steffen = IdentityRef("git", "steffen@sprin.io", "Steffen Prince")
    sprin = IdentityRef("git", "sprin@localhost.localdomain", "sprin")
    merge = "Merge pull request #1577 from sprin/1102_warn_on_run\n"
    with store.write() as db:
        write_commits(db, [Commit("pallets/flask", "m0", david, david, 1, 0, 1, 0, "start", ()),
                           Commit("pallets/flask", "b1", steffen, steffen, 2, 0, 2, 0, "warn on run", ("m0",)),
                           Commit("pallets/flask", "m1", david, david, 3, 0, 3, 0, merge, ("m0", "b1")),
                           Commit("pallets/flask", "s1", sprin, sprin, 4, 0, 4, 0, "docs", ("m1",))])
        resolve(db, Config())
    devs = _developers(store)
    assert devs["steffen-prince"] == sorted([steffen.key, sprin.key])
    with store.read() as db:
        why = db.all("select rule, evidence from identities where key = :k", k=sprin.key)[0]
    assert (why["rule"], why["evidence"]) == (
        "login-name", "name 'sprin' is Steffen Prince <steffen@sprin.io>'s GitHub login @sprin by its merge commit "
                      "m1 of PR #1577 from sprin/1102_warn_on_run")
    # without the merge commit nothing ties them: 'sprin' is no spelling of Steffen Prince's name
    with store.write() as db:
        db.execute("delete from commits where hash = 'm1'")
        resolve(db, Config())
    assert sorted(_developers(store)) == ["david-lord", "sprin", "steffen-prince"]

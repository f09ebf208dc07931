"""identity/commit_proof.py: closes-login, commit-handle and repeat-co-author on built accounts and
commits (each with the guard that keeps other people apart), order independence, and the rules
end to end through a store (both backends) and through a real git repository."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from teammemory.config import DEFAULT_NAME_STOPLIST, Config
from teammemory.identity import people
from teammemory.identity.by_name import merge_by_name
from teammemory.identity.commit_proof import Closed, Proof, closed_prs
from teammemory.identity.match import Account, group, rule_edges
from teammemory.identity.resolve import resolve as resolve_store
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo


def acc(key: str, source: str, email: str = "", name: str = "", login: str = "", display_name: str = "") -> Account:
    return Account(key, source, email, name, login, "", display_name)


def resolve(accounts: Sequence[Account], proof: Proof) -> tuple[list[list[str]], dict[str, tuple[str, str]]]:
    """Groups and account -> (rule, evidence), as identity.resolve makes them (no store)."""
    groups = group(accounts, rule_edges(accounts, []), set())
    merge_by_name(groups, accounts, frozenset(), DEFAULT_NAME_STOPLIST, None, proof.pairs, proof)
    return sorted(sorted(g) for g in groups.groups()), {k: (e.rule, e.evidence) for k, e in groups.joined_by.items()}


# ---- closes-login -----------------------------------------------------------------------------

def test_closes_lines_are_read_as_merge_scripts_write_them() -> None:
    rows = [("h1", "g1", "Fix it\n\nReviewers: A <a@x.org>\nThis closes #2211 from SunDapeng1/branch-2211\n"),
            ("h2", "g2", "x\n\nCloses #17 from jdoe/fix-1 and squashes the following commits:\n"),
            ("h3", "g3", "closes #5 in the docs"),                       # no 'from L/branch': nothing
            ("h4", "g4", "see: This closes #9 from a/b")]                # not at a line's start: nothing
    assert closed_prs(rows) == [Closed("jdoe", "g2", "h2", 17), Closed("sundapeng1", "g1", "h1", 2211)]


DAPENG = [acc("g1", "git", "1807643853@qq.com", "Dapeng"), acc("g2", "git", "sundapeng@cmss.chinamobile.com", "Dapeng"),
          acc("g3", "git", "42792537+SunDapeng1@users.noreply.github.com", "Dapeng"),
          acc("g4", "git", "dapeng@other.org", "Dapeng")]  # one-word 'Dapeng' elsewhere, closing no PR of his


def test_closes_login_joins_one_users_prs_under_one_name() -> None:
    closed = [Closed("sundapeng1", "g1", "h4", 2268), Closed("sundapeng1", "g2", "h2", 2211),
              Closed("sundapeng1", "g3", "h1", 2207)]
    groups, why = resolve(DAPENG, Proof(closed=closed))
    # g1..g3 wrote commits closing PRs of SunDapeng1, all as 'Dapeng'; g4 only shares the word
    assert groups == [["g1", "g2", "g3"], ["g4"]]
    # the bucket is visited in key order (anchor g1); the first PR (#2207, by number) is the evidence
    assert why["g2"] == ("closes-login", "commits closing PRs of GitHub user sundapeng1 under one name 'dapeng' "
                                         "(h1: 'closes #2207 from sundapeng1/…'): Dapeng <1807643853@qq.com> and "
                                         "Dapeng <sundapeng@cmss.chinamobile.com>")
    # without the PRs the one-word name proves nothing
    assert resolve(DAPENG, Proof())[0] == [["g1"], ["g2"], ["g3"], ["g4"]]


def test_closes_login_joins_the_logins_own_accounts_by_name_and_no_other_name() -> None:
    # a maintainer (jiazhai) opened PRs for patches others wrote: the commit's author is not the
    # PR's author, so only the accounts under the login's own name join
    accounts = [acc("g1", "git", "zhaijia@apache.org", "Jia Zhai"), acc("g2", "git", "jia.zhai@emc.com", "Jia Zhai"),
                acc("g3", "git", "govind@yahoo-inc.com", "Govind Menon"),
                acc("g4", "git", "govind@gmail.com", "Govind"),
                acc("h1", "github", login="jiazhai", display_name="Jia Zhai")]
    closed = [Closed("jiazhai", "g1", "c1", 1), Closed("jiazhai", "g3", "c2", 2), Closed("jiazhai", "g4", "c3", 3)]
    groups, why = resolve(accounts, Proof(closed=closed))
    # g1+g2 already one by same-name; the GitHub account joins them through its display name
    assert groups == [["g1", "g2", "h1"], ["g3"], ["g4"]]
    assert why["h1"][0] == "github-name"  # same-name ran first: the full name was enough
    # a one-word name needs the PR: GitHub 'Jia' joins the 'Jia' who closed its PRs, not another 'Jia'
    jia = [acc("g1", "git", "zhaijia@apache.org", "Jia"), acc("h1", "github", login="jiazhai", display_name="Jia"),
           acc("g3", "git", "jia@yahoo-inc.com", "Jia")]
    assert resolve(jia, Proof(closed=[Closed("jiazhai", "g1", "c1", 1)]))[0] == [["g1", "h1"], ["g3"]]


def test_closes_login_is_refused_across_two_github_logins() -> None:
    accounts = [acc("g1", "git", "1+ann@users.noreply.github.com", "Ann"),
                acc("g2", "git", "2+annb@users.noreply.github.com", "Ann")]
    closed = [Closed("ann", "g1", "c1", 1), Closed("ann", "g2", "c2", 2)]
    assert resolve(accounts, Proof(closed=closed))[0] == [["g1"], ["g2"]]


# ---- commit-handle ----------------------------------------------------------------------------

GAO = [acc("a1", "git", "gaozhangmin456@qq.com", "gaozhangmin"),
       acc("a2", "git", "gavingaozhangmin@didiglobal.com", "gavingaozhangmin"),
       acc("a3", "git", "uestcdongcao@163.com", "magiccao"), acc("a4", "git", "dongcao@trip.com", "dongcao"),
       acc("a5", "git", "kumar@x.org", "kumar"), acc("a6", "git", "akumar@y.org", "akumar")]


def test_commit_handle_joins_a_co_author_whose_handle_holds_the_authors() -> None:
    pairs = [("a1", "a2", "co-author", "1162512f"), ("a3", "a4", "co-author", "f1ff8b4a"),
             ("a5", "a6", "co-author", "aa")]
    groups, why = resolve(GAO, Proof(pairs=pairs))
    # 'gaozhangmin' ends 'gavingaozhangmin'; 'dongcao' (a name and a local part) ends 'uestcdongcao'
    # (a local part); 'kumar' is 5 letters, shorter than MIN_HANDLE (6): a5/a6 stay apart
    assert groups == [["a1", "a2"], ["a3", "a4"], ["a5"], ["a6"]]
    assert why["a2"] == ("commit-handle", "commit 1162512f authored, and co-authored, by handles 'gaozhangmin' and "
                                          "'gavingaozhangmin': gaozhangmin <gaozhangmin456@qq.com> and "
                                          "gavingaozhangmin <gavingaozhangmin@didiglobal.com>")
    # the handles alone, without the commit, prove nothing
    assert resolve(GAO, Proof())[0] == [["a1"], ["a2"], ["a3"], ["a4"], ["a5"], ["a6"]]


def test_commit_handle_needs_two_emails_and_no_conflict() -> None:
    accounts = [acc("g1", "git", "1+gaozhangmin@users.noreply.github.com", "gaozhangmin"),
                acc("g2", "git", "2+gavingaozhangmin@users.noreply.github.com", "gavingaozhangmin"),
                acc("g3", "git", "", "nicklixinyang"), acc("g4", "git", "lixinyang@x.org", "lixinyang")]
    pairs = [("g1", "g2", "co-author", "a1"), ("g4", "g3", "co-author", "a2")]
    # two GitHub logins are two people; a name without an email is no commit's account
    assert resolve(accounts, Proof(pairs=pairs))[0] == [["g1"], ["g2"], ["g3"], ["g4"]]


# ---- repeat-co-author -------------------------------------------------------------------------

def _co(ken_commits: int, fan: int, *, fan_authored: int = 0, other_author: bool = False) -> Proof:
    co = {("k", "f"): (fan, "23289b74")}
    if other_author:
        co[("m", "f")] = (1, "0b0b0b0b")
    return Proof(co_authored=co, authored={"k": ken_commits, "m": 200, "f": fan_authored})


KEN = [acc("k", "git", "1647023764@qq.com", "ken"), acc("f", "git", "fanjianye@bigo.sg", "fanjianye"),
       acc("m", "git", "mmerli@apache.org", "Matteo Merli")]


def test_repeat_co_author_of_most_of_one_developers_commits_is_that_developer() -> None:
    groups, why = resolve(KEN, _co(7, 5))
    assert groups == [["f", "k"], ["m"]]
    assert why["f"] == ("repeat-co-author", "co-author only of this developer's commits, 5 of its 7 (first 23289b74): "
                                            "ken <1647023764@qq.com> and fanjianye <fanjianye@bigo.sg>")
    # the half is inclusive: 4 of 8 joins, 4 of 9 does not
    assert resolve(KEN, _co(8, 4))[0] == [["f", "k"], ["m"]]
    assert resolve(KEN, _co(9, 4))[0] == [["f"], ["k"], ["m"]]


def test_repeat_co_author_guards() -> None:
    apart = [["f"], ["k"], ["m"]]
    assert resolve(KEN, _co(1, 1))[0] == apart                    # once is a collaboration, not a habit
    assert resolve(KEN, _co(7, 5, fan_authored=3))[0] == apart    # commits work of its own: a colleague
    assert resolve(KEN, _co(7, 5, other_author=True))[0] == apart  # co-authors two developers' commits
    committer = _co(7, 5)
    assert resolve(KEN, Proof(co_authored=committer.co_authored, authored=committer.authored,
                              committers=frozenset({"f"})))[0] == apart  # it committed something


def test_the_result_does_not_depend_on_the_order_of_accounts_or_proof() -> None:
    accounts = [*DAPENG, *GAO, *KEN]
    closed = [Closed("sundapeng1", "g1", "h4", 2268), Closed("sundapeng1", "g2", "h2", 2211)]
    pairs = [("a1", "a2", "co-author", "1162512f"), ("a3", "a4", "co-author", "f1ff8b4a")]
    proof = Proof(pairs=pairs, closed=closed, co_authored=_co(7, 5).co_authored, authored=_co(7, 5).authored)
    expected = resolve(accounts, proof)
    rng = random.Random(9)
    for _ in range(5):
        shuffled = accounts[:]
        rng.shuffle(shuffled)
        again = Proof(pairs=rng.sample(pairs, len(pairs)), closed=rng.sample(closed, len(closed)),
                      co_authored=dict(rng.sample(sorted(proof.co_authored.items()), len(proof.co_authored))),
                      authored=proof.authored)
        assert resolve(shuffled, again) == expected


# ---- end to end -------------------------------------------------------------------------------

T = 1_700_000_000


def _developers(store: Store) -> dict[str, list[str]]:
    with store.read() as db:
        listing = people.list_developers(db)
    return {d.key: sorted(f"{i.name} <{i.email}>" for i in d.identities) for d in listing.developers}


def test_the_three_rules_from_a_real_git_history_and_off_with_the_name_rules(store: Store, tmp_path: Path) -> None:
    squash = "GitHub <noreply@github.com>"
    path = build_repo(tmp_path / "proj", [
        FakeCommit("Dapeng <sundapeng@cmss.example.com>", T, "Shell -conf\n\nThis closes #2211 from SunDapeng1/b-1\n",
                   {"a": "1\n"}),
        FakeCommit("Dapeng <1807643853@qq.example.com>", T + 1, "Console\n\nThis closes #2268 from SunDapeng1/b-2\n",
                   {"a": "2\n"}, committer=squash),
        FakeCommit("gaozhangmin <gaozhangmin456@qq.example.com>", T + 2,
                   "Fix blank (#3781)\n\nCo-authored-by: gavingaozhangmin <gavingaozhangmin@didi.example.com>\n",
                   {"a": "3\n"}, committer=squash),
        FakeCommit("ken <1647023764@qq.example.com>", T + 3,
                   "Fix npe (#4610)\n\nCo-authored-by: fanjianye <fanjianye@bigo.example.com>\n", {"a": "4\n"},
                   committer=squash),
        FakeCommit("ken <1647023764@qq.example.com>", T + 4,
                   "Fix leak (#4609)\n\nCo-authored-by: fanjianye <fanjianye@bigo.example.com>\n", {"a": "5\n"},
                   committer=squash),
        FakeCommit("ken <1647023764@qq.example.com>", T + 5, "Fix metric", {"a": "6\n"}, committer=squash),
    ])
    ingest_git(store, path, config=Config(), clock=lambda: 1_800_000_000.0)
    devs = _developers(store)
    assert devs["dapeng"] == ["Dapeng <1807643853@qq.example.com>", "Dapeng <sundapeng@cmss.example.com>"]
    assert devs["gaozhangmin"] == ["gaozhangmin <gaozhangmin456@qq.example.com>",
                                   "gavingaozhangmin <gavingaozhangmin@didi.example.com>"]
    assert devs["ken"] == ["fanjianye <fanjianye@bigo.example.com>", "ken <1647023764@qq.example.com>"]  # 2 of 3
    with store.read() as db:
        rules = {r["name"]: r["rule"] for r in db.all("select name, rule from identities where source = 'git'")}
    assert {rules["Dapeng"], rules["gavingaozhangmin"], rules["fanjianye"]} == {
        "closes-login", "commit-handle", "repeat-co-author"}
    with store.write() as db:
        resolve_store(db, Config(match_names=False))
    assert len(_developers(store)) == 7  # GitHub's web-flow committer, and every account alone

"""The merge-login rule on literal commit graphs (shapes from Pallets Flask's history)."""

from __future__ import annotations

import random

from teammemory.identity.match import Account
from teammemory.identity.merge_login import GitCommit, MergeLogin, edges, merge_logins, owned_logins

ONLY = ", whose branch only {who} wrote"


def c(h: str, author: str, *parents: str, subject: str = "change") -> GitCommit:
    return GitCommit("pallets/flask", h, author, subject, parents)


def acc(key: str, source: str = "git", email: str = "", name: str = "", login: str = "") -> Account:
    return Account(key, source, email, name, login, "", "")


# main: m0 <- m1 <- M1 (merges b1 by Redian Ibra) <- M2 (merges b2 by the noreply account)
#       <- M3 (merges b3 by David Lord, the merger, and b4 by Xephyr826: the merger's fix-up is left out)
#       <- M4 (merges b5 by Ana and b6 by Bo: two accounts, nothing proved)
#       <- M5 (a branch pushed to pallets itself: nothing proved)
GRAPH = [
    c("m0", "david"), c("m1", "david", "m0"),
    c("b1", "redian-ibra", "m1"), c("M1", "david", "m1", "b1", subject="Merge pull request #1630 from redian/master"),
    c("b2", "redian-noreply", "M1"),
    c("M2", "david", "M1", "b2", subject="Merge pull request #1629 from redian/patch-3"),
    c("b4", "xephyr", "M2"), c("b3", "david", "b4"),
    c("M3", "david", "M2", "b3", subject="Merge pull request #2277 from jlara310/master"),
    c("b5", "ana", "M3"), c("b6", "bo", "b5"), c("M4", "david", "M3", "b6", subject="Merge pull request #9 from ana/x"),
    c("b7", "cy", "M4"), c("M5", "david", "M4", "b7", subject="Merge pull request #10 from pallets/fix"),
]


def test_the_one_account_of_each_pr_branch_owns_the_login_it_came_from() -> None:
    assert [(p.login, p.git_key, p.evidence) for p in merge_logins(GRAPH)] == [
        ("redian", "redian-ibra", "merge commit M1 of PR #1630 from redian/master" + ONLY),
        ("redian", "redian-noreply", "merge commit M2 of PR #1629 from redian/patch-3" + ONLY),
        ("jlara310", "xephyr", "merge commit M3 of PR #2277 from jlara310/master" + ONLY)]


def test_the_same_in_any_order() -> None:
    shuffled = GRAPH[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(merge_logins(shuffled), key=str) == sorted(merge_logins(GRAPH), key=str)


def test_a_branch_the_merger_wrote_alone_proves_nothing() -> None:
    graph = [c("m0", "david"), c("b1", "david", "m0"),
             c("M1", "david", "m0", "b1", subject="Merge pull request #5 from davidism/docs")]
    assert merge_logins(graph) == []


def test_a_too_long_branch_proves_nothing() -> None:
    def graph(length: int) -> list[GitCommit]:
        branch = [c("b0", "ana", "m0")] + [c(f"b{i}", "ana", f"b{i - 1}") for i in range(1, length)]
        return [c("m0", "david"), *branch,
                c("M1", "david", "m0", f"b{length - 1}", subject="Merge pull request #5 from ana/x")]
    assert [p.git_key for p in merge_logins(graph(200))] == ["ana"]
    assert merge_logins(graph(201)) == []


def test_edges_tie_the_accounts_of_a_login_to_its_own_account_only() -> None:
    accounts = [acc("g1", email="redian@dred.com", name="Redian Ibra"),
                acc("g2", email="redian@users.noreply.github.com", name="Redian"),
                acc("g3", email="xephyr826@gmail.com", name="Xephyr826")]
    proved = [MergeLogin("redian", "g1", "merge commit M1 of PR #1630 from redian/master" + ONLY),
              MergeLogin("redian", "g2", "merge commit M2 of PR #1629 from redian/patch-3" + ONLY),
              MergeLogin("jlara310", "g3", "merge commit M3 of PR #2277 from jlara310/master" + ONLY)]
    assert [(e.a, e.b, e.rule, e.evidence) for e in edges(accounts, proved)] == [
        ("g2", "g1", "merge-login", "merge commit M1 of PR #1630 from redian/master, whose branch only "
                                    "Redian Ibra <redian@dred.com> wrote: GitHub login redian")]
    # with the login's GitHub account, that is the anchor; one git account of a login alone ties nothing
    with_gh = [*accounts, acc("gh1", "github", login="jlara310")]
    assert [(e.a, e.b) for e in edges(with_gh, proved)] == [("gh1", "g3"), ("g2", "g1")]
    # no account of the login itself: nothing; two git accounts never join by a login alone (it may
    # be an organisation's: Flask's mlh-fellowship branches are two fellows')
    assert edges([accounts[0], accounts[2]], [proved[0], MergeLogin("redian", "g3", "PR 2 by {who}")]) == []


def test_an_account_proved_for_two_logins_owns_neither_for_the_name_rules() -> None:
    proved = [MergeLogin("sprin", "g1", "merge commit M1 of PR #1577 from sprin/1102" + ONLY),
              MergeLogin("ana", "g2", "merge commit M2 of PR #7 from ana/x" + ONLY),
              MergeLogin("bo", "g2", "merge commit M3 of PR #8 from bo/y" + ONLY)]
    assert owned_logins(proved) == {
        "g1": ("sprin", "GitHub login @sprin by its merge commit M1 of PR #1577 from sprin/1102")}


def test_a_login_three_accounts_wrote_branches_of_is_a_shared_fork_for_the_name_rules() -> None:
    proved = [MergeLogin("pallets", k, "merge commit M of PR #1 from pallets/x" + ONLY) for k in ("g1", "g2", "g3")]
    proved.append(MergeLogin("sprin", "g1", "merge commit M1 of PR #1577 from sprin/1102" + ONLY))
    assert owned_logins(proved) == {
        "g1": ("sprin", "GitHub login @sprin by its merge commit M1 of PR #1577 from sprin/1102")}
    # two writers: still a login (two owners make login-name's claim ambiguous, not wrong)
    assert owned_logins(proved[1:]) == {"g1": ("sprin", "GitHub login @sprin by its merge commit M1 of PR #1577 from "
                                                        "sprin/1102"),
                                        "g2": ("pallets", "GitHub login @pallets by its merge commit M of PR #1 from "
                                                          "pallets/x"),
                                        "g3": ("pallets", "GitHub login @pallets by its merge commit M of PR #1 from "
                                                          "pallets/x")}


def test_a_branch_based_on_an_earlier_branch_holds_only_its_own_commits() -> None:
    # Flask b3b5a98f: Redian Ibra's 96f7b07c sits on bd4020d9, a commit of an earlier PR branch (by
    # Bo) that the mainline merged before; the earlier branch is not this merge's
    graph = [c("m0", "david"), c("e1", "bo", "m0"),
             c("M0", "david", "m0", "e1", subject="Merge pull request #1 from bo/x"),
             c("b1", "redian-ibra", "e1"),
             c("M1", "david", "M0", "b1", subject="Merge pull request #1630 from redian/master")]
    assert [(p.login, p.git_key) for p in merge_logins(graph)] == [("bo", "bo"), ("redian", "redian-ibra")]

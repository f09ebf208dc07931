"""identity/match.py: the rules that need no name, and how a grouping records its edges."""

from __future__ import annotations

import random

from teammemory.identity import normalize
from teammemory.identity.match import Account, Edge, Groups, alias_edges, group, rule_edges


def acc(key: str, source: str, email: str = "", name: str = "", login: str = "", account_id: str = "",
        display_name: str = "") -> Account:
    return Account(key, source, email, name, login, account_id, display_name)


MEHMET_GIT = acc("g1", "git", "mehmet.turac@acme.io", "Mehmet Turac")
MEHMET_NOREPLY = acc("g2", "git", "41234+mturac@users.noreply.github.com", "mturac")
MEHMET_GH = acc("h1", "github", login="mturac")
MEHMET_JIRA = acc("j1", "jira", "Mehmet.Turac@acme.io", account_id="5b10a", display_name="Mehmet Turac")
AYSE_GIT = acc("g3", "git", "ayse@acme.io", "Ayşe Demir")
AYSE_GH = acc("h2", "github", login="aysed")
OTHER_MEHMET = acc("g4", "git", "mehmet@elsewhere.org", "Mehmet Turac")


def test_normalize() -> None:
    assert normalize.email("  Ana@Example.COM ") == "ana@example.com"
    assert normalize.email("(none)") == ""
    assert normalize.email("eolivelli@apache.org, Sijie Guo  <sijie@apache.org") == ""  # a broken trailer
    assert normalize.local_part("Kev.Kirsche+GitHub@gmail.com") == "kev.kirsche"
    assert normalize.local_part("None") == ""
    assert normalize.is_mangled("sijieapache.org") and not normalize.is_mangled("sijie@apache.org")
    assert not normalize.is_mangled("None") and not normalize.is_mangled("Jane Roe")
    assert normalize.mangled_forms("Sijie@Apache.org") == ("sijieapache.org", "sijie.apache.org")
    assert normalize.noreply_login("41234+MTurac@users.noreply.github.com") == "mturac"
    assert normalize.noreply_login("mturac@users.noreply.github.com") == "mturac"
    assert normalize.noreply_login("mturac@acme.io") == ""
    assert normalize.slug("Ayşe  Demir") == "ayse-demir"
    assert normalize.is_bot(["*[bot]"], "dependabot[bot]")
    assert normalize.is_bot(["github-actions*"], "", "41898282+github-actions[bot]@users.noreply.github.com")
    assert not normalize.is_bot(["*[bot]", "*-bot"], "robert", "Robot Framework")


def test_rules_tie_git_github_and_jira() -> None:
    accounts = [MEHMET_GIT, MEHMET_NOREPLY, MEHMET_GH, MEHMET_JIRA, AYSE_GIT, AYSE_GH, OTHER_MEHMET]
    edges = rule_edges(accounts, commit_logins=[("g3", "h2", "PR #382 commits API names the author")])
    groups = group(accounts, edges, split=set()).groups()
    assert sorted(groups) == [["g1", "j1"], ["g2", "h1"], ["g3", "h2"], ["g4"]]
    rules = {(e.a, e.b): e.rule for e in edges}
    assert rules[("g1", "j1")] == "same-email"  # case folded
    assert rules[("h1", "g2")] == "noreply-login"
    assert rules[("h2", "g3")] == "commit-login"


def test_same_name_alone_is_no_rule_here() -> None:
    edges = rule_edges([MEHMET_GIT, OTHER_MEHMET], [])
    assert edges == []  # names are identity/by_name.py's, with its guards


def test_mangled_email_ties_to_the_one_real_email_it_spells() -> None:
    real = acc("g1", "git", "sijie@apache.org", "Sijie Guo")
    dropped = acc("g2", "git", "sijieapache.org", "Sijie Guo")     # '@' dropped
    dotted = acc("g3", "git", "sijie.apache.org", "Sijie Guo")     # '@' turned into '.'
    unknown = acc("g4", "git", "zshisalesforce.com", "Zhimeng Shi")  # spells no email we know
    edges = rule_edges([real, dropped, dotted, unknown], [])
    assert [(e.a, e.b, e.rule) for e in edges] == [("g1", "g2", "mangled-email"), ("g1", "g3", "mangled-email")]
    assert edges[0].evidence == "email sijieapache.org is sijie@apache.org with its '@' lost"


def test_mangled_email_that_spells_two_real_emails_ties_nobody() -> None:
    # 'ab@c.org' and 'a@bc.org' both read 'abc.org' without the '@'
    accounts = [acc("g1", "git", "ab@c.org"), acc("g2", "git", "a@bc.org"), acc("g3", "git", "abc.org")]
    assert rule_edges(accounts, []) == []


def test_noreply_emails_of_one_login_tie_without_a_github_account() -> None:
    a = acc("g1", "git", "8622884+dlg99@users.noreply.github.com", "Andrey Yegorov")
    b = acc("g2", "git", "dlg99@users.noreply.github.com", "Andrey Yegorov")
    assert [(e.a, e.b, e.rule) for e in rule_edges([b, a], [])] == [("g1", "g2", "noreply-login")]


def test_login_local_part_needs_the_local_part_to_be_the_login() -> None:
    gh = acc("h1", "github", login="jdoe")
    mine = acc("g1", "git", "j.doe@company.com", "Jane Doe")       # 'j.doe' squashed is 'jdoe'
    merger = acc("g2", "git", "maintainer@company.com", "Max Maintainer")  # merged the PR: not her
    rows = [("h1", "jdoe", "g1", "j.doe@company.com", "acme/app PR #7"),
            ("h1", "jdoe", "g2", "maintainer@company.com", "acme/app PR #7")]
    edges = rule_edges([gh, mine, merger], [], rows)
    assert [(e.a, e.b, e.rule, e.evidence) for e in edges] == [
        ("h1", "g1", "login-local-part", "acme/app PR #7 by @jdoe holds commits by j.doe@company.com")]


def test_alias_and_manual_split() -> None:
    accounts = [MEHMET_GIT, MEHMET_NOREPLY, MEHMET_GH, MEHMET_JIRA]
    edges = rule_edges(accounts, []) + alias_edges(accounts, [("Mehmet", ["email:mehmet.turac@acme.io",
                                                                          "login:mturac"])])
    g = group(accounts, edges, split=set())
    assert g.groups() == [["g1", "g2", "h1", "j1"]]
    # tree: g1-j1 same-email (the strongest, so g1 is the root), h1-g2 noreply, g1-h1 alias;
    # from g1, h1 is reached by the alias and g2 through h1 by its noreply email
    assert {k: e.rule for k, e in g.joined_by.items()} == {
        "g1": "same-email", "j1": "same-email", "h1": "config-alias", "g2": "noreply-login"}
    split = group(accounts, edges, split={"g2"})
    assert sorted(split.groups()) == [["g1", "h1", "j1"], ["g2"]]
    merged = group(accounts, edges + [Edge("g1", "g2", "manual-merge", "x")], split={"g2"})
    assert merged.groups() == [["g1", "g2", "h1", "j1"]]


def test_every_join_is_recorded_by_exactly_one_account() -> None:
    # two groups of two (same email) joined by a third edge: the old "first edge of each account"
    # recorded only the two same-email edges and lost the join
    g = Groups(["a1", "a2", "b1", "b2"])
    for edge in (Edge("a1", "a2", "same-email", "e1"), Edge("b1", "b2", "same-email", "e2"),
                 Edge("a2", "b1", "same-name", "e3")):
        g.union(edge)
    joined = {k: e.evidence for k, e in g.joined_by.items()}
    assert joined == {"a1": "e1", "a2": "e1", "b1": "e3", "b2": "e2"}


def test_grouping_and_recorded_rules_ignore_the_order_of_accounts_and_edges() -> None:
    accounts = [MEHMET_GIT, MEHMET_NOREPLY, MEHMET_GH, MEHMET_JIRA, AYSE_GIT, AYSE_GH, OTHER_MEHMET]
    logins = [("g3", "h2", "PR #382 commits API names the author")]
    aliases = [("Mehmet", ["email:mehmet.turac@acme.io", "login:mturac"])]

    def run(accs: list[Account]) -> tuple[list[list[str]], dict[str, str]]:
        edges = rule_edges(accs, logins) + alias_edges(accs, aliases)
        random.Random(len(accs)).shuffle(edges)
        g = group(accs, edges, split=set())
        return g.groups(), {k: f"{e.rule}: {e.evidence}" for k, e in g.joined_by.items()}

    expected = run(accounts)
    assert expected[0] == [["g1", "g2", "h1", "j1"], ["g3", "h2"], ["g4"]]
    for seed in range(5):
        shuffled = list(accounts)
        random.Random(seed).shuffle(shuffled)
        assert run(shuffled) == expected

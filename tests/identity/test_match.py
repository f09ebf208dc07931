from __future__ import annotations

from teammemory.identity import normalize
from teammemory.identity.match import Account, Edge, alias_edges, group, rule_edges


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


def test_same_name_alone_never_merges() -> None:
    edges = rule_edges([MEHMET_GIT, OTHER_MEHMET], [])
    assert edges == []


def test_alias_and_manual_split() -> None:
    accounts = [MEHMET_GIT, MEHMET_NOREPLY, MEHMET_GH, MEHMET_JIRA]
    edges = rule_edges(accounts, []) + alias_edges(accounts, [("Mehmet", ["email:mehmet.turac@acme.io",
                                                                          "login:mturac"])])
    g = group(accounts, edges, split=set())
    assert g.groups() == [["g1", "g2", "h1", "j1"]]
    assert g.joined_by["h1"].rule == "noreply-login"
    split = group(accounts, edges, split={"g2"})
    assert sorted(split.groups()) == [["g1", "h1", "j1"], ["g2"]]
    merged = group(accounts, edges + [Edge("g1", "g2", "manual-merge", "x")], split={"g2"})
    assert merged.groups() == [["g1", "g2", "h1", "j1"]]

"""identity/by_name.py: each name rule on literal accounts, each guard's negative case, and order
independence. Expected groupings are worked out by hand in the comments."""

from __future__ import annotations

import random
from collections.abc import Sequence

from teammemory.config import DEFAULT_NAME_STOPLIST
from teammemory.identity.by_name import merge_by_name
from teammemory.identity.match import Account, Edge, group, rule_edges


def acc(key: str, source: str, email: str = "", name: str = "", login: str = "", account_id: str = "",
        display_name: str = "") -> Account:
    return Account(key, source, email, name, login, account_id, display_name)


def resolve(accounts: Sequence[Account], split: frozenset[str] = frozenset(),
            extra: Sequence[Edge] = ()) -> tuple[list[list[str]], dict[str, tuple[str, str]]]:
    """Groups, and account -> (rule, evidence), as identity.resolve makes them (no store)."""
    groups = group(accounts, rule_edges(accounts, []) + list(extra), set(split))
    merge_by_name(groups, accounts, split, DEFAULT_NAME_STOPLIST)
    return groups.groups(), {k: (e.rule, e.evidence) for k, e in groups.joined_by.items()}


def rules(accounts: Sequence[Account]) -> dict[str, str]:
    return {k: rule for k, (rule, _) in resolve(accounts)[1].items()}


SIJIE = [
    acc("g1", "git", "sijie@apache.org", "Sijie Guo"),
    acc("g2", "git", "sijieg@twitter.com", "Sijie Guo"),
    acc("g3", "git", "guosijie@gmail.com", "Guo, Sijie"),      # "Last, First"
    acc("g4", "git", "", "Sijie Guo"),                         # `Reviewers: Sijie Guo`
    acc("g5", "git", "None", "SIJIE  GUO"),                    # `Sijie Guo <None>`
]


def test_same_name_across_emails_and_name_only_trailers() -> None:
    groups, why = resolve(SIJIE)
    assert groups == [["g1", "g2", "g3", "g4", "g5"]]
    # one bucket 'sijie guo'; anchor g1 (has an email, smallest key) joins g2..g5; g1, the root,
    # records the first edge (to g2)
    assert {k: r for k, (r, _) in why.items()} == {
        "g1": "same-name", "g2": "same-name", "g3": "same-name", "g4": "name-only", "g5": "name-only"}
    assert why["g4"][1] == "same name 'sijie guo': Sijie Guo <sijie@apache.org> and Sijie Guo (no email)"


def test_accents_and_middle_initial_on_one_side_match() -> None:
    accounts = [acc("g1", "git", "nb@a.org", "Nicolò Boschi"), acc("g2", "git", "nb@b.org", "Nicolo Boschi"),
                acc("g3", "git", "ak@a.org", "Arun M. Krishnakumar"), acc("g4", "git", "ak@b.org", "Arun Krishnakumar")]
    assert resolve(accounts)[0] == [["g1", "g2"], ["g3", "g4"]]


def test_two_different_middle_initials_make_the_name_ambiguous() -> None:
    accounts = [acc("g1", "git", "a@x.org", "Ivan B. Kelly"), acc("g2", "git", "b@x.org", "Ivan C. Kelly"),
                acc("g3", "git", "c@x.org", "Ivan Kelly")]
    assert resolve(accounts)[0] == [["g1"], ["g2"], ["g3"]]  # g3 could be either: nobody is joined


def test_a_full_middle_name_does_not_match() -> None:
    accounts = [acc("g1", "git", "a@x.org", "Ivan Brendan Kelly"), acc("g2", "git", "b@x.org", "Ivan Kelly")]
    assert resolve(accounts)[0] == [["g1"], ["g2"]]


def test_placeholders_generic_and_one_word_names_never_match() -> None:
    accounts = [acc("g1", "git", "root@host1", "root"), acc("g2", "git", "root@host2", "root"),
                acc("g3", "git", "u@h1", "Ubuntu User"), acc("g4", "git", "u@h2", "Ubuntu User"),
                acc("g5", "git", "a@x.org", "Aloys"), acc("g6", "git", "a@y.org", "Aloys"),
                acc("g7", "git", "m@x.org", "Max"), acc("g8", "git", "", "Max")]
    assert resolve(accounts)[0] == [[k] for k in ("g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8")]


def test_two_github_logins_keep_a_shared_name_apart() -> None:
    accounts = [
        acc("g1", "git", "jroe@users.noreply.github.com", "Jane Roe"),  # login jroe
        acc("h1", "github", login="janeroe", display_name="Jane Roe"),  # another login, same name
        acc("g2", "git", "jane@y.org", "Jane Roe"),
        acc("g3", "git", "", "Jane Roe"),
    ]
    # two people carry 'Jane Roe'; g2 and g3 could be either, so nobody is joined by the name
    assert resolve(accounts)[0] == [["g1"], ["g2"], ["g3"], ["h1"]]


def test_two_jira_accounts_keep_a_shared_name_apart() -> None:
    accounts = [acc("j1", "jira", account_id="5b10a", display_name="Jane Roe"),
                acc("j2", "jira", account_id="6c20b", display_name="Jane Roe"),
                acc("g1", "git", "jane@y.org", "Jane Roe")]
    assert resolve(accounts)[0] == [["g1"], ["j1"], ["j2"]]


def test_jira_and_github_accounts_join_by_display_name() -> None:
    accounts = [acc("g1", "git", "mehmet@acme.io", "Mehmet Turac"),
                acc("j1", "jira", account_id="5b10a", display_name="Mehmet Turac"),  # Jira Server: no email
                acc("h1", "github", login="mturac", display_name="Mehmet Turac")]
    assert resolve(accounts)[0] == [["g1", "h1", "j1"]]
    assert rules(accounts) == {"g1": "github-name", "h1": "github-name", "j1": "jira-name"}


def test_a_manual_split_is_never_rejoined_by_name() -> None:
    assert resolve(SIJIE, split=frozenset({"g2"}))[0] == [["g1", "g3", "g4", "g5"], ["g2"]]
    # nor through a manual merge: g2 split, then merged by hand with Other; the name rules must not
    # bring that developer back to the other Sijie accounts
    other = acc("g9", "git", "other@x.org", "Other Person")
    merged = resolve([*SIJIE, other], split=frozenset({"g2"}), extra=[Edge("g2", "g9", "manual-merge", "by hand")])
    assert merged[0] == [["g1", "g3", "g4", "g5"], ["g2", "g9"]]


def test_a_login_like_name_joins_the_one_owner_of_that_word() -> None:
    accounts = [
        acc("g1", "git", "ivan@ivankelly.net", "Ivan Kelly"),
        acc("g2", "git", "", "ivankelly"),                                # 'Ivan Kelly' as one word
        acc("g3", "git", "sijie@users.noreply.github.com", "Sijie Guo"),
        acc("g4", "git", "", "sijie"),                                    # GitHub login of g3
        acc("g5", "git", "shoothzj@gmail.com", "ZhangJian He"),
        acc("g6", "git", "shooothzj@gmail.com", "shoothzj"),              # local part of g5
    ]
    groups, why = resolve(accounts)
    assert groups == [["g1", "g2"], ["g3", "g4"], ["g5", "g6"]]
    assert why["g2"] == ("login-name", "name 'ivankelly' is Ivan Kelly <ivan@ivankelly.net>'s name written as one word")
    assert why["g4"] == ("login-name", "name 'sijie' is the GitHub login of sijie@users.noreply.github.com")
    assert why["g6"] == ("login-name", "name 'shoothzj' is the local part of shoothzj@gmail.com")


def test_accounts_with_one_login_like_name_join_each_other() -> None:
    accounts = [acc("g1", "git", "xieke89@gmail.com", "frankxieke"), acc("g2", "git", "kxie@x.io", "frankxieke")]
    assert resolve(accounts)[0] == [["g1", "g2"]]


def test_a_login_like_name_with_two_owners_joins_nobody() -> None:
    # 'jsmith' is John Smith's and Jane Smith's initial + last name: ambiguous
    accounts = [acc("g1", "git", "john@x.org", "John Smith"), acc("g2", "git", "jane@y.org", "Jane Smith"),
                acc("g3", "git", "", "jsmith")]
    assert resolve(accounts)[0] == [["g1"], ["g2"], ["g3"]]


def test_one_local_part_at_two_domains() -> None:
    accounts = [acc("g1", "git", "lushiji@didiglobal.com", "lushiji"),
                acc("g2", "git", "lushiji@apache.org", "StevenLuMT"),
                acc("g3", "git", "lushiji@xiaohongshu.com", "nuolin"),
                acc("g4", "git", "support@a.org", "Ann Lee"), acc("g5", "git", "support@b.org", "Bo Li"),  # generic
                acc("g6", "git", "michael@a.org", "Michael Marshall"),  # a word of his own name
                acc("g7", "git", "michael@b.org", "Michael Stack"),
                acc("g8", "git", "ab12@a.org", "Cy"), acc("g9", "git", "ab12@b.org", "Dee")]  # too short
    groups, why = resolve(accounts)
    assert groups == [["g1", "g2", "g3"], ["g4"], ["g5"], ["g6"], ["g7"], ["g8"], ["g9"]]
    assert why["g3"] == ("same-local-part", "same email local part 'lushiji': lushiji <lushiji@didiglobal.com> and "
                                            "nuolin <lushiji@xiaohongshu.com>")


def test_a_one_word_name_only_account_joins_the_one_developer_of_that_name() -> None:
    accounts = [acc("g1", "git", "arvindevel@gmail.com", "Arvin"), acc("g2", "git", "", "Arvin"),   # trailer name
                acc("g3", "git", "a@x.org", "Max"), acc("g4", "git", "b@y.org", "Max"), acc("g5", "git", "", "Max"),
                acc("g6", "git", "50226895+Anonymitaet@users.noreply.github.com", "Yu Liu"),
                acc("g7", "git", "", "Anonymitaet")]                                                 # a GitHub login
    groups, why = resolve(accounts)
    # two developers are called Max: the name-only Max could be either
    assert groups == [["g1", "g2"], ["g3"], ["g4"], ["g5"], ["g6", "g7"]]
    assert why["g2"] == ("login-name", "name 'Arvin' is the name of Arvin <arvindevel@gmail.com>")
    assert why["g7"] == ("login-name", "name 'Anonymitaet' is the GitHub login of "
                                       "50226895+anonymitaet@users.noreply.github.com")


def test_a_local_part_is_no_handle_when_it_names_nobody_or_spells_its_own_name() -> None:
    accounts = [acc("g1", "git", "github.com@daybarr.com", "Day Barr"),              # a per-service alias
                acc("g2", "git", "github.com@zopatista.com", "Martijn Pieters"),
                acc("g3", "git", "akasurde@redhat.com", "Abhijeet Kasurde"),         # A. Kasurde: his own
                acc("g4", "git", "aayush.kasurde@gmail.com", "Aayush Kasurde")]      # ... and Aayush's
    assert resolve(accounts)[0] == [["g1"], ["g2"], ["g3"], ["g4"]]


def test_a_local_part_that_spells_a_full_name() -> None:
    accounts = [acc("g1", "git", "rithin.shetty@salesforce.com", "Rithin"),
                acc("g2", "git", "rithin@gmail.com", "Rithin Shetty"),
                acc("g3", "git", "dcastor@salesforce.com", "Dustin"), acc("g4", "git", "", "Dustin Castor"),
                acc("g5", "git", "abhinav.sagar2016@x.in", "Abhinav"),  # a year appended
                acc("g6", "git", "40603139+abhinavsagar@users.noreply.github.com", "Abhinav Sagar")]
    groups, why = resolve(accounts)
    assert groups == [["g1", "g2"], ["g3", "g4"], ["g5", "g6"]]
    assert why["g3"] == ("login-name", "the local part of dcastor@salesforce.com is Dustin Castor (no email)'s name "
                                       "written as one word")


def test_a_given_name_is_no_login() -> None:
    # 'mark' is Mark Shannon's first name as well as his local part: it proves nothing
    accounts = [acc("g1", "git", "mark@hotpy.org", "Mark Shannon"), acc("g2", "git", "m@proton.me", "mark"),
                acc("g3", "git", "info@x.org", "Ann Lee"), acc("g4", "git", "", "info")]
    assert resolve(accounts)[0] == [["g1"], ["g2"], ["g3"], ["g4"]]


def test_a_login_name_that_conflicts_is_refused() -> None:
    accounts = [acc("g1", "git", "sijie@users.noreply.github.com", "Sijie Guo"),
                acc("g2", "git", "99+sijie2@users.noreply.github.com", "sijie")]  # its own, other login
    assert resolve(accounts)[0] == [["g1"], ["g2"]]


def test_the_result_does_not_depend_on_the_order_accounts_are_read() -> None:
    accounts = [*SIJIE,
                acc("g6", "git", "sijie@users.noreply.github.com", "Guo Sijie"),
                acc("g7", "git", "", "sijie"),
                acc("g8", "git", "a@x.org", "Ivan B. Kelly"), acc("g9", "git", "b@x.org", "Ivan Kelly"),
                acc("j1", "jira", account_id="5b10a", display_name="Sijie Guo"),
                acc("h1", "github", login="other", display_name="Ivan Kelly")]
    expected = resolve(accounts)
    # 'sijie guo' is one bucket: g1..g5 and j1 (one Jira account: no conflict); g6 'Guo Sijie' is
    # another name key (word order is kept); g3's local part 'guosijie' spells it, but spells
    # g3's own 'Sijie Guo' reversed too, so it claims nothing; 'sijie' (g7) is g6's GitHub login
    # (the local part 'sijie' of g1 is a word of its own name, no handle): g7 joins g6;
    # 'ivan kelly' joins g8 (middle initial B), g9 and the GitHub profile h1
    assert expected[0] == [["g1", "g2", "g3", "g4", "g5", "j1"], ["g6", "g7"], ["g8", "g9", "h1"]]
    for seed in range(6):
        shuffled = list(accounts)
        random.Random(seed).shuffle(shuffled)
        assert resolve(shuffled) == expected


def _self_commit(accounts: Sequence[Account], commits: Sequence[tuple[str, str, str, str]]) -> list[list[str]]:
    groups = group(accounts, rule_edges(accounts, []), set())
    merge_by_name(groups, accounts, frozenset(), DEFAULT_NAME_STOPLIST, None, commits)
    return sorted(sorted(g) for g in groups.groups())


def test_self_commit_joins_one_word_names_that_authored_and_committed_one_commit() -> None:
    # Flask de01dfb7: 'Max <maxim.suraev@here.com>' authored, 'Max <msuraev@sysmocom.de>' committed;
    # 'Max <garbados@gmail.com>' (2012) shares only the name: it stays apart
    max_ = [acc("g1", "git", "maxim.suraev@here.com", "Max"), acc("g2", "git", "msuraev@sysmocom.de", "Max"),
            acc("g3", "git", "garbados@gmail.com", "Max")]
    assert _self_commit(max_, []) == [["g1"], ["g2"], ["g3"]]
    assert _self_commit(max_, [("g1", "g2", "committer", "de01dfb7aa")]) == [["g1", "g2"], ["g3"]]
    groups = group(max_, rule_edges(max_, []), set())
    merge_by_name(groups, max_, frozenset(), DEFAULT_NAME_STOPLIST, None, [("g2", "g1", "committer", "de01dfb7aa")])
    assert {k: (e.rule, e.evidence) for k, e in groups.joined_by.items()}["g2"] == (
        "self-commit", "commit de01dfb7 authored, and committed, under one name: Max <msuraev@sysmocom.de> "
                       "and Max <maxim.suraev@here.com>")
    # a committer must carry the very name: 'Max' committing 'Max Countryman' proves nothing
    countryman = [*max_, acc("g4", "git", "maxc@me.com", "Max Countryman")]
    assert _self_commit(countryman, [("g4", "g3", "committer", "b1")]) == [["g1"], ["g2"], ["g3"], ["g4"]]


def test_self_commit_joins_a_co_author_under_the_first_word_of_the_authors_name() -> None:
    # Flask 577eec19: Sarthak Vineet Kumar's squash merge, "Co-authored-by: Sarthak <sarthak@MacBook.local>"
    sarthak = [acc("g1", "git", "sarthakchaudhary13@gmail.com", "Sarthak Vineet Kumar"),
               acc("g2", "git", "sarthak@MacBook.local", "Sarthak"), acc("g3", "git", "v@x.org", "Vineet")]
    assert _self_commit(sarthak, [("g1", "g2", "co-author", "577eec19")]) == [["g1", "g2"], ["g3"]]
    # another word of the name is not its first: no join; nor without the commit
    assert _self_commit(sarthak, [("g1", "g3", "co-author", "577eec19")]) == [["g1"], ["g2"], ["g3"]]
    assert _self_commit(sarthak, []) == [["g1"], ["g2"], ["g3"]]


def test_self_commit_needs_one_name_two_emails_no_placeholder_and_no_conflict() -> None:
    accounts = [acc("g1", "git", "ana@x.org", "Ana"), acc("g2", "git", "bo@y.org", "Bo"),      # a maintainer's commit
                acc("g3", "git", "u1@x.org", "unknown"), acc("g4", "git", "u2@y.org", "Unknown"),  # placeholder
                acc("g5", "git", "1+cy@users.noreply.github.com", "Cy"),                          # two logins
                acc("g6", "git", "2+cyn@users.noreply.github.com", "Cy"),
                acc("g7", "git", "", "Dee"), acc("g8", "git", "dee@x.org", "Dee")]               # a trailer name
    commits = [("g1", "g2", "committer", "a1"), ("g3", "g4", "co-author", "a2"), ("g5", "g6", "committer", "a3"),
               ("g7", "g8", "committer", "a4")]
    # a name with no email is no account of a commit: the rule asks both for an email
    alone = [[k] for k in ("g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8")]
    assert _self_commit(accounts, commits) == alone
    random.Random(3).shuffle(accounts)
    assert _self_commit(accounts, commits[::-1]) == alone

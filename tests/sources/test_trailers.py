"""trailers: literal message bodies -> the people their trailer lines credit (no git, no store)."""

from __future__ import annotations

import pytest

from teammemory.model import CommitPerson, IdentityRef
from teammemory.sources import trailers
from teammemory.sources.mailmap import parse_mailmap


def people(body: str) -> list[tuple[str, str, str, str]]:
    """(role, name or login, email, evidence) of every credit, in order."""
    return [(p.role, p.who.name or p.who.login, p.who.email, p.evidence) for p in trailers.parse_trailers(body)]


def test_every_key_and_its_role_case_insensitive() -> None:
    body = ("Reviewer: Ana Lima <ana@x.org>\n"
            "REVIEWERS: Bo Li <bo@x.org>\n"
            "reviewed-by: Cy Ng <cy@x.org>\n"
            "Acked-By: Dee Wu <dee@x.org>\n"
            "Tested-by: Eve Ra <eve@x.org>\n"
            "Co-Authored-By: Fay Oh <fay@x.org>\n"
            "Co-Author : Gus Yi <gus@x.org>\n"
            "Signed-off-by: Hal Jo <hal@x.org>\n")
    assert people(body) == [
        ("reviewer", "Ana Lima", "ana@x.org", "Reviewer trailer"),
        ("reviewer", "Bo Li", "bo@x.org", "Reviewers trailer"),
        ("reviewer", "Cy Ng", "cy@x.org", "Reviewed-by trailer"),
        ("acked-by", "Dee Wu", "dee@x.org", "Acked-by trailer"),
        ("tested-by", "Eve Ra", "eve@x.org", "Tested-by trailer"),
        ("co-author", "Fay Oh", "fay@x.org", "Co-authored-by trailer"),
        ("co-author", "Gus Yi", "gus@x.org", "Co-author trailer"),
        ("signed-off-by", "Hal Jo", "hal@x.org", "Signed-off-by trailer"),
    ]


def test_unknown_keys_and_prose_with_colons_are_not_trailers() -> None:
    body = ("Assisted-by: Claude Code\nAuthor: Ana Lima <ana@x.org>\nNote: Reviewers: come later\n"
            "Reviewed-by-ci: Bot <b@x.org>\nWe asked reviewers: Ana, Bo\n")
    assert people(body) == []


@pytest.mark.parametrize("key", ["Reviewer", "Reviewers", "Reviewed-by", "Acked-by", "Tested-by"])
def test_comma_lists_for_every_list_key(key: str) -> None:
    body = f'{key}: Jun Rao <jun@x.org>, Ismael Juma,"Li, Cy" <cy@x.org>\n'
    assert [(name, email) for _, name, email, _ in people(body)] == [
        ("Jun Rao", "jun@x.org"), ("Ismael Juma", ""), ("Li, Cy", "cy@x.org")]


def test_and_separates_people_in_a_list_but_particles_stay() -> None:
    assert [n for _, n, _, _ in people("Reviewers: Ana de Souza and Bo van der Berg & Cy al Amin\n")] == [
        "Ana de Souza", "Bo van der Berg", "Cy al Amin"]


def test_one_person_keys_keep_a_comma_in_a_name_but_split_two_emails() -> None:
    assert people("Co-authored-by: Doe, Jane <jane@x.org>\n") == [
        ("co-author", "Doe, Jane", "jane@x.org", "Co-authored-by trailer")]
    assert [(n, e) for _, n, e, _ in people("Signed-off-by: Ana <ana@x.org>, Bo <bo@x.org>\n")] == [
        ("Ana", "ana@x.org"), ("Bo", "bo@x.org")]


@pytest.mark.parametrize("written", ["<None>", "<none>", "<>", "< None >", "<null>"])
def test_placeholder_emails_mean_no_email(written: str) -> None:
    assert people(f"Reviewers: Andrey Yegorov {written}, LinChen <None>\n") == [
        ("reviewer", "Andrey Yegorov", "", "Reviewers trailer"),
        ("reviewer", "LinChen", "", "Reviewers trailer")]


def test_unclosed_angle_bracket_before_the_next_person() -> None:
    # bookkeeper 8502c2e46, verbatim: one '>' for two people
    body = "Reviewers: Enrico Olivelli <eolivelli@apache.org, Sijie Guo  <sijie@apache.org>\n"
    assert people(body) == [
        ("reviewer", "Enrico Olivelli", "eolivelli@apache.org", "Reviewers trailer; unclosed '<' repaired"),
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer")]
    assert [(n, e) for _, n, e, _ in people("Reviewers: Jane Roe <jane@x.org, John Doe <john@y.org>")] == [
        ("Jane Roe", "jane@x.org"), ("John Doe", "john@y.org")]


def test_unclosed_angle_bracket_at_the_end_and_a_missing_comma() -> None:
    assert people("Reviewers: Sijie Guo  <sijie@apache.org\n") == [
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer; unclosed '<' repaired")]
    assert [(n, e) for _, n, e, _ in people("Reviewers: Ana <ana@x.org> Bo Li <bo@x.org>\n")] == [
        ("Ana", "ana@x.org"), ("Bo Li", "bo@x.org")]


def test_an_email_that_lost_its_at_sign_is_kept_as_written_and_the_evidence_says_so() -> None:
    # kept so that the mangled-email rule can tie it to sijie@apache.org; the evidence says it is none
    assert people("Signed-off-by: Sijie Guo <sijieapache.org>\n") == [
        ("signed-off-by", "Sijie Guo", "sijieapache.org",
         "Signed-off-by trailer; email 'sijieapache.org' kept as written: no '@', not a real address")]
    # text that cannot be an email (a space, no dot) is still dropped
    assert people("Signed-off-by: Sijie Guo <sijie apache>\n") == [
        ("signed-off-by", "Sijie Guo", "", "Signed-off-by trailer; email 'sijie apache' dropped (no '@')")]
    assert people("Signed-off-by: Sijie Guo <sijie>\n") == [
        ("signed-off-by", "Sijie Guo", "", "Signed-off-by trailer; email 'sijie' dropped (no '@')")]
    # without a name nothing is left: no person
    assert people("Reviewers: <sijieapache.org>\n") == []
    # an email where the name goes beats a mangled one in the brackets
    assert people("Reviewers: sijie@apache.org <sijieapache.org>\n") == [
        ("reviewer", "", "sijie@apache.org",
         "Reviewers trailer; email 'sijieapache.org' kept as written: no '@', not a real address")]


def test_a_mention_whose_email_lost_its_at_sign_is_the_same_credit_as_the_real_one() -> None:
    # BookKeeper bfd77268: two squashed merges, "Sijie Guo <sijieapache.org>" and "Sijie Guo <sijie@apache.org>"
    assert people("Reviewers: Sijie Guo <sijieapache.org>\nReviewers: Sijie Guo <sijie@apache.org>\n") == [
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer")]
    # a different role keeps its own credit
    assert [(r, e) for r, _, e, _ in people("Signed-off-by: Sijie Guo <sijieapache.org>\n"
                                             "Reviewers: Sijie Guo <sijie@apache.org>\n")] == [
        ("signed-off-by", "sijieapache.org"), ("reviewer", "sijie@apache.org")]


def test_logins_are_name_only_accounts() -> None:
    assert people("Reviewers: ivankelly, sijie, eolivelli\n") == [
        ("reviewer", "ivankelly", "", "Reviewers trailer"), ("reviewer", "sijie", "", "Reviewers trailer"),
        ("reviewer", "eolivelli", "", "Reviewers trailer")]


def test_github_mention_is_a_github_login() -> None:
    (person,) = trailers.parse_trailers("Reviewed-by: @jdoe\n")
    assert person == CommitPerson("reviewer", IdentityRef("github", login="jdoe"),
                                  "Reviewed-by trailer; GitHub @-mention")


def test_list_line_ending_in_a_comma_continues_on_the_next_line() -> None:
    body = ("Reviewers: Enrico Olivelli <eolivelli@gmail.com>, Andrey Yegorov <None>,\n"
            "Nicolò Boschi <boschi1997@gmail.com>\n\nThis closes #3056\n")
    wrapped = "Reviewers trailer; wrapped over several lines"
    assert people(body) == [("reviewer", "Enrico Olivelli", "eolivelli@gmail.com", wrapped),
                            ("reviewer", "Andrey Yegorov", "", wrapped),
                            ("reviewer", "Nicolò Boschi", "boschi1997@gmail.com", wrapped)]


def test_indented_line_continues_any_trailer() -> None:
    body = "Reviewed-by: Ana Lima <ana@x.org>,\n   Bo Li\nCo-authored-by: Cy Ng\n  <cy@x.org>\n"
    assert [(r, n, e) for r, n, e, _ in people(body)] == [
        ("reviewer", "Ana Lima", "ana@x.org"), ("reviewer", "Bo Li", ""), ("co-author", "Cy Ng", "cy@x.org")]


def test_what_does_not_continue_a_trailer() -> None:
    # a line as indented as its key (a quoted message), a blank line, the next trailer
    quoted = "    Reviewers: Enrico Olivelli <e@x.org>\n    This closes #1497 from sijie/improve\n"
    assert [n for _, n, _, _ in people(quoted)] == ["Enrico Olivelli"]
    assert [n for _, n, _, _ in people("Reviewers: Ana,\n\nBo Li\n")] == ["Ana"]
    assert [n for _, n, _, _ in people("Reviewers: Ana,\nSigned-off-by: Bo Li\n")] == ["Ana", "Bo Li"]
    # a list line ending in a comma followed by prose: the prose is no person
    assert [n for _, n, _, _ in people("Reviewers: Ana,\nThis closes #12 from ana/fix\n")] == ["Ana"]
    assert [n for _, n, _, _ in people("Reviewers: Ana <a@x.org>,\n- (fix) the lexer\n")] == ["Ana"]


@pytest.mark.parametrize("value", ["none", "N/A", "-", "", "  ", "#1234", "* Ana Lima", "(none)",
                                   "see the discussion on the dev list today", "https://github.com/x/y/pull/1",
                                   "please see the PR", "TBD by committers", "the team"])
def test_values_that_name_no_one(value: str) -> None:
    assert people(f"Reviewers: {value}\n") == []


def test_bot_names_keep_their_brackets() -> None:
    assert people("Co-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>\n") == [
        ("co-author", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com",
         "Co-authored-by trailer")]


def test_one_credit_per_person_and_role() -> None:
    body = ("Reviewed-by: Ana <ana@x.org>\nReviewed-by: Ana <ANA@x.org>\nReviewers: Ana, Bo\n"
            "Signed-off-by: Ana <ana@x.org>\n")
    # the same email (any case) once; bare 'Ana' is the Ana named with an email in the same role
    assert [(r, n, e) for r, n, e, _ in people(body)] == [
        ("reviewer", "Ana", "ana@x.org"), ("reviewer", "Bo", ""), ("signed-off-by", "Ana", "ana@x.org")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Ana Lima <ana@x.org>", ("Ana Lima", "ana@x.org", "")),
    ("  Hal   Jordan   <hal@x.org>", ("Hal Jordan", "hal@x.org", "")),
    ('"Li, Cy" <cy@x.org>', ("Li, Cy", "cy@x.org", "")),
    ("<ana@x.org>", ("", "ana@x.org", "")),
    ("ana@x.org", ("", "ana@x.org", "")),
    ("Ana Lima ana@x.org", ("Ana Lima", "ana@x.org", "")),
    ("Ana Lima <ana@x.org>.", ("Ana Lima", "ana@x.org", "")),
    ("Venkateswararao Jujjuri (JV) <vj@x.org>", ("Venkateswararao Jujjuri (JV)", "vj@x.org", "")),
    ("Ana Lima (on Linux and macOS) <ana@x.org>", ("Ana Lima", "ana@x.org", "")),  # a comment, not a name
    ("Ana <ana@x.org", ("Ana", "ana@x.org", "; unclosed '<' repaired")),
    ("Ana <ana x.org>", ("Ana", "", "; email 'ana x.org' dropped (no '@')")),
    ("Ana <anax.org>", ("Ana", "anax.org", "; email 'anax.org' kept as written: no '@', not a real address")),
    ("sijie@apache.org <sijie@apache.org>", ("", "sijie@apache.org", "")),  # bookkeeper, 10 commits
    ("sijie@apache.org <None>", ("", "sijie@apache.org", "")),
    ("[Ivan Kelly <ivank@apache.org>", ("Ivan Kelly", "ivank@apache.org", "")),  # bookkeeper 26e03dc8d
    ("Flavio Junqueira <fpj@apache.org>]", ("Flavio Junqueira", "fpj@apache.org", "")),
    ("dependabot[bot]", ("dependabot[bot]", "", "")),
])
def test_parse_person(text: str, expected: tuple[str, str, str]) -> None:
    parsed = trailers.parse_person(text)
    assert parsed is not None
    who, note = parsed
    assert (who.source, who.name, who.email, note) == ("git", *expected)


def test_parse_person_nothing() -> None:
    assert trailers.parse_person("  ") is None
    assert trailers.parse_person("<None>") is None
    assert trailers.parse_person("nobody") is None


@pytest.mark.parametrize(("value", "pieces"), [
    ("Ana <a@x>, Bo Li", ["Ana <a@x>", " Bo Li"]),
    ('"Li, Cy" <c@x>, Bo', ['"Li, Cy" <c@x>', " Bo"]),
    ("Ana <a@x, Bo <b@x>", ["Ana <a@x", " Bo <b@x>"]),
    ("Ana <a@x> Bo <b@x>", ["Ana <a@x>", " Bo <b@x>"]),
    ("Ana <a,x>", ["Ana <a,x>"]),  # a closed bracket keeps its comma
])
def test_split_people(value: str, pieces: list[str]) -> None:
    assert trailers.split_people(value) == pieces


def test_mailmap_applies_to_trailer_people() -> None:
    mailmap = parse_mailmap("Jane Roe <jane@corp.org> <jroe@old.org>\n"
                            "Ivan Kelly <ivank@apache.org> ivankelly <>\n")
    body = "Reviewers: J. Roe <JRoe@old.org>, ivankelly, sijie\n"
    got = [(p.who.name, p.who.email, p.evidence) for p in trailers.parse_trailers(body, mailmap=mailmap)]
    assert got == [("Jane Roe", "jane@corp.org", "Reviewers trailer; .mailmap maps 'J. Roe <JRoe@old.org>'"),
                   ("Ivan Kelly", "ivank@apache.org", "Reviewers trailer; .mailmap maps 'ivankelly <>'"),
                   ("sijie", "", "Reviewers trailer")]

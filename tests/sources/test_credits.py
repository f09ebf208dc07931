"""credits: literal message bodies -> the people their prose credits, and every person of a commit."""

from __future__ import annotations

import pytest

from teammemory.model import CommitPerson, IdentityRef
from teammemory.sources import credits
from teammemory.sources.mailmap import parse_mailmap

REVIEWED = "'reviewed by' in message body"
PATCH = "'patch by' in message body"


def prose(body: str) -> list[tuple[str, str, str, str]]:
    return [(p.role, p.who.name or p.who.login, p.who.email, p.evidence) for p in credits.parse_credits(body)]


@pytest.mark.parametrize(("body", "expected"), [
    ("Fix the lexer.\n\nreviewed by Ana Lima\n", [("reviewer", "Ana Lima", "", REVIEWED)]),
    ("Reviewed by: Ana Lima <ana@x.org>\n", [("reviewer", "Ana Lima", "ana@x.org", REVIEWED)]),
    ("Review by Bo Li.\n", [("reviewer", "Bo Li", "", "'review by' in message body")]),
    ("patch by Bo Li; reviewed by Cy Ng for PROJ-12\n",
     [("co-author", "Bo Li", "", PATCH), ("reviewer", "Cy Ng", "", REVIEWED)]),
    ("Patch by Bo Li, reviewed by Cy Ng and Dee Wu.\n",
     [("co-author", "Bo Li", "", PATCH), ("reviewer", "Cy Ng", "", REVIEWED), ("reviewer", "Dee Wu", "", REVIEWED)]),
    ("reviewed by Ana Lima, Bo Li & Cy Ng\n",
     [("reviewer", "Ana Lima", "", REVIEWED), ("reviewer", "Bo Li", "", REVIEWED),
      ("reviewer", "Cy Ng", "", REVIEWED)]),
    ("Reviewed by John Q. Public and Ana de Souza.\n",
     [("reviewer", "John Q. Public", "", REVIEWED), ("reviewer", "Ana de Souza", "", REVIEWED)]),
    ("This was reviewed by Ana Lima last week.\n", [("reviewer", "Ana Lima", "", REVIEWED)]),
    ("reviewed by ana@x.org.\n", [("reviewer", "", "ana@x.org", REVIEWED)]),
])
def test_credit_forms(body: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert prose(body) == expected


def test_spacing_case_and_text_that_lower_cases_longer() -> None:
    assert prose("REVIEWED   BY Ana Lima\nreviewed\tby Bo Li\n") == [("reviewer", "Ana Lima", "", REVIEWED),
                                                                  ("reviewer", "Bo Li", "", REVIEWED)]
    # 'İ'.lower() is two characters: offsets in the lowered text would be off by one
    assert prose("İstanbul office.\nreviewed by Ana Lima\n") == [("reviewer", "Ana Lima", "", REVIEWED)]


def test_lowercase_logins_count_only_where_the_credit_is_a_list() -> None:
    assert prose("Reviewed by: ivankelly, sijie\n") == [("reviewer", "ivankelly", "", REVIEWED),
                                                          ("reviewer", "sijie", "", REVIEWED)]
    # the Cassandra form: phrase at the start of the line, and after ';'
    assert prose("patch by jbellis; reviewed by slebresne for CASSANDRA-2345\n") == [
        ("co-author", "jbellis", "", PATCH), ("reviewer", "slebresne", "", REVIEWED)]
    # inside a sentence a lowercase word is prose
    assert prose("The fix was reviewed by sijie yesterday.\n") == []


def test_a_github_mention_is_a_login_and_stops_at_in() -> None:
    (person,) = credits.parse_credits("Thanks! reviewed by @someone in #12\n")
    assert person == CommitPerson("reviewer", IdentityRef("github", login="someone"), REVIEWED)


@pytest.mark.parametrize("body", [
    "Remove comment about extensions being reviewed by the core team\n",  # flask, verbatim
    "reviewed by the team\n",
    "Reviewed by: the whole team\n",
    "Reviewed by: someone\n",
    "This change was reviewed by others and by Jenkins.\n",
    "reviewed by Everyone on the PMC\n",
    "Needs to be reviewed by Monday.\n",
    "Fixed by Ana Lima\n",  # not a credit phrase this parser reads
    "Unreviewed by design\n",
    "reviewed by #1234\n",
    "patches by the dozen\n",
])
def test_prose_that_credits_no_one(body: str) -> None:
    assert prose(body) == []


def test_trailer_lines_are_left_to_the_trailer_parser() -> None:
    assert prose("Signed-off-by: Ana Lima <ana@x.org> reviewed by Bo Li\n") == []


def test_commit_people_trailers_then_prose_one_credit_each() -> None:
    body = ("Patch by Ana Lima, reviewed by Bo Li.\n\n"
            "Reviewers: Bo Li <bo@x.org>, Cy Ng\n")
    author = IdentityRef("git", "ana@x.org", "Ana Lima")
    got = [(p.role, p.who.name, p.who.email, p.evidence) for p in credits.commit_people(body, author=author)]
    # 'patch by' the author is no extra credit; prose 'Bo Li' is the trailer's Bo Li <bo@x.org>
    assert got == [("reviewer", "Bo Li", "bo@x.org", "Reviewers trailer"),
                   ("reviewer", "Cy Ng", "", "Reviewers trailer")]


def test_patch_by_someone_else_is_a_co_author() -> None:
    author = IdentityRef("git", "committer@x.org", "Committer")
    got = credits.commit_people("patch by Ana Lima; reviewed by Bo Li\n", author=author)
    assert [(p.role, p.who.name) for p in got] == [("co-author", "Ana Lima"), ("reviewer", "Bo Li")]


def test_patch_by_the_author_under_another_email_is_no_co_author() -> None:
    author = IdentityRef("git", "ana@work.org", "Ana Lima")
    assert credits.commit_people("patch by Ana Lima <ana@home.org>\n", author=author) == ()
    assert credits.commit_people("Patch by ANA LIMA\n", author=author) == ()  # names compare case-insensitively
    assert [p.who.name for p in credits.commit_people("Patch by Bo Li\n", author=author)] == ["Bo Li"]


def test_commit_people_maps_prose_people_by_mailmap() -> None:
    mailmap = parse_mailmap("Ana Lima <ana@corp.org> <ana@home.org>\n")
    (person,) = credits.commit_people("reviewed by Ana <ana@home.org>\n", mailmap=mailmap)
    assert person == CommitPerson("reviewer", IdentityRef("git", "ana@corp.org", "Ana Lima"),
                                  REVIEWED + "; .mailmap maps 'Ana <ana@home.org>'")

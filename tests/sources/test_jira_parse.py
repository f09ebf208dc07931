"""jira_parse on recorded Jira responses (jira-ruby's localhost server, perceval/elk dumps) and literals."""

from __future__ import annotations

import calendar
import json
from pathlib import Path
from typing import Any

import pytest

from teammemory.errors import InputError
from teammemory.model import IdentityRef, IssueLink, Transition
from teammemory.sources import jsonfiles
from teammemory.sources.jira_parse import adf_to_text, jira_time, parse_issue, read_document, user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jira"
EPIC = "Epic Link"


def utc(*parts: int) -> int:
    return calendar.timegm((*parts, 0, 0, 0))


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def issue(fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": "PROJ-7", "id": "700", "self": "https://jira.example.com/rest/api/2/issue/700",
            "fields": {"summary": "S", **fields}, **extra}


def test_server_issue_from_jira_ruby() -> None:
    got = parse_issue(load("issue_10002.json"), "issue_10002.json")
    assert (got.key, got.summary, got.status, got.priority, got.issue_type) == (
        "SAMPLEPROJECT-1", "Sample Issue", "Open", "Major", "Task")
    assert got.components == ("Jamflam", "Jammy")
    # 2011-12-14T10:26:06.030+1300 is 2011-12-13 21:26:06 UTC
    assert got.created_at == utc(2011, 12, 13, 21, 26, 6)
    assert got.reporter == IdentityRef("jira", login="admin", email="admin@example.com", display_name="admin")
    assert got.url == "http://localhost:2990/jira/browse/SAMPLEPROJECT-1"
    assert got.resolved_at is None and got.comments == () and got.project == "SAMPLEPROJECT"


@pytest.mark.parametrize(("text", "expected"), [
    ("2016-07-27T14:16:05.000+0200", utc(2016, 7, 27, 12, 16, 5)),
    ("2016-07-27T14:16:05+02:00", utc(2016, 7, 27, 12, 16, 5)),
    ("2018-05-22T01:29:03.648-0700", utc(2018, 5, 22, 8, 29, 3)),
    ("2019-02-22T16:21:03Z", utc(2019, 2, 22, 16, 21, 3)),
    ("2019-02-22T16:21:03", utc(2019, 2, 22, 16, 21, 3)),  # no offset: taken as UTC
    (None, None),
])
def test_jira_time(text: str | None, expected: int | None) -> None:
    assert jira_time(text, "f", "fields.created") == expected


def test_bad_time_names_issue_and_field() -> None:
    message = r"x.json: issue PROJ-7: field 'fields.created' is not an ISO 8601 time: 'yesterday'"
    with pytest.raises(InputError, match=message):
        parse_issue(issue({"created": "yesterday"}), "x.json")


def test_cloud_user_has_account_id_and_no_name() -> None:
    cloud = {"accountId": "557058:887c", "accountType": "atlassian", "displayName": "Peter Monks"}
    assert user(cloud) == IdentityRef("jira", account_id="557058:887c", display_name="Peter Monks")
    server = {"key": "maoo", "name": "maoo"}  # tolerable: no displayName
    assert user(server) == IdentityRef("jira", account_id="maoo", login="maoo")
    assert user({}) is None and user(None) is None


def test_status_category_links_parent_and_labels() -> None:
    got = parse_issue(issue({
        "status": {"name": "In Review", "statusCategory": {"key": "indeterminate"}},
        "resolution": {"name": "Fixed"}, "labels": ["backend", "auth"], "parent": {"key": "PROJ-1"},
        "issuelinks": [
            {"type": {"name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
             "inwardIssue": {"key": "PROJ-2"}},
            {"type": {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
             "outwardIssue": {"key": "OPS-9"}}]}), "x.json")
    assert (got.status, got.status_category, got.resolution, got.labels, got.parent_key) == (
        "In Review", "indeterminate", "Fixed", ("backend", "auth"), "PROJ-1")
    assert got.links == (IssueLink("PROJ-2", "Duplicate", "inward", "is duplicated by"),
                         IssueLink("OPS-9", "Blocks", "outward", "blocks"))


def test_epic_link_by_field_list_names_and_perceval_shape() -> None:
    fields = read_document([{"id": "customfield_10008", "name": "Epic Link", "custom": True},
                            {"id": "summary", "name": "Summary", "custom": False}], "field.json")
    assert fields.epic_fields == frozenset({"customfield_10008"})
    raw = issue({"customfield_10008": "PROJ-100"})
    assert parse_issue(raw, "x", epic_fields=fields.epic_fields).parent_key == "PROJ-100"
    assert parse_issue(raw, "x").parent_key == ""  # without knowing the field it is just a custom field
    names = {"customfield_10008": "Epic Link"}
    page = read_document({"startAt": 0, "total": 1, "issues": [raw], "names": names}, "p.json")
    assert page.epic_fields == frozenset({"customfield_10008"})
    perceval = issue({"customfield_10008": {"id": "customfield_10008", "name": EPIC, "value": "PROJ-5"}})
    assert parse_issue(perceval, "x").parent_key == "PROJ-5"


def item(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "listItem", "content": [paragraph]}


def test_transitions_from_changelog_oldest_first() -> None:
    raw = issue({}, changelog={"histories": [
        {"id": "2", "created": "2020-01-02T00:00:00.000+0000", "author": {"name": "bob"},
         "items": [{"field": "status", "fromString": "In Progress", "toString": "Done"},
                   {"field": "resolution", "fromString": None, "toString": "Fixed"}]},
        {"id": "1", "created": "2020-01-01T00:00:00.000+0100", "author": {"name": "ann"},
         "items": [{"field": "status", "fromString": "Open", "toString": "In Progress"}]}]})
    assert parse_issue(raw, "x").transitions == (
        Transition(utc(2019, 12, 31, 23, 0, 0), "Open", "In Progress", IdentityRef("jira", login="ann")),
        Transition(utc(2020, 1, 2, 0, 0, 0), "In Progress", "Done", IdentityRef("jira", login="bob")))


def test_comments_from_fields_and_perceval_comments_data() -> None:
    c1 = {"id": "1", "author": {"name": "ann"}, "body": "first", "created": "2020-01-01T00:00:00.000+0000"}
    c2 = {"id": "2", "author": None, "body": "second", "created": "2020-01-02T00:00:00.000+0000"}
    got = parse_issue(issue({"comment": {"comments": [c1]}}, comments_data=[c1, c2]), "x")
    assert [(c.comment_id, c.body, c.author) for c in got.comments] == [
        ("1", "first", IdentityRef("jira", login="ann")), ("2", "second", None)]


def test_adf_description_becomes_text() -> None:
    doc = {"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Steps"}]},
        {"type": "paragraph", "content": [
            {"type": "text", "text": "Ask "}, {"type": "mention", "attrs": {"id": "x", "text": "@Ann"}},
            {"type": "text", "text": " about "},
            {"type": "text", "text": "the docs", "marks": [{"type": "link", "attrs": {"href": "https://d.io"}}]}]},
        {"type": "bulletList", "content": [item("one"), item("two")]},
        {"type": "orderedList", "content": [item("a")]},
        {"type": "codeBlock", "attrs": {"language": "py"}, "content": [{"type": "text", "text": "x = 1"}]}]}
    assert adf_to_text(doc) == ("Steps\n\nAsk @Ann about the docs (https://d.io)\n\n- one\n- two\n\n1. a"
                                "\n\n```\nx = 1\n```")
    assert parse_issue(issue({"description": doc}), "x").description.startswith("Steps\n\nAsk @Ann")


def test_missing_key_or_fields_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^f.json: issue id 9: field 'key' missing$"):
        parse_issue({"id": "9", "fields": {}}, "f.json")
    with pytest.raises(InputError, match=r"^f.json: issue PROJ-7: field 'fields' missing$"):
        parse_issue({"key": "PROJ-7"}, "f.json")


def test_documents_of_every_shape() -> None:
    raw = issue({})
    assert len(read_document({"startAt": 0, "maxResults": 50, "total": 1, "issues": [raw]}, "p").issues) == 1
    assert len(read_document([raw, raw], "l").issues) == 2
    assert len(read_document(raw, "one").issues) == 1
    items = [{"backend_name": "Jira", "data": raw}, {"backend_name": "Git", "data": {"commit": "x"}}]
    doc = read_document(items, "perceval")
    assert len(doc.issues) == 1 and doc.skipped == {"skipped.perceval-other": 1}
    assert read_document(load("search_empty.json"), "e").issues == ()
    assert read_document(load("error_issue_invalid_put.json"), "err").skipped == {"skipped.error": 1}
    with pytest.raises(InputError, match="not Jira issue data"):
        read_document({"hello": "world"}, "what.json")


def test_comment_page_names_its_issue_by_url_or_by_path() -> None:
    page = read_document(load("issue_10002_comment.json"), "c.json")
    assert page.comment_pages[0].issue == "10002" and len(page.comment_pages[0].comments) == 2
    bare = {"startAt": 0, "total": 1, "comments": [{"id": "5", "body": "hi"}]}
    assert read_document(bare, "c", "dump/issue/PROJ-7/comment.json").comment_pages[0].issue == "PROJ-7"
    with pytest.raises(InputError, match="cannot tell its issue"):
        read_document(bare, "c.json", "c.json")


def test_edited_finos_items_one_error_and_tolerable_damage(realdata: Path) -> None:
    """grimoirelab damaged these on purpose: no `fields` is an error; a user without name is not."""
    items = jsonfiles.read_json(realdata / "jira" / "elk_finos_cloud_edited" / "perceval_items.json")
    doc = read_document(items, "edited.json")
    by_key = {raw["key"]: raw for raw, _ in doc.issues}
    with pytest.raises(InputError, match=r"^edited.json: issue CONTRIB-4: field 'fields' missing$"):
        parse_issue(by_key["CONTRIB-4"], "edited.json")
    assert "name" not in by_key["CONTRIB-5"]["fields"]["creator"]
    assert "displayName" not in by_key["CONTRIB-3"]["fields"]["creator"]
    for key in ("CONTRIB-3", "CONTRIB-5", "CONTRIB-10", "CONTRIB-11"):
        assert parse_issue(by_key[key], "edited.json").key == key


def test_puppet_changelog_and_links(realdata: Path) -> None:
    raws = jsonfiles.read_json(realdata / "jira" / "elk_puppet_PUP" / "issues.json")
    for raw in raws:
        got = parse_issue(raw, "pup.json")
        statuses = [i for h in raw["changelog"]["histories"] for i in h["items"] if i["field"] == "status"]
        assert len(got.transitions) == len(statuses)
        links = raw["fields"].get("issuelinks") or []
        assert len(got.links) == len(links)
        assert got.url == f"https://tickets.puppetlabs.com/browse/{raw['key']}"
        assert got.status_category in ("new", "indeterminate", "done")

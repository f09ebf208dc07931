"""ingest incidents end to end: real postmortem files in a tmp folder, into SQLite and PostgreSQL;
release tags read from a real repository by ingest git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.ingest.git import ingest_git
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.sources import incidents as parse
from teammemory.store import Store
from tests.helpers.gitrepo import GIT_ENV, FakeCommit, build_repo, rev

TABLES = ("incidents", "incident_timeline", "incident_lessons", "incident_actions", "incident_refs")
T0 = 1777629600  # 2026-05-01T10:00:00Z

MARKDOWN = """\
---
key: INC-7
severity: sev-2
repo: acme/platform
started: 2026-05-01T10:00:00Z
detected: 2026-05-01T10:20:00Z
mitigated: "2026-05-01T12:00:00+01:00"
resolved: 2026-05-01T12:00:00Z
caused_by:
  commits: [ABCDEF1, other/repo@1234567890abcdef]
  components: [auth]
fixed_by:
  prs: [12, "#13", "acme/web#14"]
components: [payment]
---
# Logouts after the deploy

## Summary
Users were logged out.
Many of them.

## Impact
prose the answers do not use

## Timeline
- 2026-05-01T10:00Z deploy of 1.2.0
- 2026-05-01 10:20 — alert fired
- 2026-05-01T09:55:00Z: config change

## Root Cause
No lock.

## Lessons
- Lock per session,
  not globally.
- Test concurrency.

## Action items
- PROJ-5 Add a load test
- proj-6
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.read() as db:
        return {t: sorted((dict(r) for r in db.all(f"select * from {t}")), key=lambda r: json.dumps(r, sort_keys=True))
                for t in TABLES}


def test_markdown_postmortem_is_read_field_by_field(tmp_path: Path) -> None:
    [inc] = parse.read_incidents(write(tmp_path, "inc.md", MARKDOWN))
    assert (inc.key, inc.title, inc.severity, inc.repo) == ("INC-7", "Logouts after the deploy", "SEV2",
                                                            "acme/platform")
    assert (inc.started_at, inc.detected_at, inc.mitigated_at, inc.resolved_at) == (
        T0, T0 + 20 * 60, T0 + 3600, T0 + 2 * 3600)  # 12:00+01:00 is 11:00Z
    assert inc.summary == "Users were logged out.\nMany of them." and inc.root_cause == "No lock."
    assert [(e.at, e.entry) for e in inc.timeline] == [
        (T0 - 5 * 60, "config change"), (T0, "deploy of 1.2.0"), (T0 + 20 * 60, "alert fired")]
    assert inc.lessons == ("Lock per session, not globally.", "Test concurrency.")
    assert inc.action_items == ("PROJ-5", "PROJ-6")
    assert {(r.role, r.kind, r.repo, r.ref) for r in inc.refs} == {
        ("cause", "commit", "", "abcdef1"), ("cause", "commit", "other/repo", "1234567890abcdef"),
        ("cause", "component", "", "auth"), ("fix", "pr", "", "12"), ("fix", "pr", "", "13"),
        ("fix", "pr", "acme/web", "14"), ("affected", "component", "", "payment")}


def test_ingest_writes_yaml_json_and_markdown_and_is_idempotent(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "pm"
    write(folder, "a.md", MARKDOWN)
    write(folder, "b.yaml", "key: INC-8\ntitle: Disk full\nseverity: SEV3\nstarted: 2026-05-02T00:00:00Z\n"
                            "action_items: [PROJ-9]\n")
    write(folder, "c.json", json.dumps([{"key": "INC-9", "title": "DNS", "severity": 1,
                                         "started": "2026-05-03T00:00:00Z", "lessons": ["TTL"]}]))
    write(folder, "notes.txt", "not a postmortem: skipped when walking a folder")
    first = ingest_incident_files(store, [folder], config=Config())
    assert first.counts == {"files": 3, "incidents": 3, "timeline_entries": 3, "action_items": 3, "causes": 3,
                            "fixes": 3}
    before = dump(store)
    assert [r["key"] for r in before["incidents"]] == ["INC-7", "INC-8", "INC-9"]
    assert [r["severity"] for r in before["incidents"]] == ["SEV2", "SEV3", "SEV1"]
    ingest_incident_files(store, [folder], config=Config())
    assert dump(store) == before
    # an edited postmortem replaces the old one whole (no stale action items or causes remain)
    edited = MARKDOWN.replace("- proj-6\n", "").replace("  commits: [ABCDEF1, other/repo@1234567890abcdef]\n", "")
    write(folder, "a.md", edited)
    ingest_incident_files(store, [folder / "a.md"], config=Config())
    after = dump(store)
    assert [r["issue_key"] for r in after["incident_actions"] if r["incident_key"] == "INC-7"] == ["PROJ-5"]
    assert not [r for r in after["incident_refs"] if r["kind"] == "commit"]


BAD = {
    "malformed.yaml": ("key: INC-1\ntitle: [unclosed\n", "not valid YAML"),
    "missing.yaml": ("key: INC-1\nseverity: SEV2\nstarted: 2026-05-01T10:00:00Z\n", "field 'title' missing"),
    "backwards.yaml": ("key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01T10:00:00Z\n"
                       "resolved: 2026-05-01T09:00:00Z\n", "field 'resolved' (2026-05-01T09:00:00+00:00) is before"
                                                           " 'started'"),
    "severity.json": (json.dumps({"key": "INC-1", "title": "t", "severity": "P7", "started": "2026-05-01T10:00Z"}),
                      "field 'severity': unknown severity 'P7'"),
    "date.yaml": ("key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01\n", "field 'started': expected a date and"
                                                                                 " time"),
    "typo.yaml": ("key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01T10:00Z\nroot_casue: x\n",
                  "unknown field 'root_casue' (did you mean 'root_cause'?)"),
    "action.yaml": ("key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01T10:00Z\naction_items: [fix it]\n",
                    "field 'action_items[0]': expected an issue key"),
    "commit.yaml": ("key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01T10:00Z\ncaused_by: {commits: [xyz]}\n",
                    "field 'caused_by.commits[0]': expected a commit hash"),
    "nofront.md": ("# Title\n\n## Summary\nx\n", "no front matter"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_names_file_and_field_and_writes_nothing(store: Store, tmp_path: Path, name: str) -> None:
    good = write(tmp_path, "good.md", MARKDOWN)
    ingest_incident_files(store, [good], config=Config())
    before = dump(store)
    text, message = BAD[name]
    bad = write(tmp_path, name, text)
    other = write(tmp_path / "more", "new.yaml", "key: INC-20\ntitle: t\nseverity: SEV4\nstarted: 2026-05-05T00:00Z\n")
    with pytest.raises(InputError) as caught:
        ingest_incident_files(store, [other, bad], config=Config())
    assert str(caught.value).startswith(str(bad)) and message in str(caught.value)
    assert dump(store) == before  # INC-20, read before the bad file, was not written either


def test_same_key_in_two_files_is_refused(store: Store, tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "key: INC-1\ntitle: t\nseverity: SEV2\nstarted: 2026-05-01T10:00Z\n")
    b = write(tmp_path, "b.json", json.dumps({"key": "INC-1", "title": "t", "severity": "SEV2",
                                              "started": "2026-05-01T10:00Z"}))
    with pytest.raises(InputError, match=r"b\.json: incident INC-1: key given twice \(also in .*a\.yaml\)"):
        ingest_incident_files(store, [a, b], config=Config())


def test_ingest_git_records_release_tags(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "r", [FakeCommit("Ana <ana@example.com>", T0, "first\n", {"a.txt": "1\n"}),
                                       FakeCommit("Ana <ana@example.com>", T0 + 3600, "second\n", {"a.txt": "2\n"})])
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin", "GIT_COMMITTER_NAME": "Rel Bot",
           "GIT_COMMITTER_EMAIL": "rel@example.com", "GIT_COMMITTER_DATE": f"{T0 + 7200} +0000"}
    subprocess.run(["git", "-C", str(repo), "tag", "v0.1", "HEAD~1"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "tag", "-a", "-m", "Release 0.2", "v0.2"], check=True, env=env)
    ingest_git(store, repo, config=Config(), name="acme/r")
    with store.read() as db:
        rows = db.all("select name, hash, tagged_at, tagger, subject from tags where repo = 'acme/r' order by name")
    assert rows == [{"name": "v0.1", "hash": rev(repo, "HEAD~1"), "tagged_at": T0, "tagger": "", "subject": ""},
                    {"name": "v0.2", "hash": rev(repo), "tagged_at": T0 + 7200, "tagger": "Rel Bot",
                     "subject": "Release 0.2"}]
    subprocess.run(["git", "-C", str(repo), "tag", "-d", "v0.1"], check=True, env=env, capture_output=True)
    ingest_git(store, repo, config=Config(), name="acme/r")
    with store.read() as db:
        assert [r["name"] for r in db.all("select name from tags")] == ["v0.2"]

"""`teammemory identities` end to end: every key and spec it prints (text and JSON) works in
`merge`; nothing is cut short; filters, suggestions and accept as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.config import Config
from teammemory.identity.resolve import resolve
from teammemory.model import IdentityRef
from teammemory.outputs.cli import app
from teammemory.store import Store, migrate
from teammemory.store.write import write_identities

CY_GIT = IdentityRef("git", "cy@example.com", "Cy Park")
CY_JIRA = IdentityRef("jira", email="c.p.77@corp.example", account_id="557058:cy", login="cpark-jira",
                      display_name="Cy P.")
CY_GH = IdentityRef("github", login="cy-gh")
LONG = IdentityRef("git", "31104730+aditya-kumbhar@users.noreply.github.com", "Aditya Kumbhar")
ZOE = IdentityRef("git", "zoe@other.org", "Zoë Ünal")
MARY = [IdentityRef("git", "mary@corp.com", "Mary Major"), IdentityRef("git", "mm@corp.com", "M. Major")]


def tm(db: Path, *args: str, columns: int = 100) -> Any:
    return CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": str(columns)}, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tm.db"
    store = Store.open(str(path))
    with store.write() as w:
        migrate.apply(w)
        write_identities(w, [CY_GIT, CY_JIRA, CY_GH, LONG, ZOE, *MARY])
        resolve(w, Config())
    return path


def _developer_of(path: Path, ref: IdentityRef) -> str:
    with Store.open(str(path)).read() as r:
        return str(r.scalar("select developer_key from identities where key = :k", k=ref.key))


def printed_specs(db: Path) -> list[str]:
    """Every key the text listing prints, and every spec the JSON listing's fields make."""
    text = tm(db, "identities").output.splitlines()
    keys = [line.split()[0] for line in text if line.strip() and "developers" not in line
            and not line.startswith("Merge")]
    doc = json.loads(tm(db, "identities", "--json").output)
    specs = []
    for dev in doc["result"]["developers"]:
        for i in dev["identities"]:
            specs += [f"email:{i['email']}"] if i["email"] else []
            specs += [f"login:{i['login']}"] if i["login"] and i["source"] == "github" else []
            specs += [f"jira:{v}" for v in (i["account_id"], i["login"], i["display_name"])
                      if v and i["source"] == "jira"]
            specs += [f"name:{v}" for v in (i["name"], i["display_name"]) if v]
            specs.append(i["key"])
        specs.append(dev["key"])
    return sorted(set(keys)) + sorted(set(specs) - set(keys))


def test_every_printed_key_and_spec_merges(db: Path, tmp_path: Path) -> None:
    specs = printed_specs(db)
    # 7 developer keys and 7 account keys in the text; from JSON, the emails (6), one GitHub login,
    # the Jira id, login and display name, and the names (6: 'Cy P.' is the display name)
    assert len(specs) == 7 + 7 + 6 + 1 + 3 + 6
    for spec in specs:
        if spec in ("zoe-unal", ZOE.key, "email:zoe@other.org", "name:Zoë Ünal"):
            continue
        copy = tmp_path / "copy.db"
        shutil.copy(db, copy)
        result = tm(copy, "identities", "merge", "zoe-unal", spec)
        assert result.exit_code == 0, (spec, result.output)
        assert "now:" in result.output and "developers before" in result.output, spec
        with Store.open(str(copy)).read() as r:
            joined = r.scalar("select count(*) as n from identities where developer_key ="
                              " (select developer_key from identities where key = :k)", k=ZOE.key)
        assert joined >= 2, spec


def test_merge_prints_who_now_holds_what(db: Path) -> None:
    result = tm(db, "identities", "merge", "cy-park", "cy-gh")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"recorded: merge {CY_GIT.key} {CY_GH.key}"
    assert lines[1:4] == ["now:", "cy-park  Cy Park  cy@example.com",
                          f"  {CY_GIT.key}     manual-merge  git Cy Park <cy@example.com>"]
    assert lines[4] == f"  {CY_GH.key}  manual-merge  github @cy-gh  (was cy-gh)"
    assert lines[5:] == ["gone: cy-gh (their accounts are listed above)", "7 developers before, 6 now."]


@pytest.mark.parametrize(("args", "message"), [
    (["merge", "cy-park", "nobody"], "error: B: 'nobody' is not a developer key, an account key or a spec"),
    (["merge", "jira:nobody", "cy-park"], "error: A: 'jira:nobody' matches no account"),
    (["split", "git:ffffffffffffffff"], "error: A: 'git:ffffffffffffffff' is not a developer key"),
    (["accept"], "error: N: give suggestion numbers or --all-above SCORE"),
    (["accept", "9"], "error: N: 9 is not a suggestion number (there are 1: 1-1)"),
])
def test_bad_keys_exit_2_naming_the_argument(db: Path, args: list[str], message: str) -> None:
    result = tm(db, "identities", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_no_email_or_key_is_cut_short_on_a_narrow_terminal(db: Path) -> None:
    out = tm(db, "identities", columns=60).output
    width = len(CY_GH.key)  # account keys are padded to the longest, 'github:' + 16 hex digits
    assert f"  {LONG.key.ljust(width)}  single  git Aditya Kumbhar <{LONG.email}>" in out.splitlines()
    assert "…" not in out


def test_name_limit_now_and_json(db: Path) -> None:
    out = tm(db, "identities", "--name", "ZOE", "--now", "2026-01-02").output.splitlines()
    assert out[:2] == ["zoe-unal  Zoë Ünal  zoe@other.org", f"  {ZOE.key}  single  git Zoë Ünal <zoe@other.org>"]
    assert out[2] == "1 of 7 developers match 'ZOE' (1 account)."
    limited = tm(db, "identities", "--name", "cy", "--limit", "1").output.splitlines()
    assert limited[-2] == "3 of 7 developers match 'cy'; showing 1 (1 account), 2 more (raise --limit)."
    doc = json.loads(tm(db, "identities", "--name", "cy", "--limit", "1", "--json", "--now", "2026-01-02").output)
    assert doc["now"] == "2026-01-02T00:00:00+00:00"
    assert [d["key"] for d in doc["result"]["developers"]] == ["cy-gh"]
    assert (doc["result"]["matched"], doc["result"]["total"], doc["result"]["name"]) == (3, 7, "cy")


def test_suggestions_then_accept(db: Path) -> None:
    out = tm(db, "identities", "suggestions").output.splitlines()
    # 'M. Major' ~ 'Mary Major' at one domain: similar-name 30 + same-domain 10
    assert out[0] == "#1  score 40  m-major (M. Major)  +  mary-major (Mary Major)"
    assert out[1].split()[:2] == ["+30", "similar-name"] and out[2].split()[:2] == ["+10", "same-domain"]
    assert out[3:] == ["1 suggestion (score at least 25).", "Accept: teammemory identities accept N [N ...] |"
                       " --all-above SCORE (recorded as manual merges; `identities split` undoes one)."]
    doc = json.loads(tm(db, "identities", "suggestions", "--json").output)
    assert [(s["number"], s["score"]) for s in doc["result"]["suggestions"]] == [(1, 40)]
    accepted = tm(db, "identities", "accept", "--all-above", "40")
    assert accepted.exit_code == 0
    assert accepted.output.splitlines()[0] == "accepted #1 (score 40): m-major + mary-major"
    assert _developer_of(db, MARY[0]) == _developer_of(db, MARY[1]) == "m-major"
    assert tm(db, "identities", "suggestions").output.splitlines() == ["0 suggestions (score at least 25)."]

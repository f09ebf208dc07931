from __future__ import annotations

from dataclasses import replace

import pytest

from teammemory import derive
from teammemory.components import component_of
from teammemory.config import DEFAULT_COMPONENT_RULES, Config
from teammemory.model import Commit, FileChange, IdentityRef, Issue, Ref
from teammemory.store import Store
from teammemory.store.write import write_commits, write_issue

ANA = IdentityRef("git", "ana@example.com", "Ana")
RULES = (("src/auth/**", "auth"), ("tests/auth/**", "auth"), ("infra/*.tf", "infra"), ("docs/**", "docs"))


@pytest.mark.parametrize(("path", "expected"), [
    ("src/auth/token_service.py", "auth"),
    ("src/auth/deep/er/x.py", "auth"),
    ("tests/auth/test_token.py", "auth"),
    ("infra/main.tf", "infra"),
    ("infra/modules/x.tf", ""),  # '*' stays inside one segment
    ("README.md", ""),
])
def test_component_rules_first_match_wins(path: str, expected: str) -> None:
    assert component_of(path, RULES) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("src/payment/gateway.py", "payment"),
    ("tests/payment/test_gateway.py", "payment"),
    ("infra/ci.yml", "infra"),
    ("setup.py", ""),
])
def test_default_rules_use_the_first_folder(path: str, expected: str) -> None:
    assert component_of(path, DEFAULT_COMPONENT_RULES) == expected


def _commit(h: str, subject: str, *, parents: tuple[str, ...] = (), refs: tuple[str, ...] = ()) -> Commit:
    return Commit("r", h, ANA, ANA, 1_700_000_000, 0, 1_700_000_000, 0, subject, parents,
                  files=(FileChange("src/auth/a.py", 1, 1),),
                  issue_refs=tuple(Ref(k, f"key {k} in commit message") for k in refs))


def _flags(store: Store) -> dict[str, tuple[int, str]]:
    with store.read() as db:
        return {r["hash"]: (r["is_bug_fix"], r["bug_fix_reason"])
                for r in db.all("select hash, is_bug_fix, bug_fix_reason from commits")}


def test_bug_fix_by_issue_type_then_by_message(store: Store) -> None:
    config = replace(Config(), component_rules=RULES)
    with store.write() as db:
        write_commits(db, [
            _commit("c1", "Fix crash in login"),
            _commit("c2", "Add prefix option and debug logging"),  # 'prefix', 'debug': not fixes
            _commit("c3", "Tidy PROJ-1 token code", refs=("PROJ-1",)),  # linked to a Bug
            _commit("c4", "Fix typo PROJ-2", refs=("PROJ-2",)),  # linked to a Story: issue type decides
            _commit("c5", "Merge branch 'fix-x'", parents=("c1", "c2")),
            _commit("c6", "Fix PROJ-9 (not ingested)", refs=("PROJ-9",)),
        ])
        derive.refresh(db, config)
    assert _flags(store) == {
        "c1": (1, "subject matches 'Fix'"),
        "c2": (0, "no rule matched"),
        "c3": (0, "no rule matched"),
        "c4": (1, "subject matches 'Fix'"),
        "c5": (0, "merge commit"),
        "c6": (1, "subject matches 'Fix'"),
    }
    with store.write() as db:  # the issues arrive later (Jira ingested after git): flags follow
        write_issue(db, Issue("PROJ-1", "Race", issue_type="Bug"))
        write_issue(db, Issue("PROJ-2", "Docs", issue_type="Story"))
        derive.refresh(db, config)
    flags = _flags(store)
    assert flags["c3"] == (1, "linked issue PROJ-1 is a Bug")
    assert flags["c4"] == (0, "linked issue PROJ-2 is a Story")
    assert flags["c6"] == (1, "subject matches 'Fix'")
    with store.read() as db:
        assert db.all("select path, component from files") == [{"path": "src/auth/a.py", "component": "auth"}]


def test_classifying_while_writing_equals_classifying_afterwards(store: Store) -> None:
    """write_commits(classify=...) is the fast path of git ingestion; it must agree with derive."""
    config = replace(Config(), component_rules=RULES)
    commits = [_commit("c1", "Fix crash in login"), _commit("c2", "Add prefix option and debug logging"),
               _commit("c5", "Merge branch 'fix-x'", parents=("c1", "c2"))]
    with store.write() as db:
        write_commits(db, commits, classify=derive.subject_classifier(config))
    at_write = _flags(store)
    with store.write() as db:
        db.execute("update commits set is_bug_fix = 0, bug_fix_reason = ''")
        derive.refresh(db, config)
    assert _flags(store) == at_write == {
        "c1": (1, "subject matches 'Fix'"), "c2": (0, "no rule matched"), "c5": (0, "merge commit")}


def test_components_are_rechecked_only_when_the_rules_change(store: Store) -> None:
    files = (FileChange("src/auth/a.py", 1, 0), FileChange("README.md", 1, 0))
    commit = replace(_commit("a" * 40, "add"), files=files)
    config = Config(component_rules=RULES)

    def components() -> dict[str, str]:
        with store.read() as db:
            return {r["path"]: r["component"] for r in db.all("select path, component from files")}

    with store.write() as db:
        write_commits(db, [commit])  # no component function: both files start without one
        derive.refresh(db, config)
    assert components() == {"src/auth/a.py": "auth", "README.md": ""}
    with store.write() as db:  # same rules: a file that has a component is not looked at again
        db.execute("update files set component = 'by hand' where path = 'src/auth/a.py'")
        derive.refresh(db, config)
    assert components()["src/auth/a.py"] == "by hand"
    with store.write() as db:  # new rules: every file is checked once more
        derive.refresh(db, replace(config, component_rules=(("*.md", "docs"), *RULES)))
    assert components() == {"src/auth/a.py": "auth", "README.md": "docs"}

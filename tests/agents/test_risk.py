from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import covering_tests, persons, risk
from teammemory.agents.covering_tests import CoveringTest
from teammemory.agents.evidence import DAY, Person, epoch
from teammemory.agents.risk import Change
from teammemory.agents.risk_window import CommitRow, FactRow
from teammemory.config import Config, RiskWeights
from teammemory.errors import NotFound
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.agents import people_world as w
from tests.agents.people_world import T
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA, BOB, BOT = Person("ana", "Ana"), Person("bob", "Bob"), Person("bot", "dependabot")
RW = RiskWeights()


def _c(path: str, commit: str, who: Person, churn: int, *, fix: bool = False, issues: tuple[str, ...] = (),
       bot: bool = False, changed: str = "", at: int = 0) -> Change:
    return Change(path, commit, at or T(1), churn, fix, who, changed or path, bot, issues,
                  f"subject {commit}")


def test_score_literal_rows() -> None:
    rows = [
        _c("a.py", "r@1", ANA, 100, fix=True, issues=("PROJ-12",)),
        _c("a.py", "r@1", BOB, 100, fix=True, issues=("PROJ-12",)),  # co-author: same commit, churn once
        _c("a.py", "r@2", BOB, 40, changed="old_a.py"),
        _c("a.py", "r@3", BOT, 2, bot=True),
        _c("a.py", "r@4", ANA, 8, fix=True),  # a fix with no issue shows its short hash
    ]
    test = CoveringTest("tests/test_a.py", frozenset({"r@2", "r@9"}))
    got = risk.score("a.py", rows, weights=RW, days=90, test=test)
    # churn 100+40+2+8 = 150; 2 bug fixes*100; 2 people (bot not counted)*25; 4 commits*5
    # = 150 + 200 + 50 + 20 = 420
    assert got.score.total == 420.0
    assert (got.commits, got.bug_fixes, got.contributors, got.churn) == (4, 2, 2, 150)
    assert got.bots_excluded == ("dependabot",) and got.bug_fix_refs == ("PROJ-12", "4")
    assert got.explanation == (
        "changed 4 times in the last 90 days; 2 of those changes are linked to bug fixes (PROJ-12, 4); "
        "2 different developers changed it (bots not counted: dependabot); 150 lines churned; "
        "its test file tests/test_a.py changed in 1 of those 4 commits")


def test_rank_orders_by_risk_then_path() -> None:
    rows = [_c("b.py", "r@1", ANA, 10), _c("a.py", "r@2", ANA, 10), _c("c.py", "r@3", ANA, 11)]
    # each: churn + 25 + 5 -> c.py 41, then a.py and b.py 40 by path
    assert [(r.name, r.score.total) for r in risk.rank(rows, weights=RW, days=30)] == [
        ("c.py", 41.0), ("a.py", 40.0), ("b.py", 40.0)]


def test_explain_singular_and_empty() -> None:
    assert risk.explain(0, 0, (), 0, (), 0, 30, None, 0) == "not changed in the last 30 days"
    assert risk.explain(1, 1, ("X-1",), 1, (), 1, 30, "", 0) == (
        "changed once in the last 30 days; 1 of those changes is linked to a bug fix (X-1); "
        "1 developer changed it; 1 line churned; no test file found")
    refs = ("A-1", "A-2", "A-3", "A-4")
    assert "(A-1, A-2, A-3, …)" in risk.explain(4, 4, refs, 1, (), 1_240, 30, None, 0)
    assert "1,240 lines churned" in risk.explain(4, 4, refs, 1, (), 1_240, 30, None, 0)
    assert risk.explain(2, 0, (), 1, (), 3, 30, "", 0, is_test=True).endswith("3 lines churned; it is a test file")
    # every count gets its thousands comma, as the churn does (a file changed 1,204 times by 1,010 people)
    assert risk.explain(1_204, 1_001, refs, 1_010, (), 9, 3650, "t.py", 1_002) == (
        "changed 1,204 times in the last 3650 days; 1,001 of those changes are linked to bug fixes (A-1, A-2, A-3, …);"
        " 1,010 different developers changed it; 9 lines churned; its test file t.py changed in 1,002 of those"
        " 1,204 commits")
    assert [covering_tests.is_test_path(p) for p in ("tests/a.py", "src/test_a.py", "pkg/a_test.go", "src/a.py")] == [
        True, True, True, False]


@pytest.mark.parametrize(("path", "known", "test"), [
    ("src/auth/token_service.py", ["tests/auth/test_token_service.py"], "tests/auth/test_token_service.py"),
    ("src/auth/token_service.py", ["tests/src/auth/test_token_service.py"],
     "tests/src/auth/test_token_service.py"),
    ("src/auth/token_service.py", ["tests/unit/x/test_token_service.py", "tests/b/test_token_service.py"],
     "tests/b/test_token_service.py"),
    ("pkg/parse.go", ["pkg/parse_test.go", "other/parse_test.go"], "pkg/parse_test.go"),
    ("pkg/parse.go", ["other/parse_test.go"], "other/parse_test.go"),
    ("src/auth/token_service.py", ["src/auth/test_other.py"], ""),
    ("tests/auth/test_token_service.py", ["tests/auth/test_token_service.py"], ""),  # a test has no test
])
def test_find_test_file_by_convention(path: str, known: list[str], test: str) -> None:
    assert covering_tests.find_test_file(path, known) == test


def test_fold_renames_is_time_aware() -> None:
    def fact(ref: str, path: str, kind: str = "M", old: str = "") -> FactRow:
        return FactRow(ref, path, old, kind, 1)

    when = {"r@1": T(30), "r@2": T(20), "r@3": T(10), "r@4": T(5)}
    facts = [fact("r@1", "old.py"), fact("r@2", "new.py", "R", "old.py"), fact("r@3", "old.py", "A"),
             fact("r@4", "gone.py", "D")]
    folded = risk.fold_renames(facts, when)
    # r@1 happened before the rename: it counts for new.py; r@3 re-created old.py; gone.py is deleted
    assert {p: [f.ref for f in fs] for p, fs in folded.items()} == {"new.py": ["r@1", "r@2"], "old.py": ["r@3"]}


def test_ask_file_over_the_window(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        report = risk.ask_file(db, w.SERVICE, now=now, config=Config())
        short = risk.ask_file(db, w.SERVICE, now=now, config=Config(), days=7)
    total = report.total
    assert total is not None and report.days == 90 and report.since_day == "2026-03-03"
    # c2 (rename, 7) + c3 (30, bug fix) + c4 (bot, 2) + c7 (4); c1 is older than 90 days, c5 a merge
    # risk = 43 + 1*100 + 3*25 (Ben, Cy co-author, Ana) + 4*5 = 238
    assert (total.commits, total.bug_fixes, total.contributors, total.churn) == (4, 1, 3, 43)
    assert total.score.total == 238.0 and total.contributor_names == ("Ana Lima", "Ben Okafor", "Cy Park")
    assert total.explanation == (
        "changed 4 times in the last 90 days; 1 of those changes is linked to a bug fix (PROJ-2); "
        "3 different developers changed it (bots not counted: dependabot); 43 lines churned; "
        "its test file tests/auth/test_token_service.py changed in 1 of those 4 commits")
    assert [e.ref for e in total.evidence] == ["03ccccc"]
    # last 7 days: c4 (bot) and c7 only: 6 + 0 + 1*25 + 2*5 = 41
    assert short.total is not None and short.total.score.total == 41.0


def test_ask_component_and_top(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        comp = risk.ask_component(db, "auth", now=now, config=Config())
        together = risk.ask_component(db, "auth", now=now, config=Config(), include_tests=True)
        top = risk.ask_top(db, now=now, config=Config(), limit=2)
        top_all = risk.ask_top(db, now=now, config=Config(), limit=2, include_tests=True)
    assert comp.total is not None and together.total is not None
    # code files only (tests apart): c2 7 + c3 30 + c4 2 + c6 3 + c7 4 (on the service) = 46;
    # 1 fix; Ben, Cy, Ana; 5 commits = 46 + 100 + 75 + 25 = 246
    assert comp.total.score.total == 246.0 and comp.total.commits == 5
    # with the test file: + c8 10 + c7 8 = 64 churn, 6 commits = 64 + 100 + 75 + 30 = 269
    assert together.total.score.total == 269.0 and together.total.commits == 6
    # token_service 238; the NEW token.py (c6 after the rename): 3 + 25 + 5 = 33;
    # the test file apart: c8 + c7, 18 lines, Cy + Ben = 18 + 50 + 10 = 78
    assert [(f.name, f.score.total) for f in comp.files] == [(w.SERVICE, 238.0), (w.TOKEN, 33.0)]
    assert [(f.name, f.score.total) for f in comp.tests] == [(w.TEST, 78.0)]
    assert comp.tests[0].explanation.endswith("it is a test file")
    assert [f.name for f in together.files] == [w.SERVICE, w.TEST, w.TOKEN] and together.tests == ()
    assert top.files[0].name == w.SERVICE and w.TEST not in [f.name for f in top.files]
    assert [f.name for f in top.tests] == [w.TEST] and top.total is None and top.note == ""
    assert [f.name for f in top_all.files] == [w.SERVICE, w.TEST]


def test_top_totals_and_pruning_agree_with_rank(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        facts = risk.window_facts(db, epoch(now) - 90 * DAY, epoch(now))
        full = risk.rank([c for p in facts.files for c in facts.changes(p, {})], weights=RW, days=90)
        tops = [risk.ask_top(db, now=now, config=Config(), limit=n, include_tests=True)
                for n in range(1, len(full) + 1)]
    assert facts.totals(RW, facts.files) == {r.name: r.score.total for r in full}
    assert len(full) > 2  # so that some limits prune
    for n, top in enumerate(tops, 1):
        assert [(f.name, f.score.total) for f in top.files] == [(r.name, r.score.total) for r in full[:n]]


def test_candidates_drop_only_files_that_cannot_make_the_cut() -> None:
    def fact(ref: str, path: str, churn: int) -> FactRow:
        return FactRow(ref, path, "", "M", churn)

    who = persons.Who(ANA, False)
    facts = risk.WindowFacts(
        files={"big.py": [fact("r@1", "big.py", 500)], "tie.py": [fact("r@2", "tie.py", 374)],
               "small.py": [fact("r@3", "small.py", 10)]},
        commits={r: CommitRow(r, T(1), T(1), 0, "", "ana") for r in ("r@1", "r@2", "r@3")},
        authors={"r@1": [who], "r@2": [who], "r@3": [who]})
    # lowest total of big.py: 500 + 5 (one commit); highest of tie.py: 374 + 100 + 25 + 5 = 504,
    # within the one-point margin; small.py at most 10 + 130 = 140: it cannot be first
    assert facts.candidates(RW, 1) == ["big.py", "tie.py"]
    assert facts.candidates(RW, 3) == ["big.py", "tie.py", "small.py"]  # no more files than asked for
    assert facts.candidates(RiskWeights(churn=-1.0), 1) == ["big.py", "tie.py", "small.py"]  # no bounds


def test_unknown_names_raise_not_found(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        with pytest.raises(NotFound) as err:
            risk.ask_file(db, "token_service.py", now=now, config=Config())
        assert err.value.suggestions[0] == w.SERVICE
        with pytest.raises(NotFound):
            risk.ask_component(db, "billing", now=now, config=Config())


@pytest.mark.parametrize(("path", "known", "test"), [
    ("m/src/main/java/org/a/Foo.java", ["m/src/test/java/org/a/FooTest.java", "x/src/test/java/org/b/FooTest.java"],
     "m/src/test/java/org/a/FooTest.java"),  # the mirrored folder wins
    ("m/src/main/java/org/a/Foo.java", ["m/src/test/java/org/a/TestFoo.java"], "m/src/test/java/org/a/TestFoo.java"),
    ("m/src/main/java/org/a/Foo.java", ["m/src/test/java/org/a/FooIT.java"], "m/src/test/java/org/a/FooIT.java"),
    ("src/main/kotlin/a/Foo.kt", ["src/test/kotlin/a/FooTests.kt"], "src/test/kotlin/a/FooTests.kt"),
    ("src/main/java/a/Foo.java", ["src/test/kotlin/a/FooTest.kt"], "src/test/kotlin/a/FooTest.kt"),  # JVM family
    ("core/src/main/scala/a/Foo.scala", ["core/src/test/scala/a/FooSpec.scala"], "core/src/test/scala/a/FooSpec.scala"),
    ("Lib/Foo.cs", ["Lib.Tests/FooTests.cs"], "Lib.Tests/FooTests.cs"),
    ("web/src/foo.ts", ["web/src/foo.test.ts", "web/src/foo.spec.js"], "web/src/foo.spec.js"),  # same folder, by path
    ("web/src/foo.tsx", ["web/src/__tests__/foo.tsx"], "web/src/__tests__/foo.tsx"),
    ("lib/gem/foo.rb", ["spec/gem/foo_spec.rb"], "spec/gem/foo_spec.rb"),
    ("lib/gem/foo.rb", ["test/gem/foo_test.rb"], "test/gem/foo_test.rb"),
    ("src/foo.rs", ["tests/foo.rs"], "tests/foo.rs"),
    ("src/foo.py", ["tests/foo_test.py"], "tests/foo_test.py"),
    ("src/foo.py", ["tests/foo_test.go"], ""),  # another language does not test it
    ("m/src/test/java/org/a/FooTest.java", ["m/src/test/java/org/a/FooTest.java"], ""),
])
def test_find_test_file_in_every_ecosystem(path: str, known: list[str], test: str) -> None:
    assert covering_tests.find_test_file(path, known) == test


@pytest.mark.parametrize(("path", "is_test"), [
    ("a/src/test/java/x/Helper.java", True), ("x/FooTest.java", True), ("x/TestFoo.java", True),
    ("x/FooTests.cs", True), ("x/FooSpec.scala", True), ("x/foo_test.go", True), ("x/foo.test.ts", True),
    ("x/foo.spec.js", True), ("spec/foo_spec.rb", True), ("test/foo_test.rb", True), ("tests/foo.rs", True),
    ("x/test_foo.py", True), ("x/foo_test.py", True), ("x/__tests__/a.js", True), ("x/testdata/a.json", True),
    ("tests/cassettes/a.yaml", True), ("src/main/java/x/Foo.java", False), ("src/contest.py", False),
    ("lib/latest.rb", False), ("x/Testament.md", False),
])
def test_test_files_by_convention(path: str, is_test: bool) -> None:
    assert covering_tests.is_test_path(path) is is_test


def test_test_patterns_are_configurable() -> None:
    patterns = ("checks/*_check.py",)
    assert covering_tests.is_test_path("checks/foo_check.py", patterns)
    assert not covering_tests.is_test_path("tests/test_foo.py", patterns)
    assert covering_tests.find_test_file("src/foo.py", ["checks/foo_check.py"], patterns) == "checks/foo_check.py"


DAY0 = 1767225600  # 2026-01-01
AS_OF = [
    FakeCommit("Ana <ana@x.io>", DAY0, "add app", {
        "pom.xml": "<p/>\n", "src/main/java/app/Foo.java": "a\nb\nc\n", "src/main/java/app/Bar.java": "x\n",
        "src/test/java/app/FooTest.java": "t\n"}),
    FakeCommit("Ben <ben@x.io>", DAY0 + 10 * DAY, "Fix NPE in Foo", {"src/main/java/app/Foo.java": "a\nB\nc\n"}),
    FakeCommit("Ana <ana@x.io>", DAY0 + 20 * DAY, "drop Bar", {"src/main/java/app/Bar.java": None}),
    FakeCommit("Cy <cy@x.io>", DAY0 + 40 * DAY, "rework Foo", {"src/main/java/app/Foo.java": "z\n"}),
]


def test_risk_as_of_now(store: Store, tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "app", AS_OF), config=Config(), name="app")
    cut = datetime.fromtimestamp(DAY0 + 30 * DAY, UTC)
    with store.read() as db:
        top = risk.ask_top(db, now=cut, config=Config())
        late = risk.ask_top(db, now=datetime.fromtimestamp(DAY0 + 230 * DAY, UTC), config=Config())
        one = risk.ask_file(db, "src/main/java/app/Foo.java", now=cut, config=Config())
    # as of day 30: Cy's change (day 40) is not known; Bar.java was deleted on day 20
    foo = top.files[0]
    # Foo.java: churn 3 (added) + 2 (1 line changed) = 5; 1 fix (NPE); Ana, Ben; 2 commits
    # = 5 + 100 + 2*25 + 2*5 = 165
    assert (foo.name, foo.score.total, foo.contributors) == ("src/main/java/app/Foo.java", 165.0, 2)
    assert foo.explanation.endswith("its test file src/test/java/app/FooTest.java changed in 1 of those 2 commits")
    assert "src/main/java/app/Bar.java" not in [f.name for f in top.files]
    assert [f.name for f in top.tests] == ["src/test/java/app/FooTest.java"] and top.note == ""
    assert one.total is not None and one.total.score.total == 165.0
    # day 230, 90 days: the newest commit (day 40) is 190 days old; nothing changed in the window, so
    # Foo.java is ranked by its risk signal alone: its one bug fix (day 10), 220 days old, faded at the
    # default half-life of 365 days and weighted risk.recent_fix = 100 (Bar.java, deleted, is not)
    assert [(f.name, f.score.total) for f in late.files] == [("src/main/java/app/Foo.java", 0.0)]
    assert late.files[0].total == round(100 * 2 ** (-220 / 365), 2) and late.tests == ()
    assert late.note == "the newest commit is from 2026-02-10, 190 days before --now; no change in the last 90 days"


def test_test_file_sentence_counts_in_words() -> None:
    # no "changed in 0 of those 1 commits": the four cases of (test changes, commits)
    assert risk.explain(1, 0, (), 1, (), 1, 30, "t.py", 1).endswith("its test file t.py changed in that commit")
    assert risk.explain(1, 0, (), 1, (), 1, 30, "t.py", 0).endswith(
        "its test file t.py did not change in that commit")
    assert risk.explain(3, 0, (), 1, (), 3, 30, "t.py", 0).endswith(
        "its test file t.py did not change in any of those 3 commits")
    assert risk.explain(3, 0, (), 1, (), 3, 30, "t.py", 2).endswith(
        "its test file t.py changed in 2 of those 3 commits")


OTHER = [FakeCommit("Dee <dee@y.io>", DAY0 + 5 * DAY, "add lib", {"lib/z.py": "1\n2\n"}),
         FakeCommit("Dee <dee@y.io>", DAY0 + 6 * DAY, "fix crash in z", {"lib/z.py": "1\n3\n"})]


def test_risk_of_one_repository(store: Store, tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "app", AS_OF), config=Config(), name="app")
    ingest_git(store, build_repo(tmp_path / "lib", OTHER), config=Config(), name="lib")
    cut, config = datetime.fromtimestamp(DAY0 + 30 * DAY, UTC), Config()
    with store.read() as db:
        both = risk.ask_top(db, now=cut, config=config)
        app = risk.ask_top(db, now=cut, config=config, repo="app")
        lib = risk.ask_top(db, now=cut, config=config, repo="lib")
        component = risk.ask_component(db, "lib", now=cut, config=config, repo="lib")
        with pytest.raises(NotFound, match="repository"):
            risk.ask_top(db, now=cut, config=config, repo="ap")
    # app: Foo.java 165 (test_risk_as_of_now); pom.xml: churn 1 + Ana 25 + 1 commit 5 = 31
    assert {f.name for f in both.files} == {"src/main/java/app/Foo.java", "pom.xml", "lib/z.py"}
    assert [(f.name, f.score.total) for f in app.files] == [("src/main/java/app/Foo.java", 165.0), ("pom.xml", 31.0)]
    # lib/z.py: churn 2 (added) + 2 (1 line changed) = 4; 1 fix (crash); Dee; 2 commits = 4 + 100 + 25 + 10 = 139
    assert [(f.name, f.score.total) for f in lib.files] == [("lib/z.py", 139.0)] and lib.tests == ()
    assert component.total is not None and component.total.score.total == 139.0

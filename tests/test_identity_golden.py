"""bench/identity_score.py scores identity resolution correctly, and the golden sets are well-formed.

The scoring is checked on a tiny literal example whose pair counts are worked out by hand in the
comments. The targets (precision >= 99 %, ...) live in the benchmark, not here.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "identities"


def load_score() -> ModuleType:
    """bench/ is not a package: load identity_score.py by path (registered first, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location("identity_score", ROOT / "bench" / "identity_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


S = load_score()


def golden(*rows: tuple[str, str, str]) -> list:
    return [S.GoldenRow(person, name, email, "") for person, name, email in rows]


GOLD = golden(
    ("ana", "Ana Lima", "ana@x.org"),
    ("ana", "Ana Lima", "ana@home.net"),
    ("ana", "Ana Lima", ""),                        # name-only trailer
    ("bo", "Bo Li", "bo@x.org"),
    ("bo", "bo", "bo@y.org"),
    ("bot:dependabot", "dependabot[bot]", "bot@x.org"),
    ("cy", "Cy", "cy@x.org"),
    ("dee", "Dee", "dee@x.org"),                    # never in the store
)


def acc(key: str, name: str, email: str, developer: str, *, is_bot: bool = False) -> object:
    return S.Account(key, name, email, developer, is_bot, "rule", "evidence")


STORE = [
    acc("a1", "Ana  Lima", " ANA@X.org", "D1"),     # whitespace and email case do not matter
    acc("a2", "Ana Lima", "ana@home.net", "D1"),
    acc("a3", "Ana Lima", "", "D2"),                # Ana split over D1 and D2
    acc("b1", "Bo Li", "bo@x.org", "D3"),
    acc("b2", "bo", "bo@y.org", "D3"),
    acc("c1", "Cy", "cy@x.org", "D3", is_bot=True),  # Cy falsely merged with Bo, and marked a bot
    acc("k1", "dependabot[bot]", "bot@x.org", "D5"),  # a bot the store did not mark
    acc("z1", "Zed", "zed@x.org", "D9"),            # not in the golden set: not scored
]


def test_score_on_a_hand_worked_example() -> None:
    s = S.score(STORE, GOLD)
    # scored accounts: a1 a2 a3 b1 b2 c1 k1 (z1 unknown)
    # predicted pairs (same developer): D1 {a1,a2} = 1, D2 {a3} = 0, D3 {b1,b2,c1} = 3, D5 = 0 -> 4
    # true pairs (same person): ana {a1,a2,a3} = 3, bo {b1,b2} = 1, cy = 0, bot = 0        -> 4
    # correct (same developer and person): (D1, ana) = 1, (D3, bo) = 1                    -> 2
    assert (s.predicted_pairs, s.true_pairs, s.correct_pairs) == (4, 4, 2)
    assert s.precision == 0.5 and s.recall == 0.5
    # developers per person: ana {D1, D2} = 2, bo {D3} = 1, cy {D3} = 1, bot {D5} = 1 -> 5 / 4
    assert s.developers_per_person == 1.25
    assert (s.accounts, s.labelled, s.persons, s.developers) == (8, 7, 4, 4)
    assert [a.key for a in s.unknown] == ["z1"]
    assert [g.person for g in s.unseen] == ["dee"]
    assert s.split_total == 1
    assert [(x.person, x.developers, x.accounts) for x in s.split] == [("ana", ("D1", "D2"), 3)]
    # D3 joins bo (2 accounts) and cy (1): 3 pairs, of which 1 (b1-b2) is right -> 2 wrong
    assert [(f.developer, [p for p, _ in f.persons], f.wrong_pairs) for f in s.false_merges] == [
        ("D3", ["bo", "cy"], 2)]
    assert [a.key for a in s.bots_unmarked] == ["k1"]
    assert [a.key for a in s.humans_as_bots] == ["c1"]


def test_perfect_resolution_and_empty_pair_sets() -> None:
    right = [acc("a1", "Ana Lima", "ana@x.org", "ana"), acc("a2", "Ana Lima", "ana@home.net", "ana"),
             acc("b1", "Bo Li", "bo@x.org", "bo")]
    s = S.score(right, GOLD)
    assert (s.precision, s.recall, s.developers_per_person) == (1.0, 1.0, 1.0)
    assert s.split == () and s.false_merges == ()
    # one account per person: no pair is claimed and none is missed
    alone = S.score([acc("c1", "Cy", "cy@x.org", "cy")], GOLD)
    assert (alone.predicted_pairs, alone.true_pairs, alone.precision, alone.recall) == (0, 0, 1.0, 1.0)


def test_worst_caps_the_split_list_not_its_count() -> None:
    split_all = [acc(f"a{i}", "Ana Lima", e, f"D{i}") for i, e in enumerate(("ana@x.org", "ana@home.net", ""))]
    split_all += [acc("b1", "Bo Li", "bo@x.org", "E1"), acc("b2", "bo", "bo@y.org", "E2")]
    s = S.score(split_all, GOLD, worst=1)
    assert s.split_total == 2
    assert [x.person for x in s.split] == ["ana"]  # 3 developers before bo's 2


@pytest.mark.parametrize(("text", "problem"), [
    ("person\tname\temail\n", "header"),
    ("person\tname\temail\tnote\nana\tAna\n", "expected 4"),
    ("person\tname\temail\tnote\n\tAna\ta@x\t\n", "empty or padded person"),
    ("person\tname\temail\tnote\nana\tAna\ta@x\t\nana\tAna \tA@X\t\n", "already on line 2"),
    ("person\tname\temail\tnote\nbo\tBo\tb@x\t\nana\tAna\ta@x\t\n", "not sorted"),
])
def test_read_golden_names_the_line_of_a_bad_row(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        S.read_golden(path)


@pytest.mark.parametrize("name", ["bookkeeper", "flask"])
def test_golden_sets_are_well_formed(name: str) -> None:
    """Checked here line by line, not only through read_golden: UTF-8, a header, four fields, a
    person on every row, sorted by (person, name, email), one row per (name, email) account."""
    path = GOLDEN / f"{name}.tsv"
    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "person\tname\temail\tnote"
    assert lines[-1] == ""  # ends with a newline
    rows = [line.split("\t") for line in lines[1:-1]]
    assert all(len(r) == 4 for r in rows)
    assert all(r[0] and r[0] == r[0].strip() for r in rows)
    assert [r[:3] for r in rows] == sorted(r[:3] for r in rows)
    keys = [(" ".join(r[1].split()), r[2].strip().lower()) for r in rows]
    assert len(keys) == len(set(keys))
    assert all(r[1] or r[2] for r in rows)  # an account has a name or an email
    persons = {r[0] for r in rows}
    assert len(persons) > 100
    assert S.read_golden(path)  # and the benchmark's reader agrees


def test_the_decomposed_accent_is_kept_as_git_wrote_it() -> None:
    """Flask has `Daniel Neuhäuser` in both Unicode forms under one email: two accounts in the
    store (names are compared as written), so two golden rows for the same person."""
    rows = [line.split("\t") for line in (GOLDEN / "flask.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    forms = {r[1] for r in rows if r[2] == "dasdasich@gmail.com"}
    assert {unicodedata.normalize("NFC", f) for f in forms} == {"Daniel Neuh\u00e4user"}
    assert len(forms) == 2
    assert {r[0] for r in rows if r[2] == "dasdasich@gmail.com"} == {"daniel-neuhaeuser"}

"""identity/names.py: how names are made comparable, on spellings seen in real histories."""

from __future__ import annotations

import pytest

from teammemory.config import DEFAULT_NAME_STOPLIST
from teammemory.identity.names import PersonName, fold, full_name, handle, one_word, spellings, squash

STOP = frozenset(DEFAULT_NAME_STOPLIST)


@pytest.mark.parametrize(("raw", "key", "initials"), [
    ("Sijie Guo", "sijie guo", ""),
    ("  SIJIE   guo ", "sijie guo", ""),
    ("Nicolò Boschi", "nicolo boschi", ""),                 # accent folded
    ("Can Yılmaz", "can yilmaz", ""),                       # dotless i has no NFKD base letter
    ("Kelly, Ivan", "ivan kelly", ""),                      # "Last, First"
    ("Huang,Dongfa", "dongfa huang", ""),
    ("Arun M. Krishnakumar", "arun krishnakumar", "m"),     # middle initial set aside
    ("Peter G Kritikos", "peter kritikos", "g"),
    ("Ivan Brendan Kelly", "ivan brendan kelly", ""),       # a full middle name is kept
    ("Robert (Bobby) Evans", "robert evans", ""),           # nickname dropped
    ("Venkateswararao Jujjuri (JV)", "venkateswararao jujjuri", ""),
    ("Francesco Caliumi - Diennea", "francesco caliumi", ""),  # ' - affiliation' dropped
    ("yong.zhang", "yong zhang", ""),                       # separators split words
    ("lamber-ken", "lamber ken", ""),
    ("Sven-Hendrik Haase", "sven hendrik haase", ""),
    ("Augustus D'Souza", "augustus dsouza", ""),            # apostrophe joins
    ("John Smith Jr.", "john smith", ""),                   # suffix dropped
    ("冉小龙", "冉小龙", ""),                               # CJK: family and given name in one word
])
def test_full_names_compare_as_people_write_them(raw: str, key: str, initials: str) -> None:
    assert full_name(raw, STOP) == PersonName(key, initials)


@pytest.mark.parametrize("raw", [
    "Aloys",                 # one word
    "Kai S",                 # one word of two letters or more
    "J. Smith",
    "sijie@apache.org",      # an email used as a name
    "root",                  # placeholders and generic names
    "Ubuntu User",
    "Jenkins Build",
    "GitHub Actions",
    "Your Name",
    "john doe",
    "",
    "赤月",                  # two ideographs: too short to be sure it is a full name
])
def test_names_that_cannot_tell_people_apart_have_no_key(raw: str) -> None:
    assert full_name(raw, STOP) is None


def test_a_real_surname_that_is_also_a_stopword_still_counts() -> None:
    # 'jenkins' is stoplisted, but a name is stopped only when every word is
    assert full_name("Rob Jenkins", STOP) == PersonName("rob jenkins", "")


@pytest.mark.parametrize(("raw", "word"), [
    ("ivankelly", "ivankelly"),
    ("eolivelli", "eolivelli"),
    ("StevenLuMT", "stevenlumt"),          # camel case
    ("karanmehta93", "karanmehta93"),      # digits
    ("lamber-ken", "lamberken"),           # separators squashed
    ("dependabot[bot]", "dependabot[bot]"),
    ("Max", ""),                           # a capitalised word is a given name
    ("Merlin", ""),
    ("ab", ""),                            # too short
    ("root", ""),                          # stoplisted
    ("Ivan Kelly", ""),                    # two words
    ("ivan@x.org", ""),
])
def test_login_like_names(raw: str, word: str) -> None:
    assert handle(raw, STOP) == word


def test_fold_squash_and_spellings() -> None:
    assert fold("Ayşe DEMİR") == "ayse demir"
    assert fold("Øyvind Łukasz") == "oyvind lukasz"
    assert squash("Ivan.Kelly_x-y") == "ivankellyxy"
    assert spellings("ivan kelly") == ("ivankelly", "kellyivan", "ikelly")
    assert spellings("flavio paiva junqueira") == ("flaviopaivajunqueira", "flaviojunqueira", "fjunqueira",
                                                   "flaviopaiva")
    assert one_word(" Arvin ", STOP) == "arvin" and one_word("lamber-ken", STOP) == "lamberken"
    assert one_word("JV", STOP) == "" and one_word("Ivan Kelly", STOP) == "" and one_word("root", STOP) == ""


def test_a_number_in_a_name_tells_people_apart() -> None:
    # 'Build Agent 1' / 'Ann Lee 2': the number is part of who it is, never dropped as noise
    assert full_name("Ann Lee 2", frozenset()) != full_name("Ann Lee 3", frozenset())
    assert full_name("Ann Lee 2", frozenset()) != full_name("Ann Lee", frozenset())

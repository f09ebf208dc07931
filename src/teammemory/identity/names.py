"""Pure: how a person's name is compared, for the name rules of identity/by_name.py.

A full name becomes a *name key*, so that the ways one person writes it compare equal:
  'Nicolò  Boschi' -> 'nicolo boschi'          accents folded (also ı ø ł ß æ ...), case folded
  'Kelly, Ivan'     -> 'ivan kelly'             "Last, First" (one comma) turned round
  'Arun M. Krishnakumar' -> 'arun krishnakumar' a middle initial is set aside (PersonName.initials)
  'Robert (Bobby) Evans' -> 'robert evans'     parenthesised nicknames and tags dropped
  'Francesco Caliumi - Diennea' -> 'francesco caliumi'   a ' - affiliation' tail dropped
  'yong.zhang' -> 'yong zhang'                  '.', '_', '-' separate words like spaces
Full middle names are kept: 'Ivan Brendan Kelly' and 'Ivan Kelly' have different keys. On the
real histories every such pair also shares an email (ivank@apache.org, fpj@apache.org), so
dropping middle names would add no right merge there and only risk wrong ones.

A name gives no key (None) when it cannot tell people apart: an email used as a name, fewer than
two words of two letters or more ('Kai S', 'J. Smith', 'Aloys'), or only stoplisted words
('root', 'Ubuntu User', 'Jenkins Build'; the stoplist is `[identity] name_stoplist`). A name of
three or more CJK ideographs or Hangul syllables is one word but a full name ('冉小龙': family
name and given name, written without a space), so it has a key.

`handle()` is the other way a name is written: one login-like word ('ivankelly', 'eolivelli',
'StevenLuMT', 'karanmehta93'), compared with logins and email local parts by `squash()`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Letters NFKD does not decompose into an ASCII base letter plus a mark.
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
                       "œ": "oe", "ħ": "h", "ŀ": "l"})
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_AFFILIATION = re.compile(r"\s+[-|]\s+.*$")
_SEPARATORS = re.compile(r"[^\w']+|_")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]*[a-z0-9](\[bot\])?$")
_CAMEL = re.compile(r"[a-z][A-Z]")
_ONE_WORD = re.compile(r"^[\w.\-\[\]]+$")


def _ideographic(word: str) -> bool:
    """A word in a script written without spaces between names: CJK ideographs, Hangul."""
    return all("CJK UNIFIED" in unicodedata.name(ch, "") or "HANGUL SYLLABLE" in unicodedata.name(ch, "")
               for ch in word)


@dataclass(frozen=True)
class PersonName:
    """A full name made comparable: `key` without middle initials; the initials apart, so that
    'Ivan B. Kelly' and 'Ivan C. Kelly' can be told apart while 'Ivan Kelly' matches either."""

    key: str
    initials: str


@lru_cache(maxsize=1 << 16)  # pure, and asked for the same few thousand names many times a resolution
def fold(value: str) -> str:
    """'Nicolò Yılmaz' -> 'nicolo yilmaz': accents off, case folded, non-Latin letters kept."""
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def full_name(value: str, stoplist: frozenset[str]) -> PersonName | None:
    """The comparable form of a full name, or None when the name cannot tell people apart."""
    if "@" in value:
        return None
    text = _AFFILIATION.sub("", _PARENS.sub(" ", value)).strip()
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    words = [w.replace("'", "") for w in _SEPARATORS.split(fold(text))]
    words = [w for w in words if w and w not in _SUFFIXES]  # a number stays: 'Ann Lee 2' is not 'Ann Lee 3'
    if not words or _stopped(words, stoplist):
        return None
    if len(words) == 1 and len(words[0]) >= 3 and _ideographic(words[0]):
        return PersonName(words[0], "")  # '冉小龙': family and given name in one word
    if len(words) < 2:
        return None
    inner = words[1:-1]
    kept = [words[0], *(w for w in inner if len(w) > 1), words[-1]]
    if sum(1 for w in kept if len(w) > 1) < 2:
        return None
    return PersonName(" ".join(kept), "".join(w for w in inner if len(w) == 1))


def _stopped(words: list[str], stoplist: frozenset[str]) -> bool:
    return " ".join(words) in stoplist or all(w in stoplist for w in words)


@lru_cache(maxsize=1 << 16)
def handle(value: str, stoplist: frozenset[str]) -> str:
    """The squashed login a one-word name looks like ('Ivan-Kelly' no, 'ivankelly' yes), else ''.

    Login-like: written without capitals, or with a digit or '.', '_', '-', or camel-cased
    ('StevenLuMT'). A capitalised single word ('Max', 'Merlin') is a given name, not a login."""
    word = value.strip()
    low = word.lower()
    if len(low) < 3 or " " in word or "@" in word or not _LOGIN.match(low) or low in stoplist:
        return ""
    if word == low or any(ch.isdigit() or ch in "._-" for ch in word) or _CAMEL.search(word):
        return squash(low)
    return ""


def squash(value: str) -> str:
    """'Ivan.Kelly' -> 'ivankelly': how logins, local parts and one-word names are compared."""
    return re.sub(r"[._-]", "", value.lower())


@lru_cache(maxsize=1 << 16)
def one_word(value: str, stop: frozenset[str]) -> str:
    """A one-word name, folded and squashed ('Arvin' -> 'arvin', 'StevenLuMT' -> 'stevenlumt'),
    else '' (more words, an email, fewer than 3 characters, a stoplisted word)."""
    word = fold(value.strip())
    if len(word) < 3 or not _ONE_WORD.match(word) or word in stop:
        return ""
    return squash(word)


def spellings(key: str) -> tuple[str, ...]:
    """A name key written as one word: 'ivan kelly' -> ('ivankelly', 'kellyivan', 'ikelly'); with
    more words, all of them, first+last, initial+last and the given names without the family name
    ('flavio paiva junqueira' -> 'flaviopaivajunqueira', 'flaviojunqueira', 'fjunqueira',
    'flaviopaiva'; 'kishore kasi udayashankar' is the login 'kishorekasi')."""
    words = key.split()
    if len(words) < 2:
        return tuple(words)
    if len(words) == 2:
        return ("".join(words), "".join(reversed(words)), words[0][0] + words[-1])
    return ("".join(words), words[0] + words[-1], words[0][0] + words[-1], "".join(words[:-1]))

"""Pure: a repository's `.mailmap` text -> a lookup that maps (name, email) as git does.

Git applies `.mailmap` to authors and committers (`%aN`/`%aE`, which `sources.gitlog` asks for)
but never to the people named in trailers, so a `Reviewers: Jane <jane@old.org>` would not land
on the account of Jane's commits. `Mailmap.map` lets the trailer parser do what git does.

Accepted lines (gitmailmap(5); git's mailmap.c `read_mailmap_line`, mirrored):

    Proper Name <proper@email>                            # names every commit of that email
    <proper@email> <commit@email>                         # replaces the email only
    Proper Name <proper@email> <commit@email>             # replaces both
    Proper Name <proper@email> Commit Name <commit@email> # only when name and email both match
    Proper Name <proper@email> jdoe <>                    # commit email may be empty: a name-only
                                                          #   trailer person ('Reviewers: jdoe')

Like git: a line starting with `#` is a comment, text after the last pair is ignored, a line
without a usable first `<email>` (or with an empty one) is skipped silently (git does not fail on
a bad .mailmap, so neither does an ingest), later lines win over earlier ones, emails and names
match case-insensitively for ASCII letters (git's strcasecmp). One deliberate difference: names
are compared with runs of whitespace collapsed, because trailer names are collapsed when parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Git's comparison key: ASCII case folded (strcasecmp), whitespace runs collapsed."""
    return lower_ascii(" ".join(text.split()))


def lower_ascii(text: str) -> str:
    """Only A-Z lower-cased, as strcasecmp does (`str.lower` is the fast path for ASCII text)."""
    return text.lower() if text.isascii() else text.translate(ASCII_LOWER)


@dataclass
class Entry:
    """What one commit email maps to: a plain replacement, and replacements for named commits."""

    name: str | None = None
    email: str | None = None
    by_name: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Mailmap:
    """Commit email (folded) -> Entry. Empty when the repository has no `.mailmap`."""

    entries: dict[str, Entry] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def map(self, name: str, email: str) -> tuple[str, str] | None:
        """The proper (name, email) for a commit-style `name <email>`, or None when no line applies.

        As git's `map_user`: the email picks the entry; a line naming the commit name too wins
        over the plain line; a replacement that gives only a name keeps the email, and vice versa.
        """
        entry = self.entries.get(lower_ascii(email))  # emails hold no whitespace to collapse
        if entry is None:
            return None
        new_name, new_email = entry.by_name.get(fold(name), (entry.name, entry.email)) if entry.by_name else (
            entry.name, entry.email)
        if new_name is None and new_email is None:
            return None
        return (new_name if new_name is not None else name, new_email if new_email is not None else email)


EMPTY = Mailmap()


def parse_mailmap(text: str) -> Mailmap:
    """Every usable line of a `.mailmap` (see the module docstring), later lines winning."""
    entries: dict[str, Entry] = {}
    for line in text.split("\n"):
        if line.startswith("#"):
            continue
        first = _pair(line, allow_empty=False)
        if first is None:
            continue
        proper_name, proper_email, rest = first
        second = _pair(rest, allow_empty=True)
        _add(entries, proper_name, proper_email, *(second[:2] if second else (None, None)))
    return Mailmap(entries)


def _pair(text: str, *, allow_empty: bool) -> tuple[str | None, str, str] | None:
    """`'  Jane Roe <jane@x.org> rest'` -> ('Jane Roe', 'jane@x.org', ' rest'); None without `<...>`."""
    left = text.find("<")
    right = text.find(">", left + 1) if left >= 0 else -1
    if right < 0 or (right == left + 1 and not allow_empty):
        return None
    name = " ".join(text[:left].split())
    return name or None, text[left + 1:right].strip(), text[right + 1:]


def _add(entries: dict[str, Entry], new_name: str | None, new_email: str,
         old_name: str | None, old_email: str | None) -> None:
    """git's `add_mapping`: without a commit email the line names its own email's commits."""
    replacement: str | None = new_email
    if old_email is None:
        old_email, replacement = new_email, None
    entry = entries.setdefault(fold(old_email), Entry())
    if old_name is None:
        entry.name = new_name if new_name is not None else entry.name
        entry.email = replacement if replacement is not None else entry.email
    else:
        entry.by_name[fold(old_name)] = (new_name, replacement)

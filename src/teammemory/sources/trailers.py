"""Pure: the people a commit message credits in `Key: Name <email>` trailer lines, as people write them.

Keys (case-insensitive, `Co-Authored-By` too) and the role each gives; only `reviewer` (with
`author` and `co-author`) counts as work credit (`model.CREDITED_ROLES`):

    Reviewer: / Reviewers: / Reviewed-by:   -> reviewer       (a comma list)
    Acked-by: / Tested-by:                  -> acked-by / tested-by (a comma list)
    Co-authored-by: / Co-author:            -> co-author      (one person a line, as GitHub writes it)
    Signed-off-by:                          -> signed-off-by  (one person a line)

What real histories contain, and what becomes of it:

    Reviewers: Jun Rao <jun@x.org>, Ismael Juma, "Li, Cy" <cy@x.org>   three people, one without email
    Reviewers: Andrey Yegorov <None>        `<None>`, `<none>`, `<>`: no email
    Reviewers: ivankelly, sijie             name-only accounts (identity resolution ties them)
    Reviewers: Jane <jane@x.org, John Doe <john@y.org>   an unclosed `<` ends at the comma: two people
    Signed-off-by: Sijie Guo <sijieapache.org>   an email that lost its '@': kept as written (the
                                                 `mangled-email` rule ties it to sijie@apache.org),
                                                 the evidence says it is no real address
    Signed-off-by: Sijie Guo <sijie apache>      not an email: the name stays, the evidence says
                                                 the email was dropped
    Reviewers: A <a@x.org>, B <b@x.org>,    a list line ending in a comma continues on the next
      C <c@x.org>                           line; so does any line indented deeper than its key
    Reviewed-by: @jdoe                      a GitHub @-mention: the GitHub login jdoe
    Reviewers: sijie@apache.org <sijie@apache.org>   an email where the name goes: email only
    Reviewers: [Ivan Kelly <ivank@x.org>, Sijie Guo <sijie@x.org>   the list's brackets are dropped
    Reviewers: Ana de Souza and Bo Li       ` and `/`&` separate people in a list
    Tested-by: Ana Lima (on Linux) <a@x>    a comment in brackets is dropped when it is not a name
    Reviewers: please see the PR            no one: a sentence, a placeholder (`none`, `N/A`), a
                                            reference (`#12`, a URL), a bullet, over six words

Every person's evidence names the trailer (`Reviewers trailer`) and, after `; `, anything the
parser had to repair. A repository `.mailmap` (`sources.mailmap`) is applied as git applies it to
authors, so a trailer person lands on the same account as their commits. Parsing is one
`str.partition` per body line; the character loop runs only on trailer values that need it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from teammemory.model import CommitPerson, CommitRole, IdentityRef
from teammemory.sources.mailmap import EMPTY, Mailmap


class Trailer(NamedTuple):
    role: CommitRole
    evidence: str
    is_list: bool  # a comma list (else split only when it holds two or more `<email>`s)


TRAILERS: dict[str, Trailer] = {
    "reviewer": Trailer("reviewer", "Reviewer trailer", True),
    "reviewers": Trailer("reviewer", "Reviewers trailer", True),
    "reviewed-by": Trailer("reviewer", "Reviewed-by trailer", True),
    "acked-by": Trailer("acked-by", "Acked-by trailer", True),
    "tested-by": Trailer("tested-by", "Tested-by trailer", True),
    "co-authored-by": Trailer("co-author", "Co-authored-by trailer", False),
    "co-author": Trailer("co-author", "Co-author trailer", False),
    "signed-off-by": Trailer("signed-off-by", "Signed-off-by trailer", False),
}
KEY_MAX = max(map(len, TRAILERS)) + 4  # room for spaces around the key (`Co-Author :`)
NO_EMAIL = frozenset({"", "none", "null", "nil", "n/a", "na", "unknown", "(none)"})
NO_ONE = frozenset({"none", "n/a", "na", "nobody", "no one", "-", "--", "tbd", "?", "unknown", "null"})
NOT_IN_NAME = frozenset("#/\\=|{}`*;:!?")  # brackets stay: bots are named `dependabot[bot]`
MAX_NAME_WORDS = 6
# words of a sentence, never of a name: `Reviewers: please see the PR`, `Reviewed-by: TBD by committers`
PROSE_WORDS = frozenset("a an and are as at be by for from in is it of on or please see should the this to was we "
                        "will with".split())
AND = re.compile(r"\s+and\s+|\s*&\s*")
COMMENT = re.compile(r"\s*\([^)]*\)")
MAX_WRAPPED = 20  # continuation lines read after one trailer line (a bound, not a rule seen in data)
LOGIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


# One person as written, and what had to be repaired to read them ('' when nothing). A plain tuple:
# parse_person runs for every trailer of every commit, and a NamedTuple costs a third of it.
Parsed = tuple[IdentityRef, str]


def parse_trailers(body: str, *, mailmap: Mailmap = EMPTY) -> tuple[CommitPerson, ...]:
    """People credited in the trailer lines of `body` (the message without its subject), in order;
    one credit per person and role."""
    return unique(trailer_people(body, mailmap=mailmap))


def trailer_people(body: str, *, mailmap: Mailmap = EMPTY) -> list[CommitPerson]:
    """Every mention in a trailer line, in order, repeats included (`unique` removes them)."""
    found: list[CommitPerson] = []
    if ":" not in body:
        return found
    lines = body.split("\n")
    for i, line in enumerate(lines):
        key, sep, value = line.partition(":")
        trailer = TRAILERS.get(key.strip().lower()) if sep and len(key) <= KEY_MAX else None
        if trailer is None:
            continue
        evidence = trailer.evidence
        if i + 1 < len(lines) and lines[i + 1].strip():
            value, wrapped = continued(value, lines, i, listed=trailer.is_list)
            evidence += "; wrapped over several lines" if wrapped else ""
        for text in people_of(value, listed=trailer.is_list):
            parsed = parse_person(text)
            if parsed is not None:
                who, note = apply_mailmap(parsed, mailmap) if mailmap else parsed
                found.append(CommitPerson(trailer.role, who, evidence + note if note else evidence))
    return found


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def is_trailer(line: str) -> bool:
    key, sep, _ = line.partition(":")
    return bool(sep) and len(key) <= KEY_MAX and key.strip().lower() in TRAILERS


def continued(value: str, lines: list[str], i: int, *, listed: bool) -> tuple[str, bool]:
    """`value` of line `i` joined with the lines that continue it: indented deeper than the key line
    (git's folding), or, for a list, any non-blank line after a value that ends with a comma."""
    key_indent, wrapped = indent(lines[i]), False
    for line in lines[i + 1:i + 1 + MAX_WRAPPED]:
        if not line.strip() or is_trailer(line):
            break
        if not (indent(line) > key_indent or (listed and value.rstrip().endswith(","))):
            break
        value, wrapped = value.rstrip() + " " + line.strip(), True
    return value, wrapped


def people_of(value: str, *, listed: bool) -> list[str]:
    """The people in one trailer value: a list key splits (`split_people`, then on ` and `/`&`);
    a one-person key splits only when the value holds two or more `<email>`s (`A <a@x>, B <b@x>`)."""
    if not listed:
        return split_people(value) if value.count("<") > 1 else [value]
    pieces = split_people(value)
    if " and " in value or "&" in value:  # `Reviewers: Ana Lima and Bo Li`
        pieces = [part for piece in pieces for part in (AND.split(piece) if "(" not in piece else [piece])]
    return pieces


def split_people(value: str) -> list[str]:
    """Split on commas outside quotes and closed `<...>`.

    `'Ana <a@x>, Bo Li, "Li, Cy" <c@x>'` -> three; an unclosed `<` does not swallow the rest:
    `'Jane <jane@x.org, John <john@y.org>'` -> `['Jane <jane@x.org', ' John <john@y.org>']`; a missing
    comma after a closed bracket is supplied: `'A <a@x> B <b@x>'` -> `['A <a@x>', ' B <b@x>']`.
    """
    if '"' not in value:  # the usual case, in C: every piece holds at most one closed bracket
        pieces = value.split(",")
        if all(p.count("<") == p.count(">") < 2 and p.find("<") <= p.find(">") for p in pieces):
            return pieces
    out: list[str] = []
    start, i, n = 0, 0, len(value)
    quoted, after = False, -1  # `after`: index just past the last closed `>` of this piece
    while i < n:
        ch = value[i]
        if ch == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif ch == ",":
            out.append(value[start:i])
            start, after = i + 1, -1
        elif ch == "<":
            if after > start and value[after:i].strip():
                out.append(value[start:after])
                start = after
            close, reopen = value.find(">", i), value.find("<", i + 1)
            if close >= 0 and (reopen < 0 or close < reopen):
                i, after = close, close + 1
        i += 1
    out.append(value[start:])
    return out


def parse_person(text: str) -> Parsed | None:
    """`'Ana Lima <ana@x.org>'`, `'<ana@x.org>'`, `'ana@x.org'`, `'Ana Lima'`, `'@ana'` -> one person.

    None for nothing or a placeholder (`none`, `N/A`) or a name that is not one (`#123`, a sentence).
    """
    text = text.strip().rstrip(".;,")
    if ("[" in text or "]" in text) and text.count("[") != text.count("]"):  # `[Ivan Kelly <i@x>, ...]`
        text = text.strip("[] ")
    email, note = "", ""
    if "<" in text:
        name, _, rest = text.partition("<")
        inner, closed, _ = rest.partition(">")
        email, note = parse_email(inner, closed=bool(closed))
    elif "@" not in text:
        name = text
    elif text[0] == "@" and LOGIN_CHARS.issuperset(text[1:]) and len(text) > 1:
        return IdentityRef("github", login=text[1:]), "; GitHub @-mention"
    else:
        name, _, last = text.rpartition(" ")
        if "@" in last[1:]:
            email, note = parse_email(last, closed=True)
        else:
            name = text
    name = " ".join((name.replace('"', " ") if '"' in name else name).split())
    if "@" in name:  # `sijie@apache.org <sijie@apache.org>`: a merge script without display names
        name, email = "", (email if "@" in email else "") or (name if " " not in name else "")
    elif name and not is_name(name):
        name = COMMENT.sub("", name).strip() if "(" in name else ""  # `Ana Lima (on Linux)`
        name = name if is_name(name) else ""
    if not name and "@" not in email:  # `<sijieapache.org>` alone: nobody to credit soundly
        return None
    return IdentityRef("git", email, name), note


def parse_email(inner: str, *, closed: bool) -> tuple[str, str]:
    """What is between `<` and `>` -> (email, note). An unclosed bracket's email ends at the first
    space or comma; `None`/empty means no email. Text without '@' is no email: one that reads like
    an email with its '@' lost (`sijieapache.org`, no spaces, a dot) is kept as written so that
    identity resolution's `mangled-email` rule can tie it to the real one (never as an address:
    normalize.email reads it as none); any other is dropped."""
    email = inner.strip()
    note = "" if closed else "; unclosed '<' repaired"
    if not closed:
        email = email.replace(",", " ").split(" ", 1)[0] if email else ""
    if email.lower() in NO_EMAIL:
        return "", note
    if "@" not in email and "." in email and " " not in email:  # `sijieapache.org`: a merge script lost the '@'
        return email, note + f"; email {email!r} kept as written: no '@', not a real address"
    if "@" not in email[1:] or " " in email:
        return "", note + f"; email {email!r} dropped (no '@')"
    return email, note


def is_name(name: str) -> bool:
    """A name as people write one (whitespace collapsed): starts with a letter or digit (not a
    bullet), not a placeholder, no markup or references, at most a few words, none of them the
    words of a sentence (`the`, `please`, `for`; name particles such as `de`, `van`, `al` pass)."""
    if not name or not name[0].isalnum() or not NOT_IN_NAME.isdisjoint(name):
        return False
    lowered = name.lower()
    if " " not in lowered:
        return lowered not in NO_ONE
    words = lowered.split(" ")
    return len(words) <= MAX_NAME_WORDS and PROSE_WORDS.isdisjoint(words) and lowered not in NO_ONE


def apply_mailmap(parsed: Parsed, mailmap: Mailmap) -> Parsed:
    """The person under the repository's .mailmap, as git maps a commit's author."""
    who = parsed[0]
    proper = mailmap.map(who.name, who.email) if mailmap and who.source == "git" else None
    if proper is None or proper == (who.name, who.email):
        return parsed
    was = f"{who.name} <{who.email}>".strip()
    return IdentityRef("git", proper[1], proper[0]), parsed[1] + f"; .mailmap maps {was!r}"


def unique(people: list[CommitPerson]) -> tuple[CommitPerson, ...]:
    """One credit per person and role, first mention kept; a name-only mention of someone the same
    role also names with an email is the same credit (`reviewed by Ana` + `Reviewers: Ana <a@x>`),
    and so is a mention whose email lost its '@' (`Ana <ax>` + `Ana <a@x>`)."""
    if len(people) < 2:
        return tuple(people)
    with_email: set[tuple[str, str]] = set()
    if any("@" not in p.who.email for p in people):  # no email, or one that lost its '@'
        with_email = {(p.role, p.who.name.lower()) for p in people if "@" in p.who.email and p.who.name}
    seen: dict[tuple[str, CommitRole], CommitPerson] = {}
    for p in people:
        if (with_email and "@" not in p.who.email and p.who.source == "git"
                and (p.role, p.who.name.lower()) in with_email):
            continue
        seen.setdefault((p.who.key, p.role), p)
    return tuple(seen.values())

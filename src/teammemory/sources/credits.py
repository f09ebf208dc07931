"""Pure: credit written as prose in a commit body: "reviewed by X", "patch by A; reviewed by B".

Forms read (case-insensitive phrase, anywhere in a line of the body):

    reviewed by Ana Lima                       -> reviewer Ana Lima
    Reviewed by: ivankelly, sijie              -> reviewers ivankelly, sijie (logins: name-only)
    review by Ana <ana@x.org>                  -> reviewer with email
    patch by Bo Li; reviewed by Cy Ng for PROJ-12      -> co-author Bo Li, reviewer Cy Ng
    Patch by Bo, reviewed by Cy and Dee Wu     -> co-author Bo, reviewers Cy, Dee Wu
    reviewed by @cyng in #12                   -> reviewer: the GitHub login cyng

`patch by` names who wrote the change (Apache's svn-era convention, where the committer is git's
author): role co-author, skipped when it is the commit's author. After the phrase, the people run
to `;`, `:`, brackets, a sentence's `.`, a word that starts a clause (`for`, `in`, `on`, `with`,
`to`, ...) or the end of the line, and are split on `,`, ` and `, ` & `.

Prose must not become people, so a candidate counts only when it is `Name <email>`, an email, an
@-mention, or capitalized words (`John Q. Public`, `Ana de Souza`; the longest such run, so
"reviewed by Ana last week" gives Ana) that are not words like The, Team, Everyone, Jenkins. A
lowercase login (`jbellis`) counts only where the credit is a list, not a sentence: after a colon,
or when the phrase starts its line or follows `;` or `,`. So "reviewed by the team", "was reviewed
by someone" and "reviewed by others" give no one. Every person found has evidence "'reviewed by'
in message body" (the phrase as matched, lower-cased).
"""

from __future__ import annotations

import re

from teammemory.model import CommitPerson, CommitRole, IdentityRef
from teammemory.sources.mailmap import EMPTY, Mailmap
from teammemory.sources.trailers import LOGIN_CHARS, apply_mailmap, is_trailer, parse_person, trailer_people, unique

PHRASE = re.compile(r"\b(patch|review|reviewed)[ \t]+by\b[ \t]*(:?)", re.IGNORECASE)
ROLES: dict[str, CommitRole] = {"patch": "co-author", "review": "reviewer", "reviewed": "reviewer"}
END = re.compile(r"[;:()\[\]!?]|(?<! [A-Z])\.(?=\s|$)|\s(?:for|in|on|at|with|from|to|via|since|because|during"
                 r"|after|before|as|but|who|which|that|so|if|when|while|-+)(?=\s|$)")
SPLIT = re.compile(r",|\s+and\s+|\s*&\s*")
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "das", "do", "dos", "del", "della", "di", "du",
                       "la", "le", "ter", "ten", "bin", "ibn", "al", "el", "y"})
NOT_NAMES = frozenset("""
a all an any anybody anyone both ci committers community core dev devs developers each everybody everyone
friday github gitlab him her i it jenkins many me monday multiple myself nobody none others other people
pmc qa reviewers saturday several somebody someone sunday team that the them these they this thursday
travis tuesday us we wednesday you
""".split())


def commit_people(body: str, *, author: IdentityRef | None = None,
                  mailmap: Mailmap = EMPTY) -> tuple[CommitPerson, ...]:
    """Everyone `body` (a message without its subject) credits: trailers first, then prose, each
    under the repository's .mailmap; one credit per person and role (`trailers.unique`)."""
    found = trailer_people(body, mailmap=mailmap)
    for p in parse_credits(body):
        who, note = apply_mailmap((p.who, ""), mailmap)
        if not (p.role == "co-author" and author is not None and same_person(who, author)):
            found.append(CommitPerson(p.role, who, p.evidence + note))
    return unique(found)


def parse_credits(body: str) -> tuple[CommitPerson, ...]:
    """People credited in prose lines of `body` (not trailer lines), in order of appearance."""
    found: list[CommitPerson] = []
    matches = phrases(body)
    for k, m in enumerate(matches):
        start = body.rfind("\n", 0, m.start()) + 1
        end = body.find("\n", m.end())
        end = len(body) if end < 0 else end
        if is_trailer(body[start:end]):
            continue
        stop = matches[k + 1].start() if k + 1 < len(matches) and matches[k + 1].start() < end else end
        before = body[start:m.start()]
        listed = bool(m.group(2)) or not before.strip(" \t*-") or before.rstrip()[-1:] in (";", ",")
        role = ROLES[m.group(1).lower()]
        evidence = f"'{m.group(1).lower()} by' in message body"
        found.extend(CommitPerson(role, who, evidence) for who in people_in(body[m.end():stop], listed=listed))
    return tuple(found)


def phrases(body: str) -> list[re.Match[str]]:
    """Every PHRASE in `body`, found from its ' by': the word before each is checked in Python.

    It runs on every commit, so it avoids a case-insensitive PHRASE search of the whole body
    (~4 us on a long message: the alternation is tried at every offset): one `str.lower`, then
    `str.find` of ' by' (most bodies have none), and a look back at the word before each.
    """
    lowered = body.lower()
    if " by" not in lowered and "\tby" not in lowered:
        return []
    if len(lowered) != len(body):  # a letter that lower-cases to two ('İ') shifts offsets: the slow way
        return list(PHRASE.finditer(body))
    out = []
    for at in sorted(offsets(lowered, " by") + offsets(lowered, "\tby")):
        end = at
        while end > 0 and lowered[end - 1] in " \t":
            end -= 1
        start = end
        while start > 0 and lowered[start - 1].isalpha():
            start -= 1
        if lowered[start:end] in ROLES and (m := PHRASE.match(body, start)) is not None:
            out.append(m)
    return out


def offsets(text: str, part: str) -> list[int]:
    """Where `part` occurs in `text`."""
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + len(part))
    return found


def people_in(text: str, *, listed: bool) -> list[IdentityRef]:
    """The people named at the start of `text` (what follows 'reviewed by'), up to where the list ends."""
    text = " " + text
    end = END.search(text)
    out: list[IdentityRef] = []
    for piece in SPLIT.split(text[:end.start()] if end else text):
        who = candidate(piece.strip(), listed=listed)
        if who is not None:
            out.append(who)
    return out


def candidate(piece: str, *, listed: bool) -> IdentityRef | None:
    """`Name <email>`, an email, an @-mention, capitalized name words, or (in a list) one login."""
    words = piece.split()
    if not words:
        return None
    if "<" in piece or "@" in piece:
        at = next(i for i, w in enumerate(words) if "<" in w or "@" in w)
        if name_words(words[:at]) != words[:at]:
            return None
        parsed = parse_person(" ".join(words if "<" in piece else words[:at + 1]))
        return parsed[0] if parsed is not None else None
    run = name_words(words)
    if run:
        return IdentityRef("git", "", " ".join(run))
    if listed and len(words) == 1 and LOGIN_CHARS.issuperset(piece) and piece.lower() not in NOT_NAMES:
        return IdentityRef("git", "", piece)
    return None


def name_words(words: list[str]) -> list[str]:
    """The longest leading run of name words: capitalized (or uncased, as in CJK names), with
    lowercase particles only between them; empty when it holds a word that is no name."""
    run: list[str] = []
    for word in words:
        if is_capitalized(word):
            run.append(word)
        elif run and word.lower() in PARTICLES:
            run.append(word)
        else:
            break
    while run and not is_capitalized(run[-1]):
        run.pop()
    if any(w.lower() in NOT_NAMES for w in run):
        return []
    return run


def is_capitalized(word: str) -> bool:
    """`Ana`, `O'Brien`, `Jean-Luc`, `Q.`, `JV`, `李` - a name word; `the`, `#12`, `v2` are not."""
    return word[0].isalpha() and not word[0].islower() and all(c.isalpha() or c in "'-." for c in word)


def same_person(who: IdentityRef, author: IdentityRef) -> bool:
    """Whether a 'patch by' credit names the commit's own author: the same email, or the same name
    (a second account of the author must not make them their own co-author)."""
    if who.email and who.email.lower() == author.email.lower():
        return True
    return bool(who.name) and " ".join(who.name.split()).lower() == " ".join(author.name.split()).lower()

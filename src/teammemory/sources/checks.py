"""Pure: what every value must be before it reaches a store, so SQLite and PostgreSQL take and
refuse the same records, and a refusal names the record and the field instead of the store.

SQLite would store all of the values below; PostgreSQL refuses each in its own words (or
SQLite fails too, with a traceback), so the rules are PostgreSQL's, applied to both:

| value | rule | why |
|---|---|---|
| any text | no NUL character (U+0000) | PostgreSQL text cannot hold it |
| any text | no lone surrogate (`"\\ud800"` in JSON) | not Unicode: no UTF-8 encoding |
| names, identifiers (`NAME`) | at most 255 bytes in UTF-8 | keys and indexes (see below) |
| paths of files, branches (`PATH`) | at most 2048 bytes in UTF-8 | indexed with a repo and a number |
| PR and issue numbers, line counts | 0 .. 2^31-1 | PostgreSQL `integer` columns |
| time-zone offsets (minutes) | -2^31 .. 2^31-1 | PostgreSQL `integer` columns |
| times (epoch seconds), numeric ids | -2^63 .. 2^63-1 | `bigint`, SQLite's INTEGER |

Names are issue keys, ids, logins, emails, hashes, repository names, statuses, labels, components
and link types: they are (parts of) primary keys and indexes, and a PostgreSQL btree row holds at
most 2704 bytes, so a few names and a path must fit together.

Free text (titles, bodies, messages, URLs) has no length limit here: both stores hold up to 1 GB.
Text is refused, not repaired: a record that cannot be stored as given is reported, never
silently changed. `fields` applies these rules to every JSON field the parsers read;
`check_commit` applies them to a record built from `git log`.
"""

from __future__ import annotations

from dataclasses import dataclass

from teammemory.errors import InputError
from teammemory.model import Commit, IdentityRef

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
NUMBER = (0, INT32[1])  # a PR or issue number, a line count


@dataclass(frozen=True)
class Kind:
    """A class of text: what it is called in messages and its longest UTF-8 encoding (None: any)."""

    what: str
    max_bytes: int | None = None


NAME_BYTES, PATH_BYTES = 255, 2048
TEXT = Kind("text")
NAME = Kind("a name or identifier", NAME_BYTES)
PATH = Kind("a path", PATH_BYTES)


def text_problem(value: str, kind: Kind = TEXT) -> str | None:
    """Why `value` cannot be stored as `kind`, or None. Fast on the common case (short ASCII)."""
    if "\x00" in value:
        return f"contains a NUL character (U+0000 at position {value.index(chr(0))}), which PostgreSQL cannot store"
    if not value.isascii():
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError as exc:
            return (f"contains a lone surrogate (U+{ord(value[exc.start]):04X} at position {exc.start}),"
                    " which is not valid Unicode")
    else:
        size = len(value)
    if kind.max_bytes is not None and size > kind.max_bytes:
        return f"too long for {kind.what}: {size} bytes in UTF-8, at most {kind.max_bytes}"
    return None


def int_problem(value: int, bounds: tuple[int, int]) -> str | None:
    """Why `value` is out of `bounds` (inclusive), or None."""
    lo, hi = bounds
    if lo <= value <= hi:
        return None
    shown = str(value) if abs(value) < 10**40 else f"a number of {len(str(abs(value)))} digits"
    return f"{shown} is out of range ({lo} to {hi})"


def check_text(value: str, where: str, name: str, kind: Kind = TEXT) -> str:
    """`value` unchanged, or InputError naming `where` and the field `name`."""
    problem = text_problem(value, kind)
    if problem:
        raise InputError(where, f"field '{name}': {problem}")
    return value


def check_int(value: int, where: str, name: str, bounds: tuple[int, int] = INT64) -> int:
    problem = int_problem(value, bounds)
    if problem:
        raise InputError(where, f"field '{name}': {problem}")
    return value


def check_identity(who: IdentityRef | None, where: str, name: str) -> None:
    """Every field of an account is a name (255 bytes at most), and text a store can hold."""
    if who is None:
        return
    for part in ("email", "name", "login", "account_id", "display_name"):
        check_text(getattr(who, part), where, f"{name}.{part}", NAME)


def check_commit(commit: Commit, where: str = "") -> Commit:
    """`commit` unchanged if a store can hold every value of it, else InputError naming it.

    For records built from `git log` (JSON records are checked field by field as they are read).
    Git itself rules out most of it (NUL separates its fields, its output is decoded with
    replacements); what is left is long names and paths and numbers beyond the columns. Runs
    once per commit of histories of a million commits: one pass over all text when it is ASCII.
    """
    if _plainly_fine(commit):
        return commit
    where = where or f"git log: commit {commit.hash}"
    for name, value, kind in (("repo", commit.repo, NAME), ("hash", commit.hash, NAME),
                              ("message", commit.message, TEXT), ("reverts", commit.reverts, TEXT)):
        check_text(value, where, name, kind)
    for name, at, offset in (("authored", commit.authored_at, commit.authored_offset),
                             ("committed", commit.committed_at, commit.committed_offset)):
        check_int(at, where, f"{name}_at")
        check_int(offset, where, f"{name}_offset", INT32)
    check_identity(commit.author, where, "author")
    check_identity(commit.committer, where, "committer")
    for parent in commit.parents:
        check_text(parent, where, "parents", NAME)
    for f in commit.files:
        check_text(f.path, where, "files.path", PATH)
        check_text(f.old_path, where, "files.old_path", PATH)
        check_int(f.added, where, "files.added", NUMBER)
        check_int(f.deleted, where, "files.deleted", NUMBER)
    for p in commit.people:
        check_identity(p.who, where, p.role)
        check_text(p.evidence, where, f"{p.role}.evidence", NAME)
    for ref in commit.issue_refs + commit.pr_refs:
        check_text(ref.target, where, "reference", NAME)
        check_text(ref.evidence, where, "reference evidence", NAME)
    for ref in commit.pr_refs:
        if not ref.target.isdigit() or len(ref.target) > 10 or int(ref.target) > NUMBER[1]:
            raise InputError(where, f"PR reference {ref.target[:40]!r}: not a PR number (0 to {NUMBER[1]})")
    return commit


def _plainly_fine(c: Commit) -> bool:
    """True when every value passes the rules of `check_commit`, decided in one pass over one
    joined string (the common case: a few thousand characters, no NUL). False means: look closer,
    field by field, to name what fails. Any text: no NUL (one search), valid Unicode (the joined
    text encodes to UTF-8 only when no piece holds a lone surrogate); names and paths: their
    longest piece fits (ASCII: characters are bytes; else bytes are counted)."""
    a, m = c.author, c.committer
    names = [c.repo, c.hash, *c.parents]
    for who in (a, m):
        names += (who.email, who.name, who.login, who.account_id, who.display_name)
    for p in c.people:
        w = p.who
        names += (w.email, w.name, w.login, w.account_id, w.display_name, p.evidence)
    for r in c.issue_refs:
        names += (r.target, r.evidence)
    for r in c.pr_refs:
        if not r.target.isdigit() or len(r.target) > 10 or int(r.target) > NUMBER[1]:
            return False
        names += (r.target, r.evidence)
    paths = [x for f in c.files for x in (f.path, f.old_path)]
    text = "\x01".join([c.message, c.reverts, *names, *paths])
    if "\x00" in text:
        return False
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        if not (_fits(names, NAME_BYTES) and _fits(paths, PATH_BYTES)):
            return False
    elif len(max(names, key=len)) > NAME_BYTES or (paths and len(max(paths, key=len)) > PATH_BYTES):
        return False
    return (INT64[0] <= c.authored_at <= INT64[1] and INT64[0] <= c.committed_at <= INT64[1]
            and INT32[0] <= c.authored_offset <= INT32[1] and INT32[0] <= c.committed_offset <= INT32[1]
            and all(0 <= f.added <= NUMBER[1] and 0 <= f.deleted <= NUMBER[1] for f in c.files))


def _fits(values: list[str], max_bytes: int) -> bool:
    """Every value at most `max_bytes` in UTF-8 (at most 4 bytes a character: most need no encoding)."""
    return all(len(v) * 4 <= max_bytes or len(v.encode("utf-8")) <= max_bytes for v in values)

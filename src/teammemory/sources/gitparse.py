"""Pure: one raw `git log` chunk -> `model.Commit` (files, people, reverts, issue and PR refs).

People credited in the message (trailers, "reviewed by X") are read by `sources.trailers` and
`sources.credits`.

A chunk is what `sources.gitlog` yields for one commit: the fields of its fixed `--format`,
then its `--raw` records, then its `--numstat` records, everything NUL-terminated (`-z`):

    <hash> NUL <parents> NUL <author name> NUL <author email> NUL <epoch> <+hhmm> NUL
    <committer name> NUL <committer email> NUL <epoch> <+hhmm> NUL <message> NUL
    LF :<modes> <blobs> <status> NUL <path> NUL ...          (raw: R/C records carry two paths)
    <added> TAB <deleted> TAB <path> NUL ...    (numstat: a rename is `a TAB d TAB NUL old NUL new NUL`)

`--raw` gives the change type (A/M/D/R/T) that `--numstat` lacks, `--numstat` the line counts
(`-` `-` for a binary file); git computes both from one diff queue, so asking for both costs
little. Records are consumed by count (a path is never mistaken for a record), which is what
`-z` makes possible: no quoting, no `{old => new}` forms. Merge commits come without records
(git log's default), so their changes are not counted twice.

Parsing uses `str.split`/`str.partition` only, no backtracking regexes: it runs once per commit
of histories of a million commits.
"""

from __future__ import annotations

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.model import Commit, FileChange, IdentityRef, Ref
from teammemory.sources import credits, refs
from teammemory.sources.mailmap import EMPTY, Mailmap

HEADER_FIELDS = 9  # hash, parents, author name/email/date, committer name/email/date, message
REVERT_MARK = "This reverts commit "
HEX = frozenset("0123456789abcdefABCDEF")

def parse_commit(chunk: str, *, repo: str, config: Config, mailmap: Mailmap = EMPTY) -> Commit:
    """Map one chunk (see the module docstring) to a Commit of `repo`.

    People beyond author and committer come from trailers and prose credit (`sources.credits`),
    mapped by the repository's `mailmap` as git maps the author and committer.

    InputError names the commit (or the chunk's start when even the hash is unreadable) and
    what is wrong with it.
    """
    fields = chunk.split("\0", HEADER_FIELDS)
    sha = fields[0]
    if len(fields) < HEADER_FIELDS or len(sha) not in (40, 64) or not HEX.issuperset(sha):
        raise InputError(f"git log: commit {sha[:40]!r}", f"expected {HEADER_FIELDS} header fields")
    where = f"git log: commit {sha}"
    _, parents, a_name, a_email, a_date, c_name, c_email, c_date, message = fields[:HEADER_FIELDS]
    authored_at, authored_offset = parse_date(a_date, where)
    committed_at, committed_offset = parse_date(c_date, where)
    parent_hashes = tuple(parents.split())
    subject, _, body = message.partition("\n")
    author = IdentityRef("git", a_email, a_name)
    return Commit(
        repo=repo, hash=sha, author=author, committer=IdentityRef("git", c_email, c_name),
        authored_at=authored_at, authored_offset=authored_offset,
        committed_at=committed_at, committed_offset=committed_offset,
        message=message, parents=parent_hashes,
        files=parse_changes(fields[HEADER_FIELDS] if len(fields) > HEADER_FIELDS else "", where),
        people=credits.commit_people(body, author=author, mailmap=mailmap),
        reverts=parse_revert(subject, message),
        issue_refs=issue_refs(message, is_merge=len(parent_hashes) > 1, config=config, repo=repo),
        pr_refs=refs.pr_numbers(subject, body) if "#" in message else (),  # every PR form has a '#'
    )


def parse_date(raw: str, where: str) -> tuple[int, int]:
    """`'1700000000 +0130'` (git's `--date=raw`) -> (epoch seconds, minutes east of UTC: 90)."""
    epoch, _, zone = raw.partition(" ")
    try:
        if len(zone) != 5 or zone[0] not in "+-":
            raise ValueError(zone)
        sign = -1 if zone[0] == "-" else 1
        return int(epoch), sign * (int(zone[1:3]) * 60 + int(zone[3:5]))
    except (ValueError, IndexError):
        raise InputError(where, f"bad date {raw!r} (expected '<epoch> <+hhmm>')") from None


def parse_changes(records: str, where: str) -> tuple[FileChange, ...]:
    """Raw + numstat records -> FileChange per path, in git's order.

    Input: `'\\n:100644 100644 <a> <b> M\\0f.py\\0:100644 100644 <a> <b> R090\\0o.py\\0n.py\\0'`
    `'3\\t1\\tf.py\\0' '1\\t0\\t\\0o.py\\0n.py\\0'`. Numstat counts are matched to raw records by new
    path and summed (a path listed twice, e.g. a type change, keeps both counts).
    """
    tokens = records.lstrip("\n").split("\0")
    kinds: dict[str, tuple[str, str]] = {}  # path -> (change type, old path)
    counts: dict[str, list[int]] = {}  # path -> [added, deleted, binary]
    i, n = 0, len(tokens)
    try:  # one loop, no call per record: it runs for every file change of the history
        while i < n:
            token = tokens[i]
            if not token:
                break
            if token[0] == ":":  # `:100644 100644 <blob> <blob> R087` + old + new, or a letter + one path
                kind = token[token.rindex(" ") + 1]
                if kind == "R" or kind == "C":
                    old, path = tokens[i + 1], tokens[i + 2]
                    if not old:
                        raise ValueError("empty path")
                    i += 3
                else:
                    old, path = "", tokens[i + 1]
                    if kind not in "ADM":
                        kind = "M"  # T (type change) is a modification
                    i += 2
                if not path:
                    raise ValueError("empty path")
                kinds[path] = (kind, old)
            else:  # `3\t1\tpath`, `-\t-\tpath` (binary), or `3\t1\t` + old + new path (rename)
                added, deleted, path = token.split("\t", 2)
                if path:
                    i += 1
                else:
                    path = tokens[i + 2]
                    if not path:
                        raise ValueError("empty path")
                    i += 3
                binary = int(added == "-")
                a, d = (0, 0) if binary else (int(added), int(deleted))
                before = counts.get(path)
                if before is None:
                    counts[path] = [a, d, binary]
                else:
                    before[0] += a
                    before[1] += d
                    before[2] |= binary
    except (IndexError, ValueError):
        raise InputError(where, f"unreadable diff record {tokens[min(i, n - 1)][:80]!r}") from None
    files = []
    none = [0, 0, 0]
    for path, (kind, old) in kinds.items():
        plus, minus, binary = counts.pop(path, none)
        files.append(FileChange(path, plus, minus, kind, old, bool(binary)))
    if counts:
        raise InputError(where, f"numstat for {sorted(counts)[0]!r} has no raw record")
    return tuple(files)


def parse_revert(subject: str, message: str) -> str:
    """The reverted commit: `This reverts commit <sha>.` -> the sha; else `Revert "<s>"` -> `subject:<s>`."""
    at = message.find(REVERT_MARK)
    if at >= 0:
        start = at + len(REVERT_MARK)
        end = start
        while end < len(message) and message[end] in HEX:
            end += 1
        if end - start >= 7:
            return message[start:end].lower()
    if subject.startswith('Revert "') and subject.endswith('"') and len(subject) > 9:
        return "subject:" + subject[8:-1]
    return ""


def issue_refs(message: str, *, is_merge: bool, config: Config, repo: str = "") -> tuple[Ref, ...]:
    """Issue keys in the message; a merge's branch names count separately ("in merged branch name").

    GitHub closing keywords (`Fixes #12`) name issue 'REPO#12' of the repository the commit was
    ingested as, so they link to GitHub issues only when the git repository is ingested under
    its OWNER/REPO name (`ingest git --name OWNER/REPO`); `Fixes owner/repo#12` always does.
    """
    branches: tuple[str, ...] = ()
    text = message
    if is_merge:
        subject, newline, rest = message.partition("\n")
        branches, subject = split_merge_subject(subject)
        text = subject + newline + rest
    found = refs.issue_keys(text, "commit message", pattern=config.key_pattern,
                            ignored=config.ignored_projects, known=config.project_keys)
    found += refs.closing_issue_keys(text, "commit message", repo=repo)
    if branches:
        found += refs.issue_keys(" ".join(branches), "merged branch name", pattern=config.key_pattern,
                                 ignored=config.ignored_projects, known=config.project_keys)
    return found


def split_merge_subject(subject: str) -> tuple[tuple[str, ...], str]:
    """The branch names a merge subject names as merged, and the subject without them.

    `Merge branch 'feature/PROJ-12-x' into main` -> (('feature/PROJ-12-x',), "Merge branch '' into main");
    `Merge pull request #5 from owner/PROJ-9-fix` -> (('owner/PROJ-9-fix',), 'Merge pull request #5 from ');
    `Merge branches 'a' and 'b'` -> (('a', 'b'), "Merge branches '' and ''"). The target after
    ` into ` is not a merged branch and stays in the subject.
    """
    if not subject.startswith("Merge "):
        return (), subject
    if subject.startswith("Merge pull request #"):
        head, sep, rest = subject.partition(" from ")
        name, space, tail = rest.partition(" ")
        return ((name,), head + sep + space + tail) if name else ((), subject)
    merged, into, target = subject.partition(" into ")
    parts = merged.split("'")
    names = tuple(name for name in parts[1::2] if name)
    parts[1::2] = [""] * len(parts[1::2])
    return names, "'".join(parts) + into + target

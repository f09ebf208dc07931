"""A clone's release tags: one `git for-each-ref refs/tags` call (I/O) and its pure parser.

A tag names a commit: an annotated tag is peeled to its commit (`%(*objectname)`) and dated by its
tagger; a lightweight tag is dated by its commit's committer date. Tags of trees or blobs are
left out (no commit to place on a timeline). Fields are separated by NUL, one tag a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from teammemory.errors import SourceError
from teammemory.sources import checks, gitlog
from teammemory.sources.checks import NAME, TEXT

FIELDS = ("%(refname:strip=2)", "%(objecttype)", "%(objectname)", "%(*objecttype)", "%(*objectname)",
          "%(taggerdate:unix)", "%(committerdate:unix)", "%(*committerdate:unix)", "%(taggername)",
          "%(contents:subject)")
FORMAT = "%00".join(FIELDS)


@dataclass(frozen=True)
class Tag:
    name: str
    hash: str  # the commit
    tagged_at: int
    tagger: str = ""
    subject: str = ""


def read_tags(repo: gitlog.GitRepo) -> list[Tag]:
    """Every tag of `repo` that names a commit, sorted by name."""
    done = gitlog.git(repo.path, "for-each-ref", f"--format={FORMAT}", "refs/tags")
    if done.returncode != 0:
        raise SourceError(f"{repo.path}: git for-each-ref refs/tags failed: {done.stderr.strip()}")
    return parse_tags(done.stdout, str(repo.path))


def parse_tags(output: str, where: str) -> list[Tag]:
    """Pure: `for-each-ref` lines (FORMAT) -> tags of commits, sorted by name."""
    out = []
    for line in output.splitlines():
        parts = line.split("\0")
        if len(parts) != len(FIELDS):
            continue
        name, kind, sha, peeled_kind, peeled, tagged, committed, peeled_committed, tagger, subject = parts
        if kind == "commit":
            out.append(Tag(name, sha, int(committed or 0)))
        elif kind == "tag" and peeled_kind == "commit":
            out.append(Tag(name, peeled, int(tagged or peeled_committed or 0), tagger, subject))
    for tag in out:
        ctx = f"{where}: tag {tag.name[:80]}"
        checks.check_text(tag.name, ctx, "name", NAME)
        checks.check_text(tag.tagger, ctx, "tagger", NAME)
        checks.check_text(tag.subject, ctx, "subject", TEXT)
        checks.check_int(tag.tagged_at, ctx, "tagged_at")
    return sorted(out, key=lambda t: t.name)

"""Release tags of an ingested clone, written with its commits (called from ingest/git.py).

The store holds the tag set git lists at each ingest: tags git no longer has are deleted, the
others upserted by (repo, name), so a rerun with the same tags changes nothing.
"""

from __future__ import annotations

from teammemory.sources import gitlog, gittags
from teammemory.store import Writer
from teammemory.store.write import upsert


def ingest_tags(db: Writer, repo: gitlog.GitRepo, name: str) -> int:
    """Read `repo`'s tags and make the store's tags of `name` equal to them; returns how many."""
    tags = gittags.read_tags(repo)
    keep = {t.name for t in tags}
    for row in db.all("select name from tags where repo = :repo", repo=name):
        if row["name"] not in keep:
            db.execute("delete from tags where repo = :repo and name = :name", repo=name, name=row["name"])
    upsert(db, "tags", [{"repo": name, "name": t.name, "hash": t.hash, "tagged_at": t.tagged_at,
                         "tagger": t.tagger, "subject": t.subject} for t in tags], ("repo", "name"))
    return len(tags)

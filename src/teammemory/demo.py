"""The demo data set: a git repository, a Jira export and GitHub API responses telling one story.

`build_demo(folder)` turns the plan of `demo_story` into files, deterministically (a seeded
`random.Random`, fixed times, no clock, no `hash()`): the same bytes on every machine and run, and
the same commit ids, because commit ids are computed here from the git object format (blob, tree,
commit: `sha1("<type> <len>\\0" + body)`) and the repository is then written by ONE
`git fast-import` call and checked against them. Knowing the ids before git does lets a revert
message name the reverted commit and the GitHub JSON name merge commits and PR heads.

File contents are lines unique within their file, so a diff's counts are set differences (no
diff algorithm can align them differently): `files.json` and `git log --numstat` agree.
`seed(store, folder)` builds the demo if needed, resets the store, and runs the real ingesters.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from teammemory import demo_incidents
from teammemory import demo_story as story
from teammemory.config import Config
from teammemory.config import load as load_config
from teammemory.errors import InputError, SourceError
from teammemory.ingest import IngestSummary
from teammemory.ingest.git import ingest_git
from teammemory.ingest.github import ingest_github_files
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.ingest.jira import ingest_jira_files
from teammemory.store import Store, migrate

Files = dict[str, tuple[str, ...]]
MARKER = ".teammemory-demo"
EDITION = "2"  # bumped when the demo's files change without its commits changing (2: postmortems, tags)
WORDS = {"auth": ("token", "session", "scope", "claim", "nonce", "cookie", "issuer"),
         "payment": ("amount", "currency", "invoice", "refund", "charge", "webhook", "ledger"),
         "infra": ("replicas", "memory", "probe", "backup", "ingress", "region"),
         "docs": ("overview", "example", "caveat", "diagram", "glossary"), "": ("setting", "option", "note")}
SEEDS = {
    "requirements.txt": story.REQUIREMENTS,
    "pyproject.toml": ("[project]", 'name = "acme-platform"', 'version = "1.0.0"'),
    ".github/workflows/ci.yml": ("on: [push, pull_request]", "jobs:", "  test:", "    runs-on: ubuntu-latest",
                                 "    steps:", "      - uses: actions/checkout@v3", "      - run: pytest -q"),
    ".mailmap": ("Ayşe Demir <ayse.demir@acme.io> Ayse Demir <ayse.demir@acme.io>",),
}


@dataclass(frozen=True)
class Change:
    path: str
    old_path: str
    status: str  # A M D R
    added: int
    deleted: int


@dataclass(frozen=True)
class GitCommit:
    sha: str
    ref: str
    parents: tuple[str, ...]
    author: str
    committer: str
    at: int
    message: str
    tree: str
    changes: tuple[Change, ...]


@dataclass
class Branch:
    """Replay state of one PR's branch."""

    base: str = ""
    head: str = ""
    commits: list[str] = field(default_factory=list)
    lock: set[str] = field(default_factory=set)
    moves: dict[str, str] = field(default_factory=dict)  # new path -> old path
    merge: str = ""
    open: bool = True


@dataclass(frozen=True)
class DemoFiles:
    folder: Path
    repo: Path
    jira: Path
    github: Path
    config: Path
    head: str
    commits: int  # commits reachable from main
    pulls: int
    issues: int
    incidents: Path


def marker_text(history: History) -> str:
    """What the marker of a finished demo holds: its head and the edition of its files."""
    return f"{history.main} {EDITION}\n"


@dataclass(frozen=True)
class SeedSummary:
    demo: DemoFiles
    runs: tuple[IngestSummary, ...]  # git, jira, github
    incidents: IngestSummary | None = None  # the postmortems

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """What each ingest wrote: {'git': {...}, 'jira': {...}, 'github': {...}, 'incidents': {...}}."""
        names = ("git", "jira", "github")
        out = {name: dict(run.counts) for name, run in zip(names, self.runs, strict=True)}
        return out | ({"incidents": dict(self.incidents.counts)} if self.incidents else {})


# --- git objects -------------------------------------------------------------------------------

def _obj(kind: str, body: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).hexdigest()


def blob(lines: tuple[str, ...]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@lru_cache(maxsize=8192)
def blob_sha(lines: tuple[str, ...]) -> str:
    return _obj("blob", blob(lines))


def tree_sha(files: Files) -> str:
    """The id git gives the tree of `files` (entries sorted as git does: a folder as 'name/')."""
    root: dict[str, Any] = {}
    for path, lines in files.items():
        *dirs, name = path.split("/")
        node = root
        for d in dirs:
            node = node.setdefault(d, {})
        node[name] = lines
    return _tree(root)


def _tree(node: dict[str, Any]) -> str:
    entries = []
    for name, value in node.items():
        folder = isinstance(value, dict)
        sha = _tree(value) if folder else blob_sha(value)
        mode, key = (b"40000", name + "/") if folder else (b"100644", name)
        entries.append((key.encode(), mode + b" " + name.encode() + b"\0" + bytes.fromhex(sha)))
    return _obj("tree", b"".join(e for _, e in sorted(entries)))


def tz_of(ident: str) -> str:
    low = ident.lower()
    return next((m.tz for m in story.PEOPLE if m.email.split("@")[0] in low or m.login in low), "+0000")


def diff(a: Files, b: Files, moves: dict[str, str]) -> tuple[Change, ...]:
    """File changes from `a` to `b`; `moves` (new -> old) names renames."""
    out = []
    renamed = {old for new, old in moves.items() if new in b and new not in a and old in a and old not in b}
    for p in sorted(set(a) | set(b)):
        old = moves.get(p, "")
        if a.get(p) == b.get(p) or p in renamed:
            continue
        if old in renamed:
            out.append(Change(p, old, "R", len(set(b[p]) - set(a[old])), len(set(a[old]) - set(b[p]))))
        else:
            before, after = set(a.get(p, ())), set(b.get(p, ()))
            status = "A" if p not in a else "D" if p not in b else "M"
            out.append(Change(p, "", status, len(after - before), len(before - after)))
    return tuple(out)


# --- replay: the plan's steps become commits -----------------------------------------------------

class History:
    """Replays the plan in time order, keeping every commit's files, as git would see them."""

    def __init__(self, plan: story.Plan) -> None:
        self.rng = random.Random(story.SEED + 1)
        self.snap: dict[str, Files] = {}
        self.commits: list[GitCommit] = []
        self.by_sha: dict[str, GitCommit] = {}
        self.main = ""
        self.branches: dict[int, Branch] = {}
        self.counter = 0
        self.protected: set[str] = {line for seed in SEEDS.values() for line in seed}
        for step in plan.steps:
            getattr(self, "_" + step.kind)(step)

    def commit(self, ref: str, parents: tuple[str, ...], files: Files, author: str, committer: str, at: int,
               message: str, moves: dict[str, str]) -> str:
        tree = tree_sha(files)
        head = "".join(f"parent {p}\n" for p in parents)
        body = (f"tree {tree}\n{head}author {author} {at} {tz_of(author)}\n"
                f"committer {committer} {at} {tz_of(committer)}\n\n{message}")
        sha = _obj("commit", body.encode())
        changes = diff(self.snap[parents[0]] if parents else {}, files, moves)
        c = GitCommit(sha, ref, parents, author, committer, at, message, tree, changes)
        self.snap[sha] = files
        self.commits.append(c)
        self.by_sha[sha] = c
        return sha

    def _commit(self, step: story.Step) -> None:
        if not step.pr:
            files, moves, message = self.edit(dict(self.snap[self.main]) if self.main else {}, step)
            self.main = self.commit("refs/heads/main", (self.main,) if self.main else (), files, step.author,
                                    step.author, step.at, message, moves)
            return
        br = self.branches.setdefault(step.pr, Branch())
        if not br.head:
            br.base = br.head = self.main
        files, moves, message = self.edit(dict(self.snap[br.head]), step, br)
        br.moves.update(moves)
        br.head = self.commit(f"refs/pull/{step.pr}/head", (br.head,), files, step.author, step.author,
                              step.at, message, moves)
        br.commits.append(br.head)

    def _landed(self, br: Branch) -> Files:
        """Main's files with the branch's changes applied (other work never touched those files)."""
        files, base, head = dict(self.snap[self.main]), self.snap[br.base], self.snap[br.head]
        for p in set(base) | set(head):
            if base.get(p) != head.get(p):
                if p in head:
                    files[p] = head[p]
                else:
                    files.pop(p, None)
        return files

    def _merge(self, step: story.Step) -> None:
        br = self.branches[step.pr]
        br.merge = self.main = self.commit("refs/heads/main", (self.main, br.head), self._landed(br),
                                           step.author, story.WEB_FLOW, step.at, step.message, br.moves)
        br.open = False

    def _squash(self, step: story.Step) -> None:
        br = self.branches[step.pr]
        br.merge = self.main = self.commit("refs/heads/main", (self.main,), self._landed(br), step.author,
                                           story.WEB_FLOW, step.at, step.message, br.moves)
        br.open = False

    def _close(self, step: story.Step) -> None:
        self.branches[step.pr].open = False

    def _revert(self, step: story.Step) -> None:
        subject = step.message.split('"')[1]
        target = next(c for c in reversed(self.commits) if c.ref == "refs/heads/main"
                      and c.message.split("\n")[0] == subject)
        files, before = dict(self.snap[self.main]), self.snap[target.parents[0]]
        for ch in target.changes:
            for p in filter(None, (ch.path, ch.old_path)):
                if p in before:
                    files[p] = before[p]
                else:
                    files.pop(p, None)
        message = f"{step.message.rstrip()}\n\nThis reverts commit {target.sha}.\n"
        self.main = self.commit("refs/heads/main", (self.main,), files, step.author, step.author, step.at,
                                message, {})

    # --- editing files ---

    def edit(self, files: Files, step: story.Step,
             br: Branch | None = None) -> tuple[Files, dict[str, str], str]:
        moves = {new: old for old, new in step.moves}
        for old, new in step.moves:
            files[new] = files.pop(old)
        for p in step.gone:
            files.pop(p)
        for p in step.new:
            files[p] = self.new_file(p)
        picks = self.pick(files, step, br)
        for p in [*step.files, *moves, *picks]:
            files[p] = self.change(files[p], p)
        for path, old, new in step.swaps:
            lines = list(files[path])
            if old:
                lines[lines.index(old)] = new
            else:
                lines.insert(1, new)
            files[path] = tuple(lines)
            self.protected.add(new)
        if br is not None:
            br.lock |= {*step.files, *step.new, *step.gone, *moves, *moves.values(), *picks}
        message = step.message
        if "{subject}" in message:
            target = (picks or ["README.md"])[0]
            templates = story.SUBJECTS.get(story.component_of(target) or "docs", story.SUBJECTS["docs"])
            parts = target.split("/")
            stem = parts[-2] if parts[-1] == "__init__.py" else parts[-1].split(".")[0]
            stem = stem.removeprefix("test_")
            message = message.replace("{subject}", self.rng.choice(templates).format(stem=stem))
        return files, moves, message

    def pick(self, files: Files, step: story.Step, br: Branch | None) -> list[str]:
        """`step.size` files of the step's component that no other open PR is changing."""
        if not step.size:
            return []
        locked = {p for n, b in self.branches.items() if b.open and b is not br for p in b.lock}
        main = self.snap.get(self.main, {})
        pool = [p for p in sorted(files) if story.component_of(p) == step.component and p not in locked
                and p not in step.new and (br is None or main.get(p) == self.snap[br.base].get(p))]
        if br is not None and br.lock & set(pool) and self.rng.random() < 0.6:
            pool = sorted(br.lock & set(pool))
        tests = [p for p in pool if p.startswith("tests/")]
        if step.tests_first and tests and self.rng.random() < 0.7:
            pool = tests
        return sorted(self.rng.sample(pool, min(step.size, len(pool))))

    def line(self, path: str) -> str:
        self.counter += 1
        n, w = self.counter, self.rng.choice(WORDS[story.component_of(path)])
        if path.endswith(".py"):
            return f"def {w}_{n}(ctx): return ctx.get('{w}')"
        if path.endswith(".md"):
            return f"- The {w} part, note {n}."
        if path.endswith(".tf"):
            return f'locals {{ {w}_{n} = "{w}" }}'
        if path.endswith("Dockerfile"):
            return f"RUN echo {w}-{n}"
        return f"# {w} {n}"

    def new_file(self, path: str) -> tuple[str, ...]:
        header = f'"""{path}."""' if path.endswith(".py") else f"# {path}"
        extra = 0 if path == ".mailmap" else self.rng.randint(8, 24)
        return (header, *SEEDS.get(path, ()), *(self.line(path) for _ in range(extra)))

    def change(self, lines: tuple[str, ...], path: str) -> tuple[str, ...]:
        out = list(lines)
        free = [i for i in range(1, len(out)) if out[i] not in self.protected]
        for i in sorted(self.rng.sample(free, min(len(free), self.rng.randint(0, 5))), reverse=True):
            del out[i]
        at = self.rng.randint(1, len(out))
        out[at:at] = [self.line(path) for _ in range(self.rng.randint(2, 16))]
        return tuple(out)


# --- writing the repository ----------------------------------------------------------------------

def fast_import_stream(history: History) -> bytes:
    """One stream for every commit, each stated against its first parent (marks are list order)."""
    marks = {c.sha: i + 1 for i, c in enumerate(history.commits)}
    out: list[bytes] = [b"feature done\n"]
    for c in history.commits:
        msg = c.message.encode()
        out.append(f"commit {c.ref}\nmark :{marks[c.sha]}\n".encode())
        out.append(f"author {c.author} {c.at} {tz_of(c.author)}\n".encode())
        out.append(f"committer {c.committer} {c.at} {tz_of(c.committer)}\n".encode())
        out.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        out += [f"{'from' if i == 0 else 'merge'} :{marks[p]}\n".encode() for i, p in enumerate(c.parents)]
        files = history.snap[c.sha]
        for ch in c.changes:
            if ch.status in ("D", "R"):
                out.append(f"D {ch.old_path or ch.path}\n".encode())
            if ch.status != "D":
                data = blob(files[ch.path])
                out.append(f"M 100644 inline {ch.path}\ndata {len(data)}\n".encode() + data + b"\n")
        out.append(b"\n")
    out += release_tags(history, marks)
    out.append(b"done\n")
    return b"".join(out)


def release_tags(history: History, marks: dict[str, int]) -> list[bytes]:
    """An annotated tag `v1.K.0` on each release commit, by the bot that made it, a minute later."""
    out = []
    for c in history.commits:
        subject = c.message.split("\n")[0]
        if c.ref == "refs/heads/main" and subject.startswith("chore(release): "):
            name, msg = "v" + subject.removeprefix("chore(release): "), f"Release {subject.split()[-1]}\n".encode()
            out.append(f"tag {name}\nfrom :{marks[c.sha]}\ntagger {c.author} {c.at + 60} +0000\n".encode()
                       + f"data {len(msg)}\n".encode() + msg + b"\n")
    return out


def write_repo(path: Path, history: History) -> None:
    """`git init` + ONE `git fast-import` + checkout, with no user or system git config in play."""
    with tempfile.TemporaryDirectory() as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "XDG_CONFIG_HOME": home,
               "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}

        def git(*args: str, data: bytes | None = None) -> str:
            done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], input=data, env=env,
                                  capture_output=True, check=False)
            if done.returncode:
                raise SourceError(f"git {' '.join(args[-2:])} failed: {done.stderr.decode().strip()}")
            return done.stdout.decode().strip()

        git("init", "-q", str(path))
        git("-C", str(path), "fast-import", "--quiet", "--done", data=fast_import_stream(history))
        git("-C", str(path), "checkout", "-q", "-f", "main")
        head = git("-C", str(path), "rev-parse", "main")
    if head != history.main:
        raise SourceError(f"{path}: git made head {head}, the demo computed {history.main}")


# --- GitHub REST v3 responses ---------------------------------------------------------------------

API = f"https://api.github.com/repos/{story.REPO}"
WEB = f"https://github.com/{story.REPO}"


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def gh_user(key: str) -> dict[str, Any]:
    """A GitHub user object for a member key, 'dependabot', or 'acme' (the organisation)."""
    if key == "dependabot":
        login, uid, kind = story.DEPENDABOT[1], story.DEPENDABOT[2], "Bot"
    elif key == "acme":
        login, uid, kind = "acme", 9919, "Organization"
    else:
        login, uid, kind = story.MEMBERS[key].login, story.MEMBERS[key].gh_id, "User"
    return {"login": login, "id": uid, "node_id": f"MDQ6VXNlcj{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
            "url": f"https://api.github.com/users/{login}", "html_url": f"https://github.com/{login}",
            "type": kind, "site_admin": False}


def gh_account(ident: str) -> dict[str, Any] | None:
    """The GitHub user GitHub links to a commit's email (None for an address no account claims)."""
    if ident == story.DEPENDABOT[0]:
        return gh_user("dependabot")
    email = ident.split("<")[1].rstrip(">")
    for m in story.PEOPLE:
        if email in (m.email, f"{m.gh_id}+{m.login}@users.noreply.github.com"):
            return gh_user(m.key)
    return None


REPO_JSON = {"id": 612345678, "node_id": "R_kgDOJIacme", "name": "platform", "full_name": story.REPO,
             "private": True, "owner": gh_user("acme"), "html_url": WEB, "url": API, "default_branch": "main"}


def gh_pull(pull: story.Pull, br: Branch, updated: int) -> dict[str, Any]:
    n, merged = pull.number, pull.mode in ("merge", "squash")
    ref = {"label": f"acme:{pull.branch}", "ref": pull.branch, "sha": br.head, "user": gh_user("acme"),
           "repo": REPO_JSON}
    ended = iso(pull.ended) if pull.ended else None
    bot = pull.author == "dependabot"
    return {
        "url": f"{API}/pulls/{n}", "id": 1500000000 + n * 7919, "node_id": f"PR_kwDOJIacme{n}",
        "html_url": f"{WEB}/pull/{n}", "diff_url": f"{WEB}/pull/{n}.diff",
        "patch_url": f"{WEB}/pull/{n}.patch", "issue_url": f"{API}/issues/{n}", "number": n,
        "state": "open" if pull.ended is None else "closed", "locked": False, "title": pull.title,
        "user": gh_user(pull.author), "body": pull.body, "created_at": iso(pull.created),
        "updated_at": iso(updated), "closed_at": ended, "merged_at": ended if merged else None,
        "merge_commit_sha": br.merge or None, "assignee": None, "assignees": [],
        "requested_reviewers": [gh_user("burak")] if pull.mode == "open" else [], "requested_teams": [],
        "labels": [{"id": 5012, "name": "dependencies", "color": "0366d6", "default": False}] if bot else [],
        "milestone": None, "draft": False, "commits_url": f"{API}/pulls/{n}/commits",
        "review_comments_url": f"{API}/pulls/{n}/comments",
        "review_comment_url": f"{API}/pulls/comments{{/number}}",
        "comments_url": f"{API}/issues/{n}/comments",
        "statuses_url": f"{API}/statuses/{br.head}", "head": ref,
        "base": {**ref, "label": "acme:main", "ref": "main", "sha": br.base},
        "author_association": "NONE" if bot else "MEMBER", "auto_merge": None, "active_lock_reason": None}


def gh_commit(c: GitCommit) -> dict[str, Any]:
    """One item of `pulls/N/commits`: git's view of the commit plus the GitHub users its emails map to."""
    def person(ident: str) -> dict[str, str]:
        name, email = ident.split(" <")
        return {"name": name, "email": email.rstrip(">"), "date": iso(c.at)}

    tree = {"sha": c.tree, "url": f"{API}/git/trees/{c.tree}"}
    unsigned = {"verified": False, "reason": "unsigned", "signature": None, "payload": None}
    return {"sha": c.sha, "node_id": f"C_kwDOJIacme{c.sha[:12]}",
            "commit": {"author": person(c.author), "committer": person(c.committer),
                       "message": c.message.rstrip("\n"), "tree": tree, "url": f"{API}/git/commits/{c.sha}",
                       "comment_count": 0, "verification": unsigned},
            "url": f"{API}/commits/{c.sha}", "html_url": f"{WEB}/commit/{c.sha}",
            "comments_url": f"{API}/commits/{c.sha}/comments", "author": gh_account(c.author),
            "committer": gh_account(c.committer),
            "parents": [{"sha": p, "url": f"{API}/commits/{p}", "html_url": f"{WEB}/commit/{p}"}
                        for p in c.parents]}


def gh_files(h: History, br: Branch) -> list[dict[str, Any]]:
    """`pulls/N/files`: the branch's net change from where it left main (renames as GitHub shows them)."""
    before, after = h.snap[br.base], h.snap[br.head]
    status = {"A": "added", "M": "modified", "D": "removed", "R": "renamed"}
    out = []
    for ch in diff(before, after, br.moves):
        item = {"sha": blob_sha(after[ch.path] if ch.path in after else before[ch.path]), "filename": ch.path,
                "status": status[ch.status], "additions": ch.added, "deletions": ch.deleted,
                "changes": ch.added + ch.deleted, "blob_url": f"{WEB}/blob/{br.head}/{ch.path}",
                "raw_url": f"{WEB}/raw/{br.head}/{ch.path}",
                "contents_url": f"{API}/contents/{ch.path}?ref={br.head}"}
        out.append({**item, "previous_filename": ch.old_path} if ch.old_path else item)
    return out


def gh_reviews(h: History, pull: story.Pull, br: Branch,
               files: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`pulls/N/reviews` and `pulls/N/comments` (review comments, each tied to its review)."""
    n, ids = pull.number, 2000000000 + pull.number * 1000
    source = next((f["filename"] for f in files if f["filename"].startswith("src/")), files[0]["filename"])
    reviews, comments = [], []
    for i, r in enumerate(pull.reviews):
        head = max((s for s in br.commits if h.by_sha[s].at <= r.at), key=lambda s: h.by_sha[s].at)
        rid, cid = ids + i, ids + 100 + i
        reviews.append({"id": rid, "node_id": f"PRR_kwDOJIacme{rid}", "user": gh_user(r.who), "body": r.body,
                        "state": r.state, "html_url": f"{WEB}/pull/{n}#pullrequestreview-{rid}",
                        "pull_request_url": f"{API}/pulls/{n}", "author_association": "MEMBER",
                        "submitted_at": iso(r.at), "commit_id": head})
        if r.comment:
            comments.append({
                "url": f"{API}/pulls/comments/{cid}", "pull_request_review_id": rid, "id": cid,
                "node_id": f"PRRC_kwDOJIacme{cid}", "diff_hunk": "@@ -1,4 +1,6 @@", "path": r.path or source,
                "position": 3, "original_position": 3, "commit_id": head, "original_commit_id": head,
                "user": gh_user(r.who), "body": r.comment, "created_at": iso(r.at), "updated_at": iso(r.at),
                "html_url": f"{WEB}/pull/{n}#discussion_r{cid}", "pull_request_url": f"{API}/pulls/{n}",
                "author_association": "MEMBER", "line": 3, "original_line": 3, "side": "RIGHT"})
    return reviews, comments


def gh_issue_comments(pull: story.Pull) -> list[dict[str, Any]]:
    """`issues/N/comments`: the PR's conversation."""
    n, out = pull.number, []
    for i, (who, t, body) in enumerate(pull.comments):
        cid = 2000000000 + n * 1000 + 500 + i
        out.append({"url": f"{API}/issues/comments/{cid}", "html_url": f"{WEB}/pull/{n}#issuecomment-{cid}",
                    "issue_url": f"{API}/issues/{n}", "id": cid, "node_id": f"IC_kwDOJIacme{cid}",
                    "user": gh_user(who), "created_at": iso(t), "updated_at": iso(t),
                    "author_association": "MEMBER", "body": body, "performed_via_github_app": None})
    return out


def gh_documents(h: History, pulls: tuple[story.Pull, ...]) -> dict[str, Any]:
    """Every response file under github/repos/acme/platform/, keyed by its API path."""
    docs: dict[str, Any] = {}
    listed = []
    for pull in sorted(pulls, key=lambda p: -p.number):
        br, n = h.branches[pull.number], pull.number
        files = gh_files(h, br)
        docs[f"pulls/{n}/reviews.json"], docs[f"pulls/{n}/comments.json"] = gh_reviews(h, pull, br, files)
        docs[f"pulls/{n}/files.json"] = files
        docs[f"pulls/{n}/commits.json"] = [gh_commit(h.by_sha[s]) for s in br.commits]
        docs[f"issues/{n}/comments.json"] = gh_issue_comments(pull)
        times = [pull.created, pull.ended or 0, *(r.at for r in pull.reviews),
                 *(t for _, t, _ in pull.comments)]
        listed.append(gh_pull(pull, br, max(times)))
    docs["pulls.json"] = listed
    return docs


# --- Jira REST v2 search page -----------------------------------------------------------------------

STATUS = {"To Do": ("10000", "new", 2, "blue-gray", "To Do"),
          "In Progress": ("3", "indeterminate", 4, "yellow", "In Progress"),
          "In Review": ("10001", "indeterminate", 4, "yellow", "In Progress"),
          "Done": ("10002", "done", 3, "green", "Done")}
TYPES = {"Bug": "10004", "Story": "10001", "Task": "10002", "Epic": "10000"}
COMPONENT_IDS = {"auth": "10200", "payment": "10201", "infra": "10202", "docs": "10203"}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4"}
DESCRIPTIONS = {
    "Bug": "Steps to reproduce are in the first comment.\n\nExpected: {s}.\nActual: it does not happen.",
    "Story": "As a customer I want this: {s}.\n\nAcceptance criteria are agreed with product.",
    "Task": "{s}.", "Epic": "Umbrella for the work on: {s}.",
}
STORY_DESCRIPTION = ("When two requests refresh the access token of the same session at the same time, the"
                     " second refresh revokes the refresh token the first one just issued and the user is"
                     " logged out."
                     "\n\nSeen in production since the remember-me release (PROJ-1131).")


def jtime(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(t))


def jira_user(key: str) -> dict[str, Any] | None:
    if not key:
        return None
    m = story.MEMBERS[key]
    return {"self": f"{story.JIRA}/rest/api/2/user?accountId={m.account_id}", "name": m.jira_name,
            "key": m.jira_name, "accountId": m.account_id, "emailAddress": m.email,
            "avatarUrls": {"48x48": f"{story.JIRA}/secure/useravatar?ownerId={m.jira_name}"},
            "displayName": m.name, "active": m.last_day >= 375, "timeZone": "Europe/Istanbul",
            "accountType": "atlassian"}


def jira_status(name: str) -> dict[str, Any]:
    sid, cat, cid, color, cname = STATUS[name]
    return {"self": f"{story.JIRA}/rest/api/2/status/{sid}", "description": "", "name": name, "id": sid,
            "statusCategory": {"self": f"{story.JIRA}/rest/api/2/statuscategory/{cid}", "id": cid, "key": cat,
                               "colorName": color, "name": cname}}


def jira_brief(life: story.Life) -> dict[str, Any]:
    t = life.ticket
    return {"id": str(10000 + t.number), "key": f"PROJ-{t.number}",
            "self": f"{story.JIRA}/rest/api/2/issue/{10000 + t.number}",
            "fields": {"summary": t.summary, "status": jira_status(t.status),
                       "priority": {"name": t.priority, "id": PRIORITIES[t.priority]},
                       "issuetype": {"name": t.type, "id": TYPES[t.type], "subtask": False}}}


def jira_links(number: int, lives: dict[int, story.Life]) -> list[dict[str, Any]]:
    out = []
    for i, (a, kind, b) in enumerate(story.LINKS):
        if number not in (a, b):
            continue
        tid, inward, outward = story.LINK_TYPES[kind]
        side = ({"outwardIssue": jira_brief(lives[b])} if number == a
                else {"inwardIssue": jira_brief(lives[a])})
        out.append({"id": str(20100 + i), "self": f"{story.JIRA}/rest/api/2/issueLink/{20100 + i}",
                    "type": {"id": tid, "name": kind, "inward": inward, "outward": outward,
                             "self": f"{story.JIRA}/rest/api/2/issueLinkType/{tid}"}, **side})
    return out


def jira_issue(life: story.Life, lives: dict[int, story.Life]) -> dict[str, Any]:
    t, iid = life.ticket, str(10000 + life.ticket.number)
    done = t.status == "Done"
    comments = [{"self": f"{story.JIRA}/rest/api/2/issue/{iid}/comment/{iid}{i}", "id": f"{iid}{i}",
                 "author": jira_user(who), "body": body, "updateAuthor": jira_user(who),
                 "created": jtime(at), "updated": jtime(at)}
                for i, (who, at, body) in enumerate(life.comments)]
    histories = [{"id": f"{iid}{i}", "author": jira_user(who), "created": jtime(at),
                  "items": [{"field": "status", "fieldtype": "jira", "from": STATUS[a][0], "fromString": a,
                             "to": STATUS[b][0], "toString": b}]
                  + ([{"field": "resolution", "fieldtype": "jira", "from": None, "fromString": None,
                       "to": "10000", "toString": t.resolution}] if b == "Done" else [])}
                 for i, (at, a, b, who) in enumerate(life.transitions)]
    description: str | None = DESCRIPTIONS[t.type].format(s=t.summary)
    if t.number == 1247 or (t.status == "To Do" and t.type == "Task"):
        description = STORY_DESCRIPTION if t.number == 1247 else None
    fields = {
        "summary": t.summary, "description": description,
        "issuetype": {"self": f"{story.JIRA}/rest/api/2/issuetype/{TYPES[t.type]}", "id": TYPES[t.type],
                      "description": "", "name": t.type, "subtask": False},
        "project": {"self": f"{story.JIRA}/rest/api/2/project/10010", "id": "10010", "key": "PROJ",
                    "name": "Acme Platform"},
        "status": jira_status(t.status),
        "priority": {"self": f"{story.JIRA}/rest/api/2/priority/{PRIORITIES[t.priority]}", "name": t.priority,
                     "id": PRIORITIES[t.priority]},
        "components": [{"self": f"{story.JIRA}/rest/api/2/component/{COMPONENT_IDS[t.component]}",
                        "id": COMPONENT_IDS[t.component], "name": t.component}],
        "labels": ["customer-reported"] if t.number in (1247, 1251, 1120) else [],
        "resolution": {"self": f"{story.JIRA}/rest/api/2/resolution/10000", "id": "10000", "description": "",
                       "name": t.resolution} if done else None,
        "resolutiondate": jtime(life.resolved) if life.resolved else None,
        "created": jtime(life.created), "updated": jtime(life.updated),
        "reporter": jira_user(t.reporter), "creator": jira_user(t.reporter),
        "assignee": jira_user(t.assignee),
        "comment": {"comments": comments, "maxResults": len(comments), "total": len(comments), "startAt": 0},
        "issuelinks": jira_links(t.number, lives), "subtasks": [], "fixVersions": [], "versions": [],
        "duedate": None, "environment": None,
    }
    return {"expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields", "id": iid,
            "self": f"{story.JIRA}/rest/api/2/issue/{iid}", "key": f"PROJ-{t.number}", "fields": fields,
            "changelog": {"startAt": 0, "maxResults": len(histories), "total": len(histories),
                          "histories": histories}}


def jira_page(lives: tuple[story.Life, ...]) -> dict[str, Any]:
    """`/rest/api/2/search?jql=project = PROJ order by updated asc&expand=changelog`, one page."""
    by_number = {life.ticket.number: life for life in lives}
    ordered = sorted(lives, key=lambda life: (life.updated, life.ticket.number))
    return {"expand": "schema,names", "startAt": 0, "maxResults": 100, "total": len(lives),
            "issues": [jira_issue(life, by_number) for life in ordered]}


# --- config, build, seed -----------------------------------------------------------------------------

CONFIG = """\
# TeamMemory configuration of the demo data set (written by `teammemory seed`).

[components]
rules = [
  { glob = "src/auth/**", component = "auth" },
  { glob = "tests/auth/**", component = "auth" },
  { glob = "src/payment/**", component = "payment" },
  { glob = "tests/payment/**", component = "payment" },
  { glob = "infra/**", component = "infra" },
  { glob = ".github/**", component = "infra" },
  { glob = "docs/**", component = "docs" },
]

[issues]
project_keys = ["PROJ"]

[identity]
# The defaults, plus "github": the committer of merges made on github.com (GitHub <noreply@github.com>).
bots = ["*[bot]", "dependabot*", "renovate*", "github-actions*", "*-bot", "jenkins*", "ci-bot*", "github"]

# Can commits from home as can.yilmaz@gmail.com, an address no other account shows: no rule can tell.
[[identity.aliases]]
name = "Can Yılmaz"
identities = ["email:can.yilmaz@acme.io", "email:can.yilmaz@gmail.com"]

# Selin comments on GitHub but never commits: nothing ties her login to her Jira account.
[[identity.aliases]]
name = "Selin Öztürk"
identities = ["jira:61b2c3d4e5f6a70017c4d5e6", "login:selinozturk"]
"""


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def replayed() -> tuple[story.Plan, History]:
    """The demo's plan and its replay (~0.25 s), made once per process: both are fixed by the
    story's seed, and nothing changes them once built (a process that checks for a built demo and
    then builds one, or seeds several stores, replays once)."""
    plan = story.plan()
    return plan, History(plan)


def build_demo(folder: Path) -> DemoFiles:
    """Write the demo into `folder` (repo/, jira/, github/, teammemory.toml), replacing an earlier demo.

    Refuses a non-empty folder that is not a demo, so a typo cannot delete someone's work.
    """
    folder = Path(folder)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise InputError(str(folder), "not empty and not a TeamMemory demo folder; choose an empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("incomplete\n", encoding="utf-8")  # ours, but not usable until the end
    for name in ("repo", "jira", "github", "incidents", "teammemory.toml"):
        target = folder / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    plan, history = replayed()
    write_repo(folder / "repo", history)
    write_json(folder / "jira" / "issues.json", jira_page(plan.lives))
    for rel, data in gh_documents(history, plan.pulls).items():
        write_json(folder / "github" / "repos" / story.REPO / rel, data)
    (folder / "incidents").mkdir()
    for name, text in demo_incidents.postmortems(history, plan).items():
        (folder / "incidents" / name).write_text(text, encoding="utf-8")
    (folder / "teammemory.toml").write_text(CONFIG, encoding="utf-8")
    (folder / MARKER).write_text(marker_text(history), encoding="utf-8")
    return describe(folder, history, plan)


def describe(folder: Path, history: History, plan: story.Plan) -> DemoFiles:
    reachable, todo = set(), [history.main]
    while todo:
        sha = todo.pop()
        if sha not in reachable:
            reachable.add(sha)
            todo += history.by_sha[sha].parents
    return DemoFiles(folder, folder / "repo", folder / "jira", folder / "github", folder / "teammemory.toml",
                     history.main, len(reachable), len(plan.pulls), len(plan.lives), folder / "incidents")


def existing(folder: Path) -> DemoFiles | None:
    """The demo already built in `folder` by this version of the generator, if it is there."""
    marker = folder / MARKER
    if not marker.is_file() or not (folder / "repo" / ".git").is_dir():
        return None
    plan, history = replayed()
    same = marker.read_text(encoding="utf-8") == marker_text(history)
    return describe(folder, history, plan) if same else None


def seed(store: Store, folder: Path, *, config: Config | None = None) -> SeedSummary:
    """Build the demo in `folder` unless it is there, reset `store`, and ingest git, Jira, GitHub and the
    postmortems.

    The config defaults to the demo's own teammemory.toml with no `TEAMMEMORY_*` environment, so
    the seeded store is the same everywhere; the store is emptied (every table dropped, schema
    re-applied) in one transaction first, so the demo never mixes with earlier data.
    """
    demo = existing(Path(folder)) or build_demo(Path(folder))
    cfg = config or load_config(demo.config, env={}, db=store.url.target)
    with store.write() as db:
        migrate.drop_all(db)
        migrate.apply(db)
    runs = (ingest_git(store, demo.repo, config=cfg, name=story.REPO, branch="main"),
            ingest_jira_files(store, [demo.jira], config=cfg),
            ingest_github_files(store, [demo.github], config=cfg, repo=story.REPO))
    return SeedSummary(demo, runs, ingest_incident_files(store, [demo.incidents], config=cfg))

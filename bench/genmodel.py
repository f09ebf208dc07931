"""The synthetic repository as a model: a tree, file popularity, short-lived branches, and the
events that turn them into commit records. Pure: no I/O; `gen_repo.py` streams the records
into `git fast-import`.

Shape (chosen to look like a real product repository, scaled by the commit count):
- files: a tree that grows towards `target_files` (a few thousand at 100k commits) in nested
  folders under ~16 components; which file a commit touches follows a power law (Zipf, s=1:
  rank = floor(n ** U) - 1 for U uniform, so P(rank r) ~ 1/r), new files enter at a random
  rank, renames keep the rank;
- commit sizes: files per commit ~ Pareto(alpha=1.5) capped at 200, so most touch one or two
  files and a few sweep a whole component; hunks per file and lines per hunk are long-tailed;
- events: ~3.5% open a branch that gets a few commits and is merged back (a real second
  parent; ~60% as `Merge pull request #N from ...`), ~1.5% renames (R, sometimes with an
  edit), ~1% deletions, ~0.5% binary assets, ~1% dependabot bumps, ~0.7% reverts;
- reverts are honest: only a recent commit that modified at most five text files, none of them
  touched since, is reverted, by writing back the exact previous contents, and the message is
  git's own `Revert "<subject>"` + `This reverts commit <sha>.` The sha is read back from
  fast-import with `get-mark` (the `resolve` callback), so it is the real id of that commit;
  every fifth revert carries an edited body without the sha (seen in squash workflows).
Determinism: one `random.Random(seed)`; no iteration over sets; fixed times.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import genmsg
from genmsg import BOT, GITHUB, Author

Content = list[bytes] | bytes  # text lines (never mutated in place) or a binary blob
Op = tuple[str, str, object]  # ("M", path, Content) | ("D", path, None) | ("R", old, new)

START = 1_580_000_000  # 2020-01-26: the history spans SPAN seconds from here, whatever its length
SPAN = 6 * 365 * 86400
COMPONENTS = ("src/api", "src/core", "src/storage", "src/auth", "src/billing", "src/search", "src/ui",
              "lib/http", "lib/util", "tests/api", "tests/core", "tests/storage", "docs", "src/jobs",
              "db/migrations", "tools")
EXT = {"src/ui": ".ts", "docs": ".md", "db/migrations": ".sql", "tools": ".sh"}
SUBDIRS = ("handlers", "models", "utils", "v1", "v2", "internal", "adapters", "views", "widgets", "core")
STEMS = ("token", "session", "cache", "client", "server", "parser", "schema", "invoice", "user", "order",
         "query", "index", "config", "router", "queue", "worker", "report", "export", "auth", "mail")
ODD_NAMES = ("guía_rápida", "überblick", "日本語_メモ", "naïve café", "release notes")
LIBS = (b"requests", b"httpx", b"rich", b"typer", b"psycopg", b"pydantic", b"jinja2", b"uvicorn")
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"  # a PNG header: NUL bytes make git call the file binary
FUNCS = (b"load", b"save", b"check", b"emit", b"merge", b"split", b"render", b"fetch")


@dataclass
class Record:
    """One commit for fast-import; `start` is `:mark` / `refs/heads/main^0` or empty."""

    ref: str
    mark: int
    author: str
    author_at: int
    author_zone: str
    committer: str
    committed_at: int
    committer_zone: str
    message: str
    start: str
    merge: int
    ops: list[Op]


@dataclass
class Branch:
    ref: str
    name: str
    title: str
    author: Author
    tip: int
    life: int
    tree: dict[str, Content]
    added: dict[str, None] = field(default_factory=dict)
    touched: dict[str, None] = field(default_factory=dict)


@dataclass
class Candidate:
    """A commit that may be reverted: its subject and the contents it replaced."""

    mark: int
    subject: str
    before: dict[str, Content]
    sha: str = ""


class World:
    """All generator state; pickled after a run so `--append` continues the same history."""

    def __init__(self, seed: int, planned: int, target_files: int) -> None:
        self.rng = random.Random(seed)
        self.planned, self.target_files = planned, target_files
        self.authors = genmsg.make_authors(self.rng)
        self.tree: dict[str, Content] = {}
        self.hot: list[str] = []  # text files, most popular first
        self.binaries: list[str] = []
        self.ever: set[str] = set()  # membership only, never iterated
        self.touched: dict[str, int] = {}  # path -> mark of the last main commit that wrote it
        self.ring: deque[Candidate] = deque(maxlen=64)
        self.branches: list[Branch] = []
        self.made, self.serial, self.pr, self.topic, self.head, self.reverts = 0, 0, 0, 0, 0, 0
        self.t = START
        self.resume = False  # set after loading: the first commit must start from the stored main

    # -- the loop -------------------------------------------------------------------------
    def run(self, count: int, resolve: Callable[[int], str]) -> Iterator[Record]:
        """Yield exactly `count` commits on main or its branches; every branch is merged by the end."""
        end = self.made + count
        while self.made < end:
            yield self._next(end - self.made, resolve)

    def pin(self, resolve: Callable[[int], str]) -> None:
        """Resolve the shas of revert candidates, so a later process (without marks) can revert them."""
        for c in self.ring:
            c.sha = c.sha or resolve(c.mark)

    def _next(self, left: int, resolve: Callable[[int], str]) -> Record:
        rng = self.rng
        if self.made == 0:
            return self._root()
        due = [b for b in self.branches if b.life <= 0]
        if self.branches and (left <= len(self.branches) or due):
            return self._merge(due[0] if due else self.branches[0])
        r = rng.random()
        if left - 1 > len(self.branches) and len(self.branches) < 3 and r < 0.035:
            return self._open_branch()
        if self.branches and r < 0.155:
            return self._branch_commit(rng.choice(self.branches))
        r = rng.random()
        if r < 0.01:
            return self._revert(resolve) or self._ordinary()
        if r < 0.025:
            return self._rename()
        if r < 0.035 and len(self.hot) > 30:
            return self._delete()
        if r < 0.04:
            return self._binary()
        if r < 0.05:
            return self._bump()
        return self._ordinary()

    # -- records ----------------------------------------------------------------------------
    def _record(self, ref: str, author: Author, message: str, ops: list[Op], *, start: str = "",
                merge: int = 0, committer: str = "") -> Record:
        rng = self.rng
        self.t += 1 + int(rng.expovariate(1.0 / max(1.0, SPAN / self.planned)))
        author_at = self.t - (rng.randrange(3 * 86400) if rng.random() < 0.1 else 0)
        self.made += 1
        mark = self.made
        if ref == "refs/heads/main":
            if self.resume and not start:
                start, self.resume = "refs/heads/main^0", False
            self.head = mark
            for op in ops:
                self._account(op, mark)
        ident = author.ident(rng)
        zone = "+0000" if committer else author.zone
        return Record(ref, mark, ident, author_at, author.zone, committer or ident, self.t, zone, message,
                      start, merge, ops)

    def _account(self, op: Op, mark: int) -> None:
        kind, path, arg = op
        if kind == "R":
            self.touched.pop(path, None)
            self.touched[str(arg)] = mark
        elif kind == "D":
            self.touched.pop(path, None)
        else:
            self.touched[path] = mark

    def _root(self) -> Record:
        ops: list[Op] = [("M", ".mailmap", genmsg.mailmap(self.authors)),
                         ("M", "README.md", [b"# Synthetic product\n", b"\n", b"By bench/gen_repo.py\n"]),
                         ("M", "requirements.txt", [lib + b"==1.0.0\n" for lib in LIBS]),
                         ("M", "assets/img/logo.png", PNG + self.rng.randbytes(600))]
        self.binaries.append("assets/img/logo.png")
        for _, path, content in ops:
            self.tree[path] = content  # type: ignore[assignment]
        for _ in range(min(40, self.target_files)):
            ops.append(self._add_file())
        return self._record("refs/heads/main", self.authors[0], "Initial import\n", ops)

    def _author(self) -> Author:
        return self.authors[self._rank(len(self.authors))]

    def _rank(self, n: int) -> int:
        """Zipf (s=1) rank in [0, n-1): floor(n ** U) - 1."""
        return max(0, int(n ** self.rng.random()) - 1)

    # -- main-line events -----------------------------------------------------------------
    def _ordinary(self) -> Record:
        rng = self.rng
        author = self._author()
        k = min(200, int(rng.paretovariate(1.5)))
        paths = self._pick(k, self.tree)
        ops: list[Op] = []
        before: dict[str, Content] = {}
        for p in paths:
            before[p] = self.tree[p]
            self.tree[p] = self._edit(self.tree[p])  # type: ignore[arg-type]
            ops.append(("M", p, self.tree[p]))
        goal = min(self.target_files, 40 + self.target_files * self.made / self.planned)
        if rng.random() < (0.5 if len(self.hot) < goal else 0.03):
            ops.append(self._add_file(paths[0] if paths else ""))
        pr = self._next_pr() if rng.random() < 0.25 else None
        msg = genmsg.message(rng, self.authors, author, self._component(ops[0][1]), self.made, pr)
        rec = self._record("refs/heads/main", author, msg, ops)
        if len(ops) == len(before) <= 5:
            self.ring.append(Candidate(rec.mark, msg.partition("\n")[0], before))
        return rec

    def _revert(self, resolve: Callable[[int], str]) -> Record | None:
        for c in reversed(self.ring):
            if all(self.touched.get(p) == c.mark for p in c.before):
                self.ring.remove(c)
                sha = c.sha or resolve(c.mark)
                self.reverts += 1
                why = f"This reverts commit {sha}." if self.reverts % 5 else "Broke the nightly build."
                ops: list[Op] = [("M", p, old) for p, old in c.before.items()]
                self.tree.update(c.before)
                msg = f'Revert "{c.subject}"\n\n{why}\n'
                return self._record("refs/heads/main", self._author(), msg, ops)
        return None

    def _rename(self) -> Record:
        rng = self.rng
        old = self.hot[self._rank(len(self.hot))]
        new = self._fresh_path(self._component(old) if rng.random() < 0.6 else "")
        self.hot[self.hot.index(old)] = new
        self.tree[new] = self.tree.pop(old)
        ops: list[Op] = [("R", old, new)]
        if rng.random() < 0.5:
            self.tree[new] = self._edit(self.tree[new], small=True)  # type: ignore[arg-type]
            ops.append(("M", new, self.tree[new]))
        msg = f"Move {old.rsplit('/', 1)[-1]} to {new.rsplit('/', 1)[0]}\n"
        return self._record("refs/heads/main", self._author(), msg, ops)

    def _delete(self) -> Record:
        rng = self.rng
        ops: list[Op] = []
        for _ in range(rng.randint(1, 3)):
            path = self.hot.pop(rng.randrange(len(self.hot) // 2, len(self.hot)))
            del self.tree[path]
            ops.append(("D", path, None))
        text, body = genmsg.decorate(rng, f"Remove unused {ops[0][1].rsplit('/', 1)[-1]}", self.made)
        msg = f"{text}\n\n{body}" if body else text + "\n"
        return self._record("refs/heads/main", self._author(), msg, ops)

    def _binary(self) -> Record:
        rng = self.rng
        if self.binaries and rng.random() < 0.5:
            path = self.binaries[self._rank(len(self.binaries))]
        else:
            path = self._unique(f"assets/img/{rng.choice(STEMS)}.png")
            self.binaries.append(path)
        self.tree[path] = PNG + rng.randbytes(rng.randint(100, 4000))
        msg = f"Update {path.rsplit('/', 1)[-1]} artwork\n"
        return self._record("refs/heads/main", self._author(), msg, [("M", path, self.tree[path])])

    def _bump(self) -> Record:
        rng = self.rng
        current = self.tree["requirements.txt"]
        assert isinstance(current, list)
        lines = list(current)
        i = rng.randrange(len(lines))
        lib, _, version = lines[i].rstrip(b"\n").partition(b"==")
        major, minor, patch = (int(x) for x in version.split(b"."))
        new = f"{major}.{minor}.{patch + 1}" if rng.random() < 0.8 else f"{major}.{minor + 1}.0"
        lines[i] = lib + b"==" + new.encode() + b"\n"
        self.tree["requirements.txt"] = lines
        name, old = lib.decode(), version.decode()
        msg = (f"Bump {name} from {old} to {new}\n\nBumps [{name}] from {old} to {new}.\n\n"
               f"Signed-off-by: dependabot[bot] <support@github.com>\n")
        return self._record("refs/heads/main", BOT, msg, [("M", "requirements.txt", lines)], committer=GITHUB)

    # -- branches -------------------------------------------------------------------------
    def _open_branch(self) -> Record:
        rng = self.rng
        self.topic += 1
        author = self._author()
        near = self.hot[self._rank(len(self.hot))]
        title = genmsg.subject(rng, self._component(near), fix=rng.random() < 0.3)
        key = genmsg.issue_key(rng, self.made) + "-" if rng.random() < 0.7 else ""
        start = "refs/heads/main^0" if self.resume else f":{self.head}"
        branch = Branch(f"refs/heads/topic/{self.topic}", key + genmsg.slug(title), title, author, 0,
                        rng.randint(1, 5), dict(self.tree))
        self.branches.append(branch)
        return self._branch_commit(branch, start=start)

    def _branch_commit(self, b: Branch, *, start: str = "") -> Record:
        rng = self.rng
        paths = self._pick(rng.randint(1, 3), b.tree)
        if b.added and rng.random() < 0.3:
            paths.append(rng.choice(list(b.added)))
        ops: list[Op] = []
        for p in dict.fromkeys(paths):
            b.tree[p] = self._edit(b.tree[p])  # type: ignore[arg-type]
            b.touched[p] = None
            ops.append(("M", p, b.tree[p]))
        if not ops or rng.random() < 0.3:
            op = self._add_file(paths[0] if paths else "", tree=b.tree, rank=False)
            b.added[op[1]] = b.touched[op[1]] = None
            ops.append(op)
        msg = genmsg.message(rng, self.authors, b.author, self._component(ops[0][1]), self.made, None)
        rec = self._record(b.ref, b.author, msg, ops, start=start)
        b.tip, b.life = rec.mark, b.life - 1
        return rec

    def _merge(self, b: Branch) -> Record:
        rng = self.rng
        self.branches.remove(b)
        ops: list[Op] = []
        for p in b.touched:
            if p in b.added or p in self.tree:  # a file main deleted or renamed meanwhile stays gone
                self.tree[p] = b.tree[p]
                ops.append(("M", p, b.tree[p]))
        for p in b.added:
            self.hot.insert(rng.randrange(len(self.hot) + 1), p)
        if rng.random() < 0.6:
            owner = b.author.email.split("@")[0].split(".")[0]
            msg = f"Merge pull request #{self._next_pr()} from {owner}/{b.name}\n\n{b.title}\n"
            return self._record("refs/heads/main", b.author, msg, ops, merge=b.tip, committer=GITHUB)
        return self._record("refs/heads/main", b.author, f"Merge branch '{b.name}' into main\n", ops,
                            merge=b.tip)

    # -- files ----------------------------------------------------------------------------
    def _pick(self, k: int, tree: dict[str, Content]) -> list[str]:
        """`k` distinct popular text files present in `tree`; a large k sweeps one component."""
        rng = self.rng
        if k > 20:
            prefix = self._component(self.hot[self._rank(len(self.hot))]) + "/"
            pool = [p for p in self.hot if p.startswith(prefix) and p in tree]
            return rng.sample(pool, min(k, len(pool)))
        picks: dict[str, None] = {}
        for _ in range(3 * k + 5):
            p = self.hot[self._rank(len(self.hot))]
            if p in tree:
                picks[p] = None
                if len(picks) == k:
                    break
        return list(picks)

    def _edit(self, lines: list[bytes], *, small: bool = False) -> list[bytes]:
        """A new version of `lines`: a few hunks, each deleting 0-4 lines and inserting a
        long-tailed number; files beyond 300 lines shrink (hot files would otherwise grow
        without bound and the stream with them)."""
        rng = self.rng
        out = list(lines)
        for _ in range(1 if small else min(8, int(rng.paretovariate(2.0)))):
            at = rng.randrange(len(out) + 1)
            cut = rng.randint(0, 4) if len(out) < 300 else rng.randint(5, 60)
            add = rng.randint(1, 5) if rng.random() < 0.97 else rng.randint(20, 120)
            out[at:at + cut] = [self._line() for _ in range(add)]
        return out

    def _line(self) -> bytes:
        self.serial += 1
        rng = self.rng
        name, call = rng.choice(FUNCS), rng.choice(FUNCS)
        return b"    %s_%d = %s(%d)\n" % (name, self.serial, call, rng.randrange(1000))

    def _add_file(self, near: str = "", *, tree: dict[str, Content] | None = None, rank: bool = True) -> Op:
        rng = self.rng
        path = self._fresh_path(self._component(near) if near and rng.random() < 0.7 else "")
        lines = [self._line() for _ in range(max(3, min(1000, int(rng.lognormvariate(3.4, 0.9)))))]
        (self.tree if tree is None else tree)[path] = lines
        if rank:
            self.hot.insert(rng.randrange(len(self.hot) + 1), path)
        return ("M", path, lines)

    def _fresh_path(self, component: str = "") -> str:
        rng = self.rng
        comp = component or COMPONENTS[self._rank(len(COMPONENTS) + 1)]
        ext = EXT.get(comp, ".py")
        folders = [rng.choice(SUBDIRS) for _ in range(rng.choice((0, 0, 1, 1, 2)))]
        stem = f"{rng.choice(STEMS)}_{rng.choice(STEMS)}"
        if comp == "docs" and rng.random() < 0.1:
            stem = rng.choice(ODD_NAMES)
        if comp.startswith("tests/"):
            stem = "test_" + stem
        return self._unique("/".join([comp, *folders, stem + ext]))

    def _unique(self, path: str) -> str:
        if path in self.ever:
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}_{self.serial}{dot}{ext}"
            self.serial += 1
        self.ever.add(path)
        return path

    def _component(self, path: str) -> str:
        parts = path.split("/")
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]

    def _next_pr(self) -> int:
        self.pr += 1
        return self.pr

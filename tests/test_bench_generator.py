"""bench/gen_repo.py: deterministic, and the history has the shapes the benchmark relies on.

A few hundred commits through the real CLI and a real `git fast-import`, read back with git.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

GEN = Path(__file__).resolve().parents[1] / "bench" / "gen_repo.py"
COMMITS = 300
HEAD = "f1fc4747c9f91f5c7ff01d2cc6b57154156cb7ca"  # bench/gen_repo.py --commits 300 --seed 1
ENV = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "GIT_CONFIG_GLOBAL": "/dev/null",
       "PATH": "/usr/bin:/bin:/usr/local/bin", "LC_ALL": "C"}


def generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(GEN), "--out", str(out), *args], check=True, capture_output=True)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=ENV).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "repo"
    generate(path, "--commits", str(COMMITS), "--seed", "1")
    return path


def test_same_arguments_give_the_same_commit_ids(repo: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", "--commits", str(COMMITS), "--seed", "1")
    assert git(repo, "rev-parse", "main") == HEAD
    assert git(tmp_path / "again", "rev-parse", "main") == HEAD
    generate(tmp_path / "other", "--commits", str(COMMITS), "--seed", "2")
    assert git(tmp_path / "other", "rev-parse", "main") != HEAD


def test_exact_commit_count_and_only_main_left(repo: Path) -> None:
    assert git(repo, "rev-list", "--count", "main") == str(COMMITS)
    assert git(repo, "for-each-ref", "--format=%(refname)") == "refs/heads/main"
    assert git(repo, "status", "--porcelain") == ""  # the working tree is checked out at main


def test_merges_have_real_second_parents(repo: Path) -> None:
    merges = git(repo, "rev-list", "--merges", "main").split()
    assert len(merges) >= 5
    for m in merges:
        first, second = git(repo, "rev-parse", f"{m}^1", f"{m}^2").split()
        # the branch commit is not already in main's first-parent history: a real branch
        assert subprocess.run(["git", "-C", str(repo), "merge-base", "--is-ancestor", second, first],
                              env=ENV).returncode == 1
    subjects = git(repo, "log", "--merges", "--format=%s", "main").splitlines()
    assert any(s.startswith("Merge pull request #") and " from " in s for s in subjects)
    assert any(s.startswith("Merge branch '") and s.endswith("' into main") for s in subjects)


def test_renames_deletions_and_binary_files(repo: Path) -> None:
    assert git(repo, "log", "-M", "--diff-filter=R", "--format=%H", "main")
    assert git(repo, "log", "--diff-filter=D", "--format=%H", "main")
    numstat = git(repo, "log", "--numstat", "--format=", "main").splitlines()
    assert any(line.startswith("-\t-\t") for line in numstat)


def test_reverts_name_a_real_commit_and_restore_its_files(repo: Path) -> None:
    log = git(repo, "log", "--format=%H%x00%B%x01", "main")
    reverts = [(h, re.search(r"This reverts commit ([0-9a-f]{40})\.", body))
               for h, _, body in (e.strip().partition("\0") for e in log.split("\x01") if e.strip())
               if body.startswith('Revert "')]
    with_sha = [(h, m.group(1)) for h, m in reverts if m]
    assert with_sha
    for revert, target in with_sha:
        assert git(repo, "cat-file", "-t", target) == "commit"
        subject = git(repo, "log", "-1", "--format=%s", target)
        assert git(repo, "log", "-1", "--format=%s", revert) == f'Revert "{subject}"'
        paths = git(repo, "show", "--format=", "--name-only", target).splitlines()
        # the revert writes back exactly what the reverted commit replaced
        assert git(repo, "diff", "--stat", f"{target}^", revert, "--", *paths) == ""


def test_messages_carry_keys_trailers_and_pr_numbers(repo: Path) -> None:
    log = git(repo, "log", "--no-merges", "--format=%B%x01", "main")
    bodies = [b for b in log.split("\x01") if b.strip()]
    keyed = [b for b in bodies if re.search(r"\b(PROJ|CORE|WEB)-\d+\b", b)]
    assert 0.45 < len(keyed) / len(bodies) < 0.75  # ~60% by construction
    text = "\n".join(bodies)
    for trailer in ("Co-authored-by: ", "Reviewed-by: ", "Signed-off-by: ", "Reviewers: "):
        assert f"\n{trailer}" in text, trailer
    assert re.search(r"\(#\d+\)\n", text)  # squash-merge subjects
    assert re.search(r"UTF-8|SHA-1|CVE-2021-44228|ISO-8601|RFC-7231|TLS-13", text)  # false keys


def test_some_people_use_two_emails_and_the_mailmap_joins_them(repo: Path) -> None:
    raw = set(git(repo, "log", "--format=%ae", "main").splitlines())
    mapped = set(git(repo, "log", "--use-mailmap", "--format=%aE", "main").splitlines())
    assert len(raw) > len(mapped) >= 12
    assert "dependabot[bot]" in git(repo, "log", "--format=%an", "main")


def test_append_continues_the_same_history_deterministically(repo: Path, tmp_path: Path) -> None:
    copies = []
    for name in ("a", "b"):
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", "--shared", str(repo), str(clone)], check=True, env=ENV)
        state = "teammemory-bench-state.pickle"
        (clone / ".git" / state).write_bytes((repo / ".git" / state).read_bytes())
        generate(clone, "--append", "20")
        copies.append(git(clone, "rev-parse", "main"))
        assert git(clone, "rev-list", "--count", "main") == str(COMMITS + 20)
        assert git(clone, "merge-base", "--is-ancestor", HEAD, "main") == ""
    assert copies[0] == copies[1]

"""The trailer parser over Apache BookKeeper's real history (../shared/realrepos/bookkeeper.bundle).

Six commits with tricky trailers, their people written down by reading each message (hash and the
lines that matter quoted next to each), plus properties every one of the 3,705 messages must have.
BookKeeper is Apache-2.0; only hashes, names and emails from its public history appear here.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.model import IdentityRef
from teammemory.sources import credits, gitlog, gitparse

BUNDLE = Path(__file__).resolve().parents[3] / "shared" / "realrepos" / "bookkeeper.bundle"
KEPT = "email 'cguttapalemsalesforce.com' kept as written: no '@', not a real address"

# commit -> (role, name, email, evidence) of everyone its message credits, read by hand
EXPECTED: dict[str, list[tuple[str, str, str, str]]] = {
    # "Reviewers: Enrico Olivelli <eolivelli@apache.org, Sijie Guo  <sijie@apache.org>"
    "8502c2e461f58162a3e498f093a49d4e2eb253f3": [
        ("reviewer", "Enrico Olivelli", "eolivelli@apache.org", "Reviewers trailer; unclosed '<' repaired"),
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer")],
    # "Reviewers: ivankelly, sijie, eolivelli" (GitHub logins, no emails)
    "a6f4b792270194474649eda9261635c24c218b0a": [
        ("reviewer", "ivankelly", "", "Reviewers trailer"), ("reviewer", "sijie", "", "Reviewers trailer"),
        ("reviewer", "eolivelli", "", "Reviewers trailer")],
    # "Reviewers: Andrey Yegorov <None>, LinChen <None>"
    "3edbc98824bbdf574d97510aec783d5b9355548e": [
        ("reviewer", "Andrey Yegorov", "", "Reviewers trailer"), ("reviewer", "LinChen", "", "Reviewers trailer")],
    # "Reviewed-by: Charan Reddy Guttapalem <cguttapalemsalesforce.com>"
    # "Signed-off-by: Venkateswararao Jujjuri (JV) <vjujjurisalesforce.com>"
    # "Co-Author : Charan Reddy Guttapalem <cguttapalemsalesforce.com>"
    # "Author: JV <vjujjuri@salesforce.com>" (the merge script's PR author: git's author already)
    # "Reviewers: Sijie Guo <sijie@apache.org>"
    "c813b3d3298586ded02032a57a99d5fc6c974581": [
        ("reviewer", "Charan Reddy Guttapalem", "cguttapalemsalesforce.com", f"Reviewed-by trailer; {KEPT}"),
        ("signed-off-by", "Venkateswararao Jujjuri (JV)", "vjujjurisalesforce.com",
         "Signed-off-by trailer; email 'vjujjurisalesforce.com' kept as written: no '@', not a real address"),
        ("co-author", "Charan Reddy Guttapalem", "cguttapalemsalesforce.com", f"Co-author trailer; {KEPT}"),
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer")],
    # two squashed merges: "Reviewers: Sijie Guo <sijieapache.org>" and "Reviewers: Sijie Guo <sijie@apache.org>"
    "bfd77268a00787cbbc0dc43d665d94ca195c4652": [
        ("reviewer", "Sijie Guo", "sijie@apache.org", "Reviewers trailer")],
    # a re-applied commit whose whole message is indented: "    Reviewers: Enrico Olivelli <eolivelli@gmail.com>"
    "acec56f4928acbefbe3670ee0fdbf2c5d65f15d4": [
        ("reviewer", "Enrico Olivelli", "eolivelli@gmail.com", "Reviewers trailer")],
}


@pytest.fixture(scope="module")
def bookkeeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[gitlog.GitRepo]:
    if not BUNDLE.is_file():
        pytest.skip(f"real history not present at {BUNDLE} (it ships beside the repo in CI)")
    path = tmp_path_factory.mktemp("realrepos") / "bookkeeper.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(BUNDLE), str(path)], check=True)
    yield gitlog.open_repo(path)


def test_hand_read_commits(bookkeeper: gitlog.GitRepo) -> None:
    chunks = gitlog.log_chunks(bookkeeper, list(EXPECTED), no_walk=True)
    commits = {c.hash: c for c in (gitparse.parse_commit(chunk, repo="bk", config=Config()) for chunk in chunks)}
    assert {h: [(p.role, p.who.name, p.who.email, p.evidence) for p in commits[h].people] for h in EXPECTED} == EXPECTED


def test_every_message_gives_clean_people(bookkeeper: gitlog.GitRepo) -> None:
    log = subprocess.run(["git", "-C", str(bookkeeper.path), "log", "--format=%aN%x00%aE%x00%B%x00", bookkeeper.head],
                         capture_output=True, check=True).stdout.decode()
    fields = log.split("\0")
    messages = [(IdentityRef("git", fields[i + 1], fields[i].lstrip("\n")), fields[i + 2])
                for i in range(0, len(fields) - 2, 3)]
    assert len(messages) == 3705
    people = [p for author, message in messages
              for p in credits.commit_people(message.partition("\n")[2], author=author)]
    # an email is real, or one that lost its '@' and says so in the evidence
    assert all(p.who.email == "" or "@" in p.who.email or ("." in p.who.email and " " not in p.who.email
                                                           and "not a real address" in p.evidence)
               for p in people)
    assert not [p for p in people if set("<>@,") & set(p.who.name)]
    assert {p.who.name for p in people if p.who.email == "" and p.role == "reviewer"} >= {
        "Andrey Yegorov", "LinChen", "ivankelly", "sijie", "eolivelli"}

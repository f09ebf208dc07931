"""gitparse: literal `git log -z --raw --numstat` chunks -> Commit records (no git, no store)."""

from __future__ import annotations

import pytest

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.model import CommitPerson, FileChange, IdentityRef, Ref
from teammemory.sources import gitparse
from teammemory.sources.mailmap import parse_mailmap

H = "a" * 40
P1 = "b" * 40
P2 = "c" * 40
BLOBS = "0" * 40 + " " + "1" * 40
CONFIG = Config()


def chunk(message: str, records: str = "", *, parents: str = P1, author: str = "Ana Lima\0ana@example.com",
          adate: str = "1700000000 +0130", committer: str = "Bo\0bo@example.com",
          cdate: str = "1700000100 -0500") -> str:
    """A chunk as sources.gitlog yields it (the trailing NUL of the last record is cut off)."""
    head = f"{H}\0{parents}\0{author}\0{adate}\0{committer}\0{cdate}\0{message}"
    return head + ("\0\n" + records if records else "")


def raw(status: str, *paths: str) -> str:
    return f":100644 100644 {BLOBS} {status}\0" + "".join(p + "\0" for p in paths)


def parse(text: str) -> gitparse.Commit:
    return gitparse.parse_commit(text, repo="proj", config=CONFIG)


def test_header_fields_times_and_offsets() -> None:
    c = parse(chunk("Add parser\n\nWhy: speed.\n"))
    assert (c.repo, c.hash, c.parents) == ("proj", H, (P1,))
    assert c.author == IdentityRef("git", "ana@example.com", "Ana Lima")
    assert c.committer == IdentityRef("git", "bo@example.com", "Bo")
    assert (c.authored_at, c.authored_offset) == (1700000000, 90)
    assert (c.committed_at, c.committed_offset) == (1700000100, -300)
    assert c.message == "Add parser\n\nWhy: speed.\n"
    assert c.subject == "Add parser"
    assert (c.files, c.people, c.reverts, c.issue_refs, c.pr_refs) == ((), (), "", (), ())


def test_root_commit_has_no_parents() -> None:
    assert parse(chunk("Initial", parents="")).parents == ()


def test_file_changes_added_modified_deleted_renamed_binary() -> None:
    records = (raw("A", "new.py") + raw("M", "mod.py") + raw("D", "gone.py")
               + raw("R087", "old.py", "moved.py") + raw("M", "logo.png") + raw("T", "link")
               + "5\t0\tnew.py\0" + "3\t1\tmod.py\0" + "0\t7\tgone.py\0" + "2\t1\t\0old.py\0moved.py\0"
               + "-\t-\tlogo.png\0" + "1\t1\tlink")
    assert parse(chunk("Change files", records)).files == (
        FileChange("new.py", 5, 0, "A"),
        FileChange("mod.py", 3, 1, "M"),
        FileChange("gone.py", 0, 7, "D"),
        FileChange("moved.py", 2, 1, "R", old_path="old.py"),
        FileChange("logo.png", 0, 0, "M", is_binary=True),
        FileChange("link", 1, 1, "M"),  # T (type change) counts as a modification
    )


def test_paths_with_tabs_spaces_and_utf8_are_taken_verbatim() -> None:
    records = raw("A", "dir/ä b\tc.txt") + "1\t0\tdir/ä b\tc.txt\0"
    assert parse(chunk("Odd names", records)).files == (FileChange("dir/ä b\tc.txt", 1, 0, "A"),)


def test_a_path_that_looks_like_a_record_is_still_a_path() -> None:
    records = raw("A", ":100644 x") + raw("A", "1\t2\tz") + "1\t0\t:100644 x\0" + "4\t0\t1\t2\tz\0"
    assert parse(chunk("Tricky", records)).files == (FileChange(":100644 x", 1, 0, "A"),
                                                     FileChange("1\t2\tz", 4, 0, "A"))


def test_merge_commit_has_no_files() -> None:
    c = parse(chunk("Merge branch 'topic'", parents=f"{P1} {P2}"))
    assert c.is_merge and c.parents == (P1, P2) and c.files == ()


def test_revert_with_hash_and_with_subject_only() -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert parse(chunk(f'Revert "Add parser"\n\nThis reverts commit {sha}.\n')).reverts == sha
    assert parse(chunk(f"Undo it\n\nThis reverts commit {sha.upper()}, reversing\n")).reverts == sha
    assert parse(chunk('Revert "Add parser"\n')).reverts == "subject:Add parser"
    assert parse(chunk('Revert "Revert "Add parser""')).reverts == 'subject:Revert "Add parser"'
    assert parse(chunk("Revert the parser change\n")).reverts == ""
    assert parse(chunk("x\n\nThis reverts commit abc.\n")).reverts == ""  # too short to be a hash


def test_every_trailer_kind() -> None:
    message = ("Speed up lexer\n\nBody text: not a trailer.\n\n"
               "Co-authored-by: Dee Dee <dee@example.com>\n"
               "Reviewed-by: Ana Lima <ana@example.com>\n"
               "Acked-by: Gus <gus@example.com>\n"
               "Signed-off-by: Eve <eve@example.com>\n"
               "co-authored-by:   Hal   Jordan   <hal@example.com>\n")
    assert parse(chunk(message)).people == (
        CommitPerson("co-author", IdentityRef("git", "dee@example.com", "Dee Dee"), "Co-authored-by trailer"),
        CommitPerson("reviewer", IdentityRef("git", "ana@example.com", "Ana Lima"), "Reviewed-by trailer"),
        CommitPerson("acked-by", IdentityRef("git", "gus@example.com", "Gus"), "Acked-by trailer"),
        CommitPerson("signed-off-by", IdentityRef("git", "eve@example.com", "Eve"), "Signed-off-by trailer"),
        CommitPerson("co-author", IdentityRef("git", "hal@example.com", "Hal Jordan"),
                     "Co-authored-by trailer"),
    )


def test_apache_reviewers_trailer_with_and_without_emails() -> None:
    message = ('KAFKA-1 fix\n\n'
               'Reviewers: Jun Rao <junrao@example.com>, Ismael Juma, "Li, Cy" <cy@example.com>\n')
    assert [(p.role, p.who.name, p.who.email, p.evidence) for p in parse(chunk(message)).people] == [
        ("reviewer", "Jun Rao", "junrao@example.com", "Reviewers trailer"),
        ("reviewer", "Ismael Juma", "", "Reviewers trailer"),
        ("reviewer", "Li, Cy", "cy@example.com", "Reviewers trailer"),
    ]


def test_commit_people_come_from_trailers_and_prose() -> None:
    """Trailer and prose forms in detail: test_trailers.py, test_credits.py; here, that parse_commit uses them."""
    message = ("Speed up lexer\n\nPatch by Ana Lima; reviewed by Bo Li for PROJ-3.\n\n"
               "Reviewer: Cy Ng <cy@example.com>\nTested-by: Dee <None>\n"
               "Reviewed-by: Ana Lima <ana@example.com>\nReviewed-by: Ana Lima <ana@example.com>\n")
    assert parse(chunk(message)).people == (
        CommitPerson("reviewer", IdentityRef("git", "cy@example.com", "Cy Ng"), "Reviewer trailer"),
        CommitPerson("tested-by", IdentityRef("git", "", "Dee"), "Tested-by trailer"),
        CommitPerson("reviewer", IdentityRef("git", "ana@example.com", "Ana Lima"), "Reviewed-by trailer"),
        # 'Patch by Ana Lima' is the author (Ana Lima <ana@example.com>): no co-author credit
        CommitPerson("reviewer", IdentityRef("git", "", "Bo Li"), "'reviewed by' in message body"),
    )


def test_mailmap_is_applied_to_trailers_only_when_given() -> None:
    message = "x\n\nReviewed-by: Bo <bo@home.org>\n"
    mailmap = parse_mailmap("Bo Li <bo@example.com> <bo@home.org>\n")
    assert parse(chunk(message)).people[0].who == IdentityRef("git", "bo@home.org", "Bo")
    mapped = gitparse.parse_commit(chunk(message), repo="proj", config=CONFIG, mailmap=mailmap)
    assert mapped.people[0].who == IdentityRef("git", "bo@example.com", "Bo Li")


def test_subject_line_is_never_a_trailer() -> None:
    assert parse(chunk("Reviewed-by: nobody\n")).people == ()


def test_issue_keys_and_false_keys() -> None:
    message = ("PROJ-12 parse UTF-8 names\n\n"
               "Uses SHA-1, fixes CVE-2022-1234 and ISO-8859-1; see OPS-7, PROJ-12.\n")
    assert parse(chunk(message)).issue_refs == (Ref("PROJ-12", "key PROJ-12 in commit message"),
                                                Ref("OPS-7", "key OPS-7 in commit message"))


@pytest.mark.parametrize(("text", "keys"), [
    ("Merge branch 'feature/PROJ-12_login'", ["PROJ-12"]),  # an underscore after the key
    ("snake_PROJ-4 and MY_APP-5", ["PROJ-4", "MY_APP-5"]),  # and before it; `_` inside a project
    ("PROJ-12a, xPROJ-3, PROJ-0, PROJ-1.5", ["PROJ-1"]),  # letters or digits touching: no key
])
def test_what_may_touch_a_key(text: str, keys: list[str]) -> None:
    assert [r.target for r in parse(chunk(text)).issue_refs] == keys


def test_ignored_projects_come_from_config() -> None:
    config = Config(ignored_projects=("OPS",))
    c = gitparse.parse_commit(chunk("OPS-7 and UTF-8"), repo="proj", config=config)
    assert c.issue_refs == (Ref("UTF-8", "key UTF-8 in commit message"),)


def test_merged_branch_name_keys() -> None:
    c = parse(chunk("Merge branch 'feature/PROJ-12-login' into main\n\nAlso PROJ-3.\n", parents=f"{P1} {P2}"))
    assert c.issue_refs == (Ref("PROJ-3", "key PROJ-3 in commit message"),
                            Ref("PROJ-12", "key PROJ-12 in merged branch name"))
    message = "Merge pull request #5 from owner/PROJ-9-fix\n\nPROJ-9 crash fix\n"
    c = parse(chunk(message, parents=f"{P1} {P2}"))
    assert c.issue_refs == (Ref("PROJ-9", "key PROJ-9 in commit message"),
                            Ref("PROJ-9", "key PROJ-9 in merged branch name"))
    # a commit that is not a merge has no merged branch
    c = parse(chunk("Merge branch 'feature/PROJ-12-login'"))
    assert c.issue_refs == (Ref("PROJ-12", "key PROJ-12 in commit message"),)


@pytest.mark.parametrize(("subject", "branches", "rest"), [
    ("Merge branch 'feature/PROJ-12-x' into main", ("feature/PROJ-12-x",), "Merge branch '' into main"),
    ("Merge branch 'a' into 'release/PROJ-1'", ("a",), "Merge branch '' into 'release/PROJ-1'"),
    ("Merge remote-tracking branch 'origin/OPS-3'", ("origin/OPS-3",), "Merge remote-tracking branch ''"),
    ("Merge branches 'a' and 'b'", ("a", "b"), "Merge branches '' and ''"),
    ("Merge pull request #5 from owner/PROJ-9-fix", ("owner/PROJ-9-fix",), "Merge pull request #5 from "),
    ("Merge tag 'v1.0'", ("v1.0",), "Merge tag ''"),
    ("Mergeable things", (), "Mergeable things"),
])
def test_split_merge_subject(subject: str, branches: tuple[str, ...], rest: str) -> None:
    assert gitparse.split_merge_subject(subject) == (branches, rest)


def test_pull_request_references() -> None:
    merge = parse(chunk("Merge pull request #5 from owner/fix\n", parents=f"{P1} {P2}"))
    assert [r.target for r in merge.pr_refs] == ["5"]
    assert [r.target for r in parse(chunk("Speed up lexer (#34)\n")).pr_refs] == ["34"]
    closes = parse(chunk("Speed up lexer\n\nCloses #35\n")).pr_refs
    assert closes == (Ref("35", "'Closes #35' in commit message"),)


@pytest.mark.parametrize(("raw_date", "expected"), [
    ("1700000000 +0000", (1700000000, 0)),
    ("1700000000 +0545", (1700000000, 345)),
    ("1700000000 -0930", (1700000000, -570)),
    ("0 +0000", (0, 0)),
])
def test_parse_date(raw_date: str, expected: tuple[int, int]) -> None:
    assert gitparse.parse_date(raw_date, "here") == expected


@pytest.mark.parametrize(("text", "what"), [
    (f"{H}\0{P1}\0Ana", "expected 9 header fields"),
    ("not-a-hash\0" * 9, "expected 9 header fields"),
    (chunk("x", adate="yesterday"), "bad date 'yesterday'"),
    (chunk("x", cdate="1700000000 0100"), "bad date '1700000000 0100'"),
    (chunk("x", "3\tx\tf.py\0"), "unreadable diff record"),
    (chunk("x", raw("R100", "only-old")), "unreadable diff record"),
    (chunk("x", "1\t1\tf.py\0"), "numstat for 'f.py' has no raw record"),
])
def test_bad_chunks_name_the_commit(text: str, what: str) -> None:
    with pytest.raises(InputError) as err:
        parse(text)
    assert "git log: commit" in str(err.value) and what in err.value.what
    if text.startswith(H):
        assert H in err.value.where

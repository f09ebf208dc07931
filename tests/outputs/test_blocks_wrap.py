"""blocks.wrap_words and the lines built on it: text wraps at spaces, a word wider than the line
(a long Java path) is never cut and overflows whole, after a short lead such as a rank."""

from __future__ import annotations

from teammemory.outputs.answers import plain_text
from teammemory.outputs.blocks import group, wrap_words
from teammemory.outputs.markdown import to_markdown

PATH = "bookkeeper-server/src/main/java/org/apache/bookkeeper/proto/PerChannelBookieClient.java"  # 87 chars


def test_words_wrap_at_spaces_and_keep_runs_of_spaces() -> None:
    assert wrap_words("one two three four", 9) == ["one two", "three", "four"]
    assert wrap_words(" 1. Ana Lima  score 3", 40) == [" 1. Ana Lima  score 3"]  # aligned columns kept
    assert wrap_words("", 10) == [""]


def test_a_word_wider_than_the_line_stays_whole() -> None:
    # a short lead (at most max(4, width // 8) cells: '1.') keeps it; what follows goes on
    assert wrap_words(f"1. {PATH}  risk 3", 40) == [f"1. {PATH}", "risk 3"]
    # a long lead does not: the word takes a line of its own
    assert wrap_words(f"Experts for {PATH} now", 40) == ["Experts for", PATH, "now"]


def test_answers_print_long_paths_whole_and_hang_wrapped_lines() -> None:
    lines = [f" 1. {PATH}  risk 0 + signals 323.62 = 323.62", "    signals: 37 bug fixes in its history so far",
             f"- {PATH} and a bullet that wraps"]
    out = plain_text(group(lines), 40).splitlines()
    assert out == [f" 1. {PATH}",
                   "    risk 0 + signals 323.62 = 323.62",  # under the path, not under the rank
                   "    signals: 37 bug fixes in its history",  # 40 cells: fits
                   "    so far",
                   f"- {PATH}",
                   "  and a bullet that wraps"]
    assert to_markdown(group(lines)).count(PATH) == 2  # Markdown has each line whole, as before

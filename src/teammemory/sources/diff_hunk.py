"""Pure: the line a GitHub review comment sits on, read from its `diff_hunk`, for data without lines.

GitHub's review comments carry `line`/`original_line` (and `side`) since 2019-2020; older ones, and
recordings made before (perceval's and PyGithub's fixtures), have only `position` and the
`diff_hunk`, which GitHub cuts to end at the commented line:

    @@ -104,7 +106,9 @@ def edit(self, tag_name=None, ...
         context line            (old 104, new 106)
    +    added line              (new 107)
    -    removed line            (old 105)

so the hunk's last line is the commented one: a `+` or context line is on the RIGHT side (the PR's
version) at its new line number, a `-` line on the LEFT (the base's) at its old one. On the
recorded responses in shared/realdata that carry both, this equals `original_line` (or `line`
where `original_line` is null) every time.
"""

from __future__ import annotations

import re

HEADER = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def last_line(hunk: str) -> tuple[int, str] | None:
    """(line, 'RIGHT' | 'LEFT') of the hunk's last line; None when `hunk` has no header."""
    old = new = 0
    found: tuple[int, str] | None = None
    started = False
    for text in hunk.split("\n"):
        header = HEADER.match(text)
        if header:
            old, new, started = int(header.group(1)) - 1, int(header.group(2)) - 1, True
            continue
        if not started or text.startswith("\\"):  # "\ No newline at end of file"
            continue
        if text.startswith("-"):
            old += 1
            found = (old, "LEFT")
        elif text.startswith("+"):
            new += 1
            found = (new, "RIGHT")
        else:
            old, new = old + 1, new + 1
            found = (new, "RIGHT")
    return found

"""Secrets out of every URL TeamMemory prints or stores: one function, `url()`.

A URL or connection string reaches a terminal, a log line or a table in many ways (`init-db`'s
summary, a connection error, a sync cursor's target, a retry warning); each of them passes it
through `url()` first, so a secret given in one has a single place to be caught:
- the password of a URL's userinfo (`postgresql://ana:pw@db/tm`, `https://me@x.org:token@jira`);
- query parameters named like a credential (`?password=`, `?sslpassword=`, `?token=`,
  `?access_token=`, `?api_key=`, `?apikey=`, `?client_secret=`, `?signature=`, ...);
- the same words as `key=value` pairs of a libpq DSN (`host=db password='a b' dbname=tm`).
Each becomes `***`. The result is deterministic (the same input always redacts the same way), so
a redacted target can key a stored cursor across runs. A user name, host, path or other query
parameter is kept: without them the message would no longer say what failed.
Standard library only: every layer (store, sources, ingest, outputs) imports this.
"""

from __future__ import annotations

import re

MASK = "***"

# scheme://user:SECRET@ (the user may itself hold an '@', as an e-mail address does; the secret
# runs to the last '@' before the path)
_USERINFO = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:?#]*):(?P<secret>[^/\s?#]*)@")
_WORDS = (r"pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|(?:access|private|secret)[_-]?key"
          r"|signature|sig|credentials?|auth")
# a name that ends in one of the words, then `=` (spaces allowed around it, as libpq allows),
# then a value: '...' or "..." with backslash escapes, or a bare run up to & # ; or white space
# (a last : ' " , or ) is left out: in a message it is the text's, as in "GET URL: HTTP 500")
_PARAM = re.compile(
    rf"(?P<name>(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*?(?:{_WORDS}))(?P<eq>\s*=\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^&\s#;]*[^&\s#;:'\",)]|[^&\s#;]+)",
    re.IGNORECASE)


def url(value: str) -> str:
    """`value` (a URL, a libpq DSN, or text that holds some) with every credential as `***`."""
    value = _USERINFO.sub(lambda m: f"{m['head']}:{MASK}@" if m["secret"] else m[0], value)
    return _PARAM.sub(lambda m: f"{m['name']}{m['eq']}{MASK}", value)

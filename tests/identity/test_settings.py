"""The identity settings of config.py: `identity.match_names` and `identity.name_stoplist`."""

from __future__ import annotations

from pathlib import Path

import pytest

from teammemory import config
from teammemory.errors import InputError


def test_name_rules_are_on_by_default_with_the_default_stoplist(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    c = config.load(env={})
    assert c.match_names is True and config.DEFAULT["identity.match_names"] is True
    assert c.name_stoplist == config.DEFAULT_NAME_STOPLIST
    assert {"root", "admin", "unknown", "ubuntu", "build", "jenkins", "github", "none", "test"} <= set(c.name_stoplist)


def test_toml_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "teammemory.toml"
    path.write_text('[identity]\nmatch_names = false\nname_stoplist = ["Root", " Build Bot "]\n')
    c = config.load(path, env={})
    assert (c.match_names, c.name_stoplist) == (False, ("root", "build bot"))
    for text, value in (("true", True), ("1", True), ("yes", True), ("off", False), ("FALSE", False)):
        assert config.load(path, env={"TEAMMEMORY_IDENTITY_MATCH_NAMES": text}).match_names is value


def test_bad_identity_settings_name_the_culprit(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[identity]\nmatch_names = 'maybe'\n")
    with pytest.raises(InputError, match=r"bad.toml: identity.match_names: expected true or false, got 'maybe'"):
        config.load(path, env={})
    path.write_text("[identity]\nmatch_names = 2\n")
    with pytest.raises(InputError, match=r"identity.match_names: expected true or false, got 2"):
        config.load(path, env={})
    path.write_text("[identity]\nname_stoplist = 'root'\n")
    with pytest.raises(InputError, match=r"bad.toml: identity.name_stoplist: expected a list of strings, got 'root'"):
        config.load(path, env={})
    with pytest.raises(InputError, match="TEAMMEMORY_IDENTITY_MATCH_NAMES"):
        config.load(None, env={"TEAMMEMORY_IDENTITY_MATCH_NAMES": "sometimes"})

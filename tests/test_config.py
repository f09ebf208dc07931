from __future__ import annotations

from pathlib import Path

import pytest

from teammemory import config
from teammemory.errors import InputError


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    c = config.load(env={})
    assert c.db_url == "teammemory.db"
    assert c.expertise.commit == 10 and c.risk.days == 90
    assert c.source == "defaults"


def test_precedence_defaults_toml_env_flag(tmp_path: Path) -> None:
    path = tmp_path / "teammemory.toml"
    path.write_text('[store]\ndb = "from-toml.db"\n[expertise]\ncommit = 12\nreview = 9\n'
                    '[components]\nrules = [{glob = "src/auth/**", component = "auth"}]\n'
                    '[issues]\nproject_keys = ["proj"]\n'
                    '[[identity.aliases]]\nname = "M"\nidentities = ["email:m@x.io", "login:m"]\n')
    c = config.load(path, env={"TEAMMEMORY_EXPERTISE_REVIEW": "7"})
    assert (c.db_url, c.expertise.commit, c.expertise.review) == ("from-toml.db", 12.0, 7.0)
    assert c.component_rules == (("src/auth/**", "auth"),)
    assert c.project_keys == ("PROJ",)
    assert c.aliases == (config.Alias("M", ("email:m@x.io", "login:m")),)
    assert config.load(path, env={"TEAMMEMORY_DB": "env.db"}).db_url == "env.db"
    assert config.load(path, env={"TEAMMEMORY_DB": "env.db"}, db="flag.db").db_url == "flag.db"


def test_bad_files_name_the_culprit(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[expertise\n")
    with pytest.raises(InputError, match="bad.toml: not valid TOML"):
        config.load(path, env={})
    path.write_text("[expertise]\ncommit = 'many'\n")
    with pytest.raises(InputError, match=r"bad.toml: expertise.commit: expected float"):
        config.load(path, env={})
    path.write_text("[components]\nrules = [{glob = 'x/**'}]\n")
    with pytest.raises(InputError, match=r"components.rules\[0\]"):
        config.load(path, env={})
    with pytest.raises(InputError, match="config file not found"):
        config.load(tmp_path / "missing.toml", env={})
    with pytest.raises(InputError, match="TEAMMEMORY_RISK_DAYS"):
        config.load(None, env={"TEAMMEMORY_RISK_DAYS": "soon"})


@pytest.mark.parametrize("days", ["0", "36501", "-5"])
def test_risk_days_out_of_range_names_the_setting(tmp_path: Path, days: str) -> None:
    path = tmp_path / "teammemory.toml"
    path.write_text(f"[risk]\ndays = {days}\n")
    with pytest.raises(InputError, match=r"risk\.days.*out of range: 1 to 36500 days"):
        config.load(path, env={})
    with pytest.raises(InputError, match=r"TEAMMEMORY_RISK_DAYS|risk\.days"):
        config.load(None, env={"TEAMMEMORY_RISK_DAYS": days})

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


@pytest.mark.parametrize(("text", "message"), [
    ("[risk]\ndays = 30\ndayz = 30\n", r"teammemory.toml:3: unknown key risk.dayz; did you mean risk.days\?"),
    ("[riskk]\ndays = 30\n", r"teammemory.toml:1: unknown section \[riskk\]; did you mean \[risk\]\?"),
    ("# top\nrisk.dayz = 3\n", r"teammemory.toml:2: unknown key risk.dayz; did you mean risk.days\?"),
    ("days = 3\n", r"teammemory.toml:1: unknown key 'days' .*did you mean risk.days\?"),
    ("[identity]\nbot = ['x']\n", r"teammemory.toml:2: unknown key identity.bot; did you mean identity.bots\?"),
    ("[issues]\nproject_key = ['A']\n", r":2: unknown key issues.project_key; did you mean issues.project_keys\?"),
    ("[components]\nrules = [\n {glob = 'a/**', componnt = 'x'},\n]\n",
     r":3: unknown key 'componnt' in components.rules\[0\] \(it takes glob, component\); did you mean component\?"),
    ("[[identity.aliases]]\nname = 'x'\nidentitys = ['a']\n",
     r":3: unknown key 'identitys' in identity.aliases\[0\].*did you mean identities\?"),
    ("[zzz]\nx = 1\n", r"teammemory.toml:1: unknown section \[zzz\]$"),
])
def test_unknown_sections_and_keys_are_named_with_their_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "teammemory.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        config.load(path, env={})


def test_every_key_the_docs_show_is_known(tmp_path: Path) -> None:
    """The example file of docs/configuration.md loads: every key it shows is a known one."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = docs.split("## Lists and tables", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "teammemory.toml"
    path.write_text(example)
    assert config.load(path, env={}).source == str(path)
    assert {s.name for s in config.SETTINGS} <= config.known_keys()


def test_the_demo_config_is_known(tmp_path: Path) -> None:
    from teammemory import demo

    path = tmp_path / "teammemory.toml"
    path.write_text(demo.CONFIG)
    assert config.load(path, env={}).project_keys == ("PROJ",)

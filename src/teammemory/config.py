"""Configuration: one frozen dataclass, loaded once and passed down.

Precedence: built-in defaults < `teammemory.toml` (working directory, or `--config PATH`) <
`TEAMMEMORY_*` environment variables (scalar settings only) < CLI flags. The SETTINGS table
drives defaults, validation and the docs (docs/configuration.md), in the manner of datasette's
SETTINGS. Nothing is loaded at import time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teammemory.errors import InputError

CONFIG_FILE = "teammemory.toml"


@dataclass(frozen=True)
class Setting:
    """One scalar setting: dotted name (toml table.key), default, and help text."""

    name: str
    default: Any
    help: str
    env_var: str = ""

    @property
    def env(self) -> str:
        return self.env_var or "TEAMMEMORY_" + self.name.upper().replace(".", "_")


KEY_PATTERN = r"(?<![A-Za-z0-9])([A-Z][A-Z0-9_]{1,9})-([1-9][0-9]{0,6})(?![A-Za-z0-9])"

SETTINGS: tuple[Setting, ...] = (
    Setting("store.db", "teammemory.db", "Store URL: a SQLite file path, sqlite:///path, or postgresql://...",
            "TEAMMEMORY_DB"),
    Setting("issues.key_pattern", KEY_PATTERN,
            "Regular expression for issue keys; group 1 is the project, group 2 the number (an underscore"
            " may touch a key, as in a branch `feature/PROJ-12_login`)."),
    Setting("bug_fix.message_pattern",
            r"\b(fix|fixes|fixed|fixing|bug|bugs|bugfix|hotfix|regression|crash|crashes|broken)\b",
            "Case-insensitive regex: a commit whose subject matches is a bug fix (word boundaries,"
            " so 'prefix' and 'debug' do not count)."),
    Setting("expertise.commit", 10.0, "Expertise points per commit to the path."),
    Setting("expertise.review", 8.0, "Expertise points per review of a PR that touched the path."),
    Setting("expertise.comment", 2.0, "Expertise points per comment on the path's issues and PRs."),
    Setting("expertise.churn_divisor", 20.0, "Expertise churn term: lines added+deleted divided by this."),
    Setting("expertise.recency_bonus", 20.0, "Largest recency bonus (activity today)."),
    Setting("expertise.recency_days", 180.0, "Days after which the recency bonus reaches zero."),
    Setting("risk.days", 90, "Default window of the risk agents, in days."),
    Setting("risk.churn", 1.0, "Risk points per changed line (added+deleted) in the window."),
    Setting("risk.bug_fix", 100.0, "Risk points per bug-fix commit in the window."),
    Setting("risk.contributor", 25.0, "Risk points per distinct developer in the window."),
    Setting("risk.commit", 5.0, "Risk points per commit in the window."),
    Setting("review.max_suggestions", 3, "How many reviewers review-suggest proposes."),
    Setting("onboarding.limit", 5, "How many issues, PRs, files and people onboarding lists."),
    Setting("identity.match_names", True,
            "Group accounts by name too (docs/identities.md: same-name, name-only, jira-name, github-name,"
            " same-local-part, login-name), with the guards against false merges; false leaves only"
            " emails, logins, aliases and manual merges."),
)

DEFAULT: dict[str, Any] = {s.name: s.default for s in SETTINGS}  # the one place defaults are declared

DEFAULT_COMPONENT_RULES: tuple[tuple[str, str], ...] = (
    ("src/*/**", "{1}"),
    ("lib/*/**", "{1}"),
    ("tests/*/**", "{1}"),
    ("test/*/**", "{1}"),
    ("*/**", "{1}"),
)
DEFAULT_BUG_TYPES = ("Bug", "Defect", "Incident", "Problem")
DEFAULT_IGNORED_PROJECTS = ("UTF", "SHA", "CVE", "ISO", "RFC", "GPL", "LGPL", "TLS", "SSL", "HTTP", "X86", "ARM")
DEFAULT_BOTS = ("*[bot]", "dependabot*", "renovate*", "github-actions*", "*-bot", "jenkins*", "ci-bot*")
# Names that say nothing about who someone is: a name made only of these words (or equal to one
# entry) never matches another by name, nor is a one-word name taken for a login.
DEFAULT_NAME_STOPLIST = (
    "root", "admin", "administrator", "unknown", "user", "users", "ubuntu", "build", "builder", "builds",
    "jenkins", "github", "gitlab", "git", "none", "null", "nil", "test", "tester", "testing", "travis", "ci",
    "bot", "robot", "system", "nobody", "anonymous", "default", "local", "localhost", "dev", "developer",
    "server", "service", "daemon", "automation", "deploy", "deployer", "release", "actions", "action",
    "noreply", "support", "team", "guest", "owner", "vagrant", "docker", "ec2", "pc", "me", "your name",
    "john doe", "jane doe", "first last", "firstname lastname", "name surname", "my name", "author",
    "committer", "example", "username", "name")


@dataclass(frozen=True)
class ExpertiseWeights:
    commit: float = DEFAULT["expertise.commit"]
    review: float = DEFAULT["expertise.review"]
    comment: float = DEFAULT["expertise.comment"]
    churn_divisor: float = DEFAULT["expertise.churn_divisor"]
    recency_bonus: float = DEFAULT["expertise.recency_bonus"]
    recency_days: float = DEFAULT["expertise.recency_days"]


@dataclass(frozen=True)
class RiskWeights:
    days: int = DEFAULT["risk.days"]
    churn: float = DEFAULT["risk.churn"]
    bug_fix: float = DEFAULT["risk.bug_fix"]
    contributor: float = DEFAULT["risk.contributor"]
    commit: float = DEFAULT["risk.commit"]


@dataclass(frozen=True)
class Alias:
    """A person the rules cannot find alone: identities written as `email:..`, `login:..`, `jira:..`,
    `name:..`."""

    name: str
    identities: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    db_url: str = DEFAULT["store.db"]
    component_rules: tuple[tuple[str, str], ...] = DEFAULT_COMPONENT_RULES
    project_keys: tuple[str, ...] = ()
    ignored_projects: tuple[str, ...] = DEFAULT_IGNORED_PROJECTS
    key_pattern: str = DEFAULT["issues.key_pattern"]
    bug_issue_types: tuple[str, ...] = DEFAULT_BUG_TYPES
    bug_message_pattern: str = DEFAULT["bug_fix.message_pattern"]
    expertise: ExpertiseWeights = field(default_factory=ExpertiseWeights)
    risk: RiskWeights = field(default_factory=RiskWeights)
    review_max_suggestions: int = DEFAULT["review.max_suggestions"]
    onboarding_limit: int = DEFAULT["onboarding.limit"]
    bots: tuple[str, ...] = DEFAULT_BOTS
    match_names: bool = DEFAULT["identity.match_names"]
    name_stoplist: tuple[str, ...] = DEFAULT_NAME_STOPLIST
    aliases: tuple[Alias, ...] = ()
    source: str = "defaults"


def load(path: Path | None = None, *, env: Mapping[str, str] | None = None, db: str | None = None) -> Config:
    """Build the Config: defaults < toml < environment < the `db` flag."""
    env = os.environ if env is None else env
    if path is None and Path(CONFIG_FILE).is_file():
        path = Path(CONFIG_FILE)
    raw: dict[str, Any] = _read_toml(path) if path else {}
    scalars = {s.name: s.default for s in SETTINGS}
    scalars.update(_toml_scalars(raw, path))
    for s in SETTINGS:
        if s.env in env:
            scalars[s.name] = _coerce(s, env[s.env], s.env)
    if db:
        scalars["store.db"] = db
    return _build(raw, scalars, str(path) if path else "defaults", path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(str(path), "config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"not valid TOML: {exc}") from None


def _toml_scalars(raw: Mapping[str, Any], path: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for s in SETTINGS:
        table, key = s.name.split(".", 1)
        section = raw.get(table, {})
        if isinstance(section, dict) and key in section:
            out[s.name] = _coerce(s, section[key], f"{path}: {s.name}")
    return out


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    kind = type(setting.default)
    if kind is bool:
        return _boolean(value, where)
    try:
        if kind is float:
            return float(value)
        if kind is int:
            return int(value)
        return str(value)
    except (TypeError, ValueError):
        raise InputError(where, f"expected {kind.__name__}, got {value!r}") from None


def _boolean(value: Any, where: str) -> bool:
    """A toml boolean, or an environment value 'true/false', '1/0', 'yes/no', 'on/off'."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, str) and text in ("true", "1", "yes", "on", "false", "0", "no", "off"):
        return text in ("true", "1", "yes", "on")
    raise InputError(where, f"expected true or false, got {value!r}")


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InputError(where, f"expected a list of strings, got {value!r}")
    return tuple(v.strip().lower() for v in value)


MAX_DAYS = 36500  # a window longer than a century is a typo (and overflows date arithmetic)


def _build(raw: Mapping[str, Any], s: Mapping[str, Any], source: str, path: Path | None) -> Config:
    where = str(path) if path else "config"
    if not 1 <= s["risk.days"] <= MAX_DAYS:
        raise InputError(f"{where}: risk.days", f"{s['risk.days']} is out of range: 1 to {MAX_DAYS} days")
    components = raw.get("components", {})
    issues = raw.get("issues", {})
    bug = raw.get("bug_fix", {})
    ident = raw.get("identity", {})
    return Config(
        db_url=s["store.db"],
        component_rules=_rules(components.get("rules"), where) or DEFAULT_COMPONENT_RULES,
        project_keys=tuple(str(k).upper() for k in issues.get("project_keys", ())),
        ignored_projects=tuple(str(k).upper() for k in issues.get("ignored_projects", DEFAULT_IGNORED_PROJECTS)),
        key_pattern=s["issues.key_pattern"],
        bug_issue_types=tuple(bug.get("issue_types", DEFAULT_BUG_TYPES)),
        bug_message_pattern=s["bug_fix.message_pattern"],
        expertise=ExpertiseWeights(**{k.split(".")[1]: v for k, v in s.items() if k.startswith("expertise.")}),
        risk=RiskWeights(**{k.split(".")[1]: v for k, v in s.items() if k.startswith("risk.")}),  # days checked below
        review_max_suggestions=s["review.max_suggestions"],
        onboarding_limit=s["onboarding.limit"],
        bots=tuple(ident.get("bots", DEFAULT_BOTS)),
        match_names=s["identity.match_names"],
        name_stoplist=_words(ident.get("name_stoplist", DEFAULT_NAME_STOPLIST), f"{where}: identity.name_stoplist"),
        aliases=_aliases(ident.get("aliases", ()), where),
        source=source,
    )


def _rules(rules: Any, where: str) -> tuple[tuple[str, str], ...]:
    """`rules = [{glob = "src/auth/**", component = "auth"}, ...]`: first match wins."""
    if rules is None:
        return ()
    out = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or "glob" not in rule or "component" not in rule:
            raise InputError(f"{where}: components.rules[{i}]", "needs 'glob' and 'component'")
        out.append((str(rule["glob"]), str(rule["component"])))
    return tuple(out)


def _aliases(aliases: Any, where: str) -> tuple[Alias, ...]:
    out = []
    for i, alias in enumerate(aliases):
        if not isinstance(alias, dict) or not alias.get("identities"):
            raise InputError(f"{where}: identity.aliases[{i}]", "needs 'identities' (a list)")
        out.append(Alias(str(alias.get("name", "")), tuple(str(x) for x in alias["identities"])))
    return tuple(out)


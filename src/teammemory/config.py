"""Configuration: one frozen dataclass, loaded once and passed down.

Precedence: built-in defaults < `teammemory.toml` (working directory, or `--config PATH`) <
`TEAMMEMORY_*` environment variables (scalar settings only) < CLI flags. The SETTINGS table
drives defaults, validation and the docs (docs/configuration.md), in the manner of datasette's
SETTINGS. Nothing is loaded at import time.
"""

from __future__ import annotations

import json
import os
import re
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

# The bug-fix rule (derive.classify_subject; docs/tests-and-fixes.md has its measured precision):
# a fix word or a symptom, minus subjects about docs, typos, comments, refactors and upgrades
# only, except when a subject names a real defect outright.
BUG_FIX_PATTERN = (
    r"\b(fix|fixes|fixed|fixing|bug|bugs|bugfix|hotfix|regression|crash|crashes|crashed|broken|breaks"
    r"|fails?|failed|failing|failure|npe|nullpointer(exception)?|deadlock|leaks?|workaround"
    r"|does ?n[o']t|doesn't|isn't|is not|not working|missing|wrong|incorrect(ly)?)\b")
NOT_FIX_PATTERN = (
    r"^\W*minor\b|^\W*refactor|^\W*(bump|upgrade)\b|\b(typos?|spelling|misspell\w*|javadocs?|docs?"
    r"|documentation|documented|docstrings?|comments?|grammar|wording|readme|changelog|changes\.txt"
    r"|release notes|linkcheck|whitespace|indentation)\b")
ALWAYS_FIX_PATTERN = (
    r"\[bug\]|\b(bug|bugs|bugfix|npe|nullpointer(exception)?|crash|crashes|crashed|regression|deadlock"
    r"|data (loss|corruption))\b")

SETTINGS: tuple[Setting, ...] = (
    Setting("store.db", "teammemory.db", "Store URL: a SQLite file path, sqlite:///path, or postgresql://...",
            "TEAMMEMORY_DB"),
    Setting("issues.key_pattern", KEY_PATTERN,
            "Regular expression for issue keys; group 1 is the project, group 2 the number (an underscore"
            " may touch a key, as in a branch `feature/PROJ-12_login`)."),
    Setting("bug_fix.message_pattern", BUG_FIX_PATTERN,
            "Case-insensitive regex: a commit whose subject matches is a bug fix (word boundaries,"
            " so 'prefix' and 'debug' do not count), unless bug_fix.not_fix_pattern matches too."),
    Setting("bug_fix.not_fix_pattern", NOT_FIX_PATTERN,
            "Case-insensitive regex: a subject that matches is not a bug fix even when it says 'fix'"
            " (MINOR:, docs, typo, javadoc, comment, refactor, dependency bumps), unless"
            " bug_fix.always_fix_pattern matches; '' turns the exclusion off."),
    Setting("bug_fix.always_fix_pattern", ALWAYS_FIX_PATTERN,
            "Case-insensitive regex: a subject that matches is a bug fix whatever else it says"
            " ([BUG], bug, NPE, crash, regression, deadlock, data loss or corruption)."),
    Setting("expertise.commit", 10.0, "Expertise points per commit to the path."),
    Setting("expertise.review", 8.0, "Expertise points per review of a PR that touched the path."),
    Setting("expertise.comment", 2.0, "Expertise points per comment on the path's issues and PRs."),
    Setting("expertise.churn_divisor", 20.0, "Expertise churn term: lines added+deleted divided by this."),
    Setting("expertise.recency_bonus", 20.0, "Largest recency bonus (activity today)."),
    Setting("expertise.recency_days", 180.0, "Days after which the recency bonus reaches zero."),
    Setting("expertise.scoring", "fading",
            "How expertise and review routing weigh work: 'fading' (half-life decay, mass changes capped,"
            " inactive people left out; agents/scoring.py) or 'article' (the article's formula, exact terms)."),
    Setting("expertise.half_life_days", 365.0, "Fading scoring: days after which a contribution counts half."),
    Setting("expertise.mass_files", 20.0,
            "Fading scoring: a commit touching more files than this counts mass_files/files of a commit on each."),
    Setting("expertise.inactive_days", 730.0,
            "Fading scoring: people with no activity for longer than this are left out (0 keeps everyone)."),
    Setting("expertise.review_activity", 30.0,
            "Review routing (fading): points per faded review the candidate did anywhere in the repository"
            " (trailer, PR review or PR merge), added to their file expertise (0 turns it off)."),
    Setting("expertise.review_activity_half_life_days", 30.0,
            "Review routing (fading): days after which a review counts half in the reviewing-activity term."),
    Setting("risk.days", 90, "Default window of the risk agents, in days."),
    Setting("risk.churn", 1.0, "Risk points per changed line (added+deleted) in the window."),
    Setting("risk.bug_fix", 100.0, "Risk points per bug-fix commit in the window."),
    Setting("risk.contributor", 25.0, "Risk points per distinct developer in the window."),
    Setting("risk.commit", 5.0, "Risk points per commit in the window."),
    # Risk signals beyond the article's score (agents/risk_signals.py); weights chosen with the
    # backtest (docs/backtest.md, "Risk signals"): 0 where a signal did not beat the article alone.
    Setting("risk.revert", 0.0, "Risk points per revert commit in the window that changed the file."),
    Setting("risk.incident", 0.0,
            "Risk points per incident the file's changes caused (0: no incidents in the histories measured)."),
    Setting("risk.recent_fix", 100.0,
            "Risk points per bug fix of the file's history, each faded by 2^(-age/recent_fix_half_life_days)"
            " (100: top-20 % hit rate 61 % -> 78 % on BookKeeper, 66 % -> 74 % on Flask)."),
    Setting("risk.recent_fix_half_life_days", 365.0, "Days after which a bug fix counts half in risk.recent_fix."),
    Setting("risk.untested_change", 0.0,
            "Risk points per change in the window in which the file's covering test did not change."),
    Setting("risk.unreviewed_infra", 0.0,
            "Risk points per change of a configuration/infrastructure file (risk.infra_patterns) with no"
            " approving review (an APPROVED PR review or a Reviewed-by trailer) (0: no reviews in a git-only store)."),
    Setting("risk.infra_patterns",
            "Dockerfile **/Dockerfile **/Dockerfile.* **/docker-compose*.yml **/docker-compose*.yaml"
            " deploy/** **/deploy/** **/*.tf **/*.tfvars terraform/** **/terraform/** .github/workflows/**"
            " **/charts/** helm/** **/helm/** k8s/** **/k8s/** kubernetes/** **/kubernetes/**",
            "Space-separated path globs of configuration/infrastructure files (risk.unreviewed_infra)."),
    Setting("risk.coupling", 0.0,
            "Risk points per degree (0-100) of the file's strongest change coupling over the window's commits."),
    Setting("review.max_suggestions", 3, "How many reviewers review-suggest proposes."),
    Setting("onboarding.limit", 5, "How many issues, PRs, files and people onboarding lists."),
    Setting("bus_factor.inactive_days", 180,
            "bus-factor: a person with no commit for longer than this is inactive (orphaned files,"
            " knowledge islands)."),
    Setting("coupling.max_changeset", 30,
            "coupling: change sets (commits, PRs, issues) touching more files than this are ignored."),
    Setting("coupling.min_shared", 3, "coupling: the fewest shared change sets a coupled file needs."),
    Setting("ingest.helpers", True,
            "A first ingest into a new SQLite store runs derive's lineage and text index in helper processes"
            " on the other cores (docs/store.md); false keeps the whole ingest in one process."),
    Setting("identity.match_names", True,
            "Group accounts by name too (docs/identities.md: same-name, name-only, jira-name, github-name,"
            " same-local-part, self-commit, closes-login, commit-handle, repeat-co-author, login-name), with"
            " the guards against false merges; false leaves only"
            " emails, logins, aliases and manual merges."),
)

RISK_SIGNAL_WEIGHTS = ("risk.revert", "risk.incident", "risk.recent_fix", "risk.recent_fix_half_life_days",
                       "risk.untested_change", "risk.unreviewed_infra", "risk.coupling")
DEFAULT: dict[str, Any] = {s.name: s.default for s in SETTINGS}  # the one place defaults are declared

# With no rules in teammemory.toml, components come from the repository's layout (`{layout}`:
# Maven/Gradle modules, Go, Python and JS packages, Ruby lib/<name>, src/<name>, a component of
# more than a third of the paths split into its sub-folders; components.py).
DEFAULT_COMPONENT_RULES: tuple[tuple[str, str], ...] = (("**", "{layout}"),)
LAYOUT_VERSION = 2  # of components.py's layout rules (2: rule 4, large components split)


def rules_fingerprint(rules: tuple[tuple[str, str], ...]) -> str:
    """What stored components were derived by (the cursor ('derive', 'component_rules')): the
    rules, and for a `{layout}` rule the version of the layout's own rules, so that a store
    derived by older ones is derived again by the next command. Here, not in components.py:
    every question checks it, and a question loads no component code."""
    text = json.dumps(rules)
    return f"{text} layout {LAYOUT_VERSION}" if any("{layout}" in template for _, template in rules) else text
# Test files by the conventions of each ecosystem, first match wins; a pattern's first `*` is the
# name of the file it tests (docs/tests-and-fixes.md; agents/covering_tests.py).
DEFAULT_TEST_PATTERNS: tuple[str, ...] = (
    "**/*Test.java", "**/*Tests.java", "**/*TestCase.java", "**/*IT.java", "**/Test*.java",
    "**/*Test.kt", "**/*Tests.kt", "**/*Spec.scala", "**/*Test.scala", "**/*Suite.scala",
    "**/*Tests.cs", "**/*Test.cs", "**/*_test.go", "**/*.test.*", "**/*.spec.*", "**/__tests__/*.*",
    "**/*_spec.rb", "**/*_test.rb", "**/test_*.rb", "**/tests/*.rs", "**/test_*.py", "**/*_test.py",
    "**/conftest.py", "**/src/test/**", "**/src/it/**", "**/src/integrationTest/**", "**/__tests__/**",
    "**/testdata/**", "**/fixtures/**", "**/cassettes/**", "**/*.Tests/**", "**/*.Test/**",
    "tests/**", "test/**", "spec/**", "**/tests/**", "**/test/**", "**/spec/**",
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
# Recurring error signatures `similar` counts (agents/similar_signatures.py): a name, and the
# phrases that show it, matched as whole index terms (store/fulltext.py: lower case, no stemming).
DEFAULT_ERROR_SIGNATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("race condition", ("race condition", "data race", "race conditions")),
    ("null pointer", ("null pointer", "npe", "nullpointerexception", "null reference")),
    ("OOMKilled", ("oomkilled", "out of memory", "outofmemoryerror", "oom killed")),
    ("deadlock", ("deadlock", "deadlocks", "deadlocked")),
    ("timeout", ("timeout", "timeouts", "timed out", "timeoutexception", "sockettimeoutexception")),
    ("certificate expired", ("certificate expired", "expired certificate", "certificateexpiredexception")),
    ("memory leak", ("memory leak", "memory leaks", "leaks memory", "leaking memory")),
    ("stack overflow", ("stack overflow", "stackoverflowerror")),
    ("connection refused", ("connection refused", "connectexception")),
    ("data corruption", ("data corruption", "corrupted", "corruption")),
)


@dataclass(frozen=True)
class ExpertiseWeights:
    commit: float = DEFAULT["expertise.commit"]
    review: float = DEFAULT["expertise.review"]
    comment: float = DEFAULT["expertise.comment"]
    churn_divisor: float = DEFAULT["expertise.churn_divisor"]
    recency_bonus: float = DEFAULT["expertise.recency_bonus"]
    recency_days: float = DEFAULT["expertise.recency_days"]
    scoring: str = DEFAULT["expertise.scoring"]
    half_life_days: float = DEFAULT["expertise.half_life_days"]
    mass_files: float = DEFAULT["expertise.mass_files"]
    inactive_days: float = DEFAULT["expertise.inactive_days"]
    review_activity: float = DEFAULT["expertise.review_activity"]
    review_activity_half_life_days: float = DEFAULT["expertise.review_activity_half_life_days"]


@dataclass(frozen=True)
class RiskWeights:
    days: int = DEFAULT["risk.days"]
    churn: float = DEFAULT["risk.churn"]
    bug_fix: float = DEFAULT["risk.bug_fix"]
    contributor: float = DEFAULT["risk.contributor"]
    commit: float = DEFAULT["risk.commit"]
    revert: float = DEFAULT["risk.revert"]
    incident: float = DEFAULT["risk.incident"]
    recent_fix: float = DEFAULT["risk.recent_fix"]
    recent_fix_half_life_days: float = DEFAULT["risk.recent_fix_half_life_days"]
    untested_change: float = DEFAULT["risk.untested_change"]
    unreviewed_infra: float = DEFAULT["risk.unreviewed_infra"]
    infra_patterns: str = DEFAULT["risk.infra_patterns"]
    coupling: float = DEFAULT["risk.coupling"]


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
    bug_not_fix_pattern: str = DEFAULT["bug_fix.not_fix_pattern"]
    bug_always_fix_pattern: str = DEFAULT["bug_fix.always_fix_pattern"]
    test_patterns: tuple[str, ...] = DEFAULT_TEST_PATTERNS
    expertise: ExpertiseWeights = field(default_factory=ExpertiseWeights)
    risk: RiskWeights = field(default_factory=RiskWeights)
    review_max_suggestions: int = DEFAULT["review.max_suggestions"]
    onboarding_limit: int = DEFAULT["onboarding.limit"]
    bus_factor_inactive_days: int = DEFAULT["bus_factor.inactive_days"]
    coupling_max_changeset: int = DEFAULT["coupling.max_changeset"]
    coupling_min_shared: int = DEFAULT["coupling.min_shared"]
    bots: tuple[str, ...] = DEFAULT_BOTS
    match_names: bool = DEFAULT["identity.match_names"]
    ingest_helpers: bool = DEFAULT["ingest.helpers"]
    name_stoplist: tuple[str, ...] = DEFAULT_NAME_STOPLIST
    aliases: tuple[Alias, ...] = ()
    error_signatures: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_ERROR_SIGNATURES
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
    import tomllib  # here: most processes read no config file, and every one imports this module

    try:
        text = path.read_bytes().decode("utf-8")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise InputError(str(path), "config file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid TOML: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), f"not valid TOML: {exc}") from None
    check_keys(raw, str(path), text)
    return raw


# What a teammemory.toml may hold besides the scalar SETTINGS: lists and tables, by dotted name,
# each list of tables with the keys its items take. A typo is an error that names the key
# (check_keys); a section or key `_build` reads must be listed here or in SETTINGS.
STRUCTURED_KEYS: dict[str, tuple[str, ...]] = {
    "components.rules": ("glob", "component"),
    "issues.project_keys": (),
    "issues.ignored_projects": (),
    "bug_fix.issue_types": (),
    "tests.patterns": (),
    "identity.bots": (),
    "identity.name_stoplist": (),
    "identity.aliases": ("name", "identities"),
    "similar.signatures": ("name", "phrases"),
}


def known_keys() -> set[str]:
    """Every dotted key a teammemory.toml may set."""
    return {s.name for s in SETTINGS} | set(STRUCTURED_KEYS)


def check_keys(raw: Mapping[str, Any], where: str, text: str = "") -> None:
    """InputError for the first unknown section or key (`[riskk]`, `[risk] dayz`), naming it with
    its file and line (found in `text`; tomllib gives no positions) and the closest known one."""
    known = known_keys()
    sections = sorted({k.split(".", 1)[0] for k in known})
    for section, value in raw.items():
        if not isinstance(value, dict):
            hint = _close(section, sorted(known), by=lambda k: k.split(".", 1)[1])
            _unknown(where, text, section, "", f"unknown key {section!r} (settings live in tables,"
                     f" such as [risk] days = 90){hint}")
        if section not in sections:
            _unknown(where, text, section, "", f"unknown section [{section}]{_close(section, sections, shown='[{}]')}")
        for key, item in value.items():
            dotted = f"{section}.{key}"
            if dotted not in known:
                same = sorted(k for k in known if k.startswith(section + "."))
                hint = _close(dotted, same) or _close(dotted, sorted(known))
                _unknown(where, text, section, key, f"unknown key {dotted}{hint}")
            _check_items(where, text, dotted, item, STRUCTURED_KEYS.get(dotted, ()))


def _check_items(where: str, text: str, dotted: str, items: Any, keys: tuple[str, ...]) -> None:
    """The keys of each table in a list of tables (`[[identity.aliases]]`, `rules = [{...}]`)."""
    if not keys or not isinstance(items, list):
        return
    for i, item in enumerate(items):
        for key in item if isinstance(item, dict) else ():
            if key not in keys:
                hint = _close(key, list(keys))
                section, name = dotted.split(".", 1)
                _unknown(where, text, section, name, f"unknown key {key!r} in {dotted}[{i}]"
                         f" (it takes {', '.join(keys)}){hint}", find=key)


def _close(name: str, choices: list[str], by: Any = None, shown: str = "{}") -> str:
    """'; did you mean X?' for the closest of `choices` (compared by `by(choice)`), or ''."""
    import difflib

    by = by or (lambda k: k)
    match = difflib.get_close_matches(name, [by(c) for c in choices], n=1, cutoff=0.6)
    found = next((c for c in choices if by(c) == match[0]), "") if match else ""
    return f"; did you mean {shown.format(found)}?" if found else ""


def _unknown(where: str, text: str, section: str, key: str, what: str, find: str = "") -> None:
    line = _line_of(text, section, key, find)
    raise InputError(f"{where}:{line}" if line else where, what)


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"' -]+?)\s*=")


def _line_of(text: str, section: str, key: str, find: str = "") -> int:
    """The 1-based line that sets `section.key` (or opens [section], or names `find` after
    it), or 0 when the file writes it in a way this simple scan does not follow."""
    table = ""
    seen = False
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _bare(header.group(1))
            seen = seen or table.split(".", 1)[0] == section
            if not key and table.split(".", 1)[0] == section:
                return number
            continue
        m = _KEY.match(line)
        name = _bare(m.group(1)) if m else ""
        full = f"{table}.{name}" if table else name
        seen = seen or (bool(m) and full.split(".", 1)[0] == section)
        if not key and full.split(".", 1)[0] == section and m:
            return number
        if key and full == f"{section}.{key}" and not find:
            return number
        if find and seen and re.search(rf"(^|[{{\s,]){re.escape(find)}\s*=", line):
            return number
    return 0


def _bare(name: str) -> str:
    """A toml key as written (`"risk" . days`) as a dotted name (`risk.days`)."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


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
    for name in RISK_SIGNAL_WEIGHTS:  # a signal only adds: the ranking's bounds rely on it
        if not 0 <= s[name] < float("inf"):
            raise InputError(f"{where}: {name}", f"{s[name]} is out of range: a number >= 0")
    if s["expertise.scoring"] not in ("fading", "article"):
        raise InputError(f"{where}: expertise.scoring", f"{s['expertise.scoring']!r} is not 'fading' or 'article'")
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
        bug_not_fix_pattern=s["bug_fix.not_fix_pattern"],
        bug_always_fix_pattern=s["bug_fix.always_fix_pattern"],
        test_patterns=tuple(str(g) for g in raw.get("tests", {}).get("patterns", DEFAULT_TEST_PATTERNS)),
        expertise=ExpertiseWeights(**{k.split(".")[1]: v for k, v in s.items() if k.startswith("expertise.")}),
        risk=RiskWeights(**{k.split(".")[1]: v for k, v in s.items() if k.startswith("risk.")}),  # days checked below
        review_max_suggestions=s["review.max_suggestions"],
        onboarding_limit=s["onboarding.limit"],
        bus_factor_inactive_days=s["bus_factor.inactive_days"],
        coupling_max_changeset=s["coupling.max_changeset"],
        coupling_min_shared=s["coupling.min_shared"],
        bots=tuple(ident.get("bots", DEFAULT_BOTS)),
        match_names=s["identity.match_names"],
        ingest_helpers=s["ingest.helpers"],
        name_stoplist=_words(ident.get("name_stoplist", DEFAULT_NAME_STOPLIST), f"{where}: identity.name_stoplist"),
        aliases=_aliases(ident.get("aliases", ()), where),
        error_signatures=_signatures(raw.get("similar", {}).get("signatures"), where),
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


def _signatures(items: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`signatures = [{name = "deadlock", phrases = ["deadlock", "deadlocked"]}, ...]`: replaces the
    default list (an empty list counts none); each needs a name, used once, and phrases."""
    if items is None:
        return DEFAULT_ERROR_SIGNATURES
    if not isinstance(items, list):
        raise InputError(f"{where}: similar.signatures", f"expected a list of tables, got {items!r}")
    out: list[tuple[str, tuple[str, ...]]] = []
    for i, item in enumerate(items):
        at = f"{where}: similar.signatures[{i}]"
        name = item.get("name") if isinstance(item, dict) else None
        phrases = item.get("phrases") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise InputError(at, "needs 'name' (a non-empty string)")
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise InputError(at, "needs 'phrases' (a non-empty list of non-empty strings)")
        if any(name.strip() == n for n, _ in out):
            raise InputError(at, f"name {name.strip()!r} is given twice")
        out.append((name.strip(), tuple(p.strip() for p in phrases)))
    return tuple(out)

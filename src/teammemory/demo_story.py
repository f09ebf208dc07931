"""The demo's story as tables: the team, the starting files, the Jira tickets and the work on them.

A year of an invented team at "acme" (2025-11-03 .. 2026-11-13) around the article's incident:
PROJ-1247 "Token refresh race condition", fixed in PR #382 by Mehmet Turac and Ayşe Demir and
reviewed by Burak Kaya. Around it: Elif Şahin, who wrote most of `payment` and left in May 2026
(the bus-factor story); Deniz Koç, a newcomer since September 2026; Can Yılmaz on infra, who
sometimes commits from a personal address; Zeynep Arslan in QA; Selin Öztürk, the product manager
who lives in Jira. Days count from START (a Monday); `plan()` turns these tables into a timeline.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

START = 1762128000  # 2025-11-03T00:00:00Z, a Monday
EXPORT = START + 380 * 86400 + 9 * 3600  # when the Jira and GitHub exports were taken
SEED = 20261120
REPO = "acme/platform"
JIRA = "https://acme.atlassian.net"


@dataclass(frozen=True)
class Member:
    """One person with every account they use; `weights` pick the components of their commits."""

    key: str
    name: str
    email: str
    login: str
    gh_id: int
    account_id: str
    jira_name: str
    tz: str
    first_day: int
    last_day: int
    commits: int  # background commits (not tied to a ticket)
    weights: tuple[tuple[str, int], ...]
    tests_first: bool = False


PEOPLE: tuple[Member, ...] = (
    Member("mehmet", "Mehmet Turac", "mehmet.turac@acme.io", "mturac", 41234, "5b10a2844c20165700ede21g",
           "mturac", "+0300", 0, 375, 62, (("auth", 7), ("payment", 1), ("infra", 1), ("docs", 1))),
    Member("ayse", "Ayşe Demir", "ayse.demir@acme.io", "aysedemir", 52871, "5c4f1e2a9b3d7c0012ab34cd",
           "ademir", "+0100", 0, 375, 46, (("auth", 5), ("payment", 4), ("docs", 1))),
    Member("burak", "Burak Kaya", "burak.kaya@acme.io", "bkaya", 38120, "5a9e33c1d4b2f80011cc56ef",
           "bkaya", "+0300", 0, 375, 30, (("auth", 3), ("infra", 4), ("payment", 1), ("docs", 2))),
    Member("elif", "Elif Şahin", "elif.sahin@acme.io", "elifsahin", 47702, "5d2b88e0a1c4f90013de78a1",
           "esahin", "+0300", 0, 190, 72, (("payment", 9), ("docs", 1))),
    Member("can", "Can Yılmaz", "can.yilmaz@acme.io", "canyilmaz", 60315, "5e7c12d3b5a6e40014ef90b2",
           "cyilmaz", "+0300", 0, 375, 44, (("infra", 17), ("docs", 3))),
    Member("zeynep", "Zeynep Arslan", "zeynep.arslan@acme.io", "zarslan", 71240, "5f0d45e6c7b8a30015a1b2c3",
           "zarslan", "+0300", 60, 375, 28, (("auth", 4), ("payment", 4), ("docs", 2)), tests_first=True),
    Member("deniz", "Deniz Koç", "deniz.koc@acme.io", "denizkoc", 88417, "60a1b2c3d4e5f60016b3c4d5",
           "dkoc", "+0300", 300, 375, 12, (("payment", 8), ("docs", 2))),
    Member("selin", "Selin Öztürk", "selin.ozturk@acme.io", "selinozturk", 90233, "61b2c3d4e5f6a70017c4d5e6",
           "sozturk", "+0300", 0, 375, 0, ()),
)
MEMBERS = {m.key: m for m in PEOPLE}

# Accounts outside the team: (git "Name <email>", GitHub login, GitHub id).
DEPENDABOT = ("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
              "dependabot[bot]", 49699333)
ACTIONS = ("github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
           "github-actions[bot]", 41898282)
WEB_FLOW = "GitHub <noreply@github.com>"  # committer of merges and squashes made on github.com
MEHMET_LAPTOP = "mturac <41234+mturac@users.noreply.github.com>"  # days 150..220
AYSE_OLD = "Ayse Demir <ayse.demir@acme.io>"  # before she fixed her git config (day 90)
CAN_HOME = "Can Yilmaz <can.yilmaz@gmail.com>"  # weekend commits from home

COMPONENTS = (("src/auth/", "auth"), ("tests/auth/", "auth"), ("src/payment/", "payment"),
              ("tests/payment/", "payment"), ("infra/", "infra"), (".github/", "infra"), ("docs/", "docs"))

INITIAL_FILES = (
    "README.md", "requirements.txt", "pyproject.toml", "CHANGELOG.md", "tests/conftest.py",
    "src/auth/__init__.py", "src/auth/token_service.py", "src/auth/session_manager.py", "src/auth/oauth.py",
    "src/auth/permissions.py", "tests/auth/test_token_refresh.py", "tests/auth/test_session_manager.py",
    "tests/auth/test_oauth.py", "tests/auth/test_permissions.py",
    "src/payment/__init__.py", "src/payment/gateway.py", "src/payment/invoice.py", "src/payment/refunds.py",
    "src/payment/currency.py", "src/payment/webhooks.py", "src/payment/legacy_adapters.py",
    "tests/payment/test_gateway.py", "tests/payment/test_invoice.py", "tests/payment/test_refunds.py",
    "tests/payment/test_webhooks.py",
    "infra/terraform/main.tf", "infra/terraform/variables.tf", "infra/k8s/deployment.yaml",
    "infra/k8s/ingress.yaml", "infra/docker/Dockerfile", "infra/jenkins/Jenkinsfile",
    ".github/dependabot.yml",
    "docs/architecture.md", "docs/auth.md", "docs/payments.md", "docs/runbook.md",
)
REQUIREMENTS = ("requests==2.31.0", "cryptography==41.0.7", "pyjwt==2.8.0", "sqlalchemy==2.0.23")


@dataclass(frozen=True)
class Ticket:
    number: int
    type: str
    component: str
    summary: str
    status: str
    reporter: str
    assignee: str
    created: int  # day
    priority: str = "Medium"
    resolution: str = "Done"  # used only when status is Done


T = Ticket
TICKETS: tuple[Ticket, ...] = (
    T(1101, "Epic", "payment", "Payments v2: move to the new gateway API", "In Progress", "selin", "ayse", 4),
    T(1102, "Epic", "auth", "Auth hardening 2026", "In Progress", "selin", "mehmet", 7, "High"),
    T(1104, "Story", "payment", "Support partial refunds", "Done", "selin", "elif", 10),
    T(1106, "Task", "infra", "Move CI from Jenkins to GitHub Actions", "Done", "burak", "can", 14),
    T(1107, "Bug", "payment", "Invoice totals off by one unit for JPY", "Done", "zeynep", "elif", 21, "High"),
    T(1109, "Story", "auth", "OAuth login with Google Workspace", "Done", "selin", "mehmet", 28),
    T(1111, "Task", "docs", "Write the payments architecture overview", "Done", "elif", "elif", 36, "Low"),
    T(1112, "Bug", "auth", "Session cookie missing SameSite attribute", "Done", "zeynep", "ayse", 44, "High"),
    T(1115, "Task", "infra", "Terraform state locking", "Done", "can", "can", 50),
    T(1116, "Story", "payment", "Verify webhook signatures", "Done", "selin", "elif", 57, "High"),
    T(1118, "Task", "payment", "Rename gateway module to gateway_client", "Done", "elif", "elif", 92, "Low"),
    T(1120, "Bug", "payment", "Duplicate charge when the gateway times out", "Done", "zeynep", "elif", 66,
      "Highest"),
    T(1121, "Task", "docs", "Runbook for payment incidents", "Done", "burak", "elif", 73),
    T(1123, "Story", "auth", "Role-based permissions for the admin API", "Done", "selin", "ayse", 80),
    T(1125, "Bug", "infra", "Deploy job prints the database password", "Done", "burak", "can", 99, "Highest"),
    T(1126, "Task", "auth", "Rotate JWT signing keys", "Done", "burak", "mehmet", 103),
    T(1128, "Story", "payment", "Multi-currency price display", "Done", "selin", "elif", 112),
    T(1130, "Bug", "payment", "Refund webhook retried forever on HTTP 410", "Done", "zeynep", "elif", 127),
    T(1131, "Story", "auth", "Remember-me tokens", "Done", "selin", "mehmet", 136),
    T(1133, "Task", "infra", "Kubernetes liveness and readiness probes", "Done", "can", "can", 148, "Low"),
    T(1135, "Bug", "auth", "Password reset link still valid after use", "Done", "zeynep", "ayse", 155,
      "High"),
    T(1137, "Story", "payment", "Export invoices as PDF", "Done", "selin", "elif", 160),
    T(1138, "Task", "payment", "Hand over payment before Elif leaves", "Done", "burak", "elif", 178),
    T(1140, "Bug", "payment", "Rounding error in partial refunds", "Done", "zeynep", "ayse", 196),
    T(1142, "Story", "docs", "Developer onboarding guide", "Done", "selin", "burak", 206, "Low"),
    T(1143, "Task", "infra", "Upgrade PostgreSQL to 16", "Done", "can", "can", 217),
    T(1144, "Task", "docs", "Update the API reference for v2 endpoints", "To Do", "selin", "", 219, "Low"),
    T(1145, "Story", "auth", "Audit log for permission changes", "Done", "selin", "ayse", 227),
    T(1147, "Bug", "auth", "Token expiry computed in local time, not UTC", "Done", "zeynep", "mehmet", 243),
    T(1149, "Task", "payment", "Retry policy for the gateway client", "Done", "ayse", "ayse", 252),
    T(1150, "Story", "infra", "Blue-green deployments", "Done", "burak", "can", 262),
    T(1152, "Bug", "payment", "Webhook handler crashes on unknown event types", "Done", "zeynep", "ayse", 278,
      "High"),
    T(1154, "Story", "auth", "SAML single sign-on", "In Progress", "selin", "mehmet", 287),
    T(1156, "Task", "docs", "Document the refund flow", "To Do", "selin", "deniz", 301, "Low"),
    T(1158, "Story", "payment", "Saved cards for returning customers", "In Review", "selin", "deniz", 318),
    T(1160, "Task", "payment", "Remove the legacy gateway adapters", "Done", "deniz", "deniz", 308),
    T(1162, "Bug", "infra", "Nightly backup job fails silently", "Done", "burak", "can", 327, "High"),
    T(1163, "Story", "payment", "Email reminders for unpaid invoices", "To Do", "selin", "", 329),
    T(1165, "Story", "payment", "Apple Pay support", "To Do", "selin", "", 332),
    T(1168, "Bug", "payment", "Refund amount accepts negatives", "In Progress", "zeynep", "deniz", 357),
    T(1198, "Bug", "auth", "Sessions expire early after a password change", "Done", "zeynep", "mehmet", 338),
    T(1203, "Task", "auth", "Load test the token refresh endpoint", "Done", "zeynep", "zeynep", 343),
    T(1210, "Story", "auth", "Device management page", "In Progress", "selin", "ayse", 346),
    T(1247, "Bug", "auth", "Token refresh race condition", "In Progress", "zeynep", "mehmet", 364, "High"),
    T(1250, "Story", "auth", "Enable refresh token rotation", "To Do", "burak", "", 366),
    T(1251, "Bug", "auth", "Users logged out randomly during checkout", "Done", "selin", "", 367, "High",
      "Duplicate"),
    T(1253, "Task", "infra", "Pin GitHub Actions to commit SHAs", "To Do", "can", "", 369, "Low"),
)
TICKET = {t.number: t for t in TICKETS}

# (from, link type, to): outward direction. Duplicate: from 'duplicates' to; Blocks: from 'blocks' to.
LINKS = (
    (1251, "Duplicate", 1247), (1247, "Relates", 1198), (1247, "Blocks", 1250), (1104, "Relates", 1140),
    (1120, "Relates", 1130), (1101, "Relates", 1128), (1101, "Relates", 1149), (1102, "Relates", 1131),
    (1102, "Relates", 1154), (1131, "Relates", 1247),
)
LINK_TYPES = {"Duplicate": ("10002", "is duplicated by", "duplicates"),
              "Relates": ("10003", "relates to", "relates to"),
              "Blocks": ("10000", "is blocked by", "blocks")}


@dataclass(frozen=True)
class Work:
    """Commits for one ticket (0: none), delivered `mode`: merge | squash | direct | open | closed.

    `reviews` is one letter per review: A approved, C changes requested (the last commit then
    follows it), M commented. `files` are explicit paths (else picked from the component).
    """

    ticket: int
    author: str
    start: int
    mode: str
    pr: int = 0
    commits: int = 1
    reviews: str = "A"
    title: str = ""
    files: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    component: str = ""
    body: str | None = "default"
    co_author: str = ""
    moves: tuple[tuple[str, str], ...] = ()


W = Work
WORK: tuple[Work, ...] = (
    W(1104, "elif", 14, "merge", 301, 3, "CA"),
    W(1106, "can", 17, "squash", 303, 2, "A", "Move CI to GitHub Actions", (), (".github/workflows/ci.yml",),
      ("infra/jenkins/Jenkinsfile",)),
    W(1107, "elif", 23, "direct", title="round JPY amounts to zero minor units"),
    W(1109, "mehmet", 31, "merge", 308, 3, "CA", new=("src/auth/oauth_google.py",)),
    W(1111, "elif", 39, "direct", title="write the payments architecture overview",
      files=("docs/payments.md",)),
    W(1112, "ayse", 46, "squash", 312, 1, "A", "Set SameSite=Lax on the session cookie"),
    W(1115, "can", 53, "merge", 315, 2, "A"),
    W(1116, "elif", 60, "merge", 318, 2, "AA"),
    W(1120, "elif", 71, "merge", 320, 2, "CA", "Fix duplicate charge on gateway timeout"),
    W(1123, "ayse", 86, "merge", 322, 3, "A", new=("src/auth/roles.py",)),
    W(1118, "elif", 95, "merge", 324, 1, "A", "Rename gateway.py to gateway_client.py",
      ("tests/payment/test_gateway.py",),
      moves=(("src/payment/gateway.py", "src/payment/gateway_client.py"),)),
    W(1125, "can", 101, "direct", title="mask secrets in deploy job output"),
    W(1128, "elif", 116, "squash", 327, 2, "A", co_author="ayse"),
    W(1130, "elif", 130, "direct", title="stop retrying refund webhooks on HTTP 410"),
    W(1131, "mehmet", 141, "merge", 331, 2, "CA"),
    W(1133, "can", 151, "squash", 334, 1, "A"),
    W(1135, "ayse", 158, "merge", 336, 2, "A", "Invalidate password reset links after use"),
    W(1137, "elif", 165, "merge", 339, 3, "CA", new=("src/payment/pdf_export.py",)),
    W(0, "zeynep", 191, "squash", 341, 1, "A", "Run the test suite in parallel",
      (".github/workflows/ci.yml", "pyproject.toml", "tests/conftest.py")),
    W(1140, "ayse", 200, "squash", 343, 1, "A", "Fix rounding of partial refunds"),
    W(1142, "burak", 210, "merge", 345, 2, "A", "Add a developer onboarding guide",
      new=("docs/onboarding.md",)),
    W(1143, "can", 221, "merge", 346, 2, "A"),
    W(1145, "ayse", 231, "merge", 349, 2, "CA", new=("src/auth/audit_log.py",)),
    W(1147, "mehmet", 245, "direct", title="compute token expiry in UTC"),
    W(1149, "ayse", 255, "squash", 353, 2, "A"),
    W(1150, "can", 266, "merge", 356, 3, "CA", new=("infra/k8s/bluegreen.yaml",)),
    W(1152, "ayse", 280, "squash", 359, 1, "A", "Ignore unknown webhook event types", body=None),
    W(1154, "mehmet", 291, "direct", commits=2, title="add SAML single sign-on", new=("src/auth/saml.py",)),
    W(1160, "deniz", 311, "merge", 362, 2, "CA", gone=("src/payment/legacy_adapters.py",)),
    W(1162, "can", 330, "direct", title="Fix silent failure of the nightly backup job"),
    W(1165, "deniz", 336, "closed", 368, 1, "M", "Spike: Apple Pay through gateway tokens"),
    W(1198, "mehmet", 341, "squash", 371, 1, "A", "Keep sessions alive across password changes"),
    W(1210, "ayse", 350, "merge", 376, 2, "A", new=("src/auth/devices.py",)),
    W(1168, "deniz", 361, "direct", title="validate refund amounts"),
    W(1158, "deniz", 372, "open", 385, 2, "M", new=("src/payment/saved_cards.py",)),
)

# Dependabot PRs: (number, day, package line before, after, title); merged by the second field's owner.
BUMPS = (
    (305, 24, "requests==2.31.0", "requests==2.32.3", "Bump requests from 2.31.0 to 2.32.3", "can", "A"),
    (329, 121, "cryptography==41.0.7", "cryptography==42.0.5", "Bump cryptography from 41.0.7 to 42.0.5",
     "can", ""),
    (357, 270, "      - uses: actions/checkout@v3", "      - uses: actions/checkout@v4",
     "Bump actions/checkout from 3 to 4", "burak", "A"),
    (379, 358, "pyjwt==2.8.0", "pyjwt==2.9.0", "Bump pyjwt from 2.8.0 to 2.9.0", "mehmet", "A"),
)

# Background commit subjects per component; {stem} is the file's name without extension.
SUBJECTS = {
    "auth": ("Refactor {stem} helpers", "Add type hints to {stem}", "Log {stem} failures with the request id",
             "Simplify error handling in {stem}", "Fix flaky {stem} test", "Tidy {stem} docstrings",
             "Fix {stem} when scopes are empty", "Cache signing keys in {stem}",
             "Extract constants in {stem}", "Cover {stem} edge cases"),
    "payment": ("Refactor {stem} amounts to Decimal", "Add logging to {stem}", "Fix {stem} rounding for EUR",
                "Split {stem} into smaller functions", "Handle gateway errors in {stem}",
                "Cover {stem} refunds", "Read webhook payloads as UTF-8 in {stem}", "Speed up {stem}",
                "Fix crash in {stem} on empty cart", "Rename {stem} variables for clarity"),
    "infra": ("Tune {stem} resources", "Bump base image in {stem}", "Add alerts to {stem}",
              "Clean up {stem}", "Fix {stem} syntax for the new provider", "Parameterise {stem}",
              "Document {stem} settings"),
    "docs": ("Update {stem} docs", "Fix typos in {stem}", "Add diagrams to {stem}", "Clarify {stem}"),
}
COMMENTS = (  # the last two only on tickets that are Done
    "Can reproduce on staging.", "I'll pick this up next sprint.", "Added a failing test for this.",
    "Customer support sees this weekly; raising the priority.", "Moved the discussion from Slack here.",
    "Deployed to production.", "Looks done to me; closing after QA.",
)
REVIEW_TEXT = {"A": "LGTM", "C": "A few things to change first.", "M": "Left some thoughts."}


# ---------------------------------------------------------------------------------------------
# The plan: the tables above turned into a timeline (pure; `random.Random(SEED)` only).

@dataclass(frozen=True)
class Step:
    """One planned change: a commit on main (`pr` 0) or on PR `pr`'s branch, or a PR's end.

    kind: commit | merge | squash | close | revert. Files are `files` (explicit) plus `size` picked
    from `component` when the change happens (so picks can avoid files other open PRs hold).
    """

    at: int
    kind: str
    author: str  # git "Name <email>"
    message: str = ""
    pr: int = 0
    component: str = ""
    files: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    moves: tuple[tuple[str, str], ...] = ()
    swaps: tuple[tuple[str, str, str], ...] = ()  # (path, old line, new line)
    size: int = 0
    tests_first: bool = False


@dataclass(frozen=True)
class Review:
    who: str
    state: str
    at: int
    body: str
    comment: str = ""  # a review comment on `path` (default: the PR's first source file)
    path: str = ""


@dataclass(frozen=True)
class Pull:
    number: int
    author: str  # member key or 'dependabot'
    title: str
    body: str | None
    branch: str
    mode: str  # merge | squash | open | closed
    created: int
    ended: int | None
    merger: str
    ticket: int
    reviews: tuple[Review, ...] = ()
    comments: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Life:
    """What happened to a ticket: status changes (at, from, to, who), comments, resolution time."""

    ticket: Ticket
    created: int
    transitions: tuple[tuple[int, str, str, str], ...]
    comments: tuple[tuple[str, int, str], ...]
    resolved: int | None
    updated: int


Span = tuple[int, int | None, int | None]  # a ticket's first commit, end of work, PR opened


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    pulls: tuple[Pull, ...]
    lives: tuple[Life, ...]


def at(day: int, hour: int = 9, minute: int = 0) -> int:
    return START + day * 86400 + hour * 3600 + minute * 60


def weekday(day: int) -> int:
    return day + (7 - day % 7 if day % 7 >= 5 else 0)


def git_author(key: str, day: int, *, weekend: bool = False) -> str:
    """The identity a member's git used that day (laptops and configs change)."""
    m = MEMBERS[key]
    if key == "mehmet" and 150 <= day <= 220:
        return MEHMET_LAPTOP
    if key == "ayse" and day < 90:
        return AYSE_OLD
    if key == "can" and weekend:
        return CAN_HOME
    return f"{m.name} <{m.email}>"


def component_of(path: str) -> str:
    return next((c for prefix, c in COMPONENTS if path.startswith(prefix)), "")


def slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:40].strip("-")


def plan() -> Plan:
    """The whole timeline, deterministic: same tables and seed, same plan."""
    rng = random.Random(SEED)
    steps = [Step(at(0, 7), "commit", git_author("burak", 0), "Initial import of the platform monorepo\n",
                  new=INITIAL_FILES)]
    steps += background(rng) + story_extras()
    pulls, lives_at = [], {}
    for work in WORK:
        work_steps, pull, span = plan_work(work, rng)
        steps += work_steps
        pulls += [pull] if pull else []
        lives_at[work.ticket] = span
    for bump in BUMPS:
        bump_steps, pull = plan_bump(bump)
        steps += bump_steps
        pulls.append(pull)
    story_steps, story_pull = plan_story()
    steps += story_steps
    pulls.append(story_pull)
    lives_at[1247] = (story_steps[0].at, None, story_pull.created)
    lives = tuple(plan_life(t, lives_at.get(t.number), rng) for t in TICKETS)
    ordered = tuple(sorted(steps, key=lambda s: (s.at, s.pr, s.kind)))
    return Plan(ordered, tuple(sorted(pulls, key=lambda p: p.number)), lives)


def background(rng: random.Random) -> list[Step]:
    """Everyday commits with no ticket: each member's own pace, components and hours."""
    out = []
    for m in PEOPLE:
        comps = [c for c, _ in m.weights]
        for _ in range(m.commits):
            day = rng.randint(m.first_day, m.last_day)
            weekend = m.key == "can" and rng.random() < 0.2
            day = day - day % 7 + 5 if weekend else weekday(day)
            day = max(1, day if day <= 375 else day - 7)
            component = rng.choices(comps, [w for _, w in m.weights])[0]
            co = ""
            if m.key in ("mehmet", "ayse", "zeynep") and rng.random() < 0.06:
                pal = MEMBERS[rng.choice([k for k in ("mehmet", "ayse", "burak") if k != m.key])]
                co = f"\n\nCo-authored-by: {pal.name} <{pal.email}>"
            when = at(day, rng.randint(6, 16), rng.randint(0, 59)) + rng.randint(0, 59)
            out.append(Step(when, "commit", git_author(m.key, day, weekend=weekend), "{subject}" + co + "\n",
                            component=component, size=rng.choice((1, 1, 1, 2, 2, 3)),
                            tests_first=m.tests_first))
    return out


def story_extras() -> list[Step]:
    """Single events the demo needs: .mailmap, a revert, a dangling key, bot releases."""
    burak, can = git_author("burak", 93), git_author("can", 204)
    out = [Step(at(93, 12), "commit", burak, "Add .mailmap for Ayşe's early commits\n", new=(".mailmap",)),
           Step(at(204, 8), "commit", burak, "Enable HTTP/2 on the public ingress\n",
                files=("infra/k8s/ingress.yaml",)),
           Step(at(204, 11, 30), "revert", can, "Revert \"Enable HTTP/2 on the public ingress\"\n"),
           Step(at(122, 10), "commit", burak, "Remove the workaround for PROJ-877, fixed upstream\n",
                files=("infra/docker/Dockerfile",))]
    for k in range(1, 13):
        day = weekday(27 + 29 * (k - 1))
        out.append(Step(at(day, 16, 5), "commit", ACTIONS[0], f"chore(release): 1.{k}.0\n",
                        swaps=(("pyproject.toml", f'version = "1.{k - 1}.0"', f'version = "1.{k}.0"'),
                               ("CHANGELOG.md", "", f"## 1.{k}.0 - release {k} of the platform"))))
    return out


def plan_work(work: Work, rng: random.Random) -> tuple[list[Step], Pull | None, Span]:
    """Commits (and the PR) for one Work row; returns the span (first commit, end, PR opened)."""
    ticket = TICKET.get(work.ticket)
    key = f"PROJ-{work.ticket}" if ticket else ""
    title = work.title or (ticket.summary if ticket else "")
    steps = work_commits(work, key, title, rng)
    if work.mode == "direct":
        return steps, None, (steps[0].at, steps[-1].at, None)
    late = "C" in work.reviews and work.commits > 1
    created = steps[-2 if late else -1].at + 40 * 60
    reviews, ended = plan_reviews(work, steps, created, late, rng)
    prefix = "bugfix" if ticket and ticket.type == "Bug" else "feature"
    branch = f"{prefix}/{key}-{slug(ticket.summary)}" if ticket else f"ci/{slug(title)}"
    body = work.body
    if body == "default":
        body = f"Implements [{key}]({JIRA}/browse/{key}).\n\n{title}.\n" if key else f"{title}.\n"
    pr_title = title if rng.random() < 0.5 or not key else f"{key}: {title}"
    thanks = key and rng.random() < 0.3
    talk = (("selin", created + 7200, "Thanks, this is what the customers asked for."),) if thanks else ()
    pull = Pull(work.pr, work.author, pr_title, body, branch, work.mode, created, ended, work.author,
                work.ticket, reviews, talk)
    steps += [end_step(work, pull, steps)] if ended else []
    return steps, pull, (steps[0].at, ended if work.mode in ("merge", "squash") else None, created)


def work_commits(work: Work, key: str, title: str, rng: random.Random) -> list[Step]:
    """The Work row's commits, five hours apart; only the first one carries the explicit files."""
    component = work.component or (TICKET[work.ticket].component if work.ticket else "infra")
    day = weekday(work.start)
    t = at(day, rng.randint(6, 12), rng.randint(0, 59))
    last_fixes = "C" in work.reviews and work.commits > 1
    pr = work.pr if work.mode != "direct" else 0
    who = git_author(work.author, day)
    first = f"{key} {title[0].upper() + title[1:]}".strip()
    steps = [Step(t, "commit", who, first + "\n", pr, component, work.files, work.new, work.gone, work.moves,
                  size=0 if work.files or work.moves else rng.choice((1, 2)))]
    for i in range(1, work.commits):
        msg = "Address review comments" if last_fixes and i == work.commits - 1 else "Add tests"
        steps.append(Step(t + i * 5 * 3600, "commit", who, f"{key} {msg}".strip() + "\n", pr, component,
                          size=rng.choice((1, 2)), tests_first=True))
    return steps


def plan_reviews(work: Work, steps: list[Step], created: int, late: bool,
                 rng: random.Random) -> tuple[tuple[Review, ...], int | None]:
    """Reviews about a day apart; after changes are requested the last commit answers them."""
    day = weekday(work.start)
    component = steps[0].component
    others = [k for k in ("burak", "mehmet", "ayse", "can", "elif", "deniz")
              if k != work.author and MEMBERS[k].first_day <= day <= MEMBERS[k].last_day
              and dict(MEMBERS[k].weights).get(component, 0) >= 2] or ["burak"]
    reviews, when = [], created
    for j, code in enumerate(work.reviews):
        when += 18 * 3600 + rng.randint(0, 3600)
        who = others[min(j, len(others) - 1)] if work.reviews == "AA" else others[0]
        state = {"A": "APPROVED", "C": "CHANGES_REQUESTED", "M": "COMMENTED"}[code]
        comment = "Please add a test for the failure path." if code != "A" else ""
        reviews.append(Review(who, state, when, REVIEW_TEXT[code], comment))
        if code == "C" and late:
            when += 3 * 3600
            steps[-1] = replace(steps[-1], at=when)
    ended = None if work.mode == "open" else when + (2 * 86400 if work.mode == "closed" else 3600)
    return tuple(reviews), ended


def end_step(work: Work, pull: Pull, steps: list[Step]) -> Step:
    """How a PR ends: a merge commit, a squash commit (with co-authors), or closing it unmerged."""
    author, ended = git_author(work.author, weekday(work.start)), pull.ended or 0
    if work.mode == "squash":
        pal = MEMBERS.get(work.co_author)
        co = f"\nCo-authored-by: {pal.name} <{pal.email}>\n" if pal else ""
        bullets = "".join(f"* {s.message.strip()}\n" for s in steps)
        return Step(ended, "squash", author, f"{pull.title} (#{pull.number})\n\n{bullets}{co}", pull.number)
    if work.mode == "merge":
        return Step(ended, "merge", author,
                    f"Merge pull request #{pull.number} from acme/{pull.branch}\n\n{pull.title}\n",
                    pull.number)
    return Step(ended, "close", "", "", pull.number)


def plan_bump(bump: tuple[int, int, str, str, str, str, str]) -> tuple[list[Step], Pull]:
    """A Dependabot PR: one bot commit swapping a version line, merged by a member."""
    number, day, old, new, title, merger, reviews = bump
    path = "requirements.txt" if "==" in old else ".github/workflows/ci.yml"
    pkg, version = (old.split("==")[0], new.split("==")[1]) if "==" in old else ("actions/checkout", new[-1])
    ecosystem = "pip" if "==" in old else "github_actions"
    branch = f"dependabot/{ecosystem}/{pkg}-{version}"
    commit = Step(at(day, 4, 12), "commit", DEPENDABOT[0],
                  f"{title}\n\nBumps {pkg} to {version}.\n\n---\nupdated-dependencies:\n"
                  f"- dependency-name: {pkg}\n  dependency-type: direct:production\n...\n\n"
                  f"Signed-off-by: dependabot[bot] <support@github.com>\n", number, swaps=((path, old, new),))
    created = commit.at + 300
    review = tuple(Review(merger, "APPROVED", created + 20 * 3600, "") for _ in reviews)
    ended = created + 21 * 3600
    body = (f"Bumps {pkg} to {version}.\n\nDependabot will resolve any conflicts with this PR as long as you"
            " don't alter it yourself.\n")
    merge = Step(ended, "merge", git_author(merger, day),
                 f"Merge pull request #{number} from acme/{branch}\n\n{title}\n", number)
    pull = Pull(number, "dependabot", title, body, branch, "merge", created, ended, merger, 0, review)
    return [commit, merge], pull


STORY_BODY = ("Fixes the race described in PROJ-1247.\n\nTwo concurrent refreshes of one session could both"
              " pass the expiry check; the second one revoked the refresh token the first had just issued,"
              " and the user was logged out.\n\n- token refresh is serialized per session\n"
              "- the session manager drops the superseded session\n"
              "- regression test: two refreshes in parallel\n")
STORY_COMMENTS = (
    ("zeynep", at(364, 9, 10), "Reproduced on staging: two tabs, wait for the access token to expire,"
     " click in both. One tab is logged out."),
    ("burak", at(365, 8, 40), "The refresh path in token_service.py takes no lock, so two refreshes of one"
     " session both pass the expiry check. Key any lock by session id, not globally: a global lock hurt p99"
     " last time."),
    ("selin", at(366, 12, 15), "Support sees about 40 tickets a week about random logouts; raising to High."),
    ("mehmet", at(367, 7, 35), "Taking this. Ayşe pairs with me on the session manager part."),
    ("mehmet", at(372, 6, 20), "Fix merged in https://github.com/acme/platform/pull/382; keeping this open"
     " until it is verified on staging."),
    ("zeynep", at(373, 9, 0), "Verifying on staging today."),
)


def plan_story() -> tuple[list[Step], Pull]:
    """PR #382, exactly as the article tells it."""
    branch = "bugfix/PROJ-1247-token-refresh-race"
    c1 = Step(at(368, 11, 20), "commit", git_author("mehmet", 368),
              "PROJ-1247 Serialize token refresh per session\n\nTwo concurrent refreshes of one session"
              " could both pass the expiry check;\nthe second revoked the refresh token the first had just"
              " issued.\n", 382,
              files=("src/auth/token_service.py", "tests/auth/test_token_refresh.py"))
    c2 = Step(at(371, 11, 45), "commit", git_author("ayse", 371),
              "PROJ-1247 Drop the superseded session after a token refresh\n\n"
              "Co-authored-by: Mehmet Turac <mehmet.turac@acme.io>\n", 382,
              files=("src/auth/session_manager.py", "tests/auth/test_token_refresh.py"))
    merged = at(372, 6, 5)
    merge = Step(merged, "merge", git_author("mehmet", 372),
                 f"Merge pull request #382 from acme/{branch}\n\nFix token refresh race condition\n", 382)
    reviews = (Review("burak", "CHANGES_REQUESTED", at(371, 6, 10), "The lock must not be process-wide.",
                      "This lock is process-wide: refreshes of different sessions now wait for each other."
                      " Key it by session id.", "src/auth/token_service.py"),
               Review("burak", "APPROVED", at(372, 5, 30), "Per-session lock and session cleanup look good."))
    talk = (("ayse", at(371, 11, 50), "Pushed the session manager part; the test runs two refreshes."),
            ("selin", at(371, 14, 0), "Thanks! Can this ship with Thursday's release?"))
    pull = Pull(382, "mehmet", "Fix token refresh race condition", STORY_BODY, branch, "merge",
                at(368, 12, 5), merged, "mehmet", 1247, reviews, talk)
    return [c1, c2, merge], pull


def plan_life(ticket: Ticket, span: Span | None, rng: random.Random) -> Life:
    """Status changes and comments consistent with the ticket's final status and its work."""
    created = at(ticket.created, rng.randint(6, 14), rng.randint(0, 59))
    who = ticket.assignee or ticket.reporter
    first, end, opened = span or (created + rng.randint(1, 4) * 86400, None, None)
    begin = at(367, 7, 30) if ticket.number == 1247 else max(created + 600, first - 7200)
    moves: list[tuple[int, str, str, str]] = []
    if ticket.status != "To Do" and ticket.resolution != "Duplicate":
        moves.append((begin, "To Do", "In Progress", who))
    if ticket.status in ("In Review", "Done") and opened:
        moves.append((opened + 120, "In Progress", "In Review", who))
    if ticket.status == "Done":
        done = (end + 3 * 3600) if end else (moves[-1][0] if moves else created) + rng.randint(1, 6) * 86400
        moves.append((done, moves[-1][2] if moves else "To Do", "Done", who))
    talk = STORY_COMMENTS if ticket.number == 1247 else tuple(
        (rng.choice([p for p in (ticket.reporter, ticket.assignee, "burak") if p]),
         min(created + rng.randint(1, 10 * 24) * 3600, EXPORT - 3600),
         rng.choice(COMMENTS if ticket.status == "Done" else COMMENTS[:-2]))
        for _ in range(rng.randint(0, 3)))
    talk = tuple(sorted(talk, key=lambda c: (c[1], c[0])))
    resolved = moves[-1][0] if ticket.status == "Done" else None
    updated = max([created + 1800] + [m[0] for m in moves] + [c[1] for c in talk])
    return Life(ticket, created, tuple(moves), talk, resolved, updated)

"""Configuration: TOML (tomllib) → validated, frozen objects.

Precedence, lowest first: built-in defaults, the config file, environment overrides
(``CURATOR_DATABASE_URL``). Every unknown key and bad value is a `ConfigError` naming the file,
the key path and what to do. Secrets never live in the file: a mailbox names where its password
comes from (`password_env`, `password_command`, `password_file`) or how it signs in with OAuth 2.0
(`[mailboxes.oauth2]`: a token command, or curator's own token store filled by `curator auth
login`), and `resolve_password` fetches a password only when a connection is made.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from curator.digest.style import DigestStyle, parse_style
from curator.errors import ConfigError
from curator.questions import Argument, Position, Question

ENV_HOME = "CURATOR_HOME"
ENV_CONFIG = "CURATOR_CONFIG"
ENV_DATABASE_URL = "CURATOR_DATABASE_URL"

SECURITY_MODES = ("ssl", "starttls", "none")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
# Keys that would put a secret into the file itself; refused with a pointer to the safe ones.
SECRET_KEYS = ("password", "secret", "token", "access_token", "refresh_token")
OAUTH_SECRET_KEYS = (*SECRET_KEYS, "client_secret")
OAUTH_PROVIDERS = ("google", "microsoft", "custom")
OAUTH_MECHANISMS = ("XOAUTH2", "OAUTHBEARER")
AFTER_INGEST_ACTIONS = ("keep", "flag", "move")
DEFAULT_MAX_AGE = 30 * 60.0  # seconds: `curator status` alarms when the last success is older
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def curator_home() -> Path:
    """Where all state lives: ``$CURATOR_HOME``, else ``$XDG_DATA_HOME/curator``."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "curator"


@dataclass(frozen=True)
class OAuth2Config:
    """How a mailbox signs in with OAuth 2.0 (Gmail, Microsoft 365: no passwords for IMAP)."""

    provider: str = "custom"  # google | microsoft | custom (endpoints given explicitly)
    client_id: str | None = None
    tenant: str = "common"  # Microsoft: the directory (tenant) ID or domain
    client_secret_env: str | None = None  # Google's device flow needs the client secret
    token_command: str | None = None  # prints an access token; replaces the token store
    mechanism: str = "XOAUTH2"  # XOAUTH2 | OAUTHBEARER (RFC 7628)
    device_endpoint: str | None = None  # overrides the provider's (RFC 8628 §3.1)
    token_endpoint: str | None = None
    scopes: tuple[str, ...] = ()  # empty: the provider's IMAP scopes


@dataclass(frozen=True)
class MailboxConfig:
    name: str
    host: str
    username: str
    port: int = 993
    security: str = "ssl"
    folder: str = "INBOX"
    password_env: str | None = None
    password_command: str | None = None
    password_file: Path | None = None
    ca_file: Path | None = (
        None  # trust this CA (private servers, tests) instead of the system store
    )
    connect_timeout: float = 15.0
    read_timeout: float = 120.0
    batch_size: int = 500  # UIDs per UID FETCH
    batch_bytes: int = 20 * 1024 * 1024  # and at most this many bytes per batch
    retries: int = 3  # reconnects per poll after a network error
    retry_backoff: float = 2.0  # seconds before the first reconnect; doubles each time
    oauth2: OAuth2Config | None = None  # sign in with OAuth 2.0 instead of a password
    after_ingest: str = "keep"  # keep | flag | move, done only after the commit
    after_ingest_flag: str = "$Curated"
    after_ingest_folder: str = "Processed"


@dataclass(frozen=True)
class DatabaseConfig:
    url: str


@dataclass(frozen=True)
class HealthConfig:
    max_age: float = DEFAULT_MAX_AGE  # seconds since the last successful poll before alarming


@dataclass(frozen=True)
class Config:
    home: Path
    database: DatabaseConfig
    mailboxes: tuple[MailboxConfig, ...] = ()
    questions: tuple[Question, ...] = ()
    source: Path | None = None  # the file it came from, None for built-in defaults
    digest: DigestStyle = field(default_factory=DigestStyle)
    health: HealthConfig = HealthConfig()

    def mailbox(self, name: str) -> MailboxConfig | None:
        return next((m for m in self.mailboxes if m.name == name), None)

    def question(self, slug: str) -> Question | None:
        return next((q for q in self.questions if q.slug == slug), None)


# ---------------------------------------------------------------------------------------------
# Loading


def find_config_path(explicit: Path | None) -> Path | None:
    """``--config``, then ``$CURATOR_CONFIG``, then ``$CURATOR_HOME/config.toml`` if present."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    default = curator_home() / "config.toml"
    return default if default.is_file() else None


def load_config(path: Path | None = None) -> Config:
    """Load and validate the configuration; raises `ConfigError` with a one-line message."""
    home = curator_home()
    found = find_config_path(path)
    data: dict[str, Any] = {}
    if found is not None:
        try:
            with found.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(
                f"config file {found} not found — check --config or CURATOR_CONFIG"
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{found}: {exc} — fix the TOML syntax") from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {found}: {exc.strerror}") from None
    return parse_config(data, home=home, source=found)


def parse_config(data: Mapping[str, Any], *, home: Path, source: Path | None = None) -> Config:
    where = str(source) if source else "config"
    _check_keys(data, {"database", "mailboxes", "questions", "digest", "health"}, where)
    db = _table(data, "database", where)
    _check_keys(db, {"url"}, f"{where}: database")
    url = os.environ.get(ENV_DATABASE_URL) or _str(db, "url", f"{where}: database", "")
    mailboxes = tuple(
        _parse_mailbox(m, f"{where}: mailboxes[{i}]", source)
        for i, m in enumerate(_array(data, "mailboxes", where))
    )
    _check_unique([m.name for m in mailboxes], f"{where}: mailboxes", "name")
    questions = tuple(
        _parse_question(q, f"{where}: questions[{i}]")
        for i, q in enumerate(_array(data, "questions", where))
    )
    _check_unique([q.slug for q in questions], f"{where}: questions", "slug")
    return Config(
        home=home,
        database=DatabaseConfig(url=resolve_database_url(url or "sqlite:///curator.db", home)),
        mailboxes=mailboxes,
        questions=questions,
        source=source,
        digest=parse_style(_table(data, "digest", where), f"{where}: digest"),
        health=_parse_health(_table(data, "health", where), f"{where}: health"),
    )


def _parse_health(t: Mapping[str, Any], where: str) -> HealthConfig:
    _check_keys(t, {"max_age"}, where)
    if "max_age" not in t:
        return HealthConfig()
    value = t["max_age"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{value}s"
    if not isinstance(value, str):
        raise ConfigError(f'{where}: max_age must be a duration such as "30m" or "2h"')
    try:
        return HealthConfig(max_age=parse_duration(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: max_age: {exc}") from None


def parse_duration(text: str) -> float:
    """``"90s"``, ``"30m"``, ``"2h"``, ``"1d"`` (or bare seconds) → seconds; ValueError if not."""
    value = text.strip().lower()
    unit = _DURATION_UNITS.get(value[-1:], 0)
    number = value[:-1] if unit else value
    try:
        seconds = float(number) * (unit or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a duration — write e.g. 90s, 30m, 2h or 1d") from None
    if seconds <= 0:
        raise ValueError(f"{text!r} must be more than zero")
    return seconds


def resolve_database_url(url: str, home: Path) -> str:
    """Relative SQLite paths live under CURATOR_HOME (``sqlite:///curator.db``)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        rest = url[len(prefix) :]
        if rest and rest != ":memory:":
            return prefix + str(home / rest)
    return url


def _parse_mailbox(raw: Any, where: str, source: Path | None) -> MailboxConfig:
    t = _as_table(raw, where)
    for key in SECRET_KEYS:
        if key in t:
            raise ConfigError(
                f"{where}: '{key}' is not allowed in the config file — "
                "use password_env, password_command or password_file (mode 0600)"
            )
    allowed = {f for f in MailboxConfig.__dataclass_fields__} | {"oauth2"}
    _check_keys(t, allowed, where)
    security = _str(t, "security", where, "ssl")
    if security not in SECURITY_MODES:
        raise ConfigError(f"{where}: security must be one of {', '.join(SECURITY_MODES)}")
    host = _str(t, "host", where)
    if security == "none" and not _is_loopback(host):
        raise ConfigError(
            f'{where}: security = "none" sends the password in clear text and is allowed '
            "only for a loopback host — use ssl or starttls"
        )
    sources = [k for k in ("password_env", "password_command", "password_file") if k in t]
    if len(sources) + ("oauth2" in t) != 1:
        raise ConfigError(
            f"{where}: set exactly one of password_env, password_command, password_file "
            "or an [mailboxes.oauth2] table"
        )
    base = source.parent if source else Path.cwd()
    mb = MailboxConfig(
        name=_str(t, "name", where),
        host=host,
        username=_str(t, "username", where),
        port=_int(t, "port", where, DEFAULT_PORTS[security], lo=1, hi=65535),
        security=security,
        folder=_str(t, "folder", where, "INBOX"),
        password_env=_opt_str(t, "password_env", where),
        password_command=_opt_str(t, "password_command", where),
        password_file=_opt_path(t, "password_file", where, base),
        ca_file=_opt_path(t, "ca_file", where, base),
        connect_timeout=_float(t, "connect_timeout", where, 15.0, lo=0.1),
        read_timeout=_float(t, "read_timeout", where, 120.0, lo=0.1),
        batch_size=_int(t, "batch_size", where, 500, lo=1, hi=10_000),
        batch_bytes=_int(t, "batch_bytes", where, 20 * 1024 * 1024, lo=1024, hi=2**40),
        retries=_int(t, "retries", where, 3, lo=0, hi=100),
        retry_backoff=_float(t, "retry_backoff", where, 2.0, lo=0.0),
        oauth2=_parse_oauth2(t["oauth2"], f"{where}.oauth2") if "oauth2" in t else None,
        after_ingest=_choice(t, "after_ingest", where, AFTER_INGEST_ACTIONS),
        after_ingest_flag=_str(t, "after_ingest_flag", where, "$Curated"),
        after_ingest_folder=_str(t, "after_ingest_folder", where, "Processed"),
    )
    _check_mailbox(mb, where)
    return mb


def _check_mailbox(mb: MailboxConfig, where: str) -> None:
    if mb.after_ingest == "move" and mb.after_ingest_folder == mb.folder:
        raise ConfigError(f"{where}: after_ingest_folder must differ from folder")
    if not _is_imap_flag(mb.after_ingest_flag):
        raise ConfigError(
            f"{where}: after_ingest_flag {mb.after_ingest_flag!r} is not a valid IMAP flag — "
            "use a keyword such as $Curated, or \\Flagged"
        )
    if mb.ca_file is not None and not mb.ca_file.is_file():
        raise ConfigError(f"{where}: ca_file {mb.ca_file} does not exist")


def _parse_oauth2(raw: Any, where: str) -> OAuth2Config:
    t = _as_table(raw, where)
    for key in OAUTH_SECRET_KEYS:
        if key in t:
            raise ConfigError(
                f"{where}: '{key}' is not allowed in the config file — use client_secret_env, "
                "token_command, or `curator auth login` (tokens are kept under CURATOR_HOME)"
            )
    allowed = set(OAuth2Config.__dataclass_fields__)
    _check_keys(t, allowed, where)
    oauth = OAuth2Config(
        provider=_choice(t, "provider", where, OAUTH_PROVIDERS, default="custom"),
        client_id=_opt_str(t, "client_id", where),
        tenant=_str(t, "tenant", where, "common"),
        client_secret_env=_opt_str(t, "client_secret_env", where),
        token_command=_opt_str(t, "token_command", where),
        mechanism=_choice(t, "mechanism", where, OAUTH_MECHANISMS, default="XOAUTH2"),
        device_endpoint=_opt_url(t, "device_endpoint", where),
        token_endpoint=_opt_url(t, "token_endpoint", where),
        scopes=tuple(_str_list(t, "scopes", where)),
    )
    if oauth.token_command is None:
        if oauth.client_id is None:
            raise ConfigError(
                f"{where}: set client_id (your OAuth app's) for `curator auth login`, "
                "or token_command"
            )
        if oauth.provider == "custom" and not (oauth.device_endpoint and oauth.token_endpoint):
            raise ConfigError(
                f'{where}: provider = "custom" needs device_endpoint and token_endpoint'
            )
    return oauth


def _choice(
    t: Mapping[str, Any], key: str, where: str, choices: tuple[str, ...], default: str = ""
) -> str:
    value = _str(t, key, where, default or choices[0])
    if value not in choices:
        raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}")
    return value


def _opt_url(t: Mapping[str, Any], key: str, where: str) -> str | None:
    value = _opt_str(t, key, where)
    if value is None:
        return None
    scheme, _, rest = value.partition("://")
    host = rest.split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    if scheme == "https" or (scheme == "http" and _is_loopback(host)):
        return value
    raise ConfigError(f"{where}: {key} must be an https:// URL (http:// only for loopback)")


def _parse_question(raw: Any, where: str) -> Question:
    t = _as_table(raw, where)
    _check_keys(
        t,
        {"slug", "title", "prompt", "references", "subject_contains", "date_from", "date_to"}
        | {"positions", "arguments"},
        where,
    )
    slug = _str(t, "slug", where)
    if not slug.replace("-", "").replace("_", "").isalnum():
        raise ConfigError(f"{where}: slug {slug!r} may hold only letters, digits, - and _")
    refs = tuple(_normalise_msgid(r) for r in _str_list(t, "references", where))
    positions = tuple(
        Position(**_labelled(p, f"{where}.positions[{i}]"))
        for i, p in enumerate(_array(t, "positions", where))
    )
    arguments = tuple(
        Argument(**_labelled(a, f"{where}.arguments[{i}]"))
        for i, a in enumerate(_array(t, "arguments", where))
    )
    _check_unique([p.key for p in positions], f"{where}.positions", "key")
    _check_unique([a.key for a in arguments], f"{where}.arguments", "key")
    return Question(
        slug=slug,
        title=_str(t, "title", where, slug),
        prompt=_str(t, "prompt", where, ""),
        references=refs,
        subject_contains=tuple(_str_list(t, "subject_contains", where)),
        date_from=_opt_datetime(t, "date_from", where),
        date_to=_opt_datetime(t, "date_to", where),
        positions=positions,
        arguments=arguments,
    )


def _labelled(raw: Any, where: str) -> dict[str, Any]:
    t = _as_table(raw, where)
    _check_keys(t, {"key", "label", "description", "examples"}, where)
    key = _str(t, "key", where)
    return {
        "key": key,
        "label": _str(t, "label", where, key.replace("_", " ").capitalize()),
        "description": _str(t, "description", where, ""),
        "examples": tuple(_str_list(t, "examples", where)),
    }


def _normalise_msgid(value: str) -> str:
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


# ---------------------------------------------------------------------------------------------
# Secrets


def resolve_password(mailbox: MailboxConfig) -> str:
    """Fetch the mailbox's password from its configured source. Never logged."""
    where = f"mailbox {mailbox.name!r}"
    if mailbox.oauth2 is not None:
        raise ConfigError(f"{where}: signs in with OAuth 2.0, not a password")
    if mailbox.password_env:
        value = os.environ.get(mailbox.password_env)
        if not value:
            raise ConfigError(
                f"{where}: environment variable {mailbox.password_env} is not set — export it"
            )
        return value
    if mailbox.password_command:
        return run_secret_command(mailbox.password_command, where, "password_command")
    if mailbox.password_file:
        return _password_from_file(mailbox.password_file, where)
    raise ConfigError(f"{where}: no password source configured")


def run_secret_command(command: str, where: str, key: str) -> str:
    """Run a secret-printing shell command (``key`` names it in errors); its stdout, trimmed."""
    # A shell command, like mbsync's PassCmd, so `pass show x` or `secret-tool lookup …` work.
    try:
        done = subprocess.run(
            command, shell=True, capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{where}: {key} timed out after 60 s") from None
    if done.returncode != 0:
        raise ConfigError(
            f"{where}: {key} exited with {done.returncode} — run it by hand to see why"
        )
    value = done.stdout.rstrip("\r\n")
    if not value:
        raise ConfigError(f"{where}: {key} printed nothing")
    return value


def _password_from_file(path: Path, where: str) -> str:
    try:
        st = path.stat()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read password_file {path}: {exc.strerror}") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{where}: password_file {path} is readable by others — run chmod 600 {path}"
        )
    value = path.read_text(encoding="utf-8").rstrip("\r\n")
    if not value:
        raise ConfigError(f"{where}: password_file {path} is empty")
    return value


# ---------------------------------------------------------------------------------------------
# Small validators; each raises ConfigError naming the key path.


def _check_keys(t: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(t) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} — expected one of {', '.join(sorted(allowed))}"
        )


def _check_unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ConfigError(f"{where}: {what} {v!r} appears twice — names must be unique")
        seen.add(v)


def _as_table(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    return raw


def _table(t: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    return _as_table(t.get(key, {}), f"{where}: {key}")


def _array(t: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = t.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {key} must be an array of tables ([[{key}]])")
    return value


_MISSING: Any = object()


def _str(t: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> str:
    if key not in t:
        if default is _MISSING:
            raise ConfigError(f"{where}: missing required key {key!r}")
        return str(default)
    value = t[key]
    if not isinstance(value, str) or (default is _MISSING and not value.strip()):
        raise ConfigError(f"{where}: {key} must be a non-empty string")
    return value


def _opt_str(t: Mapping[str, Any], key: str, where: str) -> str | None:
    return _str(t, key, where) if key in t else None


def _opt_path(t: Mapping[str, Any], key: str, where: str, base: Path) -> Path | None:
    if key not in t:
        return None
    p = Path(os.path.expandvars(_str(t, key, where))).expanduser()
    return p if p.is_absolute() else base / p


def _int(t: Mapping[str, Any], key: str, where: str, default: int, *, lo: int, hi: int) -> int:
    value = t.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"{where}: {key} must be an integer from {lo} to {hi}")
    return value


def _float(t: Mapping[str, Any], key: str, where: str, default: float, *, lo: float) -> float:
    value = t.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < lo:
        raise ConfigError(f"{where}: {key} must be a number ≥ {lo}")
    return float(value)


def _str_list(t: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = t.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return value


def _opt_datetime(t: Mapping[str, Any], key: str, where: str) -> datetime | None:
    if key not in t:
        return None
    value = t[key]
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise ConfigError(f"{where}: {key} must be a TOML date or date-time (e.g. 2022-09-29)")


def _is_imap_flag(flag: str) -> bool:
    # RFC 3501 §9: a flag is "\\" atom (system flag) or an atom; atoms exclude these specials.
    atom = flag[1:] if flag.startswith("\\") else flag
    return bool(atom) and all(33 <= ord(c) < 127 and c not in '(){%*"\\]' for c in atom)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

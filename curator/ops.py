"""`curator doctor`: every check that a working setup passes, in the order things break."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from curator.config import Config
from curator.errors import ConfigError, CuratorError
from curator.health import Check, describe_age, mailbox_status
from curator.store.engine import connect_store, safe_url, schema_revisions


def run_doctor(load: Callable[[], Config], names: Sequence[str] = ()) -> list[Check]:
    """Config, database, then each mailbox; stops early only where later checks cannot run."""
    try:
        config = load()
    except ConfigError as exc:
        detail, _, fix = str(exc).partition(" — ")
        return [Check("config", False, detail, fix or "fix the config file")]
    mailboxes = [m for m in config.mailboxes if not names or m.name in names]
    source = str(config.source) if config.source else "no config file (built-in defaults)"
    checks = [
        Check(
            "config",
            bool(mailboxes),
            f"{source}: {len(config.mailboxes)} mailboxes, {len(config.questions)} questions",
            "" if mailboxes else "add a [[mailboxes]] table (see config.example.toml)",
        )
    ]
    database = check_database(config)
    checks.append(database)
    from curator.mail.probe import probe_mailbox  # imports imapclient: only when needed

    for mailbox in mailboxes:
        checks += probe_mailbox(mailbox)
    if database.ok:
        checks += _last_polls(config, [m.name for m in mailboxes])
    return checks


def check_database(config: Config) -> Check:
    url = safe_url(config.database.url)
    try:
        store = connect_store(config.database.url)
    except CuratorError as exc:
        return Check("database", False, str(exc).partition(" — ")[0], "check [database] url")
    try:
        current, head = schema_revisions(store)
    except CuratorError as exc:
        return Check("database", False, str(exc).partition(" — ")[0], "check [database] url")
    finally:
        store.dispose()
    if current == head:
        return Check("database", True, f"{url}, schema {head} (current)")
    state = f"schema {current}" if current else "no schema yet"
    return Check(
        "database", False, f"{url}: {state}, this curator needs {head}", "run `curator db upgrade`"
    )


def _last_polls(config: Config, names: list[str]) -> list[Check]:
    store = connect_store(config.database.url)
    try:
        report = mailbox_status(store, config, config.health.max_age)
    finally:
        store.dispose()
    checks = []
    for m in report.mailboxes:
        if m.name not in names:
            continue
        detail = f"last success {describe_age(m.age_seconds)}"
        fix = "" if m.healthy else "run `curator -v poll` (or start `curator watch`) and check cron"
        checks.append(Check(f"{m.name}: last poll", True, detail, fix, warning=not m.healthy))
    return checks

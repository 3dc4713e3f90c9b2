"""Running curator unattended: `watch`, `status`, `doctor` and `auth login`."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.config import MailboxConfig, parse_duration
from curator.errors import ConfigError, ExitCode
from curator.health import Check, describe_age, mailbox_status
from curator.mail.poller import MailboxReport


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("watch")
@click.option("--mailbox", "names", multiple=True, help="Watch only this mailbox (repeatable).")
@click.option("--no-process", is_flag=True, help="Only store raw mail; understand it later.")
@click.option(
    "--renew",
    default="10m",
    show_default=True,
    callback=_duration,
    help="Re-issue IDLE (and re-check the folder) this often; servers end IDLE at 30 min.",
)
@click.option(
    "--interval",
    default="5m",
    show_default=True,
    callback=_duration,
    help="Poll this often where the server has no IDLE.",
)
@pass_app
def watch(
    app: App, names: tuple[str, ...], no_process: bool, renew: float, interval: float
) -> None:
    """Store new mail within seconds of its arrival, using IMAP IDLE; runs until stopped.

    One connection per mailbox. Every wake-up runs the same fetch as `curator poll` (the
    same lock, so it never writes at the same time as a cron poll). Reconnects after network
    errors; stops with an error for a refused login or an expired sign-in. SIGTERM or Ctrl-C
    finish the batch being stored, log out and exit 0.

    \b
    Examples:
      curator watch
      curator -v watch --mailbox signal
      systemctl start curator-watch     # see scripts/systemd/curator-watch.service
    """
    from curator.mail.watch import Watcher, WatchSettings, stop_on_signals
    from curator.process import process_pending

    config = app.config
    store = app.store()

    def understand(_report: MailboxReport) -> None:
        process_pending(store, config.questions)

    watcher = Watcher(
        store,
        select_mailboxes(app, names),
        WatchSettings(renew=renew, interval=interval),
        after_sync=None if no_process else understand,
    )
    with stop_on_signals(watcher.stop):
        watcher.run()
    if watcher.failure is not None:
        raise watcher.failure


def select_mailboxes(app: App, names: tuple[str, ...]) -> list[MailboxConfig]:
    config = app.config
    unknown = set(names) - {m.name for m in config.mailboxes}
    if unknown:
        raise ConfigError(f"no mailbox named {sorted(unknown)[0]!r} in the config")
    mailboxes = [m for m in config.mailboxes if not names or m.name in names]
    if not mailboxes:
        raise ConfigError("no [[mailboxes]] configured — add one (see config.example.toml)")
    return mailboxes


@click.command("status")
@click.option(
    "--max-age",
    callback=_duration,
    help="Alarm when the last successful poll is older (e.g. 30m, 2h; default [health] max_age).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the status as a JSON object.")
@pass_app
def status_(app: App, max_age: float | None, as_json: bool) -> None:
    """Show each mailbox's last poll and last success; exit 1 when one is too old.

    For monitors and cron: exit 0 when every configured mailbox had a successful poll within
    the limit, 1 when one did not (or never succeeded).

    \b
    Examples:
      curator status
      curator status --max-age 2h
      curator status --json | jq '.mailboxes[] | {name, last_success_at}'
    """
    limit = max_age if max_age is not None else app.config.health.max_age
    report = mailbox_status(app.store(), app.config, limit)
    if as_json:
        echo_json(report.as_dict())
    else:
        for m in report.mailboxes:
            mark = "✓" if m.healthy else ("✗" if m.configured else "-")
            click.echo(
                f"{mark} {m.name}/{m.folder}: last success {describe_age(m.age_seconds)}, "
                f"last poll {m.last_poll_at:%Y-%m-%d %H:%M:%S} UTC"
                if m.last_poll_at
                else f"{mark} {m.name}/{m.folder}: never polled"
            )
            click.echo(
                f"    uidvalidity {m.uidvalidity}, cursor {m.cursor}, {m.stored} stored"
                + ("" if m.configured else " (no longer configured)")
            )
            if m.last_result and not m.healthy:
                click.echo(f"    last result: {m.last_result}")
    stale = [m for m in report.mailboxes if m.configured and not m.healthy]
    for m in stale:
        when = (
            f"last polled successfully {describe_age(m.age_seconds)} (limit "
            f"{describe_age(limit).removesuffix(' ago')})"
            if m.age_seconds is not None
            else "has never been polled successfully"
        )
        click.echo(
            f"Error: mailbox {m.name!r} {when} — run `curator -v poll --mailbox {m.name}` "
            "or `curator doctor` to see why",
            err=True,
        )
    if stale:
        raise click.exceptions.Exit(int(ExitCode.ERROR))


@click.group("auth")
def auth() -> None:
    """Sign a mailbox in with OAuth 2.0 (Gmail, Microsoft 365)."""


@auth.command("login")
@click.option("--mailbox", "name", required=True, help="The [[mailboxes]] name to sign in.")
@pass_app
def auth_login(app: App, name: str) -> None:
    """Sign in with the device-code flow and keep the refresh token under CURATOR_HOME.

    Prints a web address and a code: open it on any device, sign in as the mailbox's user and
    approve. The tokens go to $CURATOR_HOME/tokens/NAME.json (mode 0600); run this again when
    curator says the sign-in has expired or was revoked.

    \b
    Examples:
      curator auth login --mailbox signal
    """
    from curator.mail.oauth import finish_device_login, start_device_login

    mailbox = _oauth_mailbox(app, name)
    code = start_device_login(mailbox)
    click.echo(
        code.message
        or f"To sign in {mailbox.username}, open {code.verification_uri} and enter the code "
        f"{code.user_code}",
        err=True,
    )
    click.echo("Waiting for approval…", err=True)
    path = finish_device_login(mailbox, code, home=app.config.home)
    click.echo(f"Signed in; tokens saved to {path}", err=True)


def _oauth_mailbox(app: App, name: str) -> MailboxConfig:
    mailbox = app.config.mailbox(name)
    if mailbox is None:
        raise ConfigError(f"no mailbox named {name!r} in the config")
    if mailbox.oauth2 is None:
        raise ConfigError(f"mailbox {name!r} has no [mailboxes.oauth2] table — nothing to sign in")
    if mailbox.oauth2.token_command:
        raise ConfigError(
            f"mailbox {name!r} gets its tokens from oauth2.token_command — remove it to use "
            "`curator auth login`"
        )
    return mailbox


@click.command("doctor")
@click.option("--mailbox", "names", multiple=True, help="Check only this mailbox (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON object.")
@pass_app
def doctor(app: App, names: tuple[str, ...], as_json: bool) -> None:
    """Check the config, the database and every mailbox, and say how to fix what is wrong.

    One line per check: ✓ fine, ! works but worth a look, ✗ broken (with the fix below it).
    Mailbox checks go step by step: DNS, TCP, TLS certificate and expiry, sign-in, login,
    folder, IDLE/MOVE/UIDPLUS. Nothing is changed on the server. Exit 0 when nothing is
    broken, 1 otherwise (2 when the config itself cannot be read).

    \b
    Examples:
      curator doctor
      curator doctor --mailbox signal
      curator doctor --json | jq '.checks[] | select(.ok | not)'
    """
    from curator.ops import run_doctor

    checks = run_doctor(lambda: app.config, names)
    ok = all(c.ok for c in checks)
    if as_json:
        echo_json({"ok": ok, "checks": [c.as_dict() for c in checks]})
    else:
        print_checks(checks)
    if not ok:
        config_broken = checks[0].name == "config" and not checks[0].ok and len(checks) == 1
        raise click.exceptions.Exit(int(ExitCode.USAGE if config_broken else ExitCode.ERROR))


def print_checks(checks: list[Check]) -> None:
    for c in checks:
        mark = "✓" if c.ok and not c.warning else ("!" if c.ok else "✗")
        click.echo(f"{mark} {c.name}: {c.detail}")
        if c.fix and (not c.ok or c.warning):
            click.echo(f"    → {c.fix}")

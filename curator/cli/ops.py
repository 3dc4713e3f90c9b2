"""Running curator unattended: `watch`, `status`, `doctor` and `auth login`."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.config import MailboxConfig, parse_duration
from curator.errors import ConfigError, ExitCode
from curator.health import Check, describe_age, mailbox_status


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


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
        click.echo(
            f"Error: mailbox {m.name!r} last polled successfully {describe_age(m.age_seconds)} "
            f"(limit {describe_age(limit).removesuffix(' ago')}) — run `curator -v poll "
            f"--mailbox {m.name}` or `curator doctor` to see why",
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


def print_checks(checks: list[Check]) -> None:
    for c in checks:
        mark = "✓" if c.ok and not c.warning else ("!" if c.ok else "✗")
        click.echo(f"{mark} {c.name}: {c.detail}")
        if c.fix and (not c.ok or c.warning):
            click.echo(f"    → {c.fix}")

"""`curator poll` and `curator import`."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import click

from curator.cli.common import App, echo_json, pass_app, progress_bar
from curator.errors import ConfigError, ExitCode
from curator.mail.importer import import_paths
from curator.mail.poller import MailboxReport, poll_mailbox
from curator.process import ProcessReport, process_pending
from curator.store.engine import exclusive_lock

log = logging.getLogger(__name__)


@click.command()
@click.option("--mailbox", "names", multiple=True, help="Poll only this mailbox (repeatable).")
@click.option("--no-process", is_flag=True, help="Only store raw mail; understand it later.")
@click.option("--json", "as_json", is_flag=True, help="Print a summary object on stdout.")
@pass_app
def poll(app: App, names: tuple[str, ...], no_process: bool, as_json: bool) -> None:
    """Fetch new mail from every configured mailbox, once.

    Silent on success (for cron) unless -v. Exit 0 ok, 1 error, 2 configuration error,
    3 when some mail was stored and then a mailbox failed. A second poll started while one
    is running exits 0 with a note.

    \b
    Examples:
      curator poll
      curator -v poll --mailbox signal
      curator poll --json | jq .stored
    """
    config = app.config
    mailboxes = [m for m in config.mailboxes if not names or m.name in names]
    unknown = set(names) - {m.name for m in config.mailboxes}
    if unknown:
        raise ConfigError(f"no mailbox named {sorted(unknown)[0]!r} in the config")
    if not mailboxes:
        raise ConfigError("no [[mailboxes]] configured — add one (see config.example.toml)")
    store = app.store()
    started = time.perf_counter()
    with exclusive_lock(store, "poll") as got:
        if not got:
            note = "another curator poll is running on this database; this one did nothing"
            if as_json:
                echo_json({"ok": True, "skipped": note})
            else:
                click.echo(f"Note: {note}", err=True)
            return
        reports: list[MailboxReport] = []
        with progress_bar("Fetching", app.verbose > 0) as update:
            for mailbox in mailboxes:
                reports.append(poll_mailbox(store, mailbox, progress=lambda n, d, t: update(d, t)))
        poll_seconds = time.perf_counter() - started
        processed = ProcessReport()
        if not no_process:
            with progress_bar("Understanding", app.verbose > 0) as update:
                processed = process_pending(store, config.questions, progress=update)
    code = _exit_code(reports)
    summary = {
        "ok": code == ExitCode.OK,
        "exit_code": int(code),
        "stored": sum(r.stored for r in reports),
        "duplicates": sum(r.duplicates for r in reports),
        "processed": processed.processed,
        "responses": processed.responses,
        "failed_to_understand": processed.failed,
        "seconds": {"poll": round(poll_seconds, 4), "process": round(processed.seconds, 4)},
        "mailboxes": [r.as_dict() for r in reports],
    }
    if as_json:
        echo_json(summary)
    for r in reports:
        if r.error:
            click.echo(f"Error: {r.error}", err=True)
            if r.stored:
                click.echo(f"  (stored {r.stored} messages from {r.name} before that)", err=True)
        else:
            log.info("%s", r.summary())
    if processed.failed:
        click.echo(
            f"Warning: {processed.failed} messages could not be understood — "
            "see `curator list --all --json` (error field); fix and run `curator reprocess`",
            err=True,
        )
    if code != ExitCode.OK:
        raise click.exceptions.Exit(int(code))


def _exit_code(reports: list[MailboxReport]) -> ExitCode:
    failed = [r for r in reports if not r.ok]
    if not failed:
        return ExitCode.OK
    if any(r.stored for r in reports):
        return ExitCode.PARTIAL
    if all(r.error_code == ExitCode.USAGE for r in failed):
        return ExitCode.USAGE
    return ExitCode.ERROR


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-process", is_flag=True, help="Only store raw mail; understand it later.")
@click.option("--json", "as_json", is_flag=True, help="Print a summary object on stdout.")
@pass_app
def import_(app: App, paths: tuple[Path, ...], no_process: bool, as_json: bool) -> None:
    """Import .eml files, folders of them, mbox files and Maildirs.

    Goes through the same store path as polled mail: importing the same file twice stores
    it once, and a second copy of a mail already stored is kept as a duplicate.

    \b
    Examples:
      curator import replies/*.eml
      curator import ~/Mail/signal-replies.mbox
      curator import ~/Maildir/.Replies --json
    """
    store = app.store()
    with progress_bar("Importing", True) as update:
        report = import_paths(store, list(paths), progress=lambda n: update(n, 0))
    processed = ProcessReport()
    if not no_process:
        with progress_bar("Understanding", True) as update:
            processed = process_pending(store, app.config.questions, progress=update)
    summary = {
        "read": report.read,
        "stored": report.result.stored,
        "duplicates": report.result.duplicates,
        "already": report.result.already,
        "processed": processed.processed,
        "responses": processed.responses,
        "failed_to_understand": processed.failed,
    }
    if as_json:
        echo_json(summary)
    else:
        click.echo(
            f"Read {report.read} messages: {report.result.stored} stored "
            f"({report.result.duplicates} duplicates), {report.result.already} imported before; "
            f"{processed.responses} genuine responses.",
            err=True,
        )

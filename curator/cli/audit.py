"""`curator log` and `curator undo`."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from curator.cli.common import App, echo_json, pass_app
from curator.cli.curate import actor_option, json_option
from curator.cli.printable import cell
from curator.curate.audit import describe, history, undo
from curator.curate.service import current_actor


@click.command("log")
@click.argument("rid", metavar="[ID]", type=int, required=False)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@pass_app
def log_(app: App, rid: int | None, limit: int, as_json: bool) -> None:
    """Show the audit trail: who changed what, when, old → new (newest first).

    \b
    Examples:
      curator log
      curator log 42
      curator log --json | jq '.[] | select(.actor == "anna")'
    """
    events = history(app.store(), rid, limit)
    if as_json:
        echo_json([e.__dict__ for e in events])
        return
    if not events:
        click.echo("No changes recorded.", err=True)
        return
    table = Table(expand=True)
    for col in ("event", "at (UTC)", "who", "what", "ID", "change"):
        table.add_column(col, no_wrap=col != "change", overflow="fold")
    for e in events:
        what = f"{e.action} (#{e.undoes_id})" if e.undoes_id else e.action
        table.add_row(
            str(e.id),
            e.at[:19].replace("T", " "),
            cell(e.actor),
            what,
            str(e.response_id or "–"),
            cell(describe(e)),
        )
    Console().print(table)


@click.command("undo")
@actor_option
@json_option
@pass_app
def undo_(app: App, actor: str | None, as_json: bool) -> None:
    """Revert your last change (a whole command, e.g. a bulk reject); again for the one before.

    Refused when another editor has changed those responses since.

    \b
    Examples:
      curator undo
      curator undo --as anna
    """
    undone = undo(app.store(), actor=current_actor(actor))
    if as_json:
        echo_json([u.__dict__ for u in undone])
        return
    for u in undone:
        click.echo(f"{u.response_id}: undid {u.action} (event {u.event_id})", err=True)

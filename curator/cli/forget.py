"""`curator forget`: erase a reader (GDPR)."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.cli.curate import actor_option
from curator.curate.forget import forget
from curator.curate.service import current_actor


@click.command("forget")
@click.option("--email", required=True, help="The reader's address (as in From).")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; remove nothing.")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_app
def forget_(app: App, email: str, dry_run: bool, actor: str | None, as_json: bool) -> None:
    """Erase a reader: every message, response and excerpt of theirs, and the payloads of the
    audit events about them. Their mail on the IMAP server is not touched.

    \b
    Examples:
      curator forget --email jane@example.org --dry-run
      curator forget --email jane@example.org --json
    """
    erased = forget(app.store(), email, actor=current_actor(actor), dry_run=dry_run)
    if as_json:
        echo_json(erased.__dict__ | {"dry_run": dry_run})
        return
    verb = "Would remove" if dry_run else "Removed"
    click.echo(
        f"{verb} {erased.messages} messages, {erased.responses} responses, "
        f"{erased.excerpts} excerpts; {erased.events} audit events emptied."
    )

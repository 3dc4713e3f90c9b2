"""Status commands: shortlist, pick, reject, unpick."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.curate.service import current_actor, set_status


def _status_command(name: str, status: str, summary: str, example: str) -> click.Command:
    @click.command(name, help=f"{summary}\n\n\b\nExamples:\n  {example}")
    @click.argument("ids", nargs=-1, required=True, type=int, metavar="ID...")
    @click.option("--reason", help="Why (kept in the audit log).")
    @click.option("--as", "actor", help="Editor name for the audit log (default: OS user).")
    @click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")
    @pass_app
    def command(
        app: App, ids: tuple[int, ...], reason: str | None, actor: str | None, as_json: bool
    ) -> None:
        changed = set_status(
            app.store(), list(ids), status, actor=current_actor(actor), reason=reason
        )
        if as_json:
            echo_json([c.__dict__ for c in changed])
        else:
            for c in changed:
                order = f" (#{c.pick_order})" if c.pick_order else ""
                click.echo(f"{c.id}: {c.status}{order}", err=True)

    return command


shortlist = _status_command(
    "shortlist", "shortlisted", "Put responses on the shortlist.", "curator shortlist 12 15 31"
)
pick = _status_command(
    "pick", "picked", "Pick responses for the digest (appended to the order).", "curator pick 12"
)
reject = _status_command(
    "reject", "rejected", "Reject responses.", "curator reject 40 --reason 'off topic'"
)
unpick = _status_command("unpick", "new", "Return responses to new.", "curator unpick 12")

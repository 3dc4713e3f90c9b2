"""`curator suggest`: propose a balanced slate of picks, with reasons; --apply picks them."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.cli.curate import actor_option
from curator.cli.printable import printable
from curator.curate.service import current_actor
from curator.curate.suggest import apply, suggest


@click.command("suggest")
@click.option("--question", "slug", required=True, help="The question's slug.")
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1),
    default=6,
    show_default=True,
    help="How many to propose.",
)
@click.option("--balanced", is_flag=True, help="Equal seats per position, not the real split.")
@click.option("--allow-withheld", is_flag=True, help="Include readers who withheld their name.")
@click.option("--apply", "do_apply", is_flag=True, help="Pick them, in this order.")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the slate as JSON.")
@pass_app
def suggest_(
    app: App,
    slug: str,
    count: int,
    balanced: bool,
    allow_withheld: bool,
    do_apply: bool,
    actor: str | None,
    as_json: bool,
) -> None:
    """Propose the strongest replies, balanced across positions, arguments and places.

    Seats follow the real split of replies (or are equal with --balanced); no two picks make
    the same top argument or come from the same place when an alternative exists. Each line
    says why. Nothing changes without --apply (which `curator undo` reverts).

    \b
    Examples:
      curator suggest --question russian-draft-dodgers
      curator suggest --question russian-draft-dodgers -n 8 --balanced
      curator suggest --question russian-draft-dodgers --apply
    """
    store = app.store()
    slate = suggest(store, slug, count, balanced=balanced, allow_withheld=allow_withheld)
    if do_apply and slate:
        apply(store, slate, actor=current_actor(actor))
    if as_json:
        echo_json([s.__dict__ for s in slate])
        return
    if not slate:
        click.echo("Nothing to suggest: no new or shortlisted replies with a position.", err=True)
    for i, s in enumerate(slate, start=1):
        click.echo(f"{i}. #{s.id}  {printable(s.reason, one_line=True)}")
    if do_apply and slate:
        click.echo(f"Picked {len(slate)} (undo with `curator undo`).", err=True)

"""Decisions on responses: shortlist, pick, reject, unpick, order and tag — by ID or in bulk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from curator.cli.common import App, echo_json, pass_app
from curator.cli.filters import build_filter, filter_options, has_filter, pop_filter
from curator.curate.editing import tag as tag_responses
from curator.curate.queue import select_ids
from curator.curate.service import Changed, current_actor, reorder, set_status
from curator.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def actor_option(func: F) -> F:
    return click.option(
        "--as", "actor", help="Editor name for the audit log (default: $CURATOR_EDITOR or OS user)."
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print what changed as JSON.")(func)


def expect_version_option(func: F) -> F:
    return click.option(
        "--expect-version",
        type=int,
        metavar="N",
        help="Refuse if the response is no longer at version N (another editor changed it).",
    )(func)


def bulk_options(func: F, exclude: tuple[str, ...] = ()) -> F:
    func = click.option(
        "--all-matching", is_flag=True, help="Confirm: change every response the filters match."
    )(func)
    return filter_options(func, exclude)


def resolve_ids(app: App, ids: Sequence[int], kwargs: dict[str, Any]) -> list[int]:
    """The IDs given, or — with filters and --all-matching — every response they match."""
    values = pop_filter(kwargs)
    all_matching = kwargs.pop("all_matching")
    if ids and has_filter(values):
        raise UsageError("give IDs or filters, not both")
    if ids:
        return list(ids)
    if not has_filter(values):
        raise UsageError("give response IDs, or filters such as --question/--search")
    found = select_ids(app.store(), build_filter(values))
    if not found:
        raise UsageError("no responses match these filters — see `curator list` with them")
    if not all_matching:
        raise UsageError(
            f"{len(found)} responses match — add --all-matching to change them all "
            "(see them first with `curator list` and the same filters)"
        )
    return found


def report(changed: Sequence[Changed], as_json: bool) -> None:
    if as_json:
        echo_json([c.__dict__ for c in changed])
        return
    for c in changed:
        order = f" (#{c.pick_order})" if c.pick_order else ""
        click.echo(f"{c.id}: {c.status}{order}", err=True)


def _status_command(name: str, status: str, summary: str, examples: str) -> click.Command:
    @click.command(name, help=f"{summary}\n\n\b\nExamples:\n{examples}")
    @click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
    @click.option("--reason", help="Why (kept in the audit log).")
    @expect_version_option
    @actor_option
    @json_option
    @bulk_options
    @pass_app
    def command(
        app: App,
        /,
        ids: tuple[int, ...],
        reason: str | None,
        expect_version: int | None,
        actor: str | None,
        as_json: bool,
        at: int | None = None,
        **kwargs: Any,
    ) -> None:
        targets = resolve_ids(app, ids, kwargs)
        changed = set_status(
            app.store(),
            targets,
            status,
            actor=current_actor(actor),
            reason=reason,
            expect_version=expect_version,
            at=at,
        )
        report(changed, as_json)

    return command


shortlist = _status_command(
    "shortlist",
    "shortlisted",
    "Put responses on the shortlist.",
    "  curator shortlist 12 15 31\n"
    "  curator shortlist --question russian-draft-dodgers --position admit --search Riga "
    "--all-matching",
)
pick = _status_command(
    "pick",
    "picked",
    "Pick responses for the digest (appended to the running order, or --at N).",
    "  curator pick 12\n  curator pick 31 --at 1          # lead the digest with it",
)
pick = click.option(
    "--at", type=click.IntRange(min=1), metavar="N", help="Put the pick at place N in the order."
)(pick)
reject = _status_command(
    "reject",
    "rejected",
    "Reject responses.",
    "  curator reject 40 --reason 'off topic'\n"
    "  curator reject --search 'crypto giveaway' --all-matching --reason spam",
)
unpick = _status_command(
    "unpick", "new", "Return responses to new.", "  curator unpick 12\n  curator unpick 12 31"
)


@click.command()
@click.argument("ids", nargs=-1, required=True, type=int, metavar="ID...")
@actor_option
@json_option
@pass_app
def order(app: App, ids: tuple[int, ...], actor: str | None, as_json: bool) -> None:
    """Set the running order of picks: these first, in this order; the rest follow.

    \b
    Examples:
      curator order 31 12 7           # 31 leads, then 12, then 7, then the other picks
    """
    report(reorder(app.store(), ids, actor=current_actor(actor)), as_json)


@click.command()
@click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
@click.option("--position", "new_position", metavar="KEY", help="Set this position.")
@click.option("--argument", "add", multiple=True, metavar="KEY", help="Add an argument tag.")
@click.option("--no-argument", "remove", multiple=True, metavar="KEY", help="Remove one.")
@expect_version_option
@actor_option
@json_option
@lambda f: bulk_options(f, exclude=("position", "argument"))
@pass_app
def tag(
    app: App,
    /,
    ids: tuple[int, ...],
    new_position: str | None,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    expect_version: int | None,
    actor: str | None,
    as_json: bool,
    **kwargs: Any,
) -> None:
    """Correct the position and argument tags of responses (kept over re-tagging).

    Positions and arguments are the question's configured keys. Instead of IDs, the filter
    options select responses in bulk (with --all-matching).

    \b
    Examples:
      curator tag 12 --position admit
      curator tag 12 --argument security_risk --no-argument moral_duty
      curator tag --search "FSB" --question russian-draft-dodgers --all-matching \\
          --argument security_risk
    """
    targets = resolve_ids(app, ids, kwargs)
    changed = tag_responses(
        app.store(),
        targets,
        actor=current_actor(actor),
        position=new_position,
        add=add,
        remove=remove,
        expect_version=expect_version,
    )
    report(changed, as_json)

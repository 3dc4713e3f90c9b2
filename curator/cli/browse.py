"""`curator list` and `curator show`."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from curator.cli.common import App, echo_json, pass_app
from curator.cli.filters import build_filter, filter_options, pop_filter, sort_option
from curator.cli.printable import cell, printable
from curator.cli.show import print_record, who
from curator.curate.audit import history
from curator.curate.queue import records as list_records_of
from curator.errors import UsageError
from curator.store.queries import find_raw, find_record

TABLE_LIMIT = 50  # rows the table shows unless --limit says otherwise
KINDS = (
    "response",
    "auto_reply",
    "bounce",
    "unsubscribe",
    "spam",
    "forward",
    "off_topic",
    "empty",
    "duplicate",
    "superseded",
)


@click.command("list")
@filter_options
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind.")
@click.option("--all", "all_kinds", is_flag=True, help="Every message, not just responses.")
@sort_option
@click.option("--newest", is_flag=True, help="Newest first (the same as --sort newest).")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    metavar="N",
    help=f"At most N rows; 0 for all (the table shows {TABLE_LIMIT} unless told, --json all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@pass_app
def list_(
    app: App,
    /,
    kinds: tuple[str, ...],
    all_kinds: bool,
    sort: str,
    newest: bool,
    limit: int | None,
    as_json: bool,
    **filters: Any,
) -> None:
    """List responses (or, with --all, every stored message).

    The table shows the first 50 that match, and says when there are more; --json prints
    every match (both stop at --limit N when given; 0 means no limit).

    \b
    Examples:
      curator list
      curator list --question russian-draft-dodgers --position admit --sort quality
      curator list --needs-review --limit 20
      curator list --status picked --limit 0          # every row, however many
      curator list --search "Riga FSB" --country LV
      curator list --all --json | jq '.[] | select(.kind == "bounce") | .id'
    """
    if all_kinds and kinds:
        raise UsageError("--all and --kind contradict each other — give one of them")
    if limit is None and not as_json:
        limit = TABLE_LIMIT
    fetch = limit or None  # 0: no limit
    if fetch and not as_json:
        fetch += 1  # one row more than shown tells the table whether more match
    flt = build_filter(
        pop_filter(filters),
        kinds=() if all_kinds else (kinds or ("response",)),
        limit=fetch,
        sort="newest" if newest else sort,
    )
    records = list_records_of(app.store(), flt)
    if as_json:
        echo_json(records)
        return
    more = limit is not None and 0 < limit < len(records)
    _print_table(records[:limit] if more else records, more)


def _tag(r: dict[str, Any]) -> str:
    """``admit .92`` for the tagger's guess, ``admit ✓`` for an editor's tag."""
    if not r.get("position"):
        return ""
    if r.get("position_source") == "editor":
        return f"{r['position']} ✓"
    conf = r.get("position_confidence")
    return f"{r['position']} {conf:.2f}".replace(" 0.", " .") if conf is not None else r["position"]


def _print_table(records: list[dict[str, Any]], more: bool) -> None:
    console = Console()
    if not records:
        click.echo("No messages match.", err=True)
        return
    table = Table(show_lines=False, expand=True)
    for col, kw in (
        ("id", {"justify": "right", "no_wrap": True}),
        ("kind", {"no_wrap": True}),
        ("status", {"no_wrap": True}),
        ("position", {"no_wrap": True}),
        ("who", {"max_width": 28, "no_wrap": True, "overflow": "ellipsis"}),
        ("reply", {"ratio": 1, "no_wrap": True, "overflow": "ellipsis", "min_width": 20}),
    ):
        table.add_column(col, **kw)
    for r in records:
        name = who(r)
        reply = str(r.get("excerpt") or r.get("reply") or r.get("subject") or "")
        table.add_row(
            str(r["id"]),
            str(r["kind"] or "—"),
            str(r["status"] or "") + (f" #{r['pick_order']}" if r.get("pick_order") else ""),
            cell(_tag(r)),
            cell(name),
            cell(" ".join(reply.split())[: console.width]),  # no more than can show
        )
    console.print(table)
    if more:
        click.echo(
            f"The first {len(records)} shown; more match — narrow the filters, or --limit N "
            "(0 for all)",
            err=True,
        )
    else:
        click.echo(f"{len(records)} messages", err=True)


@click.command()
@click.argument("message_id", metavar="ID", type=int)
@click.option("--elided", is_flag=True, help="Also show what was cut from the reply.")
@click.option(
    "--raw",
    is_flag=True,
    help="Print the raw message exactly as received (on a terminal, control characters escaped).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@pass_app
def show(app: App, message_id: int, elided: bool, raw: bool, as_json: bool) -> None:
    """Show one message: the reply, its attribution and tags.

    \b
    Examples:
      curator show 42
      curator show 42 --elided
      curator show 42 --raw > reply-42.eml
    """
    with app.store().transaction() as session:
        record = find_record(session, message_id)
        data = find_raw(session, message_id) if raw else None
    if record is None:
        raise UsageError(f"no message with id {message_id} — see `curator list --all`")
    if raw:
        if sys.stdout.isatty():  # for a person: the mail's control characters made visible
            click.echo(printable(_decoded(data or b"")), nl=False)
        else:  # for a file or a pipe: the bytes exactly as received
            sys.stdout.buffer.write(data or b"")
        return
    if as_json:
        echo_json(record | {"history": [e.__dict__ for e in history(app.store(), message_id)]})
        return
    print_record(app.store(), record, elided=elided)


def _decoded(raw: bytes) -> str:
    """Raw mail as text for a terminal: 8-bit bytes that are not UTF-8 shown as escapes."""
    return raw.decode("utf-8", errors="backslashreplace").replace("\r\n", "\n")

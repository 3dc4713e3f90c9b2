"""`curator list` and `curator show`."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from curator.cli.common import App, echo_json, pass_app
from curator.errors import UsageError
from curator.store.queries import ListFilter, find_raw, find_record, list_records

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
@click.option("--question", help="Only replies to this question (slug).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind.")
@click.option("--all", "all_kinds", is_flag=True, help="Every message, not just responses.")
@click.option("--position", help="Only this position key.")
@click.option("--status", type=click.Choice(("new", "shortlisted", "picked", "rejected")))
@click.option("--search", help="Text in the reply, name, location or subject.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@click.option("--newest", is_flag=True, help="Newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array for scripts.")
@pass_app
def list_(
    app: App,
    question: str | None,
    kinds: tuple[str, ...],
    all_kinds: bool,
    position: str | None,
    status: str | None,
    search: str | None,
    limit: int | None,
    newest: bool,
    as_json: bool,
) -> None:
    """List responses (or, with --all, every stored message).

    \b
    Examples:
      curator list
      curator list --question russian-draft-dodgers --position admit
      curator list --all --json | jq '.[] | select(.kind == "bounce") | .id'
      curator list --search Riga --limit 5
    """
    if all_kinds and kinds:
        raise UsageError("--all and --kind contradict each other — give one of them")
    flt = ListFilter(
        question=question,
        kinds=() if all_kinds else (kinds or ("response",)),
        position=position,
        status=status,
        search=search,
        limit=limit,
        newest_first=newest,
    )
    with app.store().transaction() as session:
        records = list_records(session, flt)
    if as_json:
        echo_json(records)
        return
    _print_table(records)


def _print_table(records: list[dict[str, object]]) -> None:
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
        who = _who(r)
        reply = str(r.get("excerpt") or r.get("reply") or r.get("subject") or "")
        table.add_row(
            str(r["id"]),
            str(r["kind"] or "—"),
            str(r["status"] or ""),
            str(r["position"] or ""),
            who,
            " ".join(reply.split())[:200],
        )
    console.print(table)
    click.echo(f"{len(records)} messages", err=True)


def _who(r: dict[str, object]) -> str:
    name = "(withheld)" if r.get("withhold_name") else (r.get("name") or r.get("from_name") or "")
    loc = r.get("location")
    return f"{name}, {loc}" if loc else str(name)


@click.command()
@click.argument("message_id", metavar="ID", type=int)
@click.option("--elided", is_flag=True, help="Also show what was cut from the reply.")
@click.option("--raw", is_flag=True, help="Print the raw message exactly as received.")
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
        sys.stdout.buffer.write(data or b"")
        return
    if as_json:
        echo_json(record)
        return
    console = Console()
    console.print(f"[bold]#{record['id']}[/bold]  {record['kind'] or 'unprocessed'}", end="")
    console.print(f"  status: {record['status']}" if record["status"] else "")
    console.print(f"From: {record['from_name'] or ''} <{record['from'] or ''}>", markup=False)
    console.print(f"Subject: {record['subject'] or ''}", markup=False)
    if record["question"]:
        console.print(f"Question: {record['question']}", markup=False)
    if record["position"]:
        conf = record["position_confidence"]
        extra = f" ({conf:.2f}, {record['position_source']})" if conf is not None else ""
        console.print(f"Position: {record['position']}{extra}", markup=False)
    console.print(f"Attribution: {_who(record)}", markup=False)
    if record["error"]:
        console.print(f"Error: {record['error']}", markup=False, style="red")
    console.print()
    console.print(str(record["excerpt"] or record["reply"] or ""), markup=False)
    if elided and record["elided"]:
        console.print("\n[dim]--- elided ---[/dim]")
        console.print(str(record["elided"]), markup=False, style="dim")

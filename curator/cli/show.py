"""How `curator show` prints one message: attribution, tags, the reply, the excerpt as a word
diff against it, and the audit history."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from curator.cli.printable import printable
from curator.curate.audit import describe, history
from curator.curate.excerpt import word_diff
from curator.store.engine import Store


def who(r: dict[str, Any]) -> str:
    name = "(withheld)" if r.get("withhold_name") else (r.get("name") or r.get("from_name") or "")
    loc = r.get("location")
    return f"{name}, {loc}" if loc else str(name)


def print_record(store: Store, record: dict[str, Any], *, elided: bool = False) -> None:
    console = Console(highlight=False)
    _header(console, record)
    console.print()
    console.print(printable(record["reply"]), markup=False)
    if elided and record["elided"]:
        console.print("\n[dim]--- elided ---[/dim]")
        console.print(printable(record["elided"]), markup=False, style="dim")
    if record["excerpt"]:
        words = (
            f"{len(str(record['excerpt']).split())} of {len(str(record['reply']).split())} words"
        )
        console.print(f"\n[bold]Excerpt[/bold] ({words}, as printed; [-cut-] {{+added+}}):")
        console.print(diff_text(str(record["reply"] or ""), str(record["excerpt"])))
    if record["version"] is not None:
        _history(console, store, int(record["id"]))


def _header(console: Console, r: dict[str, Any]) -> None:
    status = f"  status: {r['status']}" if r["status"] else ""
    if r.get("status_reason"):
        status += f" ({escape(printable(r['status_reason'], one_line=True))})"
    order = f" #{r['pick_order']}" if r.get("pick_order") else ""
    version = f"  version {r['version']}" if r.get("version") is not None else ""
    console.print(f"[bold]#{r['id']}[/bold]  {r['kind'] or 'unprocessed'}{status}{order}{version}")
    lines = [
        f"From: {r['from_name'] or ''} <{r['from'] or ''}>",
        f"Subject: {r['subject'] or ''}",
    ]
    if r["question"]:
        lines.append(f"Question: {r['question']}")
    if r["position"]:
        conf = r["position_confidence"]
        extra = f" ({conf:.2f}, {r['position_source']})" if conf is not None else ""
        lines.append(f"Position: {r['position']}{extra}")
    if r.get("argument_details"):
        args = ", ".join(_argument(a) for a in r["argument_details"])
        lines.append(f"Arguments: {args}")
    lines.append(f"Attribution: {who(r)}{_as_signed(r)}")
    for line in lines:
        console.print(printable(line), markup=False)
    if r["error"]:
        console.print(f"Error: {printable(r['error'])}", markup=False, style="red")


def _argument(a: dict[str, Any]) -> str:
    score = a.get("score")
    detail = f"{score:.2f}" if isinstance(score, int | float) else ""
    if a.get("source"):
        detail = f"{detail}, {a['source']}" if detail else str(a["source"])
    return f"{a.get('key')} ({detail})" if detail else str(a.get("key"))


def _as_signed(r: dict[str, Any]) -> str:
    signed = (r.get("original_name"), r.get("original_location"))
    if signed == (r.get("name"), r.get("location")):
        return ""
    name, loc = signed
    return f"   [signed: {', '.join(x for x in (name, loc) if x) or '–'}]"


def diff_text(reply: str, excerpt: str) -> Text:
    text = Text()
    for op, words in word_diff(reply, excerpt):
        if text:
            text.append(" ")
        words = printable(words)
        if op == "=":
            text.append(words)
        elif op == "-":
            text.append(f"[-{words}-]", style="red strike")
        else:
            text.append(f"{{+{words}+}}", style="green bold")
    return text


def _history(console: Console, store: Store, rid: int) -> None:
    events = history(store, rid)
    if not events:
        return
    console.print("\n[bold]History[/bold]")
    for e in reversed(events):
        when = e.at[:19].replace("T", " ")
        line = f"  {when}  {e.actor:<12} {e.action:<9} {describe(e)}"
        console.print(printable(line, one_line=True), markup=False)

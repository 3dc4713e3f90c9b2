"""`curator stats`."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from curator.cli.common import App, echo_json, pass_app
from curator.errors import UsageError
from curator.store.stats import MODEL_ARGUMENTS_COUNTED, question_split

REVIEW_BELOW = 0.6  # the tagger's own threshold for "show this to an editor first"


@click.command("stats")
@click.option("--question", "slug", required=True, help="The question's slug.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_app
def stats_(app: App, slug: str, as_json: bool) -> None:
    """Show how the genuine responses to a question split, by position and argument.

    Arguments count an editor's list as given, else the model's top two suggestions.

    \b
    Examples:
      curator stats --question russian-draft-dodgers
      curator stats --question russian-draft-dodgers --json | jq .positions
    """
    question = app.config.question(slug)
    with app.store().transaction() as session:
        split = question_split(session, slug, REVIEW_BELOW)
    if split is None or question is None:
        raise UsageError(f"no question {slug!r} with responses — check --question")
    labels = {p.key: p.label for p in question.positions}
    arg_labels = {a.key: a.label for a in question.arguments}
    share = (lambda n: round(n / split.total, 4)) if split.total else (lambda n: 0.0)
    data = {
        "question": slug,
        "total": split.total,
        "positions": {
            k: {"count": n, "share": share(n), "label": labels.get(k, k)}
            for k, n in sorted(split.positions.items(), key=lambda kv: -kv[1])
        },
        "editor_confirmed_positions": split.editor_positions,
        "needs_review": split.needs_review,
        "arguments": {
            k: {"count": n, "share": share(n), "label": arg_labels.get(k, k)}
            for k, n in sorted(split.arguments.items(), key=lambda kv: -kv[1])
        },
        "editor_confirmed_arguments": split.editor_arguments,
        "model_arguments_counted": MODEL_ARGUMENTS_COUNTED,
    }
    if as_json:
        echo_json(data)
        return
    console = Console()
    console.print(
        f"[bold]{question.title}[/bold] — {split.total} genuine responses, "
        f"{split.editor_positions} positions confirmed by an editor, "
        f"{split.needs_review} need review"
    )
    for title, counts, names in (
        ("position", split.positions, labels),
        ("argument", split.arguments, arg_labels),
    ):
        table = Table()
        table.add_column(title)
        table.add_column("count", justify="right")
        table.add_column("share", justify="right")
        for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            table.add_row(names.get(key, key), str(n), f"{share(n):.0%}")
        console.print(table)

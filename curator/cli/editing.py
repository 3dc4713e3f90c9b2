"""`curator edit`: trim a reply to an excerpt and fix its attribution; the original stays."""

from __future__ import annotations

import click

from curator.cli.common import App, echo_json, pass_app
from curator.cli.curate import actor_option, expect_version_option, json_option
from curator.cli.printable import printable
from curator.curate.editing import Edit, edit
from curator.curate.service import current_actor
from curator.errors import UsageError
from curator.store.queries import find_record

EDITOR_HELP = (
    "# Trim the reply to the excerpt to print. Mark cuts with … and additions with [brackets].\n"
    "# Lines starting with # are ignored. Save an empty file to print the whole reply.\n"
)


@click.command("edit")
@click.argument("rid", metavar="ID", type=int)
@click.option("--excerpt", help="The excerpt to print (default: open $EDITOR on it).")
@click.option("--reset", is_flag=True, help="Print the whole reply again (drop the excerpt).")
@click.option("--name", help="The name to print ('' = as the reader signed).")
@click.option("--location", help="The place to print ('' = as the reader signed).")
@click.option(
    "--anonymous/--named", "withhold", default=None, help="Withhold the reader's name, or not."
)
@click.option("--force", is_flag=True, help="Store an excerpt that fails the faithfulness check.")
@expect_version_option
@actor_option
@json_option
@pass_app
def edit_(
    app: App,
    rid: int,
    excerpt: str | None,
    reset: bool,
    name: str | None,
    location: str | None,
    withhold: bool | None,
    force: bool,
    expect_version: int | None,
    actor: str | None,
    as_json: bool,
) -> None:
    """Edit a response for print: an excerpt and attribution, keeping the reader's original.

    The excerpt must be the reader's words in order: cuts marked with "…", additions in
    [brackets]. Anything else is refused (unless --force); a dropped "not" is warned about.
    `curator show ID` prints the original beside the excerpt.

    \b
    Examples:
      curator edit 42                                  # opens $EDITOR
      curator edit 42 --excerpt "We should admit them … they are deserters, not spies."
      curator edit 42 --name "Anna K." --location "Riga, Latvia"
      curator edit 42 --anonymous
      curator edit 42 --reset
    """
    if reset and excerpt is not None:
        raise UsageError("--reset and --excerpt contradict each other — give one of them")
    store = app.store()
    if reset:
        excerpt = ""
    elif excerpt is None and name is None and location is None and withhold is None:
        excerpt, expect_version = _from_editor(app, rid, expect_version)
        if excerpt is None:
            click.echo("No change.", err=True)
            return
    result = edit(
        store,
        rid,
        Edit(excerpt=excerpt, name=name, location=location, withhold=withhold),
        actor=current_actor(actor),
        force=force,
        expect_version=expect_version,
    )
    for warning in (*result.check.problems, *result.check.warnings):
        click.echo(f"Warning: {printable(warning, one_line=True)}", err=True)
    if as_json:
        echo_json(result.changed.__dict__ | {"warnings": list(result.check.warnings)})
    else:
        click.echo(f"{rid}: edited (version {result.changed.version})", err=True)


def _from_editor(app: App, rid: int, expect: int | None) -> tuple[str | None, int | None]:
    """Open $EDITOR on the current excerpt; the version it showed guards the save."""
    with app.store().transaction() as session:
        record = find_record(session, rid)
    if record is None or record["version"] is None:
        raise UsageError(f"no response with id {rid} — see `curator list`")
    current = str(record["excerpt"] or record["reply"] or "")
    text = click.edit(EDITOR_HELP + "\n" + current + "\n", extension=".txt")
    if text is None:
        return None, expect
    kept = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    if " ".join(kept.split()) == " ".join(current.split()):
        return None, expect
    return kept, expect if expect is not None else int(record["version"])

"""`curator render`."""

from __future__ import annotations

from pathlib import Path

import click

from curator.cli.common import App, pass_app
from curator.digest.output import default_out, open_in_browser, read_intro, write_output
from curator.digest.render import EXTENSIONS, FORMATS, render_digest


@click.command("render")
@click.option("--question", "slug", required=True, help="The question's slug.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(tuple(FORMATS)),
    default="html",
    show_default=True,
    help="html (email-safe, CSS inlined), text or markdown.",
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--open",
    "open_",
    is_flag=True,
    help="Write the file (--out, else $CURATOR_HOME/digests/) and open it in a browser.",
)
@click.option("--intro", help="An intro paragraph (blank lines separate paragraphs).")
@click.option(
    "--intro-file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Read the intro from this file ('-': stdin).",
)
@click.option(
    "--fragment",
    is_flag=True,
    help="HTML: only the section (no <html>/<head>), for a newsletter's HTML or code block.",
)
@click.option("--no-stats", is_flag=True, help="Leave out the split by position.")
@click.option("--flat", is_flag=True, help="One running order, no subheads by position.")
@pass_app
def render_(
    app: App,
    slug: str,
    fmt: str,
    out: Path | None,
    open_: bool,
    intro: str | None,
    intro_file: Path | None,
    fragment: bool,
    no_stats: bool,
    flat: bool,
) -> None:
    """Render the picked responses, in pick order, as a digest section.

    Quotes are the editor's excerpt where there is one, else the reply, attributed as the
    reader asked ("— Jane Doe, Lisbon", "— a reader in Riga"), grouped under the question's
    positions (in config order) after a summary of how all replies split.

    \b
    Examples:
      curator render --question russian-draft-dodgers --out digest.html
      curator render --question russian-draft-dodgers --format text
      curator render --question russian-draft-dodgers --intro "Last week we asked…" --open
      curator render --question russian-draft-dodgers --format markdown --flat --no-stats
      curator render --question russian-draft-dodgers --fragment > section.html
    """
    digest, text = render_digest(
        app.store(),
        app.config,
        slug,
        fmt,
        intro=read_intro(intro, intro_file),
        stats=not no_stats,
        flat=flat,
        only_section=fragment,
    )
    if not digest.quotes:
        click.echo(
            f"warning: no picked responses for {slug!r} — pick some with `curator pick ID`",
            err=True,
        )
    if out is None and open_:
        out = default_out(slug, EXTENSIONS[fmt])
    if out is None:
        click.echo(text, nl=False)
        return
    write_output(out, text)
    click.echo(str(out), err=True)
    if open_:
        problem = open_in_browser(out)
        if problem:
            click.echo(f"not opened: {problem} — open {out} yourself", err=True)

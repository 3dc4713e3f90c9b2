"""`curator render`."""

from __future__ import annotations

from pathlib import Path

import click

from curator.cli.common import App, pass_app
from curator.digest.render import FORMATS, build_digest, render


@click.command("render")
@click.option("--question", "slug", required=True, help="The question's slug.")
@click.option("--format", "fmt", type=click.Choice(tuple(FORMATS)), default="html")
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@pass_app
def render_(app: App, slug: str, fmt: str, out: Path | None) -> None:
    """Render the picked responses, in pick order, as a digest section.

    \b
    Examples:
      curator render --question russian-draft-dodgers --out digest.html
      curator render --question russian-draft-dodgers --format text
    """
    text = render(build_digest(app.store(), slug), fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(str(out), err=True)

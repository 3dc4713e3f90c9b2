"""The editor and operator CLI: thin commands over the core (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path

import click

from curator import __version__
from curator.cli.admin import db, reprocess, retag
from curator.cli.audit import log_, undo_
from curator.cli.browse import list_, show
from curator.cli.common import App, CuratorGroup, setup_logging
from curator.cli.curate import order, pick, reject, shortlist, tag, unpick
from curator.cli.digest import render_
from curator.cli.editing import edit_
from curator.cli.forget import forget_
from curator.cli.mail import import_, poll
from curator.cli.ops import auth, doctor, status_, watch
from curator.cli.review import review
from curator.cli.stats import stats_
from curator.cli.suggest import suggest_


@click.group(cls=CuratorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="CURATOR_CONFIG",
    help="Config file (default: $CURATOR_HOME/config.toml).",
)
@click.option("-v", "--verbose", count=True, help="Say what happened (-vv for debug).")
@click.option("--traceback", is_flag=True, help="Show Python tracebacks for errors.")
@click.version_option(__version__, prog_name="curator")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int, traceback: bool) -> None:
    """curator: collect, understand and curate reader replies to a newsletter question.

    All state lives under $CURATOR_HOME (default ~/.local/share/curator).

    \b
    Examples:
      curator db upgrade
      curator poll                      # from cron, every few minutes
      curator list --question russian-draft-dodgers
      curator pick 12 31 7
      curator render --question russian-draft-dodgers --out digest.html
    """
    setup_logging(verbose)
    ctx.obj = App(config_path=config_path, verbose=verbose, traceback=traceback)


for command in (
    db,
    poll,
    import_,
    list_,
    show,
    shortlist,
    pick,
    reject,
    unpick,
    order,
    tag,
    edit_,
    log_,
    undo_,
    review,
    suggest_,
    forget_,
    render_,
    reprocess,
    retag,
    stats_,
    status_,
    auth,
    watch,
    doctor,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="curator")

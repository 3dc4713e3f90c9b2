"""The editor and operator CLI: thin commands over the core (DESIGN §6)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from curator import __version__
from curator.cli.common import App, CuratorGroup, setup_logging

# name → (module, attribute). A command's module is imported only when that command runs (or
# when --help lists them all), so `curator poll` from cron does not load the review screen,
# the digest renderer or the tagging model.
COMMANDS: dict[str, tuple[str, str]] = {
    "db": ("admin", "db"),
    "poll": ("mail", "poll"),
    "import": ("mail", "import_"),
    "list": ("browse", "list_"),
    "show": ("browse", "show"),
    "shortlist": ("curate", "shortlist"),
    "pick": ("curate", "pick"),
    "reject": ("curate", "reject"),
    "unpick": ("curate", "unpick"),
    "order": ("curate", "order"),
    "tag": ("curate", "tag"),
    "edit": ("editing", "edit_"),
    "log": ("audit", "log_"),
    "undo": ("audit", "undo_"),
    "review": ("review", "review"),
    "suggest": ("suggest", "suggest_"),
    "forget": ("forget", "forget_"),
    "render": ("digest", "render_"),
    "reprocess": ("admin", "reprocess"),
    "retag": ("admin", "retag"),
    "stats": ("stats", "stats_"),
    "status": ("ops", "status_"),
    "auth": ("ops", "auth"),
    "watch": ("ops", "watch"),
    "doctor": ("ops", "doctor"),
}


class LazyGroup(CuratorGroup):
    """The top-level group: commands are loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module = importlib.import_module(f"curator.cli.{where[0]}")
        command: Any = getattr(module, where[1])
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> None:
    cli(prog_name="curator")

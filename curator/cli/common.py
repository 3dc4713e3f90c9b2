"""What every command shares: the loaded config, the store, output and progress helpers."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from curator.cli.printable import json_safe, printable
from curator.config import Config, load_config
from curator.errors import CuratorError, ExitCode
from curator.store.engine import Store, open_store


@dataclass
class App:
    config_path: Path | None
    verbose: int
    traceback: bool
    _config: Config | None = None
    _store: Store | None = None
    stderr: Console = field(default_factory=lambda: Console(stderr=True))

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def store(self, *, create: bool = True) -> Store:
        if self._store is None:
            self._store = open_store(self.config.database.url, upgrade=create)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None


pass_app = click.make_pass_decorator(App)


class CuratorGroup(click.Group):
    """Maps expected failures onto one ``Error: …`` line and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CuratorError as exc:
            app = ctx.find_object(App)
            if app is not None and app.traceback:
                raise
            click.echo(f"Error: {printable(exc, one_line=True)}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        finally:
            app = ctx.find_object(App)
            if app is not None:
                app.close()


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if verbose < 2:
        logging.getLogger("imapclient").setLevel(logging.WARNING)


def echo_json(data: Any) -> None:
    click.echo(json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str)))


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when it is a terminal; silent under cron and in pipes."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update

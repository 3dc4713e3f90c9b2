"""The CLI contract: help with examples on every command, documented exit codes, a reference."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from curator.cli import cli
from curator.cli.reference import render_reference

REPO = Path(__file__).resolve().parents[1]


def all_commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []

    def walk(prefix: str, group: click.Group) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, name
            out.append((f"{prefix} {name}".strip(), cmd))
            if isinstance(cmd, click.Group):
                walk(f"{prefix} {name}", cmd)

    walk("", cli)
    return out


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda x: str(x))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"{name} has no help"
    assert command.get_short_help_str(), f"{name} has no one-line summary"
    if not isinstance(command, click.Group):
        assert "Examples:" in command.help and "curator " in command.help, name


def test_cli_reference_is_current() -> None:
    """docs/cli.md is generated: `python -m curator.cli.reference > docs/cli.md`."""
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == render_reference()


def test_unknown_command_is_exit_2(curator_home: Path) -> None:
    assert CliRunner().invoke(cli, ["frobnicate"]).exit_code == 2


def test_bad_config_is_exit_2_with_one_line(curator_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[database]\nurll = 'x'\n")
    result = CliRunner().invoke(cli, ["--config", str(bad), "list"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: ")
    assert "unknown key 'urll'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_poll_without_mailboxes_is_a_config_error(curator_home: Path) -> None:
    result = CliRunner().invoke(cli, ["poll"])
    assert result.exit_code == 2
    assert "no [[mailboxes]] configured" in result.output


def test_show_unknown_id(curator_home: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "99"])
    assert result.exit_code == 2
    assert "no message with id 99" in result.output


def test_db_upgrade_and_current(curator_home: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "upgrade"])
    assert first.exit_code == 0 and "empty →" in first.output
    second = runner.invoke(cli, ["db", "upgrade"])
    assert "already at" in second.output
    current = runner.invoke(cli, ["db", "current"])
    assert current.exit_code == 0 and "(head " in current.output

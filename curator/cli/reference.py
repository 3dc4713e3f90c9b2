"""Generate docs/cli.md from the commands' own --help (a test checks it is current).

python -m curator.cli.reference > docs/cli.md
"""

from __future__ import annotations

import click

from curator.cli import cli


def render_reference() -> str:
    parts = ["# curator CLI reference\n", "Generated from `--help`; do not edit by hand.\n"]

    def walk(path: list[str], command: click.Command) -> None:
        ctx = click.Context(
            command, info_name=" ".join(path), terminal_width=100, **cli.context_settings
        )
        parts.append(f"\n## `{' '.join(path)}`\n\n```\n{command.get_help(ctx)}\n```\n")
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk([*path, name], sub)

    walk(["curator"], cli)
    return "".join(parts)


if __name__ == "__main__":
    print(render_reference(), end="")

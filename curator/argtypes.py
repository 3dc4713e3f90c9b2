"""argparse helpers shared by the measuring scripts (scripts/bench, scripts/eval)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence


def choice_list(choices: Sequence[str], what: str) -> Callable[[str], list[str]]:
    """An argparse ``type`` for "a,b" lists of known names; use with ``action="extend"``."""

    def parse(value: str) -> list[str]:
        names = [n.strip() for n in value.split(",") if n.strip()]
        if unknown := [n for n in names if n not in choices]:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(unknown)} (choose from {', '.join(choices)})"
            )
        return names

    return parse

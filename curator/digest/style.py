"""The house style of the default digest template, from the ``[digest]`` config table."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from curator.errors import ConfigError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class DigestStyle:
    heading: str | None = None  # e.g. "What you said"; None: the question's title
    accent: str = "#c8102e"  # quote rule and links
    text: str = "#1a1a1a"
    muted: str = "#555555"  # attributions
    font: str = "Georgia, 'Times New Roman', serif"
    width: int = 600  # px, the newsletter column
    background: str = "#ffffff"
    track: str = "#e6e6e6"  # the unfilled part of a split bar
    bars: bool = True  # draw the split as bars under its sentence (HTML)
    other_heading: str = "Other views"  # subhead for picks not yet tagged with a position
    # Printed under the quotes when the editor trimmed any of them; "" prints nothing.
    edited_note: str = "Some replies have been edited for length and clarity."


def parse_style(table: Mapping[str, Any], where: str) -> DigestStyle:
    allowed = set(DigestStyle.__dataclass_fields__)
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} — expected one of {', '.join(sorted(allowed))}"
        )
    values: dict[str, Any] = {}
    for key in ("accent", "text", "muted", "background", "track"):
        if key in table:
            if not isinstance(table[key], str) or not _COLOUR.match(table[key]):
                raise ConfigError(f'{where}: {key} must be a colour like "#c8102e"')
            values[key] = table[key]
    for key in ("heading", "font"):
        if key in table:
            values[key] = _css_safe_string(table[key], key, where)
    for key in ("other_heading", "edited_note"):
        if key in table:
            if not isinstance(table[key], str):
                raise ConfigError(f"{where}: {key} must be a string")
            values[key] = table[key].strip()
    if "bars" in table:
        if not isinstance(table["bars"], bool):
            raise ConfigError(f"{where}: bars must be true or false")
        values["bars"] = table["bars"]
    if "width" in table:
        width = table["width"]
        if isinstance(width, bool) or not isinstance(width, int) or not 320 <= width <= 1200:
            raise ConfigError(f"{where}: width must be an integer from 320 to 1200 (pixels)")
        values["width"] = width
    return DigestStyle(**values)


def _css_safe_string(value: Any, key: str, where: str) -> str:
    """A non-empty string that can sit in a <style> block (the font) or a heading."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} must be a non-empty string")
    if re.search(r"[<>;{}]", value):
        raise ConfigError(f"{where}: {key} may not contain < > ; {{ }}")
    return value

"""Where a rendered digest goes: a file, and optionally the editor's web browser."""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

from curator.config import curator_home
from curator.errors import UsageError


def read_intro(text: str | None, path: Path | None) -> str | None:
    """``--intro TEXT`` or ``--intro-file F`` (``-`` reads stdin); not both."""
    if text is not None and path is not None:
        raise UsageError("give --intro or --intro-file, not both")
    if path is None:
        return text
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read --intro-file {path}: {exc}") from None


def default_out(slug: str, extension: str) -> Path:
    """Where ``--open`` without ``--out`` writes: ``$CURATOR_HOME/digests/SLUG.html``."""
    return curator_home() / "digests" / f"{slug}{extension}"


def write_output(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror} — check --out") from None


def open_in_browser(path: Path) -> str | None:
    """Open the file in a browser; return why not when none is available (headless, CI)."""
    if _is_headless():
        return "no display to open a browser on"
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "no web browser found"
    try:
        opened = browser.open(path.resolve().as_uri())
    except OSError as exc:
        return f"the browser did not start ({exc})"
    return None if opened else "the browser did not start"


def _is_headless() -> bool:
    """On Linux and the BSDs a GUI browser needs X11 or Wayland; $BROWSER overrides the check.

    Without this, `webbrowser` falls back to a console browser (lynx, w3m) that would take over
    the terminal of a script or a CI job.
    """
    if os.environ.get("BROWSER") or sys.platform in ("darwin", "win32"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

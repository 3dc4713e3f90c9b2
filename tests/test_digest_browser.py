"""The rendered digest in a real browser: headless Chromium at phone and desktop widths.

Chromium is driven over the DevTools protocol (one WebSocket, flat sessions) by the small client
below, so the test measures the page as laid out: no horizontal overflow, every quote visible.
``scripts/test`` installs Debian's ``chromium`` when run as root; set ``CURATOR_TEST_CHROMIUM``
to use another binary.  Under CI=true a missing Chromium fails instead of skipping.

The same client takes the README screenshot (``scripts/screenshot-digest`` runs it)::

    python tests/test_digest_browser.py --screenshot docs/digest-demo.png demo-output/digest.html
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM_ENV = "CURATOR_TEST_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# This machine's network is closed, and a test must not reach the internet anyway.
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)
PHONE, DESKTOP = 375, 1024
TIMEOUT = 30.0

MEASURE = """(() => {
  const vw = window.innerWidth;
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  return JSON.stringify({
    viewport: vw,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    scrollHeight: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
    section: box(document.querySelector('table.section')),
    quotes: Array.from(document.querySelectorAll('td.quote-body')).map((el) =>
      Object.assign(box(el), {text: el.innerText.slice(0, 60)})),
  });
})()"""


def find_chromium() -> str | None:
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


class DevTools:
    """A headless Chromium and one page in it, over the DevTools protocol."""

    def __init__(self, binary: str) -> None:
        import websocket  # websocket-client (a dev dependency)

        # Chromium's helper processes may still write to the profile as the browser exits:
        # a throwaway folder, so a leftover file must not fail the test.
        self._profile = tempfile.TemporaryDirectory(
            prefix="curator-chromium-", ignore_cleanup_errors=True
        )
        args = [binary, *FLAGS, f"--user-data-dir={self._profile.name}"]
        args += ["--remote-debugging-port=0", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            url = self._browser_url()
            self._ws = websocket.create_connection(url, timeout=TIMEOUT, suppress_origin=True)
            self._next = 0
            self._events: list[dict[str, Any]] = []
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
            self._session: str | None = attached["sessionId"]
            self.call("Page.enable", session=True)
        except BaseException:
            self.close()
            raise

    def _browser_url(self) -> str:
        """Chromium writes its port and browser path to DevToolsActivePort once it listens."""
        marker = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (
                    self.process.stderr.read().decode(errors="replace")
                    if self.process.stderr
                    else ""
                )
                raise RuntimeError(f"chromium exited with {self.process.returncode}: {err[-2000:]}")
            lines = marker.read_text().split() if marker.is_file() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port in time")

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") != self._next:
                self._events.append(reply)  # an event can arrive before the reply it follows
                continue
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            result: dict[str, Any] = reply.get("result", {})
            return result

    def wait_event(self, name: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            event = self._events.pop(0) if self._events else json.loads(self._ws.recv())
            if event.get("method") == name and event.get("sessionId") == self._session:
                return
        raise RuntimeError(f"no {name} event in time")

    def load(self, path: Path, width: int, height: int = 800, scale: float = 1) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=scale,
            mobile=width < 600,  # a phone honours <meta name="viewport">
        )
        self._events.clear()
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def measure(self) -> dict[str, Any]:
        measured: dict[str, Any] = json.loads(self.evaluate(MEASURE))
        return measured

    def screenshot(self, out: Path, width: int, scale: float = 2) -> None:
        """The whole page, not just the viewport, as PNG."""
        height = int(self.measure()["scrollHeight"])
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=scale,
            mobile=width < 600,
        )
        shot = self.call(
            "Page.captureScreenshot",
            session=True,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self._profile.cleanup()


@contextlib.contextmanager
def chromium_page(binary: str) -> Iterator[DevTools]:
    browser = DevTools(binary)
    try:
        yield browser
    finally:
        browser.close()


# ---------------------------------------------------------------------------------------------
# Tests


@pytest.fixture(scope="module")
def browser() -> Iterator[DevTools]:
    from tests.services import unavailable

    binary = find_chromium()
    if binary is None:
        unavailable(f"no Chromium ({', '.join(CANDIDATES)} or ${CHROMIUM_ENV}); ./scripts/test "
                    "installs Debian's chromium when run as root")  # fmt: skip
    with chromium_page(binary) as page:
        yield page


LONG_WORD = "https://example.org/" + "a-very-long-path-segment-" * 12
WIDE_REPLY = (
    f"See {LONG_WORD} for the whole story.\n\n"
    "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt says no.\n\n"
    "עברית: אני חושב שצריך לתת להם להיכנס 🕊️\n\n"
    "<table><tr><td>" + "wide " * 3 + "</td></tr></table> and a pasted table of words"
)


@pytest.fixture
def digest_file(curator_home: Path) -> tuple[Path, int]:
    """The golden-test newsroom plus hostile and unbreakable text, rendered by the CLI."""
    from tests import test_digest as td

    room = td.make_newsroom(curator_home, f"sqlite:///{curator_home / 'curator.db'}")
    try:
        picks = td.add_signal_replies(room)
        picks.append(room.add(WIDE_REPLY, name=td.HOSTILE_NAME, location=LONG_WORD))
        picks.append(room.add(td.HOSTILE_REPLY, name="Ana", location="Braga", position="admit"))
        room.run("pick", *map(str, picks))
        out = curator_home / "digest.html"
        room.run("render", "--question", td.SLUG, "--intro", td.INTRO, "--out", str(out))
    finally:
        room.store.dispose()
    return out, len(picks)


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone-375", "desktop-1024"])
def test_layout_fits_and_every_quote_shows(
    browser: DevTools, digest_file: tuple[Path, int], width: int
) -> None:
    path, picks = digest_file
    browser.load(path, width)
    m = browser.measure()
    assert m["viewport"] == width
    assert m["scrollWidth"] <= width, f"horizontal overflow: {m['scrollWidth']} > {width}"
    assert len(m["quotes"]) == picks
    for quote in m["quotes"]:
        assert quote["width"] > 0 and quote["height"] > 0, quote
        assert quote["left"] >= 0 and quote["right"] <= width + 0.5, quote
    section = m["section"]
    assert section["width"] <= 600 + 0.5  # the newsletter column, never wider
    if width == PHONE:
        assert section["width"] >= width - 40, "the column should fill a phone"
    else:
        assert abs((section["left"] + section["right"]) / 2 - width / 2) < 2, "centred"
    assert browser.evaluate("document.querySelectorAll('script, img, iframe').length") == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot a rendered digest in Chromium.")
    parser.add_argument("html", type=Path, help="the digest HTML file")
    parser.add_argument("--screenshot", type=Path, required=True, help="PNG to write")
    parser.add_argument("--width", type=int, default=PHONE, help="viewport width in CSS px")
    parser.add_argument("--scale", type=float, default=2, help="device pixel ratio")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        print(f"no such file: {args.html}", file=sys.stderr)
        return 2
    binary = find_chromium()
    if binary is None:
        print(f"no Chromium found ({', '.join(CANDIDATES)} or ${CHROMIUM_ENV})", file=sys.stderr)
        return 1
    with chromium_page(binary) as page:
        page.load(args.html, args.width, scale=args.scale)
        measured = page.measure()
        page.screenshot(args.screenshot, args.width, scale=args.scale)
    print(f"{args.screenshot}: {args.width} px wide, {measured['scrollHeight']} px tall, "
          f"{len(measured['quotes'])} quotes", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

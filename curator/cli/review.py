"""`curator review`: a full-screen, one-key-per-decision loop over the review queue.

Built on prompt_toolkit rather than Textual: it is one pure-Python dependency (plus wcwidth),
starts in a fraction of the time, and has what this screen needs — key bindings with modes,
a full-screen layout, and `run_in_terminal` to hand the terminal to $EDITOR and come back.
Keys follow Coral Talk's moderation hotkeys where they overlap (j/k, ?); no confirm dialogs:
every decision is undoable with u.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

from curator.cli.common import App, pass_app
from curator.cli.curate import actor_option
from curator.cli.filters import build_filter, filter_options, pop_filter
from curator.cli.printable import printable
from curator.cli.show import who
from curator.curate.review import ReviewSession
from curator.curate.service import current_actor
from curator.errors import UsageError

HELP = """\
  j / ↓   next            k / ↑   previous
  p       pick            s       shortlist         r   reject
  t       tag position, then its number
  a       arguments: each number toggles one; Enter or Esc when done
  e       edit the excerpt in $EDITOR (the reader's original is kept)
  u       undo your last change
  /       search (words in reply, name, place); empty to clear
  ?       this help         q       quit
"""


class ReviewScreen:
    def __init__(self, session: ReviewSession) -> None:
        self.s = session
        self.mode = "normal"  # normal | tag | args | search | help
        self.search = Buffer(multiline=False, accept_handler=self._searched)
        self.app: Application[None] = Application(
            layout=self._layout(), key_bindings=self._keys(), full_screen=True
        )

    # -- layout ------------------------------------------------------------------------------

    def _layout(self) -> Layout:
        searching = Condition(lambda: self.mode == "search")
        body = Window(FormattedTextControl(self._body), wrap_lines=True)
        return Layout(
            HSplit(
                [
                    Window(FormattedTextControl(self._header), height=1, style="reverse"),
                    body,
                    Window(FormattedTextControl(self._footer), height=2),
                    ConditionalContainer(
                        Window(BufferControl(self.search), height=1, style="underline"),
                        filter=searching,
                    ),
                ]
            ),
            focused_element=body,
        )

    def _header(self) -> StyleAndTextTuples:
        s = self.s
        where = s.flt.question or "all questions"
        pos = f"{s.index + 1}/{len(s.ids)}" if s.ids else "0/0"
        search = f" — search “{printable(s.flt.search, one_line=True)}”" if s.flt.search else ""
        return [("bold", f" curator review — {where}{search} — {pos} "), ("", "  ? help  q quit")]

    def _body(self) -> StyleAndTextTuples:
        if self.mode == "help":
            return [("", HELP)]
        r = self.s.record
        if r is None:
            return [("", "\n  Nothing to review here. Press / to search, q to quit.\n")]
        conf = r["position_confidence"]
        tag = f"{r['position'] or 'untagged'}" + (
            f" ({conf:.2f}, {r['position_source']})" if conf is not None else ""
        )
        lines: StyleAndTextTuples = [
            ("bold", f"#{r['id']}"),
            ("", f"  {r['status']}  version {r['version']}\n"),
            ("", f"— {printable(who(r), one_line=True)}\n"),
            ("", f"Position: {tag}\n"),
            ("", f"Arguments: {', '.join(r['arguments']) or '–'}\n\n"),
        ]
        if r["excerpt"]:
            lines += [
                ("italic", "Excerpt (original kept; `curator show` has the diff):\n"),
                ("", f"{printable(r['excerpt'])}\n\n"),
                ("italic", "Original:\n"),
            ]
        lines.append(("", printable(r["reply"])))
        return lines

    def _footer(self) -> StyleAndTextTuples:
        return [("bold", self._prompt() + "\n"), ("", printable(self.s.message, one_line=True))]

    def _prompt(self) -> str:
        positions, arguments = self.s.labels()
        if self.mode == "tag":
            keys = "  ".join(f"{i}={p.key}" for i, p in enumerate(positions, 1))
            return f"Position: {keys}   Esc cancel"
        if self.mode == "args":
            have = set(self.s.record["arguments"]) if self.s.record else set()
            marks = "  ".join(
                f"{i}={'*' if a.key in have else ''}{a.key}" for i, a in enumerate(arguments, 1)
            )
            return f"Arguments (toggle): {marks}   Enter done"
        if self.mode == "search":
            return "Search (Enter to apply, Esc to cancel):"
        return "j/k move  p pick  s shortlist  r reject  t tag  a args  e edit  u undo  / search"

    # -- keys --------------------------------------------------------------------------------

    def _keys(self) -> KeyBindings:
        kb = KeyBindings()
        normal = Condition(lambda: self.mode == "normal")
        s = self.s

        def bind(keys: tuple[str, ...], action: Any, flt: Any = normal) -> None:
            for key in keys:
                kb.add(key, filter=flt)(lambda event, a=action: a(event))

        bind(("j", "down"), lambda e: s.move(1))
        bind(("k", "up"), lambda e: s.move(-1))
        bind(("p",), lambda e: s.decide("picked"))
        bind(("s",), lambda e: s.decide("shortlisted"))
        bind(("r",), lambda e: s.decide("rejected"))
        bind(("u",), lambda e: s.undo())
        bind(("t",), lambda e: self._enter("tag"))
        bind(("a",), lambda e: self._enter("args"))
        bind(("e",), self._edit)
        bind(("/",), self._start_search)
        bind(("?",), lambda e: self._enter("help"))
        bind(("q", "c-c"), lambda e: e.app.exit())
        for n in range(1, 10):
            bind(
                (str(n),),
                lambda e, n=n: self._number(n),
                Condition(lambda: self.mode in ("tag", "args")),
            )
        bind(
            ("escape", "enter"),
            lambda e: self._enter("normal"),
            Condition(lambda: self.mode in ("tag", "args")),
        )
        bind(("escape",), self._cancel_search, Condition(lambda: self.mode == "search"))
        bind(
            ("q", "escape", "?"),
            lambda e: self._enter("normal"),
            Condition(lambda: self.mode == "help"),
        )
        return kb

    def _enter(self, mode: str) -> None:
        self.mode = mode if self.s.record is not None or mode in ("normal", "help") else "normal"

    def _number(self, n: int) -> None:
        positions, arguments = self.s.labels()
        if self.mode == "tag":
            if n <= len(positions):
                self.s.tag_position(positions[n - 1].key)
            self.mode = "normal"
        elif n <= len(arguments):
            self.s.toggle_argument(arguments[n - 1].key)

    def _start_search(self, event: KeyPressEvent) -> None:
        self.mode = "search"
        self.search.text = self.s.flt.search or ""
        event.app.layout.focus(self.search)

    def _searched(self, buffer: Buffer) -> bool:
        self.s.search(buffer.text)
        self._cancel_search(None)
        return True

    def _cancel_search(self, event: KeyPressEvent | None) -> None:
        self.mode = "normal"
        self.app.layout.focus_last()

    def _edit(self, event: KeyPressEvent) -> None:
        record = self.s.record
        if record is None:
            return
        current = str(record["excerpt"] or record["reply"] or "")

        def run_editor() -> None:
            text = click.edit(current + "\n", extension=".txt")
            if text is not None and " ".join(text.split()) != " ".join(current.split()):
                self.s.set_excerpt(text)

        run_in_terminal(run_editor)


@click.command("review")
@filter_options
@actor_option
@pass_app
def review(app: App, /, actor: str | None, **filters: Any) -> None:
    """Review replies full-screen, one key per decision (p pick, s shortlist, r reject…).

    Goes through the review queue (new replies whose tag is missing or unsure) unless other
    filters are given. Press ? on the screen for every key.

    \b
    Examples:
      curator review --question russian-draft-dodgers
      curator review --status shortlisted --question russian-draft-dodgers
      curator review --search Riga
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "review needs a terminal — in scripts use `curator list` and `curator pick`"
        )
    values = pop_filter(filters)
    if not any(v not in (None, False) for k, v in values.items() if k != "question"):
        values["needs_review"] = True
    session = ReviewSession(app.store(), build_filter(values), current_actor(actor))
    ReviewScreen(session).app.run()

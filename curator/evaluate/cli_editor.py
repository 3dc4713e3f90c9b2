"""An editor who corrects tags through the real CLI, for the "(b) after 20 corrections" figure.

Each correction becomes a reply mail that goes through ``curator import`` (understanding,
routing, tagging, the store) and then ``curator tag ID --position P --argument A…``; the tagger
used afterwards is fitted the way poll and retag fit it, from the corrections in the database.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from click.testing import CliRunner

from curator.cli import cli
from curator.config import load_config
from curator.questions import Question
from curator.store.engine import open_store
from curator.store.processing import sync_questions
from curator.tagging import Tagger
from curator.tagstage import Taggers


class CliEditor:
    def __init__(self, question: Question) -> None:
        self.question = question
        self._dir = tempfile.TemporaryDirectory(prefix="curator-eval-")
        self.home = Path(self._dir.name)
        self.config = self.home / "config.toml"
        self.config.write_text(_config_toml(question, self.home / "eval.db"), encoding="utf-8")
        self.runner = CliRunner()
        self.count = 0
        self.pending: list[tuple[str, str, tuple[str, ...]]] = []

    def _cli(self, *args: str) -> str:
        env = {"CURATOR_HOME": str(self.home), "CURATOR_CONFIG": str(self.config)}
        result = self.runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        if result.exit_code != 0:
            raise RuntimeError(f"curator {' '.join(args)} failed: {result.output}")
        return result.stdout

    def correct(self, text: str, position: str, arguments: tuple[str, ...]) -> None:
        self.count += 1
        path = self.home / "mail" / f"{self.count:03d}.eml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(_reply_mail(self.question, text, self.count))
        self.pending.append((f"<eval{self.count}@example.org>", position, arguments))

    def _apply(self) -> None:
        """Import the replies (one `curator import`), then one `curator tag` per correction."""
        if not self.pending:
            return
        self._cli("import", "--json", str(self.home / "mail"))
        records = json.loads(self._cli("list", "--all", "--json"))
        ids = {r["message_id"]: r["id"] for r in records}
        for message_id, position, arguments in self.pending:
            args = ["tag", str(ids[message_id]), "--position", position, "--as", "eval"]
            for a in arguments:
                args += ["--argument", a]
            self._cli(*args)
        self.pending.clear()

    def tagger(self) -> Tagger:
        self._apply()
        config = load_config(self.config)
        store = open_store(config.database.url)
        try:
            with store.transaction() as session:
                ids = sync_questions(session, config.questions)
                tagger = Taggers(config.questions, ids).get(session, ids[self.question.slug])
        finally:
            store.dispose()
        if tagger is None:
            raise RuntimeError("no tagger could be fitted from the database")
        return tagger

    def close(self) -> None:
        self._dir.cleanup()


def _reply_mail(question: Question, text: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Reader {n} <reader{n}@example.org>"
    msg["To"] = "replies@example.com"
    msg["Subject"] = f"Re: {question.title}"
    msg["Message-ID"] = f"<eval{n}@example.org>"
    if question.references:
        msg["In-Reply-To"] = question.references[0]
    msg["Date"] = format_datetime(question.date_from or datetime.now(UTC))
    msg.set_content(text)
    return msg.as_bytes()


def _config_toml(question: Question, database: Path) -> str:
    def s(v: str) -> str:
        return json.dumps(v, ensure_ascii=False)

    def arr(vs: tuple[str, ...]) -> str:
        return "[" + ", ".join(s(v) for v in vs) + "]"

    lines = [
        f"[database]\nurl = {s('sqlite:///' + str(database))}\n",
        "[[questions]]",
        f"slug = {s(question.slug)}",
        f"title = {s(question.title)}",
        f"references = {arr(question.references)}",
        f"subject_contains = {arr(question.subject_contains)}",
    ]
    for p in question.positions:
        lines += [
            "[[questions.positions]]",
            f"key = {s(p.key)}",
            f"label = {s(p.label)}",
            f"description = {s(p.description)}",
            f"examples = {arr(p.examples)}",
        ]
    for a in question.arguments:
        lines += [
            "[[questions.arguments]]",
            f"key = {s(a.key)}",
            f"label = {s(a.label)}",
            f"description = {s(a.description)}",
            f"examples = {arr(a.examples)}",
        ]
    return "\n".join(lines) + "\n"

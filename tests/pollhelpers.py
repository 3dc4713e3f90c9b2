"""Helpers for the poll integration tests: a config on disk, the CLI in a subprocess, a proxy."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from curator.store.engine import open_store
from curator.store.models import Message
from tests.services import Dovecot

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Setup:
    home: Path
    config: Path
    db_url: str
    env: dict[str, str]

    def run(
        self, *args: str, extra_env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """``curator --config … ARGS`` in a real subprocess (so it can be killed like cron's)."""
        return subprocess.run(
            [sys.executable, "-m", "curator", "--config", str(self.config), *args],
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
        )

    def popen(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "curator", "--config", str(self.config), *args],
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=REPO,
        )

    def poll_json(self, *args: str, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
        done = self.run("poll", "--json", *args, extra_env=extra_env)
        assert done.stdout, done.stderr
        data: dict[str, Any] = json.loads(done.stdout)
        data["_rc"] = done.returncode
        data["_stderr"] = done.stderr
        return data

    def stored(self) -> list[tuple[int | None, str | None, str | None]]:
        """(uid, Message-ID, kind) of every stored message, in UID order."""
        store = open_store(self.db_url)
        try:
            with store.transaction() as s:
                rows = s.execute(
                    select(Message.uid, Message.message_id, Message.kind).order_by(Message.uid)
                ).all()
                return [(u, m, k) for u, m, k in rows]
        finally:
            store.dispose()

    def count(self) -> int:
        store = open_store(self.db_url)
        try:
            with store.transaction() as s:
                return int(s.scalar(select(func.count()).select_from(Message)) or 0)
        finally:
            store.dispose()


def make_setup(
    tmp_path: Path,
    dovecot: Dovecot,
    db_url: str,
    *,
    security: str = "ssl",
    extra: str = "",
    port: int | None = None,
    ca: bool = True,
    password: str | None = None,
) -> Setup:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    block = dovecot.mailbox_toml("test", security=security)
    if port is not None:
        block = "\n".join(
            f"port = {port}" if line.startswith("port = ") else line for line in block.split("\n")
        )
    if not ca:
        block = "\n".join(line for line in block.split("\n") if not line.startswith("ca_file"))
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n\n{block}\n{extra}\n', encoding="utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CURATOR_") or k == "CURATOR_CORPORA"
    }
    env.update(
        CURATOR_HOME=str(home),
        CURATOR_IMAP_PASSWORD=password if password is not None else dovecot.password,
        PYTHONPATH=str(REPO),
    )
    return Setup(home, config, db_url, env)


class CuttingProxy:
    """A TCP proxy to the server that cuts the connection after ``cut_after`` bytes from the
    server, for the first ``cuts`` connections — a dropped connection in the middle of a fetch."""

    def __init__(self, target: tuple[str, int], cut_after: int, cuts: int = 1) -> None:
        self.target, self.cut_after, self.cuts_left = target, cut_after, cuts
        self.connections = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            cut = self.cut_after if self.cuts_left > 0 else None
            self.cuts_left -= 1
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, cut), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, cut: int | None) -> None:
        sent = 0
        try:
            while data := src.recv(65536):
                if cut is not None and sent + len(data) > cut:
                    dst.sendall(data[: max(0, cut - sent)])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    @contextmanager
    def running(self) -> Iterator[CuttingProxy]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop = True
            self.server.close()

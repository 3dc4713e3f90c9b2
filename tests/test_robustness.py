"""Bad input gets a clear result and loses nothing: malformed MIME, odd charsets, binary junk,
huge messages — stored byte for byte, understood as far as possible, never crashing a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator.cli import cli
from curator.store.engine import open_store
from curator.store.queries import find_raw
from tests.mailfactory import reply
from tests.pollhelpers import make_setup
from tests.services import Dovecot

NASTY: dict[str, bytes] = {
    "binary-junk.eml": bytes(range(256)) * 40,
    "empty.eml": b"",
    "headers-only.eml": b"From: someone@example.org\r\nSubject: no body at all",
    "no-headers.eml": b"\r\n\r\nJust a body with no headers.",
    "bad-boundary.eml": (
        b"From: A <a@example.org>\r\nMessage-ID: <bb@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="never-used"\r\n\r\n'
        b"--wrong\r\nContent-Type: text/plain\r\n\r\nI would let them in.\r\n"
    ),
    "unknown-charset.eml": (
        b"From: B <b@example.org>\r\nMessage-ID: <uc@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="x-klingon-7"\r\nContent-Transfer-Encoding: 8bit\r\n'
        b"\r\nTh\xe9y should b\xe9 admitted \x96 all of them.\r\n"
    ),
    "bad-base64.eml": (
        b"From: C <c@example.org>\r\nMessage-ID: <b64@x>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
        b"\r\n!!!not base64 at all@@@\r\n"
    ),
    "encoded-word-garbage.eml": (
        b"From: =?utf-8?B?////?= <d@example.org>\r\nSubject: =?x-unknown?Q?=FF=FE?=\r\n"
        b"Message-ID: <ew@x>\r\nDate: not a date\r\n\r\nShort reply.\r\n"
    ),
}


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    return CliRunner()


def test_nasty_files_are_stored_exactly_and_never_stop_the_batch(
    runner: CliRunner, tmp_path: Path, db_url: str
) -> None:
    for name, raw in NASTY.items():
        (tmp_path / name).write_bytes(raw)
    (tmp_path / "good.eml").write_bytes(reply(1))
    result = runner.invoke(cli, ["import", "--json", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["stored"] == len(NASTY) + 1
    assert summary["processed"] == len(NASTY) + 1
    records = json.loads(runner.invoke(cli, ["list", "--all", "--json"]).stdout)
    assert all(r["kind"] is not None or r["error"] for r in records)  # every one understood
    store = open_store(db_url)
    try:
        with store.transaction() as session:
            by_ref = {Path(r["source_ref"]).name: r["id"] for r in records}
            for name, raw in NASTY.items():
                assert find_raw(session, by_ref[name]) == raw  # byte for byte
    finally:
        store.dispose()
    good = next(r for r in records if Path(r["source_ref"]).name == "good.eml")
    assert good["kind"] == "response"


def test_huge_message_is_polled_alone_and_kept_whole(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    big_text = ("A long and winding argument about asylum policy. " * 20 + "\r\n") * 12_000
    huge = reply(2, body=big_text)
    assert len(huge) > 10_000_000
    uids = fresh_dovecot.append("INBOX", [reply(1), huge, reply(3)])
    setup = make_setup(tmp_path, fresh_dovecot, db_url, extra="batch_bytes = 1048576")
    summary = setup.poll_json()
    assert summary["_rc"] == 0, summary["_stderr"]
    assert summary["stored"] == 3 and summary["failed_to_understand"] == 0
    assert [u for u, _, _ in setup.stored()] == uids
    store = open_store(db_url)
    try:
        with store.transaction() as session:
            ids = [r["id"] for r in json.loads(setup.run("list", "--all", "--json").stdout)]
            assert huge in [find_raw(session, i) for i in ids]
    finally:
        store.dispose()


def test_batches_stay_within_batch_bytes_without_sizing_every_mail(fresh_dovecot: Dovecot) -> None:
    """Only mails above batch_bytes / batch_size are sized (SEARCH LARGER); the plan still keeps
    every batch within batch_bytes by the server's own RFC822.SIZE, and a huge mail goes alone."""
    from curator.config import MailboxConfig
    from curator.mail.poller import _plan_batches

    bodies = [60_000 if i % 7 == 3 else 500 for i in range(40)] + [2_000_000, 500, 500]
    uids = fresh_dovecot.append("INBOX", [reply(i, body="x" * n) for i, n in enumerate(bodies)])
    box = MailboxConfig(
        name="t", host="127.0.0.1", username="u", batch_size=10, batch_bytes=200_000
    )
    with fresh_dovecot.connect() as client:
        client.select_folder("INBOX", readonly=True)
        sizes = {u: int(v[b"RFC822.SIZE"]) for u, v in client.fetch(uids, ["RFC822.SIZE"]).items()}
        batches = list(_plan_batches(client, uids, box, "test", uids[0] - 1))
    assert [u for b in batches for u in b] == uids  # every UID once, in order
    for batch in batches:
        assert len(batch) <= 10
        total = sum(sizes[u] for u in batch)
        assert total <= 200_000 or len(batch) == 1, (batch, total)
    huge = uids[40]
    assert [huge] in batches
    assert len(batches) < len(uids)  # small mails still share batches

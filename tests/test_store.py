"""The store, on SQLite and PostgreSQL: exactly-once ingestion, duplicates, re-keying, schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from curator.errors import DatabaseError
from curator.mail.incoming import find_message_id, from_file, from_imap
from curator.store.engine import (
    Store,
    connect_store,
    downgrade_schema,
    exclusive_lock,
    open_store,
    schema_revisions,
    upgrade_schema,
)
from curator.store.ingest import advance_cursor, get_or_create_mailbox, store_mail
from curator.store.models import Base, Mailbox, Message
from curator.store.search import include_object
from tests.mailfactory import replies, reply


@pytest.fixture
def store(db_url: str) -> Store:
    s = open_store(db_url)
    yield s  # type: ignore[misc]
    s.dispose()


def _imap(raws: list[bytes], box: int, uv: int, first_uid: int = 1) -> list[object]:
    return [
        from_imap(r, mailbox_id=box, uidvalidity=uv, uid=first_uid + i, received_at=None)
        for i, r in enumerate(raws)
    ]


def _messages(store: Store) -> list[Message]:
    with store.transaction() as s:
        return list(s.scalars(select(Message).order_by(Message.id)))


def test_fresh_database_is_created_at_head(store: Store) -> None:
    current, head = schema_revisions(store)
    assert current == head
    assert {"mailbox", "message", "response", "question", "event"} <= set(
        inspect(store.engine).get_table_names()
    )


def test_schema_head_matches_alembic() -> None:
    from alembic.script import ScriptDirectory

    from curator.store.engine import _alembic_config, schema_head

    script = ScriptDirectory.from_config(_alembic_config(None))
    assert script.get_heads() == [schema_head()]  # one line of history, named by its files
    for rev in script.walk_revisions():
        assert rev.path is not None and Path(rev.path).name.startswith(rev.revision + "_")


def test_models_and_migrations_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        # The full-text search objects of migration 0002 live outside the metadata.
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_walk_down_and_up(store: Store) -> None:
    downgrade_schema(store, "base")
    assert "message" not in inspect(store.engine).get_table_names()
    upgrade_schema(store)
    assert "message" in inspect(store.engine).get_table_names()


def test_old_schema_is_refused_with_instructions(db_url: str) -> None:
    s = open_store(db_url)
    with s.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000_old'")
    s.dispose()
    with pytest.raises(DatabaseError, match="run `curator db upgrade`"):
        open_store(db_url)


def test_ingest_is_idempotent_and_cursor_commits_with_rows(store: Store) -> None:
    with store.transaction() as s:
        box = get_or_create_mailbox(s, "signal", "INBOX").id
    mails = _imap(replies(5), box, 7)
    for _ in range(2):  # the second time is a re-fetch after a crash: nothing new
        with store.transaction() as s:
            result = store_mail(s, mails, mailbox_id=box, uidvalidity=7)
            advance_cursor(s, box, 7, 5)
    assert (result.stored, result.already) == (0, 5)
    rows = _messages(store)
    assert [m.uid for m in rows] == [1, 2, 3, 4, 5]
    assert all(m.kind is None and m.duplicate_of_id is None for m in rows)
    assert rows[0].raw == replies(1)[0]  # raw bytes kept exactly
    with store.transaction() as s:
        cursor = s.get(Mailbox, box)
        assert cursor is not None and (cursor.uidvalidity, cursor.last_uid) == (7, 5)


def test_rollback_leaves_neither_rows_nor_cursor(store: Store) -> None:
    with store.transaction() as s:
        box = get_or_create_mailbox(s, "signal", "INBOX").id
    with pytest.raises(RuntimeError), store.transaction() as s:
        store_mail(s, _imap(replies(3), box, 7), mailbox_id=box, uidvalidity=7)
        advance_cursor(s, box, 7, 3)
        raise RuntimeError("killed before commit")
    assert _messages(store) == []
    with store.transaction() as s:
        assert s.get(Mailbox, box).last_uid == 0  # type: ignore[union-attr]


def test_second_copy_is_a_duplicate_row(store: Store) -> None:
    with store.transaction() as s:
        box = get_or_create_mailbox(s, "signal", "INBOX").id
    first = reply(1)
    trace = b"Received: from mx2.example.net by mx.example.com; Thu, 8 Jan 2026\r\n"
    with store.transaction() as s:
        # Same Message-ID delivered twice (different trace headers), and the same bytes twice.
        store_mail(s, _imap([first, trace + first, first], box, 7), mailbox_id=box, uidvalidity=7)
    rows = _messages(store)
    assert [m.kind for m in rows] == [None, "duplicate", "duplicate"]
    assert [m.duplicate_of_id for m in rows] == [None, rows[0].id, rows[0].id]


def test_no_message_id_deduplicates_by_content(store: Store) -> None:
    a, b = reply(1, message_id=None), reply(2, message_id=None)
    with store.transaction() as s:
        box = get_or_create_mailbox(s, "signal", "INBOX").id
        store_mail(s, _imap([a, b, a], box, 7), mailbox_id=box, uidvalidity=7)
    assert [m.kind for m in _messages(store)] == [None, None, "duplicate"]


def test_uidvalidity_change_rekeys_known_mail(store: Store) -> None:
    with store.transaction() as s:
        box = get_or_create_mailbox(s, "signal", "INBOX").id
        store_mail(s, _imap(replies(3), box, 7), mailbox_id=box, uidvalidity=7)
    # The server renumbered: same three mails under new UIDs, plus one new mail.
    new = _imap([*replies(3), reply(4)], box, 99, first_uid=101)
    with store.transaction() as s:
        result = store_mail(s, new, mailbox_id=box, uidvalidity=99, rekey=True)
    assert (result.rekeyed, result.stored, result.duplicates) == (3, 1, 0)
    rows = _messages(store)
    assert [(m.uidvalidity, m.uid) for m in rows] == [(99, 101), (99, 102), (99, 103), (99, 104)]


def test_import_identity_is_content(store: Store) -> None:
    raw = reply(1)
    with store.transaction() as s:
        store_mail(s, [from_file(raw, source_ref="a.eml", received_at=None)])
        again = store_mail(s, [from_file(raw, source_ref="a.eml", received_at=None)])
        copy = store_mail(s, [from_file(raw, source_ref="copy-of-a.eml", received_at=None)])
    assert (again.stored, again.already) == (0, 1)
    assert (copy.stored, copy.duplicates) == (1, 1)
    assert [m.kind for m in _messages(store)] == [None, "duplicate"]


def test_poll_lock_is_exclusive(store: Store) -> None:
    with exclusive_lock(store, "poll") as first:
        assert first
        other = connect_store(str(store.engine.url.render_as_string(hide_password=False)))
        try:
            with exclusive_lock(other, "poll") as second:
                assert not second
        finally:
            other.dispose()
    with exclusive_lock(store, "poll") as again:
        assert again


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"Message-ID: <a@b>\r\n", "<a@b>"),
        (b"message-id:\r\n <folded@host>\r\n", "<folded@host>"),
        (b"Message-Id: bare-token@host\r\n", "bare-token@host"),
        (b"X-Other: 1\r\n", None),
    ],
)
def test_find_message_id(header: bytes, expected: str | None) -> None:
    raw = b"From: a@b\r\n" + header + b"Subject: x\r\n\r\nMessage-ID: <in-body@x>\r\n"
    assert find_message_id(raw) == expected


def test_sqlite_database_file_lives_under_home(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path}/sub/dir/c.db")
    s.dispose()
    assert (tmp_path / "sub" / "dir" / "c.db").is_file()


def test_schema_creation_is_all_or_nothing(tmp_path: Path) -> None:
    """A process killed while creating the schema leaves an empty database, not half of one."""
    from alembic import command

    from curator.store.engine import _alembic_config

    store = connect_store(f"sqlite:///{tmp_path}/half.db")
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        raise RuntimeError("killed before commit")
    assert inspect(store.engine).get_table_names() == []
    store.dispose()
    open_store(f"sqlite:///{tmp_path}/half.db").dispose()  # and the next run creates it whole


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            b"Received: from a by b; Fri, 24 Feb 2023 10:18:58 +0100\r\n",
            "2023-02-24T09:18:58+00:00",
        ),
        (  # folded, and only the topmost (the receiving server's) counts
            b"Received: from mx1 (mx1 [198.51.100.1])\r\n\tby mx2 with ESMTPS id 4P;\r\n"
            b"\tSat, 25 Feb 2023 01:02:03 -0800 (PST)\r\n"
            b"Received: from c by d; Mon, 1 Jan 2001 00:00:00 +0000\r\n",
            "2023-02-25T09:02:03+00:00",
        ),
        (b"Received: from a by b; 24 Feb 2023 10:18:58\r\n", "2023-02-24T10:18:58+00:00"),
        (b"Received: from a by b; not a date\r\n", None),
        (b"Received: from a by b with no date\r\n", None),
        (b"X-Other: 1\r\n", None),
    ],
)
def test_received_at_is_the_topmost_received_date(headers: bytes, expected: str | None) -> None:
    raw = (
        b"From: a@b\r\n"
        + headers
        + b"Subject: x\r\n\r\nReceived: x; Mon, 1 Jan 2001 0:0:0 +0000\r\n"
    )
    got = from_imap(raw, mailbox_id=1, uidvalidity=1, uid=1).received_at
    assert (got.isoformat() if got else None) == expected


def test_each_sort_of_list_reads_its_index(store: Store) -> None:
    """Sorting by quality, confidence or length walks the index of migration 0004 and stops
    at the page, instead of sorting every response (SQLite; PostgreSQL picks by statistics)."""
    from sqlalchemy import text

    from curator.curate.queue import review_filter
    from curator.store.queries import ListFilter, _filtered, _list_query, _ordered, _Plan

    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL chooses its plan by the table's statistics")
    plan = _Plan("sqlite", likely_kind=True, likely_filters=True)
    with store.engine.connect() as conn:

        def explain(stmt: object) -> str:
            sql = stmt.compile(conn, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
            return " / ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))

        for sort, index in (
            ("quality", "ix_response_quality"),
            ("confidence", "ix_response_confidence"),
            ("length", "ix_response_length"),
        ):
            flt = ListFilter(sort=sort, limit=51, question="q", status="new")
            steps = explain(_list_query(flt, plan))
            assert f"SCAN response USING INDEX {index}" in steps and "TEMP B-TREE" not in steps
        queue = review_filter(ListFilter())
        steps = explain(_ordered(_filtered(select(Message.id), queue, _Plan("sqlite")), queue))
        assert "COVERING INDEX ix_response_review_queue" in steps and "TEMP B-TREE" not in steps

"""full-text search over responses; audit events grouped into undoable batches

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 07:30:00

SQLite: an external-content FTS5 table ``response_fts`` plus triggers that keep it in step.
A later migration that rebuilds ``response`` in batch mode (SQLite copies the table) drops the
triggers with it: it must call ``_sqlite_up()`` again (the FTS rebuild is idempotent).
PostgreSQL: a generated ``search_tsv`` column over the same text, with a GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLS = ("reply", "name", "location", "name_override", "location_override")
_LIST = ", ".join(_COLS)
_NEW = ", ".join(f"new.{c}" for c in _COLS)
_OLD = ", ".join(f"old.{c}" for c in _COLS)
_PG_DOCUMENT = (
    "to_tsvector('simple', " + " || ' ' || ".join(f"coalesce({c}, '')" for c in _COLS) + ")"
)

_SQLITE_UP = (
    f"CREATE VIRTUAL TABLE response_fts USING fts5({_LIST}, content='response', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER response_fts_ai AFTER INSERT ON response BEGIN
        INSERT INTO response_fts(rowid, {_LIST}) VALUES (new.id, {_NEW});
    END""",
    f"""CREATE TRIGGER response_fts_ad AFTER DELETE ON response BEGIN
        INSERT INTO response_fts(response_fts, rowid, {_LIST}) VALUES ('delete', old.id, {_OLD});
    END""",
    f"""CREATE TRIGGER response_fts_au AFTER UPDATE OF {_LIST} ON response BEGIN
        INSERT INTO response_fts(response_fts, rowid, {_LIST}) VALUES ('delete', old.id, {_OLD});
        INSERT INTO response_fts(rowid, {_LIST}) VALUES (new.id, {_NEW});
    END""",
    "INSERT INTO response_fts(response_fts) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS response_fts_au",
    "DROP TRIGGER IF EXISTS response_fts_ad",
    "DROP TRIGGER IF EXISTS response_fts_ai",
    "DROP TABLE IF EXISTS response_fts",
)


def _sqlite_up() -> None:
    for statement in _SQLITE_UP:
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("undoes_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_event_undoes_id_event"), "event", ["undoes_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_event_actor"), ["actor"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_up()
    elif dialect == "postgresql":
        # A stored tsvector: neither a bitmap recheck nor a plan that walks message ids under
        # LIMIT ever recomputes to_tsvector per row.
        op.execute(
            f"ALTER TABLE response ADD COLUMN search_tsv tsvector "
            f"GENERATED ALWAYS AS ({_PG_DOCUMENT}) STORED"
        )
        op.execute("CREATE INDEX ix_response_fts ON response USING gin (search_tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_response_fts")
        op.execute("ALTER TABLE response DROP COLUMN IF EXISTS search_tsv")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_actor"))
        batch_op.drop_constraint(batch_op.f("fk_event_undoes_id_event"), type_="foreignkey")
        batch_op.drop_column("undoes_id")
        batch_op.drop_column("batch")

"""after-ingest actions: when the server-side flag or move was done for a message

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 08:00:00

``message.acted_at`` is NULL until the mailbox's after-ingest action (flag or move, research G7)
has been carried out on the server; the action runs after the commit and is driven by this
column, so a crash in between just repeats it. Adding a nullable column needs no table rebuild
on SQLite (the FTS triggers of 0002 live on ``response`` and are untouched either way).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("message", sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_message_pending_action", "message", ["mailbox_id", "acted_at"])


def downgrade() -> None:
    op.drop_index("ix_message_pending_action", table_name="message")
    # SQLite ≥ 3.35 drops a column in place; a batch rebuild of `message` would trip over the
    # foreign keys that point at it.
    op.drop_column("message", "acted_at")

"""Alembic environment: runs on the connection curator hands over (see store.engine)."""

from __future__ import annotations

from alembic import context

from curator.store.models import Base
from curator.store.search import include_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - we always pass a connection
    raise RuntimeError("curator migrations run through `curator db upgrade`, not bare alembic")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
    include_object=include_object,  # FTS objects are hand-made in 0002
)
with context.begin_transaction():
    context.run_migrations()

"""Alembic environment: runs on the connection handed over by efile.db.migrate()."""

from alembic import context

from efile.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER TABLE needs batch mode
)
with context.begin_transaction():
    context.run_migrations()

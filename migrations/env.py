"""Alembic environment: the database URL comes from the settings unless a caller passes one."""

from alembic import context

import app.models  # noqa: F401  (registers every table)
from app.config import get_settings
from app.db import create_db_engine, metadata

config = context.config


def database_url() -> str:
    return config.attributes.get("database_url") or get_settings().resolved_database_url()


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    # Batch mode lets the same revision alter tables on SQLite, which lacks ALTER for most things.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Database engine, sessions and the SQLite pragmas that make the embedded default safe."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Engine, MetaData, event
from sqlmodel import Session, SQLModel, create_engine

# Stable constraint names, so Alembic migrations can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)
metadata = SQLModel.metadata


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# The SQL statements of the current request, counted so the request log (and benchmarks)
# can show that a page costs a fixed number of queries. A list, so threads share it.
query_counter: ContextVar[list[int] | None] = ContextVar("query_counter", default=None)


def _count_query(*_args) -> None:
    counter = query_counter.get()
    if counter is not None:
        counter[0] += 1


def create_db_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    event.listen(engine, "before_cursor_execute", _count_query)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for commands and background work; services commit their own writes."""
    with Session(engine, expire_on_commit=False) as session:
        yield session

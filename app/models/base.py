"""Column types and helpers shared by the table models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def timestamp_field(**kwargs):
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


def optional_timestamp_field(**kwargs):
    return Field(default=None, sa_type=UTCDateTime, **kwargs)

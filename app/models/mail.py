"""Outgoing email, kept so development can read it on the outbox page."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401
from app.models.base import optional_timestamp_field, timestamp_field


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str
    created_at: datetime = timestamp_field(index=True)
    sent_at: datetime | None = optional_timestamp_field()
    error: str = Field(default="", max_length=1000)

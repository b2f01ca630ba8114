"""Requests limited per account and per address, counted in the database across processes."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401  (naming convention before any table)
from app.models.base import timestamp_field


class ResetRequest(SQLModel, table=True):
    """A password-reset request, kept for the window its limits count over."""

    __tablename__ = "reset_request"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)  # as typed, lower-cased: maybe no account
    client: str = Field(max_length=64, index=True)
    requested_at: datetime = timestamp_field(index=True)

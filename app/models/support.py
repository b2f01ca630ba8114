"""LOS' own record of its work with a member: support cases and the contact log.

Both are internal to LOS: members never see them (services/advisor/ checks the role).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401
from app.models.base import timestamp_field
from app.models.vocabulary import CaseStatus


class SupportCase(SQLModel, table=True):
    """A sag: opened from a reported påbud or by an advisor, closed with an outcome."""

    __tablename__ = "support_case"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    status: str = Field(default=CaseStatus.OPEN, max_length=20, index=True)
    opened_on: date
    reason: str = Field(max_length=2000)
    # Set when the case is about a påbud or skærpet tilsyn the advisor learnt of.
    injunction_kind: str = Field(default="", max_length=30)
    next_contact_on: date | None = None
    outcome: str = Field(default="", max_length=5000)
    closed_on: date | None = None
    opened_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = 1
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class ContactEntry(SQLModel, table=True):
    """One meeting, call or email with a member: when, who, what was said, what is next."""

    __tablename__ = "contact_entry"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="support_case.id", index=True,
                                ondelete="SET NULL")
    kind: str = Field(max_length=20)  # a ContactKind
    happened_on: date
    by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    by_name: str = Field(default="", max_length=200)  # blanked when the user is deleted
    note: str = Field(max_length=5000)
    next_step: str = Field(default="", max_length=1000)
    created_at: datetime = timestamp_field()


class NoticeSent(SQLModel, table=True):
    """One notice email claimed before it is sent: the unique key makes sending once-only.

    Keys name what the notice is about, e.g. "assigned:17:ea@egebo.dk" or
    "digest:4:2026-12-01", so a cron job that runs every hour sends nothing twice.
    """

    __tablename__ = "notice_sent"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    recipient: str = Field(max_length=254)
    # What a digest reported, so the next one says only what is new.
    payload: dict = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = timestamp_field()

"""The audit trail: who changed what, when, with the fields before and after.

Append-only: rows are written by app.services.audit in the transaction of the change they
describe, and never updated or deleted (a guard in app.services.audit refuses it in the
session, and a database trigger refuses UPDATE).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401
from app.models.base import timestamp_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_organisation_at", "organisation_id", "at"),
                      sa.Index("ix_audit_entry_entity", "entity", "entity_id"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = timestamp_field(index=True)
    # No foreign keys: an entry outlives the user, organisation or row it names, unchanged.
    user_id: int | None = None
    user_email: str = Field(default="", max_length=254)  # "" for the command line
    organisation_id: int | None = None
    action: str = Field(max_length=40)  # "create", "update", "delete", "submit", ...
    entity: str = Field(max_length=40)  # "answer", "assessment", "action", ...
    entity_id: str = Field(max_length=120)
    changes: dict = Field(default_factory=dict, sa_type=sa.JSON)  # field: [before, after]

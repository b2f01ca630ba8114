"""Follow-up actions: the action plan a member works through, with owner and due date."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401
from app.models.base import timestamp_field
from app.models.vocabulary import ActionPriority, ActionStatus


class Action(SQLModel, table=True):
    # A member's open actions by status, for the advisor's page of flagged members; its
    # first column serves every lookup by member.
    __table_args__ = (Index("ix_action_organisation_id_status", "organisation_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    requirement_id: int | None = Field(default=None, foreign_key="requirement.id")
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id",
                                      ondelete="SET NULL")
    case_id: int | None = Field(default=None, foreign_key="support_case.id", index=True,
                                ondelete="SET NULL")
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    owner_email: str = Field(default="", max_length=254)
    due_on: date | None = None
    priority: str = Field(default=ActionPriority.NORMAL, max_length=10)
    status: str = Field(default=ActionStatus.OPEN, max_length=20, index=True)
    comment: str = Field(default="", max_length=5000)
    version: int = 1
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class ActionComment(SQLModel, table=True):
    """One comment in an action's thread: who wrote what, when; never edited."""

    __tablename__ = "action_comment"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    user_name: str = Field(default="", max_length=200)  # blanked when the user is deleted
    text: str = Field(max_length=5000)
    created_at: datetime = timestamp_field()

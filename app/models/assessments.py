"""Annual cycles and the self-assessments members fill in during them.

Derived figures (requirement scores, progress) are written in the same transaction as the
answers they come from, so they cannot go stale and trends never recompute.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import metadata  # noqa: F401
from app.models.base import optional_timestamp_field, timestamp_field
from app.models.vocabulary import AssessmentStatus


class Cycle(SQLModel, table=True):
    """One yearly round: which catalogue version, when it opens, and the deadline."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    catalogue_version_id: int = Field(foreign_key="catalogue_version.id", index=True)
    opens_on: date
    deadline: date
    created_at: datetime = timestamp_field()


class Assessment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "cycle_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    # Pinned when created: a later catalogue version never rewrites this assessment.
    catalogue_version_id: int = Field(foreign_key="catalogue_version.id")
    status: str = Field(default=AssessmentStatus.DRAFT, max_length=20, index=True)
    # Raised by every save; clients send the version they saw to detect conflicts.
    version: int = 1
    answered_count: int = 0
    in_scope_count: int = 0
    injunction_reported: bool | None = None
    injunction_kind: str = Field(default="", max_length=30)  # an InjunctionKind, or ""
    injunction_description: str = Field(default="", max_length=5000)
    injunction_version: int = 0
    submitted_at: datetime | None = optional_timestamp_field()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    score: int | None = None
    not_applicable: bool = False
    comment: str = Field(default="", max_length=5000)
    # Prefilled from last year's submission and not yet confirmed by anyone this year.
    carried_over: bool = False
    saved_at_version: int = 0  # the assessment's version right after this answer's last save
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = timestamp_field()


class Reflection(SQLModel, table=True):
    """Per requirement: what works and what to improve, in the member's own words."""

    __table_args__ = (UniqueConstraint("assessment_id", "requirement_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    requirement_id: int = Field(foreign_key="requirement.id")
    what_works: str = Field(default="", max_length=5000)
    what_to_improve: str = Field(default="", max_length=5000)
    saved_at_version: int = 0
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = timestamp_field()


class RequirementScore(SQLModel, table=True):
    """Mean of the requirement's scored indicators; not-relevant and unanswered left out."""

    __tablename__ = "requirement_score"
    __table_args__ = (UniqueConstraint("assessment_id", "requirement_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    score: float | None = None
    scored_count: int = 0
    answered_count: int = 0
    in_scope_count: int = 0
    # The lowest indicator score the mean counts: the flag rule for a low indicator reads it.
    lowest_score: int | None = None
    # Once submitted: the same requirement's score, by permanent key, in the member's
    # previous submitted assessment (services/assessment/previous_scores.py keeps it).
    previous_score: float | None = None


class Evidence(SQLModel, table=True):
    """A file or a link that documents a requirement. Files live outside the web root."""

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    requirement_id: int = Field(foreign_key="requirement.id")
    kind: str = Field(max_length=10)  # an EvidenceKind
    title: str = Field(max_length=300)
    url: str = Field(default="", max_length=2000)
    filename: str = Field(default="", max_length=255)
    content_type: str = Field(default="", max_length=120)
    size_bytes: int = 0
    storage_key: str = Field(default="", max_length=100)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    # Set when `etik retention apply` removed the file after the retention period; the row
    # stays, so pages say so instead of linking to nothing.
    file_removed_at: datetime | None = optional_timestamp_field()


class AssessmentRevision(SQLModel, table=True):
    """A submitted state, kept whole; reopening starts a new revision, never edits this one."""

    __tablename__ = "assessment_revision"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE")
    number: int
    submitted_at: datetime = timestamp_field()
    submitted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    snapshot: dict = Field(sa_type=sa.JSON)
    reopened_at: datetime | None = optional_timestamp_field()
    reopened_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reopen_reason: str = Field(default="", max_length=2000)

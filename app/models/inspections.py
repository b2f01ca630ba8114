"""Socialtilsynet's inspections of a member, as the member records them from its report.

Official scores are not public: they are in the inspection report (tilsynsrapport) the
service receives, so they enter etik only when a member types them in. An inspection may
cover only some themes; a theme score is required for each theme covered, and criterion
or indicator scores may be added. Sanctions from the same report are kept with it.
"""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401
from app.models.base import optional_timestamp_field, timestamp_field


class Inspection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    visited_on: date
    authority: str = Field(max_length=20)  # an Authority
    visit_kind: str = Field(max_length=20)  # a VisitKind
    # The quality model in force: a reference catalogue version (2017 or 2025).
    framework_version_id: int = Field(foreign_key="catalogue_version.id")
    note: str = Field(default="", max_length=2000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = 1
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class InspectionScore(SQLModel, table=True):
    """One official score: of a theme, or of one of its criteria or indicators."""

    __tablename__ = "inspection_score"

    inspection_id: int = Field(foreign_key="inspection.id", primary_key=True,
                               ondelete="CASCADE")
    node_id: str = Field(max_length=100, primary_key=True)  # a node id of the framework
    level: str = Field(max_length=10)  # "theme", "criterion" or "indicator"
    score: float


class InspectionSanction(SQLModel, table=True):
    """A påbud (with its deadline) or skærpet tilsyn in the report."""

    __tablename__ = "inspection_sanction"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)  # a SanctionKind
    description: str = Field(max_length=2000)
    deadline: date | None = None


class InspectionReport(SQLModel, table=True):
    """The inspection report itself, a PDF: one per inspection, kept like evidence files
    (var/evidence, under a random storage key) and removed after the same retention period."""

    __tablename__ = "inspection_report"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", unique=True, ondelete="CASCADE")
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size_bytes: int
    storage_key: str = Field(max_length=32)  # 32 hex digits, the file's name on disk
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    uploaded_at: datetime = timestamp_field()
    # Set when `etik retention apply` removed the file; the row stays, so the page says so.
    file_removed_at: datetime | None = optional_timestamp_field()


class LatestOfficial(SQLModel, table=True):
    """Derived from the inspections: per member and theme, the theme's score in the latest
    inspection that covered it (a day's mean). services/official_scores.py rewrites a
    member's rows with every change of its inspections, in the same transaction."""

    __tablename__ = "latest_official"

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    theme_key: str = Field(max_length=100, primary_key=True)  # a theme id of the framework
    visited_on: date
    score: float


class ThemeCalibration(SQLModel, table=True):
    """Derived: per submitted self-assessment and quality-model theme, the member's own
    score of the theme (services/calibration.py's rule) beside the theme's latest official
    score, and the gap between them. services/theme_calibration.py writes an assessment's
    rows when it is submitted, removes them when it is reopened, and rewrites the official
    side with the member's latest_official rows, in the same transactions."""

    __tablename__ = "theme_calibration"
    __table_args__ = (
        # The flag list's range of gaps, and the sector's means read from the index alone.
        Index("ix_theme_calibration_cycle_gap", "cycle_id", "gap"),
        Index("ix_theme_calibration_sector", "cycle_id", "theme_key", "official_score",
              "self_score"),
    )

    assessment_id: int = Field(foreign_key="assessment.id", primary_key=True,
                               ondelete="CASCADE")
    theme_key: str = Field(max_length=100, primary_key=True)  # a theme id of the framework
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    cycle_id: int = Field(foreign_key="cycle.id")
    self_score: float
    official_score: float | None = None  # None: no inspection has scored the theme
    visited_on: date | None = None
    gap: float | None = None  # self minus official

"""Sector reference figures: published mean scores per quality-model theme, entered by an
admin, that the board sets beside the members' self-assessment."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import metadata  # noqa: F401  (naming convention before any table)
from app.models.base import timestamp_field


class SectorReference(SQLModel, table=True):
    """One source's mean score for one theme, year and group of providers.

    The theme is a node id of the quality model (`km.tema.…`), kept across its versions.
    """

    __tablename__ = "sector_reference"
    __table_args__ = (UniqueConstraint("source", "year", "theme_key", "provider_group"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=200)
    year: int
    theme_key: str = Field(max_length=120)
    provider_group: str = Field(max_length=20)  # ProviderGroup
    mean: float = Field(sa_type=sa.Float)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()

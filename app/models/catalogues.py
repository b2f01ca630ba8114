"""Loaded catalogue versions: immutable once stored; assessments pin the version they use.

The validated document is kept whole (texts, translations, guidance, mappings); the rows of
requirements and indicators exist so answers and scores can refer to them with keys.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from app.db import metadata  # noqa: F401
from app.models.base import timestamp_field


class CatalogueVersion(SQLModel, table=True):
    __tablename__ = "catalogue_version"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, index=True)
    version: str = Field(max_length=40)
    kind: str = Field(max_length=20)  # "assessment" or "reference"
    title: str = Field(max_length=300)
    status: str = Field(max_length=20)  # "draft" or "official"
    published_on: date
    content_hash: str = Field(max_length=64)
    document: dict = Field(sa_type=sa.JSON)
    supersedes_id: int | None = Field(default=None, foreign_key="catalogue_version.id")
    loaded_at: datetime = timestamp_field()


class Requirement(SQLModel, table=True):
    __tablename__ = "requirement"
    __table_args__ = (UniqueConstraint("catalogue_version_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    catalogue_version_id: int = Field(foreign_key="catalogue_version.id", index=True)
    key: str = Field(max_length=120)  # the permanent id from the YAML
    number: int
    title: str = Field(max_length=300)


class Indicator(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("catalogue_version_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    catalogue_version_id: int = Field(foreign_key="catalogue_version.id", index=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    key: str = Field(max_length=120)
    ref: str = Field(max_length=20)
    position: int  # order within the whole catalogue
    text: str = Field(max_length=2000)
    # The service types in scope, resolved from indicator, requirement and catalogue.
    service_types: list[str] = Field(sa_type=sa.JSON)


class NodeMapping(SQLModel, table=True):
    """How a node of an older version relates to a node of a newer one (year over year)."""

    __tablename__ = "catalogue_node_mapping"

    id: int | None = Field(default=None, primary_key=True)
    from_version_id: int = Field(foreign_key="catalogue_version.id", index=True)
    from_key: str = Field(max_length=120)
    to_version_id: int = Field(foreign_key="catalogue_version.id", index=True)
    to_key: str = Field(max_length=120)
    relation: str = Field(max_length=20)
    rationale: str = Field(default="", max_length=2000)

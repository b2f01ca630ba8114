"""Member organisations: the department (afdeling/tilbud) that fills in the self-assessment."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401  (naming convention before any table)
from app.models.base import timestamp_field
from app.models.vocabulary import Region, ServiceType


class OrganisationBase(SQLModel):
    name: str = Field(max_length=200)
    cvr: str = Field(max_length=8, min_length=8, regex=r"^\d{8}$")
    company_name: str = Field(default="", max_length=200)
    service_type: ServiceType
    region: Region
    places: int = Field(default=0, ge=0, le=10_000)


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    cvr: str = Field(max_length=8, index=True)
    advisor_id: int | None = Field(
        default=None,
        sa_column_args=[sa.ForeignKey("user.id", ondelete="SET NULL", use_alter=True)],
    )
    # Codes are stored as plain strings: a native enum type would need a migration per new code.
    service_type: ServiceType = Field(sa_type=sa.String(40))
    region: Region = Field(sa_type=sa.String(20))
    active: bool = True
    created_at: datetime = timestamp_field()

"""Sector reference figures: an admin records published mean scores per quality-model theme
(by form, API or CSV import); the board, advisors and admins read them beside the
members' self-assessment.

A figure is identified by its source, year, theme and provider group: saving one that
exists corrects its mean, so a re-imported file updates instead of doubling.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.i18n import LANGUAGES, N_, localised
from app.models import CatalogueVersion, SectorReference, User
from app.models.base import utcnow
from app.models.vocabulary import ProviderGroup
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.board.queries import READERS
from app.services.catalogue.versions import model_of
from app.services.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from app.services.fields import NoNul
from app.services.validation import parse_input

SCALE = (1, 5)  # the quality model's scale, on which every reference is given
YEARS = (2000, 2100)
FIELDS = ("source", "year", "theme_key", "provider_group", "mean")
UNKNOWN_THEME = N_("Temaet findes ikke i kvalitetsmodellen.")
NOT_SAVED = N_("Referencetallet kan ikke gemmes.")
CHANGED_MEANWHILE = N_("Nogen har gemt det samme referencetal imens. Prøv igen.")


def _decimal_comma(value):
    """"3,8" as Danish people (and Danish Excel) write it reads as 3.8; text that is not a
    plain decimal number ("nan", "1e3", "høj") is not a number."""
    if not isinstance(value, str):
        return value
    if not re.fullmatch(r"\s*-?\d+(?:[.,]\d+)?\s*", value):
        raise PydanticCustomError("float_parsing", "not a decimal number")
    return value.strip().replace(",", ".")


class ReferenceInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]
    year: Annotated[int, Field(ge=YEARS[0], le=YEARS[1])]
    theme_key: Annotated[str, StringConstraints(min_length=1, max_length=120), NoNul]
    provider_group: ProviderGroup
    # The validator after the Field: so the schema says minimum and maximum.
    mean: Annotated[float, Field(ge=SCALE[0], le=SCALE[1], allow_inf_nan=False),
                    BeforeValidator(_decimal_comma)]

    @property
    def identity(self) -> tuple[str, int, str, str]:
        return self.source, self.year, self.theme_key, self.provider_group


@dataclass(frozen=True)
class QualityTheme:
    key: str  # the node id, kept across the model's versions
    number: int  # in the oldest version that has it
    title: str  # in the newest version that has it
    versions: tuple[str, ...]
    names: frozenset[str]  # every title it has had, in every language


def _titles(theme) -> set[str]:
    translated = (getattr(getattr(theme.translations, language, None), "title", None)
                  for language in LANGUAGES)
    return {theme.title, *(t for t in translated if t)}


def quality_themes(session: Session) -> list[QualityTheme]:
    """Every theme of the stored reference frameworks (one query), oldest numbering first:
    a theme that left the model later is still a theme of the years it was in."""
    rows = session.exec(select(CatalogueVersion).where(CatalogueVersion.kind == "reference")
                        .order_by(col(CatalogueVersion.published_on))).all()
    found: dict[str, QualityTheme] = {}
    for row in rows:
        for theme in model_of(row).themes:
            earlier = found.get(theme.id)
            found[theme.id] = QualityTheme(
                theme.id, earlier.number if earlier else theme.number,
                localised(theme, "title"), (*(earlier.versions if earlier else ()), row.version),
                frozenset(_titles(theme) | (earlier.names if earlier else set())))
    return sorted(found.values(), key=lambda t: (t.number, t.title))


def _authorize_reading(user: User | None) -> None:
    if user is not None and user.role not in READERS:
        raise Forbidden(N_("Kun bestyrelsen, LOS' konsulenter og administratorer ser "
                           "sektorens tal."))


def list_references(*, session: Session, user: User | None) -> list[SectorReference]:
    """Newest year first, then by source, provider group and theme key."""
    _authorize_reading(user)
    return list(session.exec(select(SectorReference).order_by(
        col(SectorReference.year).desc(), col(SectorReference.source),
        col(SectorReference.provider_group), col(SectorReference.theme_key))))


def parse_reference(session: Session, data: dict, themes: set[str] | None = None
                    ) -> ReferenceInput:
    """The input checked, the theme against the stored quality model."""
    reference = parse_input(ReferenceInput, data, NOT_SAVED)
    known = themes if themes is not None else {t.key for t in quality_themes(session)}
    if reference.theme_key not in known:
        raise Invalid(NOT_SAVED, [FieldError("theme_key", UNKNOWN_THEME)])
    return reference


def existing_references(session: Session, wanted: list[ReferenceInput]
                        ) -> dict[tuple, SectorReference]:
    sources = {r.source for r in wanted}
    rows = session.exec(select(SectorReference)
                        .where(col(SectorReference.source).in_(sources))).all()
    return {(r.source, r.year, r.theme_key, r.provider_group): r for r in rows}


def store_references(session: Session, user: User | None, wanted: list[ReferenceInput],
                     action: AuditAction) -> tuple[list[SectorReference], int]:
    """Creates or corrects each figure, audited; (rows, how many were new). No commit.

    One flush for all of them (a file may hold thousands), then one audit entry each."""
    existing = existing_references(session, wanted)
    rows, befores = [], []
    for reference in wanted:
        row = existing.get(reference.identity)
        befores.append(audit.fields_of(row, FIELDS) if row else {})
        if row is None:
            row = SectorReference(**reference.model_dump(), created_by_id=user.id if user else None)
            session.add(row)
        elif row.mean != reference.mean:
            row.mean, row.updated_at = reference.mean, utcnow()
        rows.append(row)
    session.flush()
    for row, before in zip(rows, befores, strict=True):
        if before != audit.fields_of(row, FIELDS):
            audit.record_fields(session, user=user, action=action if not before
                                else AuditAction.UPDATE, entity=AuditEntity.SECTOR_REFERENCE,
                                entity_id=row.id, row=row, fields=FIELDS, before=before)
    return rows, sum(1 for before in befores if not before)


@contextmanager
def refused_if_saved_meanwhile(session: Session) -> Iterator[None]:
    """Around the commit: another request may have created the same figure between our
    read and our insert; the unique key refuses the second, and it is said so."""
    try:
        yield
    except IntegrityError:
        session.rollback()
        raise Conflict(CHANGED_MEANWHILE) from None


def save_reference(*, session: Session, user: User | None, data: dict
                   ) -> tuple[SectorReference, bool]:
    """Creates the figure, or corrects the mean of the one with the same identity;
    (row, created)."""
    require_admin(user)
    reference = parse_reference(session, data)
    (row,), created = store_references(session, user, [reference], AuditAction.CREATE)
    with refused_if_saved_meanwhile(session):
        session.commit()
    return row, bool(created)


def delete_reference(*, session: Session, user: User | None, reference_id: int) -> None:
    require_admin(user)
    row = session.get(SectorReference, reference_id)
    if row is None:
        raise NotFound(N_("Referencetallet findes ikke."))
    # The audit entry keeps what was deleted.
    audit.record(session, user=user, action=AuditAction.DELETE,
                 entity=AuditEntity.SECTOR_REFERENCE, entity_id=row.id,
                 changes={name: [value, None]
                          for name, value in audit.fields_of(row, FIELDS).items()})
    session.delete(row)
    session.commit()

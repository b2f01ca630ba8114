"""Inspection reports as data: Socialtilsynet's scores and sanctions, as the member (or LOS)
types them in from the report.

A member records its own; LOS' advisors and admins may record and correct any member's.
The board never sees one. Each inspection names the quality model in force (a reference
catalogue version), the themes it covered with a score each, optional criterion or
indicator scores within those themes, and its sanctions. A correction is a compare-and-set
on the inspection's version, and every write is audited with the scores it changed.
"""

import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator
from sqlmodel import Session, col, delete, select

from app.i18n import N_
from app.models import (
    CatalogueVersion,
    Inspection,
    InspectionSanction,
    InspectionScore,
    Organisation,
    User,
)
from app.models.vocabulary import Authority, Role, SanctionKind, VisitKind
from app.services import audit, official_scores
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.catalogue.format import ReferenceFramework
from app.services.catalogue.versions import models_of_versions
from app.services.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from app.services.fields import NoNul, Version
from app.services.validation import parse_input
from app.services.versioning import claim, reload

FRAMEWORK_KEY = "socialtilsyn-kvalitetsmodel"
# Socialtilsynet started on 1 January 2014; nothing before can be one of its inspections.
FIRST_INSPECTION_DAY = date(2014, 1, 1)
SCORE_MIN, SCORE_MAX = 1.0, 5.0
FIELDS = ("visited_on", "authority", "visit_kind", "framework_version_id", "note")
NOT_SAVED = N_("Tilsynet blev ikke gemt. Ret det markerede.")
NOT_FOUND = N_("Tilsynet findes ikke.")
NO_MEMBER = N_("Medlemmet findes ikke.")

Text = Annotated[str, StringConstraints(strip_whitespace=True), NoNul]
NodeId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), NoNul]
# Theme scores are averages of indicator scores, so they may have decimals (4,2).
Score = Annotated[float, Field(ge=SCORE_MIN, le=SCORE_MAX, allow_inf_nan=False)]


class ThemeScoreInput(BaseModel):
    theme_id: NodeId
    score: Score


class DetailScoreInput(BaseModel):
    """A criterion's or an indicator's score, within a theme the inspection covered."""

    node_id: NodeId
    score: Score


class SanctionInput(BaseModel):
    kind: SanctionKind
    description: Text = Field(min_length=1, max_length=2000)
    deadline: date | None = None

    @model_validator(mode="after")
    def _an_order_has_a_deadline(self) -> "SanctionInput":
        if self.kind is SanctionKind.PAABUD and self.deadline is None:
            raise ValueError(N_("Skriv fristen for påbuddet."))
        return self


class InspectionInput(BaseModel):
    visited_on: date
    authority: Authority
    kind: VisitKind
    framework_version: Text = Field(min_length=1, max_length=20,
                                    description="The quality model in force: 2017 or 2025")
    themes: list[ThemeScoreInput] = Field(min_length=1, max_length=20)
    details: list[DetailScoreInput] = Field(default=[], max_length=300)
    sanctions: list[SanctionInput] = Field(default=[], max_length=10)
    note: Text = Field(default="", max_length=2000)

    @field_validator("themes")
    @classmethod
    def _each_theme_once(cls, themes: list[ThemeScoreInput]) -> list[ThemeScoreInput]:
        if len({t.theme_id for t in themes}) != len(themes):
            raise ValueError(N_("Hvert tema må kun have én score."))
        return themes

    @field_validator("details")
    @classmethod
    def _each_node_once(cls, details: list[DetailScoreInput]) -> list[DetailScoreInput]:
        if len({d.node_id for d in details}) != len(details):
            raise ValueError(N_("Hvert kriterium og hver indikator må kun have én score."))
        return details


class InspectionUpdate(InspectionInput):
    version: Version


@dataclass(frozen=True)
class InspectionRecord:
    """An inspection with its scores and sanctions, and the framework version it used."""

    inspection: Inspection
    framework_version: str  # "2017"
    themes: dict[str, float]  # theme id -> score, in the framework's order
    details: dict[str, float]  # criterion or indicator id -> score
    sanctions: list[InspectionSanction]


def member_for(*, session: Session, user: User, organisation_id: int) -> Organisation:
    """The organisation whose inspections `user` may read and write: a member its own (any
    other is "not found"), LOS' advisors and admins any member; never the board."""
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun samlede tal, ikke det enkelte medlems "
                           "tilsyn."))
    if user.role == Role.MEMBER and user.organisation_id != organisation_id:
        raise NotFound(NO_MEMBER)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(NO_MEMBER)
    return organisation


def frameworks(session: Session) -> dict[str, tuple[int, ReferenceFramework]]:
    """The loaded versions of the quality model: version -> (catalogue version id, model)."""
    rows = session.exec(select(CatalogueVersion.id, CatalogueVersion.version).where(
        CatalogueVersion.key == FRAMEWORK_KEY)).all()
    models = models_of_versions(session, [row_id for row_id, _ in rows])
    return {version: (row_id, models[row_id]) for row_id, version in sorted(
        rows, key=lambda row: row[1])}


def records(session: Session, inspections: list[Inspection]) -> list[InspectionRecord]:
    """Scores and sanctions of the inspections, in three queries whatever their number."""
    ids = [i.id for i in inspections]
    scores: dict[int, list[InspectionScore]] = {}
    sanctions: dict[int, list[InspectionSanction]] = {}
    if ids:
        for score in session.exec(select(InspectionScore).where(
                col(InspectionScore.inspection_id).in_(ids))):
            scores.setdefault(score.inspection_id, []).append(score)
        for sanction in session.exec(select(InspectionSanction).where(
                col(InspectionSanction.inspection_id).in_(ids))
                .order_by(col(InspectionSanction.id))):
            sanctions.setdefault(sanction.inspection_id, []).append(sanction)
    models = models_of_versions(session, {i.framework_version_id for i in inspections})
    return [_record(inspection, models[inspection.framework_version_id],
                    scores.get(inspection.id, []), sanctions.get(inspection.id, []))
            for inspection in inspections]


def _record(inspection: Inspection, model: ReferenceFramework,
            scores: list[InspectionScore], sanctions: list[InspectionSanction]
            ) -> InspectionRecord:
    order = {node.id: n for n, node in enumerate(model.iter_nodes())}
    own = sorted(scores, key=lambda s: order.get(s.node_id, 0))
    return InspectionRecord(inspection, model.version,
                            {s.node_id: s.score for s in own if s.level == "theme"},
                            {s.node_id: s.score for s in own if s.level != "theme"},
                            sanctions)


def list_inspections(*, session: Session, user: User,
                     organisation_id: int) -> list[InspectionRecord]:
    """Newest visit first."""
    member_for(session=session, user=user, organisation_id=organisation_id)
    return records(session, list(session.exec(
        select(Inspection).where(Inspection.organisation_id == organisation_id)
        .order_by(col(Inspection.visited_on).desc(), col(Inspection.id).desc()))))


def inspection_for(*, session: Session, user: User, organisation_id: int,
                   inspection_id: int) -> Inspection:
    """The member's inspection, for whoever may see the member's inspections (member_for);
    one of another member is "not found"."""
    member_for(session=session, user=user, organisation_id=organisation_id)
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.organisation_id != organisation_id:
        raise NotFound(NOT_FOUND)
    return inspection


def get_inspection(*, session: Session, user: User, organisation_id: int,
                   inspection_id: int) -> InspectionRecord:
    return records(session, [inspection_for(session=session, user=user,
                                            organisation_id=organisation_id,
                                            inspection_id=inspection_id)])[0]


def _checked(session: Session, values: InspectionInput, today: date
             ) -> tuple[int, ReferenceFramework, list[InspectionScore]]:
    """The framework version's id and model, and the scores as rows; Invalid with every
    problem at its field when a date, theme or node does not fit the framework."""
    problems: list[FieldError] = []
    if values.visited_on > today:
        problems.append(FieldError("visited_on", N_("Datoen for tilsynet ligger i "
                                                    "fremtiden.")))
    elif values.visited_on < FIRST_INSPECTION_DAY:
        problems.append(FieldError("visited_on", N_("Socialtilsynet fandtes ikke før 1. "
                                                    "januar 2014.")))
    known = frameworks(session)
    if values.framework_version not in known:
        problems.append(FieldError("framework_version", N_(
            "Kvalitetsmodellen %(version)s findes ikke. Vælg en af: %(known)s."),
            {"version": values.framework_version, "known": ", ".join(known) or "–"}))
        raise Invalid(NOT_SAVED, problems)
    version_id, model = known[values.framework_version]
    themes = {theme.id: theme for theme in model.themes}
    rows = []
    for n, given in enumerate(values.themes):
        if given.theme_id not in themes:
            problems.append(FieldError("themes", N_(
                "Temaet %(theme)s findes ikke i kvalitetsmodellen %(version)s."),
                {"theme": given.theme_id, "version": model.version},
                path=("themes", str(n), "theme_id")))
        rows.append(InspectionScore(node_id=given.theme_id, level="theme",
                                    score=_rounded(given.score)))
    covered = {t.theme_id for t in values.themes}
    levels = {node_id: (theme.id, level) for theme in model.themes
              for node_id, level in _nodes_below(theme)}
    for n, given in enumerate(values.details):
        theme_and_level = levels.get(given.node_id)
        if theme_and_level is None or theme_and_level[0] not in covered:
            problems.append(FieldError("details", N_(
                "%(node)s er ikke et kriterium eller en indikator i et af tilsynets temaer."),
                {"node": given.node_id}, path=("details", str(n), "node_id")))
            continue
        rows.append(InspectionScore(node_id=given.node_id, level=theme_and_level[1],
                                    score=_rounded(given.score)))
    if problems:
        raise Invalid(NOT_SAVED, problems)
    return version_id, model, rows


def _nodes_below(theme) -> list[tuple[str, str]]:
    return [(criterion.id, "criterion") for criterion in theme.criteria] + [
        (indicator.id, "indicator") for criterion in theme.criteria
        for indicator in criterion.indicators]


def _rounded(score: float) -> float:
    # Reports give one or two decimals; more is noise from a calculation, not a finding.
    return math.floor(score * 100 + 0.5) / 100


def _scores_json(rows: list[InspectionScore]) -> dict:
    return {row.node_id: row.score for row in rows}


def _sanctions_json(sanctions: list[SanctionInput] | list[InspectionSanction]) -> list:
    return [{"kind": str(s.kind), "description": s.description,
             "deadline": s.deadline.isoformat() if s.deadline else None} for s in sanctions]


def _audited(inspection: Inspection, scores: dict, sanctions: list) -> dict:
    """What the audit trail keeps of an inspection: its fields, scores and sanctions."""
    return fields_of(inspection, FIELDS) | {"scores": scores,
                                            "sanctions": _sanctions_json(sanctions)}


def _store_parts(session: Session, inspection: Inspection, scores: list[InspectionScore],
                 sanctions: list[SanctionInput]) -> list[InspectionSanction]:
    for row in scores:
        row.inspection_id = inspection.id
        session.add(row)
    rows = [InspectionSanction(inspection_id=inspection.id, kind=sanction.kind,
                               description=sanction.description, deadline=sanction.deadline)
            for sanction in sanctions]
    session.add_all(rows)
    return rows


@dataclass(frozen=True)
class CheckedInspection:
    values: InspectionInput
    framework_version_id: int
    framework: ReferenceFramework
    scores: list[InspectionScore]  # not added to the session


def check_inspection(*, session: Session, data: dict | InspectionInput,
                     today: date) -> CheckedInspection:
    """Every rule of a new inspection, without writing: Invalid with each problem at its
    field. record_inspection() runs it; the CSV import runs it on each row first, so a
    file is checked (and previewed) without a write."""
    values = parse_input(InspectionInput, data, NOT_SAVED)
    return CheckedInspection(values, *_checked(session, values, today))


def record_inspection(*, session: Session, user: User | None, organisation_id: int,
                      data: dict | InspectionInput, today: date, commit: bool = True,
                      action: AuditAction = AuditAction.CREATE) -> InspectionRecord:
    """A new inspection of the member. `user` None is the command line (imports); the
    CSV import audits its inspections as `AuditAction.IMPORT`."""
    if user is not None:
        member_for(session=session, user=user, organisation_id=organisation_id)
    checked = check_inspection(session=session, data=data, today=today)
    values, version_id, scores = checked.values, checked.framework_version_id, checked.scores
    inspection = Inspection(organisation_id=organisation_id, visited_on=values.visited_on,
                            authority=values.authority, visit_kind=values.kind,
                            framework_version_id=version_id, note=values.note,
                            created_by_id=user.id if user else None)
    session.add(inspection)
    session.flush()
    sanctions = _store_parts(session, inspection, scores, values.sanctions)
    official_scores.refresh(session, organisation_id)
    audit.record(session, user=user, action=action,
                 entity=AuditEntity.INSPECTION, entity_id=inspection.id,
                 organisation_id=organisation_id,
                 changes=audit.changes_between({}, _audited(
                     inspection, _scores_json(scores), values.sanctions)))
    if not commit:
        # Built from what was just written: reading it back costs three queries a row of
        # an import.
        session.flush()
        return _record(inspection, checked.framework, scores, sanctions)
    session.commit()
    return records(session, [session.get(Inspection, inspection.id)])[0]


def update_inspection(*, session: Session, user: User, organisation_id: int,
                      inspection_id: int, data: dict | InspectionUpdate,
                      today: date) -> InspectionRecord:
    """A correction of every part; 409 with the saved inspection when `version` is stale."""
    before_record = get_inspection(session=session, user=user, organisation_id=organisation_id,
                                   inspection_id=inspection_id)
    values = parse_input(InspectionUpdate, data, NOT_SAVED)
    version_id, _model, scores = _checked(session, values, today)
    inspection = before_record.inspection
    before = _audited(inspection, before_record.themes | before_record.details,
                      before_record.sanctions)
    if not claim(session, Inspection, inspection_id,
                 col(Inspection.version) == values.version):
        session.rollback()
        saved = records(session, [reload(session, Inspection, inspection_id)])[0]
        raise Conflict(N_("En anden har rettet tilsynet, efter du åbnede det. Se den nye "
                          "udgave, og ret igen."), data={"inspection": inspection_json(saved)})
    inspection = reload(session, Inspection, inspection_id)
    inspection.visited_on, inspection.authority, inspection.visit_kind = (
        values.visited_on, values.authority, values.kind)
    inspection.framework_version_id, inspection.note = version_id, values.note
    session.add(inspection)
    session.execute(delete(InspectionScore).where(
        col(InspectionScore.inspection_id) == inspection_id))
    session.execute(delete(InspectionSanction).where(
        col(InspectionSanction.inspection_id) == inspection_id))
    _store_parts(session, inspection, scores, values.sanctions)
    official_scores.refresh(session, organisation_id)
    audit.record(session, user=user, action=AuditAction.UPDATE,
                 entity=AuditEntity.INSPECTION, entity_id=inspection_id,
                 organisation_id=organisation_id,
                 changes=audit.changes_between(before, _audited(
                     inspection, _scores_json(scores), values.sanctions)))
    session.commit()
    return records(session, [reload(session, Inspection, inspection_id)])[0]


def inspection_json(record: InspectionRecord) -> dict:
    """The API's shape (CONTRACT.md), also the body of a 409."""
    inspection = record.inspection
    return {"id": inspection.id, "organisation_id": inspection.organisation_id,
            "visited_on": inspection.visited_on.isoformat(),
            "authority": str(inspection.authority), "kind": str(inspection.visit_kind),
            "framework_version": record.framework_version,
            "themes": [{"theme_id": t, "score": s} for t, s in record.themes.items()],
            "details": [{"node_id": n, "score": s} for n, s in record.details.items()],
            "sanctions": _sanctions_json(record.sanctions), "note": inspection.note,
            "version": inspection.version}

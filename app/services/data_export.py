"""All of an organisation's data in one ZIP: a JSON document, its evidence files and its
inspection reports' PDFs.

For the organisation's right of access and to take its data elsewhere (GDPR art. 15 and
20). Members get their own organisation's, admins any organisation's. The ZIP is written
to a temporary file, file by file, so memory stays bounded however large the evidence is;
the caller streams it and removes it afterwards.

LOS' internal records of its work with a member (support cases, the contact log) are LOS'
own and not part of the member's export.
"""

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_
from app.models import (
    Action,
    ActionComment,
    Answer,
    Assessment,
    AssessmentRevision,
    CatalogueVersion,
    Cycle,
    Evidence,
    Indicator,
    Inspection,
    InspectionReport,
    Organisation,
    Reflection,
    Requirement,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import EvidenceKind, Role
from app.services import audit, inspection_report, inspections
from app.services.audit import AuditAction, AuditEntity
from app.services.errors import Forbidden, NotFound
from app.services.people import deleted_user_name
from app.services.uploads import stored_path

FORMAT = "etik-organisation-export"
FORMAT_VERSION = 1
NOT_FOUND = N_("Tilbuddet findes ikke.")
ONLY_OWN = N_("Kun tilbuddets egne brugere og LOS' administratorer kan hente alle data.")

# What a person is, in the document: never the password hash, tokens or login throttling.
USER_FIELDS = ("id", "email", "name", "role", "active", "member_admin", "last_login_at",
               "created_at")


@dataclass
class OrganisationExport:
    path: Path  # the ZIP, a temporary file: the caller removes it when it has been sent
    filename: str
    file_count: int
    size_bytes: int


def _organisation_for(session: Session, user: User, organisation_id: int) -> Organisation:
    """Another organisation is "not found" to a member, as a missing one is."""
    if user.role == Role.MEMBER:
        if user.organisation_id != organisation_id:
            raise NotFound(NOT_FOUND)
    elif user.role != Role.ADMIN:
        raise Forbidden(ONLY_OWN)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(NOT_FOUND)
    return organisation


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(row, names) -> dict:
    return {name: _plain(getattr(row, name)) for name in names}


def _all(session: Session, statement) -> list:
    return list(session.exec(statement).all())


def _columns(model) -> tuple[str, ...]:
    return tuple(model.model_fields)


class _People:
    """Names of the people rows point at; a deleted user is said to be one."""

    def __init__(self, session: Session, ids: set[int]):
        found = session.exec(select(User.id, User.name).where(col(User.id).in_(ids))) if ids \
            else []
        self.names = dict(list(found))

    def who(self, user_id: int | None) -> dict | None:
        if user_id is None:
            return None
        return {"id": user_id, "name": self.names.get(user_id, deleted_user_name())}


def _evidence_name(evidence: Evidence, year: int) -> str:
    """The file's place in the ZIP: unique by the evidence id, readable by its name."""
    name = evidence.filename.replace("/", "_").replace("\\", "_") or "dokument"
    return f"evidence/{year}/{evidence.id}-{name}"


def _assessments(session: Session, organisation: Organisation, people_ids: set[int]
                 ) -> tuple[list[dict], list[tuple[Evidence, str]]]:
    assessments = list(session.exec(
        select(Assessment, Cycle, CatalogueVersion)
        .join(Cycle, Cycle.id == Assessment.cycle_id)
        .join(CatalogueVersion, CatalogueVersion.id == Assessment.catalogue_version_id)
        .where(Assessment.organisation_id == organisation.id).order_by(Cycle.year)))
    ids = [a.id for a, _, _ in assessments]
    requirement_keys = dict(_all(session, select(Requirement.id, Requirement.key).where(
        col(Requirement.catalogue_version_id).in_({a.catalogue_version_id
                                                   for a, _, _ in assessments}))))
    indicator_keys = dict(_all(session, select(Indicator.id, Indicator.key).where(
        col(Indicator.catalogue_version_id).in_({a.catalogue_version_id
                                                 for a, _, _ in assessments}))))

    def of(model, order):
        grouped: dict[int, list] = {i: [] for i in ids}
        for row in session.exec(select(model).where(col(model.assessment_id).in_(ids))
                                .order_by(*order)):
            grouped[row.assessment_id].append(row)
        return grouped

    answers = of(Answer, [Answer.indicator_id])
    reflections = of(Reflection, [Reflection.requirement_id])
    scores = of(RequirementScore, [RequirementScore.requirement_id])
    revisions = of(AssessmentRevision, [AssessmentRevision.number])
    evidence = of(Evidence, [Evidence.created_at, Evidence.id])
    for rows, names in ((answers, ["updated_by_id"]), (reflections, ["updated_by_id"]),
                        (revisions, ["submitted_by_id", "reopened_by_id"]),
                        (evidence, ["uploaded_by_id"])):
        for group in rows.values():
            for row in group:
                people_ids.update(getattr(row, n) for n in names if getattr(row, n))

    files: list[tuple[Evidence, str]] = []
    documents = []
    for assessment, cycle, catalogue in assessments:
        document = _row(assessment, ("id", "status", "version", "answered_count",
                                     "in_scope_count", "submitted_at", "created_at",
                                     "updated_at"))
        document["cycle"] = _row(cycle, ("id", "year", "opens_on", "deadline"))
        document["catalogue"] = {"key": catalogue.key, "version": catalogue.version,
                                 "title": catalogue.title}
        # Socialtilsynet's påbud or skærpet tilsyn, as the member reported it.
        document["supervision_report"] = {
            "reported": assessment.injunction_reported, "kind": assessment.injunction_kind,
            "description": assessment.injunction_description}
        document["answers"] = [
            {"indicator_id": indicator_keys.get(a.indicator_id), "score": a.score,
             "not_applicable": a.not_applicable, "comment": a.comment,
             "carried_over": a.carried_over, "updated_by_id": a.updated_by_id,
             "updated_at": _plain(a.updated_at)} for a in answers[assessment.id]]
        document["reflections"] = [
            {"requirement_id": requirement_keys.get(r.requirement_id),
             "what_works": r.what_works, "what_to_improve": r.what_to_improve,
             "updated_by_id": r.updated_by_id, "updated_at": _plain(r.updated_at)}
            for r in reflections[assessment.id]]
        document["requirement_scores"] = [
            {"requirement_id": requirement_keys.get(s.requirement_id), "score": s.score,
             "scored_count": s.scored_count, "answered_count": s.answered_count,
             "in_scope_count": s.in_scope_count} for s in scores[assessment.id]]
        document["revisions"] = [
            _row(r, ("number", "submitted_at", "submitted_by_id", "reopened_at",
                     "reopened_by_id", "reopen_reason", "snapshot"))
            for r in revisions[assessment.id]]
        document["evidence"] = []
        for item in evidence[assessment.id]:
            shown = _row(item, ("id", "kind", "title", "url", "filename", "content_type",
                                "size_bytes", "uploaded_by_id", "created_at",
                                "file_removed_at"))
            shown["requirement_id"] = requirement_keys.get(item.requirement_id)
            shown["file"] = None
            if item.kind == EvidenceKind.FILE and item.file_removed_at is None:
                shown["file"] = _evidence_name(item, cycle.year)
                files.append((item, shown["file"]))
            document["evidence"].append(shown)
        documents.append(document)
    return documents, files


def _actions(session: Session, organisation: Organisation, people_ids: set[int]) -> list[dict]:
    actions = list(session.exec(select(Action).where(
        Action.organisation_id == organisation.id).order_by(Action.created_at, Action.id)))
    requirement_keys = dict(_all(session, select(Requirement.id, Requirement.key).where(
        col(Requirement.id).in_({a.requirement_id for a in actions if a.requirement_id}))))
    comments: dict[int, list[dict]] = {a.id: [] for a in actions}
    for comment in session.exec(select(ActionComment).where(
            col(ActionComment.action_id).in_(list(comments)))
            .order_by(ActionComment.created_at, ActionComment.id)):
        comments[comment.action_id].append(
            {"user_id": comment.user_id, "user_name": comment.user_name or deleted_user_name(),
             "text": comment.text, "created_at": _plain(comment.created_at)})
    documents = []
    for action in actions:
        if action.created_by_id:
            people_ids.add(action.created_by_id)
        document = _row(action, ("id", "assessment_id", "title", "description", "owner_email",
                                 "due_on", "priority", "status", "comment", "version",
                                 "created_by_id", "created_at", "updated_at"))
        document["requirement_id"] = requirement_keys.get(action.requirement_id)
        document["comments"] = comments[action.id]
        documents.append(document)
    return documents


def _inspections(session: Session, organisation: Organisation
                 ) -> tuple[list[dict], list[tuple[InspectionReport, str]]]:
    """Socialtilsynet's inspections as the member recorded them (the API's shape), each with
    its report's PDF when one is kept, oldest visit first."""
    found = list(session.exec(select(Inspection).where(
        Inspection.organisation_id == organisation.id)
        .order_by(Inspection.visited_on, Inspection.id)))
    reports = inspection_report.reports_of(session, [i.id for i in found])
    documents, files = [], []
    for record in inspections.records(session, found):
        document = inspections.inspection_json(record)
        report = reports.get(record.inspection.id)
        if report is not None:
            document["report"] = _row(report, ("filename", "size_bytes", "uploaded_by_id",
                                               "uploaded_at", "file_removed_at"))
            document["report"]["file"] = None
            if report.file_removed_at is None:
                name = report.filename.replace("/", "_").replace("\\", "_") or "rapport.pdf"
                document["report"]["file"] = (f"inspections/{record.inspection.visited_on.year}"
                                              f"/{record.inspection.id}-{name}")
                files.append((report, document["report"]["file"]))
        documents.append(document)
    return documents, files


def export_document(*, session: Session, organisation: Organisation
                    ) -> tuple[dict, list[tuple[Evidence | InspectionReport, str]]]:
    """The JSON document, and each stored file with its name inside the ZIP."""
    users = list(session.exec(select(User).where(User.organisation_id == organisation.id)
                              .order_by(User.name, User.id)))
    people_ids: set[int] = set()
    assessments, files = _assessments(session, organisation, people_ids)
    actions = _actions(session, organisation, people_ids)
    inspection_documents, report_files = _inspections(session, organisation)
    people = _People(session, people_ids - {u.id for u in users})
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "organisation": _row(organisation, [n for n in _columns(Organisation)
                                            if n != "advisor_id"]),
        "users": [_row(u, USER_FIELDS) for u in users],
        # Others named by an id below (LOS staff who reopened, a deleted user), by name.
        "other_people": [people.who(i) for i in sorted(people_ids - {u.id for u in users})],
        "assessments": assessments,
        "actions": actions,
        "inspections": inspection_documents,
    }
    return document, files + report_files


def _stored_file(settings: Settings, row: Evidence | InspectionReport) -> Path | None:
    path = stored_path(settings, row.storage_key)
    return path if path is not None and path.is_file() else None


def _entry_of(document: dict, row: Evidence | InspectionReport) -> dict:
    """Where the document names the file: the evidence item, or the inspection's report."""
    if isinstance(row, InspectionReport):
        return next(i["report"] for i in document["inspections"]
                    if i["id"] == row.inspection_id)
    return next(e for a in document["assessments"] for e in a["evidence"] if e["id"] == row.id)


def export_organisation(*, session: Session, settings: Settings, user: User,
                        organisation_id: int) -> OrganisationExport:
    """Writes the ZIP to a temporary file and records who took it, for which organisation."""
    organisation = _organisation_for(session, user, organisation_id)
    document, files = export_document(session=session, organisation=organisation)
    handle, name = tempfile.mkstemp(prefix="etik-export-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    written = 0
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for row, inside in files:
                stored = _stored_file(settings, row)
                if stored is None:  # missing on disk: said so in the document
                    missing = _entry_of(document, row)
                    missing["file"], missing["file_missing"] = None, True
                    continue
                archive.write(stored, inside)  # streamed from disk in chunks
                written += 1
            archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2,
                                                     default=str))
        audit.record(session, user=user, action=AuditAction.EXPORT,
                     entity=AuditEntity.ORGANISATION, entity_id=organisation.id,
                     organisation_id=organisation.id,
                     changes={"files": [None, written]})
        session.commit()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    filename = f"etik-data-{organisation.cvr}-{utcnow().date().isoformat()}.zip"
    return OrganisationExport(path, filename, written, path.stat().st_size)

"""Admin: the audit trail – who changed what and when, filtered, 50 at a time, or as CSV."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, WebAdmin
from app.i18n import format_moment
from app.services.audit import AuditFilter, audit_entities, list_audit
from app.services.fields import NoNul, RowId
from app.services.organisations import organisation_choices
from app.web.exports import csv_response
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/admin/audit")

CSV_LIMIT = 100_000  # a year of a busy LOS is far below this


def _filter(organisation_id, user_id, entity, since, until) -> AuditFilter:
    return AuditFilter(organisation_id, user_id, entity or None, since, until)


OrganisationId = Annotated[RowId | None, Query()]
UserId = Annotated[RowId | None, Query()]
Entity = Annotated[str, Query(max_length=40), NoNul]
Day = Annotated[date | None, Query()]


@router.get("")
def audit_page(request: Request, admin: WebAdmin, session: SessionDep,
               organisation_id: OrganisationId = None, user_id: UserId = None,
               entity: Entity = "", since: Day = None, until: Day = None,
               page: PageNumber = 1) -> Response:
    wanted = _filter(organisation_id, user_id, entity, since, until)
    filters = {"organisation_id": organisation_id, "user_id": user_id, "entity": entity,
               "since": since.isoformat() if since else "",
               "until": until.isoformat() if until else ""}
    pagination = Pagination(request.url.path, page, filters)
    found = list_audit(session=session, user=admin, wanted=wanted,
                       offset=pagination.offset, limit=PAGE_SIZE)
    return render(request, "admin/audit.html", {
        "entries": found.entries, "total": found.total, "filters": filters,
        "pagination": pagination.with_total(found.total),
        "organisations": organisation_choices(session=session),
        "entities": audit_entities(session=session),
        "csv_url": Pagination("/admin/audit.csv", 1, filters).url(1),
    })


@router.get(".csv")
def audit_csv(admin: WebAdmin, session: SessionDep, organisation_id: OrganisationId = None,
              user_id: UserId = None, entity: Entity = "", since: Day = None,
              until: Day = None) -> Response:
    """The same filter as the page, every matching row, newest first."""
    found = list_audit(session=session, user=admin, limit=CSV_LIMIT,
                       wanted=_filter(organisation_id, user_id, entity, since, until))
    rows = ([format_moment(e.at), e.user_email or "(kommandolinje)", e.action, e.entity,
             e.entity_id, e.organisation_id or "", field, _text(before), _text(after)]
            for e in found.entries
            for field, (before, after) in (e.changes or {"": [None, None]}).items())
    return csv_response("revisionsspor.csv", ["tidspunkt", "bruger", "handling", "type", "id",
                                              "organisation_id", "felt", "før", "efter"], rows)


def _text(value) -> str:
    return "" if value is None else str(value)

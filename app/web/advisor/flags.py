"""The flagged members: who needs an advisor this cycle and why, most severe first.

Filters live in the URL; htmx swaps the results block when one changes, and without
JavaScript the "Vis" button loads the same URL. CSV and Excel give exactly the filtered list.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.auth.deps import SessionDep, SettingsDep, WebAdvisor
from app.clock import TodayDep
from app.config import Settings
from app.i18n import gettext
from app.models import User
from app.models.vocabulary import FlagCode
from app.services.advisor.flags import (
    FlagPage,
    FlagSettings,
    MemberFlags,
    flag_page,
    points_explained,
    rule_texts,
    severity_bands,
    threshold_of,
)
from app.services.errors import FieldError
from app.services.organisations import active_advisors
from app.web.advisor.member_filters import (
    ListQuery,
    ListQueryDep,
    choice_of,
    choices,
    chosen_cycle,
    refused_filter,
)
from app.web.exports import csv_response, xlsx_response
from app.web.labels import region_label, service_type_label
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/advisor/flags")

Reason = Annotated[str, Query(max_length=40)]


def _reason(value: str) -> FlagCode | None:
    errors: list[FieldError] = []
    code = choice_of(FlagCode, "reason", value, errors)
    if errors:
        raise refused_filter(errors)
    return code


def _flagged(session: Session, settings: Settings, user: User, query: ListQuery,
             reason: FlagCode | None, today: date, offset: int = 0,
             limit: int | None = None):
    """The cycle asked for and `limit` of its flagged members from `offset` (all: None)."""
    cycle = chosen_cycle(session, query, today)
    if cycle is None:
        return None, FlagPage(0, [])
    return cycle, flag_page(session=session, user=user, cycle=cycle, today=today,
                            rules=FlagSettings.of(settings), members=query.members(user),
                            codes=frozenset({reason}) if reason else frozenset(),
                            offset=offset, limit=limit)


@router.get("")
def flags_page(request: Request, user: WebAdvisor, session: SessionDep, settings: SettingsDep,
               today: TodayDep, query: ListQueryDep, reason: Reason = "",
               page: PageNumber = 1) -> Response:
    code = _reason(reason)
    filters = {**query.params(), "reason": reason}
    pagination = Pagination(request.url.path, page, filters)
    cycle, found = _flagged(session, settings, user, query, code, today,
                            pagination.offset, PAGE_SIZE)
    pagination = pagination.with_total(found.total)
    rules = FlagSettings.of(settings)
    return render(request, "advisor/flags.html", {
        "cycle": cycle, "members": found.members,
        "total": found.total, "pagination": pagination, "query": query, "reason": reason,
        "reasons": list(FlagCode), **choices(session, user),
        "rule_texts": rule_texts(rules, threshold_of(session, cycle)) if cycle else {},
        "points_explained": points_explained(), "severity_bands": severity_bands(),
        "csv_url": Pagination(f"{request.url.path}.csv", 1, filters).url(1),
        "xlsx_url": Pagination(f"{request.url.path}.xlsx", 1, filters).url(1),
    }, block="results")


def _table(session: Session, found: list[MemberFlags]) -> tuple[list[str], list[list]]:
    names = {a.id: a.name for a in active_advisors(session=session)}
    header = [gettext("Medlem"), gettext("Alvor"), gettext("Point"), gettext("Årsager"),
              gettext("Konsulent"), gettext("Tilbudstype"), gettext("Region"),
              gettext("Pladser")]
    rows = [[m.organisation.name, m.level, m.severity,
             " ".join(reason.text() for reason in m.reasons),
             names.get(m.organisation.advisor_id, gettext("Ikke tildelt")),
             service_type_label(m.organisation.service_type),
             region_label(m.organisation.region), m.organisation.places] for m in found]
    return header, rows


def _filename(cycle, extension: str) -> str:
    return f"flag-{cycle.year if cycle else 'ingen-runde'}.{extension}"


@router.get(".csv")
def flags_csv(user: WebAdvisor, session: SessionDep, settings: SettingsDep, today: TodayDep,
              query: ListQueryDep, reason: Reason = "") -> Response:
    cycle, found = _flagged(session, settings, user, query, _reason(reason), today)
    return csv_response(_filename(cycle, "csv"), *_table(session, found.members))


@router.get(".xlsx")
def flags_xlsx(user: WebAdvisor, session: SessionDep, settings: SettingsDep, today: TodayDep,
               query: ListQueryDep, reason: Reason = "") -> Response:
    cycle, found = _flagged(session, settings, user, query, _reason(reason), today)
    return xlsx_response(_filename(cycle, "xlsx"), gettext("Flag"),
                         *_table(session, found.members))

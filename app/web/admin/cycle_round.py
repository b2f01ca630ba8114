"""Admin: one round's members – status, progress, last activity; a reminder now; CSV.

The filter lives in the URL (links per status, the page number), and the CSV holds exactly
the filtered members. Reminders are a plain form post that answers 303 back to the same
filter with what was sent.
"""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, SettingsDep, WebAdmin
from app.clock import TodayDep
from app.i18n import N_, format_moment, gettext, ngettext
from app.models.base import utcnow
from app.models.vocabulary import CycleStatus, RoundStatus
from app.services import cycles
from app.services.advisor.notices import ReminderResult, send_reminders_now
from app.services.cycle_round import NOT_SUBMITTED, UNSENT, RoundRow, round_page, round_rows
from app.services.errors import NotFound
from app.services.fields import RowId
from app.web.exports import csv_response
from app.web.forms import FormDep, text_of
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/admin/cycles/{cycle_id:int}")

StatusFilter = Annotated[str, Query(max_length=20)]
RESULT_FIELDS = ("sent", "members", "recent", "without_users")  # ReminderResult's fields
NO_MEMBER = N_("Organisationen findes ikke.")


def _filters(status: str) -> list[tuple[str, str]]:
    """The status links, in the order a round goes: (value, label); "" is everyone."""
    return ([("", gettext("Alle"))] + [(s.value, s.label) for s in
                                        (RoundStatus.NOT_STARTED, RoundStatus.IN_PROGRESS,
                                         RoundStatus.REOPENED, RoundStatus.SUBMITTED)]
            + [(NOT_SUBMITTED, gettext("Ikke indsendt"))])


def _result_text(values: dict[str, int]) -> list[str]:
    """What a reminder did, in sentences; empty when nothing was sent this time."""
    result = ReminderResult(**values)
    lines = []
    if result.sent:
        lines.append(ngettext("Påmindelsen er sendt til %(num)s bruger",
                              "Påmindelsen er sendt til %(num)s brugere", result.sent)
                     + " " + ngettext("hos %(num)s medlem.", "hos %(num)s medlemmer.",
                                      result.members))
    else:
        lines.append(gettext("Der blev ikke sendt nogen påmindelse."))
    if result.recent:
        lines.append(ngettext(
            "%(num)s bruger fik en påmindelse for nylig og fik ikke en til.",
            "%(num)s brugere fik en påmindelse for nylig og fik ikke en til.", result.recent))
    if result.without_users:
        lines.append(ngettext("%(num)s medlem har ingen aktive brugere at sende til.",
                              "%(num)s medlemmer har ingen aktive brugere at sende til.",
                              result.without_users))
    return lines


@router.get("/round")
def round_view(request: Request, cycle_id: RowId, admin: WebAdmin, session: SessionDep,
               settings: SettingsDep, today: TodayDep, status: StatusFilter = "",
               page: PageNumber = 1) -> Response:
    cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
    pagination = Pagination(request.url.path, page, {"status": status})
    found = round_page(session=session, user=admin, cycle=cycle, status=status,
                       offset=pagination.offset, limit=PAGE_SIZE)
    counts = found.counts
    counts[""] = sum(counts.values())
    counts[NOT_SUBMITTED] = sum(counts[s.value] for s in UNSENT)
    params = request.query_params
    result = ({name: int(params.get(name, "0")) for name in RESULT_FIELDS}
              if all(params.get(name, "").isdigit() for name in RESULT_FIELDS) else None)
    open_now = cycles.cycle_status(cycle, today) is CycleStatus.OPEN
    return render(request, "admin_cycles/round.html", {
        "cycle": cycle, "cycle_status": cycles.cycle_status(cycle, today), "rows": found.rows,
        "total": found.total, "counts": counts, "status": status, "filters": _filters(status),
        "pagination": pagination.with_total(found.total), "open_now": open_now,
        # A reminder to all the filter shows only for those who have not submitted.
        "bulk": open_now and status in {s.value for s in UNSENT} | {NOT_SUBMITTED},
        "csv_url": Pagination(f"{request.url.path}.csv", 1, {"status": status}).url(1),
        "result": _result_text(result) if result else [],
        "resend_minutes": settings.reminder_resend_minutes,
    })


def _csv_row(row: RoundRow) -> list:
    return [row.name, row.cvr, row.status.label, row.answered, row.in_scope,
            round(row.share * 100), format_moment(row.changed_at),
            format_moment(row.submitted_at) if row.status != RoundStatus.NOT_STARTED else "",
            format_moment(row.last_login_at), format_moment(row.reminded_at), row.users]


@router.get("/round.csv")
def round_csv(cycle_id: RowId, admin: WebAdmin, session: SessionDep,
              status: StatusFilter = "") -> Response:
    cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
    rows = round_rows(session=session, user=admin, cycle=cycle, status=status)
    header = [gettext("Medlem"), gettext("CVR"), gettext("Status"), gettext("Besvaret"),
              gettext("Indikatorer i alt"), gettext("Besvaret (%)"),
              gettext("Sidste aktivitet"), gettext("Indsendt"), gettext("Sidst logget ind"),
              gettext("Sidst påmindet"), gettext("Aktive brugere")]
    name = f"runde-{cycle.year}" + (f"-{status}" if status else "") + ".csv"
    return csv_response(name, header, [_csv_row(row) for row in rows])


@router.post("/round/reminders")
def send_reminders(cycle_id: RowId, admin: WebAdmin, session: SessionDep,
                   settings: SettingsDep, today: TodayDep, form: FormDep) -> Response:
    """One member (`organisation_id`) or every member the filter shows (`status`)."""
    cycle = cycles.get_cycle(session=session, cycle_id=cycle_id)
    status, page = text_of(form, "status"), text_of(form, "page")
    one = text_of(form, "organisation_id")
    if one:
        if not one.isdigit():
            raise NotFound(NO_MEMBER)
        organisation_ids = [int(one)]
    else:
        organisation_ids = [row.organisation_id for row in round_rows(
            session=session, user=admin, cycle=cycle, status=status or NOT_SUBMITTED)
            if row.status in UNSENT]
    result = send_reminders_now(session=session, settings=settings, user=admin, cycle=cycle,
                                organisation_ids=organisation_ids, today=today, now=utcnow())
    query = {"status": status, "page": page if page.isdigit() and page != "1" else "",
             "sent": result.sent, "members": result.members, "recent": result.recent,
             "without_users": result.without_users}
    anchor = f"#member-{one}" if one else "#reminders"
    return RedirectResponse(
        f"/admin/cycles/{cycle_id}/round?"
        f"{urlencode({k: v for k, v in query.items() if v != ''})}{anchor}", status_code=303)

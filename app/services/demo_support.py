"""The advisors' side of the demo data: support cases and contacts, through the services.

A case for every member that reported a påbud this year, a case the advisor opened about a
decline, one closed with its outcome, and a contact log around them; dates near today.
"""

from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.models import Assessment, Cycle, Organisation, User
from app.models.vocabulary import CaseStatus, ContactKind, InjunctionKind
from app.services.advisor.support import add_contact, open_case, update_case


def add_support_story(*, session: Session, today: date, advisor: User, cycle: Cycle,
                      members: list[Organisation]) -> int:
    """Opens the demo's cases; returns how many."""
    reported = session.exec(
        select(Assessment.organisation_id, Assessment.injunction_kind)
        .where(Assessment.cycle_id == cycle.id, col(Assessment.injunction_reported))
        .order_by(Assessment.organisation_id)).all()
    cases = 0
    for organisation_id, kind in reported:
        case = open_case(session=session, user=advisor, organisation_id=organisation_id,
                         today=today - timedelta(days=12), data={
                             "reason": "Påbud fra Socialtilsynet om dokumentation af "
                                       "magtanvendelser",
                             "injunction_kind": kind or InjunctionKind.PAABUD,
                             "opened_on": today - timedelta(days=12),
                             "next_contact_on": today + timedelta(days=5)})
        _contact(session, advisor, organisation_id, case.id, today - timedelta(days=11),
                 ContactKind.CALL, "Lederen ringede om påbuddet. Vi aftalte at se på "
                 "registreringen sammen.", "Møde på tilbuddet")
        _contact(session, advisor, organisation_id, case.id, today - timedelta(days=4),
                 ContactKind.MEETING, "Gennemgik skemaet til magtanvendelser med "
                 "personalegruppen.", "Opfølgning om en måned")
        cases += 1
    if members:
        declining = members[0]
        case = open_case(session=session, user=advisor, organisation_id=declining.id,
                         today=today - timedelta(days=30), data={
                             "reason": "Fald i kompetencer og selvbestemmelse siden sidste år",
                             "opened_on": today - timedelta(days=30),
                             "next_contact_on": today - timedelta(days=2)})
        update_case(session=session, user=advisor, organisation_id=declining.id,
                    case_id=case.id, today=today, data={
                        "status": CaseStatus.MONITORING, "version": case.version,
                        "next_contact_on": (today - timedelta(days=2)).isoformat()})
        _contact(session, advisor, declining.id, case.id, today - timedelta(days=29),
                 ContactKind.EMAIL, "Sendte materiale om kompetenceplaner.", "")
        cases += 1
    if len(members) > 2:
        closed = members[2]
        case = open_case(session=session, user=advisor, organisation_id=closed.id,
                         today=today - timedelta(days=200), data={
                             "reason": "Skærpet tilsyn efter uanmeldt besøg",
                             "injunction_kind": InjunctionKind.SKAERPET_TILSYN,
                             "opened_on": today - timedelta(days=200)})
        update_case(session=session, user=advisor, organisation_id=closed.id, case_id=case.id,
                    today=today - timedelta(days=60), data={
                        "status": CaseStatus.CLOSED, "version": case.version,
                        "outcome": "Tilsynet ophævede det skærpede tilsyn efter opfølgende "
                                   "besøg."})
        cases += 1
    return cases


def _contact(session: Session, advisor: User, organisation_id: int, case_id: int, day: date,
             kind: ContactKind, note: str, next_step: str) -> None:
    add_contact(session=session, user=advisor, organisation_id=organisation_id, data={
        "kind": kind, "happened_on": day, "note": note, "next_step": next_step,
        "case_id": case_id})

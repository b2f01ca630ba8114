"""Every write service records an audit entry in its own transaction; none is ever rewritten.

Write services are found by reading app/services: any function that commits. Each needs a
recipe in WRITES (run here, and must add an entry naming its actor) or a reason in EXEMPT.
"""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from app.clock import today
from app.config import PROJECT_ROOT
from app.models import (
    Action,
    AuditEntry,
    Evidence,
    InspectionReport,
    OutboxMessage,
    User,
    UserSession,
)
from app.models.vocabulary import Role
from app.services import (
    account,
    actions,
    assignments,
    colleagues,
    cycles,
    data_export,
    email_change,
    inspection_import,
    inspection_report,
    inspections,
    links,
    member_import,
    organisations,
    reference_import,
    retention,
    sector_reference,
    user_deletion,
    users,
)
from app.services.advisor import support
from app.services.assessment import answers, carry_over, evidence, submission
from app.services.assessment.start import start_assessment
from app.services.catalogue import loading as catalogue_loading
from app.services.credentials import start_browser_session
from app.services.links import LinkPurpose, create_link
from tests.conftest import PASSWORD
from tests.services.test_results import fill_in, past_cycle

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"

EXEMPT = {
    # Authentication events, not changes to anyone's data: the request log has them.
    "credentials.authenticate", "credentials.start_browser_session",
    "credentials.end_browser_session", "credentials.issue_api_token",
    # Renewing a session's "last seen" time, every few minutes, is part of logging in.
    "credentials.user_for_browser_session",
    # Counting attempts (logins, reset requests) for their limits changes nobody's data.
    "credentials._count_attempt", "links._over_reset_limits",
    # A one-time link is a credential; sending it is in the outbox. An email-change link
    # used up because its address was taken meanwhile changes nobody's data.
    "links.create_link", "email_change._use_up",
    # The outbox is itself the record of every message; a notice's claim is its own record.
    "mail.send_mail", "advisor.notices._claim",
    # Demo data goes through the audited services; these commits only backdate its rows.
    "demo._people", "demo._submit",
    # The demo's invented reference figures go through store_references, which audits them.
    "demo_reference.add_reference_story",
    # The demo's inspections go through record_inspection, which audits each.
    "demo_inspections.add_inspection_story",
    # Thousands of invented members in bulk, for scale: an audit entry per invented answer
    # would be a trail of nothing that happened (the story members go through the services).
    "demo_bulk.add_bulk_members",
}


def committing_functions() -> set[str]:
    found = set()
    for path in SERVICES.rglob("*.py"):
        module = ".".join(path.relative_to(SERVICES).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "commit" for call in ast.walk(node)):
                found.add(f"{module}.{node.name}")
    return found


class World:
    def __init__(self, session, settings, cast, catalogue, open_cycle, keys):
        self.session, self.settings, self.cast = session, settings, cast
        self.catalogue, self.cycle, self.keys = catalogue, open_cycle, keys
        self.assessment, _ = start_assessment(
            session=session, user=cast.alice, cycle_id=open_cycle.id, today=today())
        self.requirement = "efk.uddannelse"

    def fresh_version(self) -> int:
        self.session.refresh(self.assessment)
        return self.assessment.version

    def action(self) -> Action:
        return actions.create_action(session=self.session, user=self.cast.advisor, today=today(),
                                     data={"organisation_id": self.cast.org_a.id,
                                           "title": "Plan"})

    def submitted(self):
        return fill_in(self.session, self.cast.org_b, self.cycle, user=self.cast.bob)


def _answer(w):
    answers.save_answer(session=w.session, user=w.cast.alice, assessment_id=w.assessment.id,
                        indicator_key=w.keys[0], data={"score": 4, "version": w.fresh_version()})
    return w.cast.alice


def _reflection(w):
    answers.save_reflection(session=w.session, user=w.cast.alice,
                            assessment_id=w.assessment.id, requirement_key=w.requirement,
                            data={"what_works": "Meget", "version": w.fresh_version()})
    return w.cast.alice


def _injunction(w):
    answers.save_injunction(session=w.session, user=w.cast.alice, assessment_id=w.assessment.id,
                            data={"reported": False, "version": w.fresh_version()})
    return w.cast.alice


def _start(w):
    start_assessment(session=w.session, user=w.cast.bob, cycle_id=w.cycle.id,
                                 today=today())
    return w.cast.bob


def _submit(w):
    fill_in(w.session, w.cast.org_b, w.cycle, user=w.cast.bob)
    return w.cast.bob


def _reopen(w):
    done = w.submitted()
    submission.reopen(session=w.session, user=w.cast.advisor, assessment_id=done.id,
                      reason="Mangler kommentarer")
    return w.cast.advisor


def _carry_over(w):
    fill_in(w.session, w.cast.org_a, past_cycle(w.session, w.catalogue, 1), user=w.cast.alice)
    carry_over.carry_over_last_year(session=w.session, user=w.cast.alice,
                                    assessment_id=w.assessment.id)
    return w.cast.alice


def _confirm_carried(w):
    _carry_over(w)
    _, confirmed = carry_over.confirm_carried_over(
        session=w.session, user=w.cast.alice, assessment_id=w.assessment.id,
        requirement_key=w.requirement, data={"version": w.fresh_version()})
    assert confirmed  # the entries checked are the confirmation's, not the carry-over's
    return w.cast.alice


def _link_evidence(w):
    evidence.add_link_evidence(session=w.session, user=w.cast.alice,
                               assessment_id=w.assessment.id, requirement_key=w.requirement,
                               url="https://www.los.dk/rapport", title="Rapport")
    return w.cast.alice


def _file_evidence(w):
    evidence.add_file_evidence(session=w.session, settings=w.settings, user=w.cast.alice,
                               assessment_id=w.assessment.id, requirement_key=w.requirement,
                               filename="plan.pdf", content=b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")
    return w.cast.alice


def _retention(w):
    _file_evidence(w)
    stored = w.session.exec(select(Evidence)).one()
    stored.created_at -= timedelta(days=w.settings.evidence_retention_days + 1)
    w.session.add(stored)
    w.session.commit()
    retention.apply_retention(session=w.session, settings=w.settings)
    return None  # the command line


def _file_retention(w):
    """Both kinds of file retention removes: a report's PDF, then an evidence file."""
    _report_retention(w)
    return _retention(w)


def _remove_evidence(w):
    _link_evidence(w)
    item = w.session.exec(select(Evidence)).first()
    evidence.remove_evidence(session=w.session, settings=w.settings, user=w.cast.alice,
                             evidence_id=item.id)
    return w.cast.alice


def _create_action(w):
    w.action()
    return w.cast.advisor


def _update_action(w):
    action = w.action()
    actions.update_action(session=w.session, user=w.cast.alice, action_id=action.id,
                          data={"status": "in_progress", "version": action.version})
    return w.cast.alice


def _create_cycle(w):
    cycles.create_cycle(session=w.session, user=w.cast.admin, data={
        "year": w.cycle.year + 1, "catalogue_version_id": w.catalogue.id,
        "opens_on": today() + timedelta(days=300), "deadline": today() + timedelta(days=400)})
    return w.cast.admin


def _update_cycle(w):
    cycles.update_cycle(session=w.session, user=w.cast.admin, cycle_id=w.cycle.id,
                        has_assessments=True, data={
                            "year": w.cycle.year, "catalogue_version_id": w.catalogue.id,
                            "opens_on": w.cycle.opens_on,
                            "deadline": w.cycle.deadline + timedelta(days=7)})
    return w.cast.admin


def _organisation_values(w, **changes):
    organisation = w.cast.org_b
    return {"name": organisation.name, "cvr": organisation.cvr,
            "company_name": organisation.company_name,
            "service_type": organisation.service_type, "region": organisation.region,
            "places": organisation.places} | changes


def _create_organisation(w):
    organisations.create_organisation(session=w.session, user=w.cast.admin,
                                      data=_organisation_values(w, cvr="87654321"))
    return w.cast.admin


def _update_organisation(w):
    organisations.update_organisation(session=w.session, user=w.cast.admin,
                                      organisation_id=w.cast.org_b.id,
                                      data=_organisation_values(w, places=20))
    return w.cast.admin


def _deactivate_organisation(w):
    organisations.set_organisation_active(session=w.session, user=w.cast.admin,
                                          organisation_id=w.cast.org_b.id, active=False)
    return w.cast.admin


def _create_user(w):
    users.create_user(session=w.session, user=w.cast.admin, data={
        "email": "ny@test.example", "name": "Ny", "role": Role.ADVISOR})
    return w.cast.admin


def _create_user_with_password(w):
    users.create_user_with_password(session=w.session, settings=w.settings, user=None,
                                    password="a long enough password", data={
                                        "email": "cli@test.example", "name": "CLI",
                                        "role": Role.ADMIN})
    return None


def _update_user(w):
    bob = w.cast.bob
    users.update_user(session=w.session, user=w.cast.admin, user_id=bob.id, data={
        "email": bob.email, "name": "Bob Omdøbt", "role": bob.role,
        "organisation_id": bob.organisation_id})
    return w.cast.admin


def _set_password(w):
    url = create_link(session=w.session, settings=w.settings, user=w.cast.bob,
                      purpose=LinkPurpose.PASSWORD_RESET)
    new = "a brand new password"
    links.set_password_with_link(session=w.session, settings=w.settings,
                                 token=url.rsplit("/", 1)[-1],
                                 purpose=LinkPurpose.PASSWORD_RESET, password=new, repeated=new)
    return w.cast.bob


def _change_name(w):
    account.change_name(session=w.session, user=w.cast.bob, data={"name": "Bob Omdøbt"})
    return w.cast.bob


def _change_password(w):
    new = "a brand new password"
    account.change_password(session=w.session, settings=w.settings, user=w.cast.bob,
                            current=PASSWORD, password=new, repeated=new, client="test",
                            keep_token=None)
    return w.cast.bob


def _end_browser_login(w):
    start_browser_session(session=w.session, settings=w.settings, user=w.cast.bob)
    row = w.session.exec(select(UserSession).where(UserSession.user_id == w.cast.bob.id)).one()
    account.end_browser_login(session=w.session, user=w.cast.bob, session_id=row.id,
                              current_token=None)
    return w.cast.bob


def _end_other_browser_logins(w):
    token = start_browser_session(session=w.session, settings=w.settings, user=w.cast.bob)
    start_browser_session(session=w.session, settings=w.settings, user=w.cast.bob)
    assert account.end_other_browser_logins(session=w.session, user=w.cast.bob,
                                            current_token=token) == 1
    return w.cast.bob


def _confirm_email_change(w):
    email_change.request_email_change(session=w.session, settings=w.settings, user=w.cast.bob,
                                      email="bob.ny@test.example", current_password=PASSWORD,
                                      client="test")
    body = w.session.exec(select(OutboxMessage.body).where(
        OutboxMessage.recipient == "bob.ny@test.example")).one()
    email_change.confirm_email_change(session=w.session, settings=w.settings, user=w.cast.bob,
                                      token=body.split("/account/email/")[1].split()[0])
    return w.cast.bob


def _write_active(w):
    # Through set_user_active, which checks who may and writes with write_active.
    users.set_user_active(session=w.session, user=w.cast.admin, user_id=w.cast.bob.id,
                          active=False)
    return w.cast.admin


def _set_leader(w):
    colleagues.set_leader(session=w.session, user=w.cast.carol, organisation_id=w.cast.org_a.id,
                          colleague_id=w.cast.alice.id, leader=True)
    return w.cast.carol


def _import_members(w):
    content = (PROJECT_ROOT / "tests" / "fixtures" / "members" / "codes_comma.csv").read_bytes()
    member_import.import_members_csv(session=w.session, settings=w.settings, content=content,
                                     invite=False, user=w.cast.admin)
    return w.cast.admin


def _open_case(w):
    support.open_case(session=w.session, user=w.cast.advisor, organisation_id=w.cast.org_a.id,
                      today=today(), data={"reason": "Påbud"})
    return w.cast.advisor


def _update_case(w):
    case = support.open_case(session=w.session, user=w.cast.advisor,
                             organisation_id=w.cast.org_a.id, today=today(),
                             data={"reason": "Påbud"})
    support.update_case(session=w.session, user=w.cast.admin, organisation_id=w.cast.org_a.id,
                        case_id=case.id, today=today(),
                        data={"status": "monitoring", "version": case.version})
    return w.cast.admin


_INSPECTION = {"visited_on": "2026-01-05", "authority": "syd", "kind": "desk",
               "framework_version": "2017",
               "themes": [{"theme_id": "km.tema.kompetencer", "score": 4}]}


def _record_inspection(w):
    inspections.record_inspection(session=w.session, user=w.cast.alice,
                                  organisation_id=w.cast.org_a.id, data=_INSPECTION,
                                  today=today())
    return w.cast.alice


def _put_report(w, user=None):
    record = inspections.record_inspection(session=w.session, user=w.cast.alice,
                                           organisation_id=w.cast.org_a.id, data=_INSPECTION,
                                           today=today())
    inspection_report.put_report(session=w.session, settings=w.settings,
                                 user=user or w.cast.alice, organisation_id=w.cast.org_a.id,
                                 inspection_id=record.inspection.id, filename="rapport.pdf",
                                 content=b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")
    return record.inspection.id


def _upload_report(w):
    _put_report(w, user=w.cast.advisor)
    return w.cast.advisor


def _delete_report(w):
    inspection_id = _put_report(w)
    inspection_report.delete_report(session=w.session, settings=w.settings, user=w.cast.alice,
                                    organisation_id=w.cast.org_a.id,
                                    inspection_id=inspection_id)
    return w.cast.alice


def _report_retention(w):
    _put_report(w)
    stored = w.session.exec(select(InspectionReport)).one()
    stored.uploaded_at -= timedelta(days=w.settings.evidence_retention_days + 1)
    w.session.add(stored)
    w.session.commit()
    retention.apply_retention(session=w.session, settings=w.settings)
    assert w.session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first(
        ).entity == "inspection_report"
    return None  # the command line


def _import_inspections(w):
    inspection_import.import_inspections_csv(
        session=w.session, user=w.cast.admin, today=today(),
        content=f"cvr;visited_on;authority;kind;framework_version;kompetencer\n"
                f"{w.cast.org_a.cvr};2025-03-01;nord;desk;2025;4\n".encode())
    return w.cast.admin


def _update_inspection(w):
    record = inspections.record_inspection(session=w.session, user=w.cast.alice,
                                           organisation_id=w.cast.org_a.id, data=_INSPECTION,
                                           today=today())
    inspections.update_inspection(session=w.session, user=w.cast.advisor,
                                  organisation_id=w.cast.org_a.id,
                                  inspection_id=record.inspection.id, today=today(),
                                  data=_INSPECTION | {"version": 1, "note": "Rettet"})
    return w.cast.advisor


def _add_contact(w):
    support.add_contact(session=w.session, user=w.cast.advisor, organisation_id=w.cast.org_a.id,
                        data={"kind": "call", "happened_on": today(), "note": "Samtale"})
    return w.cast.advisor


def _assign(w):
    assignments.assign_advisor(session=w.session, user=w.cast.admin,
                               data={"advisor_id": w.cast.advisor.id})
    return w.cast.admin


def _export_organisation(w):
    export = data_export.export_organisation(session=w.session, settings=w.settings,
                                             user=w.cast.alice, organisation_id=w.cast.org_a.id)
    export.path.unlink()
    return w.cast.alice


def _delete_user(w):
    user_deletion.delete_user(session=w.session, user=w.cast.admin, user_id=w.cast.bob.id)
    return w.cast.admin


REFERENCE = {"source": "Kilde", "year": 2025, "theme_key": "km.tema.kompetencer",
             "provider_group": "all", "mean": 3.5}


def _save_reference(w):
    sector_reference.save_reference(session=w.session, user=w.cast.admin, data=REFERENCE)
    return w.cast.admin


def _delete_reference(w):
    row, _ = sector_reference.save_reference(session=w.session, user=None, data=REFERENCE)
    sector_reference.delete_reference(session=w.session, user=w.cast.admin, reference_id=row.id)
    return w.cast.admin


def _import_references(w):
    reference_import.import_references_csv(
        session=w.session, user=w.cast.admin,
        content=b"source;year;theme;mean\nKilde;2025;km.tema.kompetencer;3,5\n")
    return w.cast.admin


def _remind(w):
    from app.models.base import utcnow
    from app.services.advisor.notices import send_reminders_now

    send_reminders_now(session=w.session, settings=w.settings, user=w.cast.admin,
                       cycle=w.cycle, organisation_ids=[w.cast.org_a.id], today=today(),
                       now=utcnow())
    return w.cast.admin


WRITES = {
    "sector_reference.save_reference": _save_reference,
    "sector_reference.delete_reference": _delete_reference,
    "reference_import.import_references_csv": _import_references,
    "assignments.assign_advisor": _assign,
    "advisor.support.open_case": _open_case,
    "advisor.support.update_case": _update_case,
    "advisor.support.add_contact": _add_contact,
    "inspections.record_inspection": _record_inspection,
    "inspections.update_inspection": _update_inspection,
    "inspection_import.import_inspections_csv": _import_inspections,
    "inspection_report.put_report": _upload_report,
    "inspection_report.delete_report": _delete_report,
    "assessment.answers.save_answer": _answer,
    "assessment.answers.save_reflection": _reflection,
    "assessment.answers.save_injunction": _injunction,
    "assessment.start.start_assessment": _start,
    "assessment.submission.submit": _submit,
    "assessment.submission.reopen": _reopen,
    "assessment.carry_over.carry_over_last_year": _carry_over,
    "assessment.carry_over.confirm_carried_over": _confirm_carried,
    "assessment.evidence.add_link_evidence": _link_evidence,
    "assessment.evidence.add_file_evidence": _file_evidence,
    "assessment.evidence.remove_evidence": _remove_evidence,
    "actions.create_action": _create_action,
    "actions.update_action": _update_action,
    "cycles.create_cycle": _create_cycle,
    "cycles.update_cycle": _update_cycle,
    "organisations.create_organisation": _create_organisation,
    "organisations.update_organisation": _update_organisation,
    "organisations.set_organisation_active": _deactivate_organisation,
    "users.create_user": _create_user,
    "users.create_user_with_password": _create_user_with_password,
    "users.update_user": _update_user,
    "users.write_active": _write_active,
    "colleagues.set_leader": _set_leader,
    "links.set_password_with_link": _set_password,
    "account.change_name": _change_name,
    "account.change_password": _change_password,
    "account.end_browser_login": _end_browser_login,
    "account.end_other_browser_logins": _end_other_browser_logins,
    "email_change.confirm_email_change": _confirm_email_change,
    "member_import.import_members_csv": _import_members,
    "data_export.export_organisation": _export_organisation,
    "user_deletion.delete_user": _delete_user,
    "retention._remove_file": _file_retention,
    "advisor.notices.send_reminders_now": _remind,
}
# Needs a database without catalogues, so it has its own test below.
STANDALONE = {"catalogue.loading.load_catalogues"}


def test_every_committing_service_is_audited_or_exempt_with_a_reason():
    found = committing_functions()
    known = set(WRITES) | STANDALONE | EXEMPT
    assert sorted(found - known) == [], "new write service: add a recipe"
    assert sorted(known - found) == [], "gone: remove it here"


def test_loading_catalogues_records_each_version_loaded(session):
    catalogue_loading.load_catalogues(session=session, user=None, root=PROJECT_ROOT / "catalogue")
    entries = list(session.exec(select(AuditEntry)))
    assert {e.entity_id for e in entries} == {
        "los-etisk-forventningskatalog/2023", "socialtilsyn-kvalitetsmodel/2017",
        "socialtilsyn-kvalitetsmodel/2025"}
    assert all(e.action == "load" and e.user_id is None for e in entries)


@pytest.fixture
def world(session, settings, cast, catalogue, open_cycle, indicator_keys):
    return World(session, settings, cast, catalogue, open_cycle, indicator_keys)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_write_service_records_who_did_what(session, world, name):
    before = session.exec(select(func.max(AuditEntry.id))).one() or 0
    actor: User | None = WRITES[name](world)
    entries = list(session.exec(select(AuditEntry).where(AuditEntry.id > before)
                                .order_by(AuditEntry.id)))
    assert entries, f"{name} wrote no audit entry"
    last = entries[-1]
    assert last.user_id == (actor.id if actor else None)
    assert last.entity and last.entity_id and last.action


def test_an_answer_entry_holds_the_fields_before_and_after(session, world):
    _answer(world)
    answers.save_answer(session=session, user=world.cast.alice,
                        assessment_id=world.assessment.id, indicator_key=world.keys[0],
                        data={"score": 2, "comment": "Svært", "version": world.fresh_version()})
    last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.entity == "answer" and last.action == "update"
    assert last.entity_id == f"{world.assessment.id}/{world.keys[0]}"
    assert last.changes == {"score": [4, 2], "comment": ["", "Svært"]}
    assert last.organisation_id == world.cast.org_a.id


def test_a_refused_write_leaves_no_entry(session, world):
    before = session.exec(select(func.count()).select_from(AuditEntry)).one()
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do)
        answers.save_answer(session=session, user=world.cast.alice,
                            assessment_id=world.assessment.id, indicator_key=world.keys[0],
                            data={"score": 9, "version": world.fresh_version()})
    assert session.exec(select(func.count()).select_from(AuditEntry)).one() == before


def test_an_entry_cannot_be_changed_or_deleted(session, world):
    _answer(world)
    entry = session.exec(select(AuditEntry)).first()
    entry.changes = {"score": [None, 5]}
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(session.exec(select(AuditEntry)).first())
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()


def test_the_database_refuses_an_update_too(session, world):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    _answer(world)
    with pytest.raises(DatabaseError, match="append-only"):
        session.exec(text("UPDATE audit_entry SET action = 'forged'"))
    session.rollback()

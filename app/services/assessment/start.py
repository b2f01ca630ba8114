"""Starting the member's self-assessment for an open cycle."""

from datetime import date

from pydantic import BaseModel
from sqlmodel import Session, select

from app.i18n import N_
from app.models import Assessment, Cycle, Organisation, User
from app.models.vocabulary import CycleStatus, Role
from app.services import audit
from app.services.assessment.view import indicators_in_scope
from app.services.audit import AuditAction, AuditEntity
from app.services.cycles import cycle_status
from app.services.errors import Forbidden, Invalid, NotFound
from app.services.fields import RowId
from app.services.validation import parse_input


class StartInput(BaseModel):
    cycle_id: RowId


def start_assessment(*, session: Session, user: User, cycle_id: int | str,
                     today: date) -> tuple[Assessment, bool]:
    """The member's assessment for an open cycle, created if needed; (assessment, created).

    `cycle_id` may be a form's raw text: it is read through StartInput like the API's body.
    """
    if user.role != Role.MEMBER or user.organisation_id is None:
        raise Forbidden(N_("Kun medlemmer udfylder en selvevaluering."))
    cycle_id = parse_input(StartInput, {"cycle_id": cycle_id},
                           N_("Vælg den runde, der skal besvares.")).cycle_id
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound(N_("Runden findes ikke."))
    existing = session.exec(select(Assessment).where(
        Assessment.organisation_id == user.organisation_id, Assessment.cycle_id == cycle_id
    )).first()
    if existing is not None:
        return existing, False
    if cycle_status(cycle, today) is not CycleStatus.OPEN:
        raise Invalid(N_("Runden er ikke åben for besvarelser."))
    organisation = session.get(Organisation, user.organisation_id)
    in_scope = indicators_in_scope(session, cycle.catalogue_version_id,
                                   organisation.service_type)
    assessment = Assessment(organisation_id=organisation.id, cycle_id=cycle.id,
                            catalogue_version_id=cycle.catalogue_version_id,
                            in_scope_count=len(in_scope))
    session.add(assessment)
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE, entity=AuditEntity.ASSESSMENT,
                 entity_id=assessment.id, organisation_id=organisation.id,
                 changes={"cycle_id": [None, cycle.id]})
    session.commit()
    return assessment, True

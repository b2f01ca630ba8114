"""The API's loaders: each fetches and authorizes through its service before a body is read.

So another organisation's object is 404 whatever the body holds, and the services check
again when they write (they trust no caller).
"""

from typing import Annotated

from fastapi import Depends

from app.auth.deps import ApiAdvisor, ApiMember, ApiUser, SessionDep
from app.models import Action, Assessment
from app.services import actions as action_service
from app.services.assessment.access import get_assessment_for_user
from app.services.fields import RowId


def _assessment_loader(role_user):
    """A loader for the roles `role_user` admits; the service decides which assessments."""

    def load(assessment_id: RowId, user: role_user, session: SessionDep) -> Assessment:
        return get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)

    return load


def _visible_action(action_id: RowId, user: ApiUser, session: SessionDep) -> Action:
    return action_service.get_action_for_user(session=session, user=user, action_id=action_id)


ReadableAssessment = Annotated[Assessment, Depends(_assessment_loader(ApiUser))]
OwnAssessment = Annotated[Assessment, Depends(_assessment_loader(ApiMember))]
StaffAssessment = Annotated[Assessment, Depends(_assessment_loader(ApiAdvisor))]
VisibleAction = Annotated[Action, Depends(_visible_action)]

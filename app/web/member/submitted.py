"""The submitted answers, read-only and printable: what the receipt links to."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app import i18n
from app.auth.deps import SessionDep, WebUser
from app.models.vocabulary import AssessmentStatus, InjunctionKind
from app.services.assessment.submitted import load_submitted
from app.services.fields import RowId
from app.web.templating import render

router = APIRouter()


@router.get("/assessments/{assessment_id}/submitted")
def submitted_page(request: Request, assessment_id: RowId, user: WebUser, session: SessionDep,
                   revision: RowId | None = Query(default=None)) -> Response:
    answers = load_submitted(session=session, user=user, assessment_id=assessment_id,
                             number=revision)
    view = answers.view
    return render(request, "assessment/submitted.html", {
        "answers": answers, "view": view, "assessment": view.assessment,
        "organisation": view.organisation, "cycle": view.cycle,
        "base": f"/assessments/{assessment_id}", "scale": view.catalogue.scale,
        "kinds": list(InjunctionKind), "score_text": i18n.format_score,
        "reopened": view.assessment.status != AssessmentStatus.SUBMITTED,
    })

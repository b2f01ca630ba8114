"""The results of a self-assessment: radar chart, table, gaps and the action plan; and the
whole assessment as a printable A4 report."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, SettingsDep, WebUser
from app.clock import TodayDep
from app.models.vocabulary import InjunctionKind
from app.services.fields import RowId
from app.web.member.results_view import load_results, results_context
from app.web.templating import render

router = APIRouter()


@router.get("/assessments/{assessment_id}/results")
def results_page(request: Request, assessment_id: RowId, user: WebUser, session: SessionDep,
                 settings: SettingsDep, today: TodayDep) -> Response:
    page = load_results(session, settings, user, assessment_id, today)
    return render(request, "assessment/results.html", results_context(page))


@router.get("/assessments/{assessment_id}/report")
def report_page(request: Request, assessment_id: RowId, user: WebUser, session: SessionDep,
                settings: SettingsDep, today: TodayDep) -> Response:
    page = load_results(session, settings, user, assessment_id, today)
    view = page.view
    nodes = {node.id: node for node in view.catalogue.iter_indicators()}
    sections = [(line, [(indicator, nodes.get(indicator.key), view.answers.get(indicator.id))
                        for indicator in view.indicators_of(requirement.id)],
                 view.reflections.get(requirement.id), view.evidence.get(requirement.id, []))
                for line, requirement in zip(page.lines, view.requirements, strict=True)]
    return render(request, "assessment/report.html", {
        **results_context(page), "sections": sections, "scale": view.catalogue.scale,
        "kinds": list(InjunctionKind), "printed_on": today})

"""Reading the catalogue: every logged-in person may read every published version."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import SessionDep, WebUser
from app.services.catalogue import versions as catalogues
from app.services.catalogue.format import AssessmentCatalogue
from app.web.templating import render

router = APIRouter()


@router.get("/catalogues")
def catalogue_index(request: Request, _user: WebUser, session: SessionDep) -> Response:
    return render(request, "catalogue/index.html",
                  {"versions": catalogues.list_versions(session=session)})


@router.get("/catalogue")
def current_catalogue(_user: WebUser, session: SessionDep) -> Response:
    """The newest catalogue members assess themselves against."""
    latest = catalogues.latest_assessment_catalogue(session=session)
    if latest is None:
        return RedirectResponse("/catalogues", status_code=303)
    return RedirectResponse(f"/catalogues/{latest.row.key}/{latest.row.version}", status_code=303)


@router.get("/catalogues/{key}/{version}")
def catalogue_version(request: Request, key: str, version: str, _user: WebUser,
                      session: SessionDep) -> Response:
    stored = catalogues.get_version(session=session, key=key, version=version)
    model = stored.model
    links = (catalogues.reference_links(session=session, model=model)
             if isinstance(model, AssessmentCatalogue) else {})
    template = ("catalogue/assessment.html" if isinstance(model, AssessmentCatalogue)
                else "catalogue/reference.html")
    return render(request, template, {"stored": stored, "catalogue": model, "links": links})

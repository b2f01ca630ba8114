"""GET /api/v1/catalogues and /api/v1/catalogues/{key}/{version}."""

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep
from app.services.catalogue import versions as catalogues
from app.services.catalogue.format import AssessmentCatalogue

router = APIRouter(tags=["catalogues"])


class CatalogueSummary(BaseModel):
    key: str
    version: str
    title: str
    kind: str
    status: str
    requirement_count: int
    published_on: date


class ScaleStepOut(BaseModel):
    value: int
    label: str


class IndicatorOut(BaseModel):
    id: str
    ref: str
    text: str
    applies_to: list[str]


class ReferenceLinkOut(BaseModel):
    framework: str
    version: str
    node_id: str
    level: str
    ref: str
    title: str
    relation: str
    rationale: str


class RequirementOut(BaseModel):
    id: str
    number: int
    title: str
    description: str
    guidance_questions: list[str]
    evidence_examples: list[str]
    indicators: list[IndicatorOut]
    kvalitetsmodel: list[ReferenceLinkOut]


class CatalogueOut(BaseModel):
    key: str
    version: str
    title: str
    kind: str
    status: str
    published_on: date
    threshold: int | None
    not_applicable_allowed: bool
    scale: list[ScaleStepOut]
    requirements: list[RequirementOut]
    document: dict
    """The whole validated version, translations and reference themes included."""


@router.get("/catalogues")
def list_catalogues(_user: ApiUser, session: SessionDep) -> list[CatalogueSummary]:
    return [
        CatalogueSummary(key=s.row.key, version=s.row.version, title=s.row.title,
                         kind=s.row.kind, status=s.row.status,
                         requirement_count=s.requirement_count,
                         published_on=s.row.published_on)
        for s in catalogues.list_versions(session=session)
    ]


@router.get("/catalogues/{key}/{version}", responses={404: {"description": "No such version"}})
def read_catalogue(key: str, version: str, _user: ApiUser, session: SessionDep) -> CatalogueOut:
    stored = catalogues.get_version(session=session, key=key, version=version)
    model = stored.model
    requirements, scale, threshold, not_applicable = [], [], None, False
    if isinstance(model, AssessmentCatalogue):
        links = catalogues.reference_links(session=session, model=model)
        scale = [ScaleStepOut(value=s.value, label=s.label) for s in model.scale.steps]
        threshold, not_applicable = model.scale.threshold, model.scale.not_applicable_allowed
        requirements = [
            RequirementOut(
                id=r.id, number=r.number, title=r.title, description=r.description,
                guidance_questions=list(r.guidance_questions),
                evidence_examples=list(r.evidence_examples),
                indicators=[IndicatorOut(id=i.id, ref=i.ref, text=i.text,
                                         applies_to=sorted(model.service_types_of(r, i)))
                            for i in r.indicators],
                kvalitetsmodel=[ReferenceLinkOut(framework=link.framework_key,
                                                 version=link.framework_version,
                                                 **{k: getattr(link, k) for k in (
                                                     "node_id", "level", "ref", "title",
                                                     "relation", "rationale")})
                                for link in links.get(r.id, [])],
            )
            for r in model.requirements
        ]
    return CatalogueOut(key=model.key, version=model.version, title=model.title, kind=model.kind,
                        status=model.status.value, published_on=model.published_on,
                        threshold=threshold, not_applicable_allowed=not_applicable, scale=scale,
                        requirements=requirements, document=stored.row.document)

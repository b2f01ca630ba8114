"""Publishing catalogue versions: validate every file, then store each new version once.

A stored version is immutable. Loading is idempotent: a version whose content hash matches
is skipped; one whose content changed is refused, and then nothing at all is stored.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, select

from app.models import CatalogueVersion, Indicator, NodeMapping, Requirement, User
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.catalogue.format import AssessmentCatalogue, Catalogue
from app.services.catalogue.validation import Problem, validate_catalogue
from app.services.catalogue.versions import model_of


class LoadOutcome(StrEnum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # refused: published content may never change


@dataclass
class VersionLoad:
    key: str
    version: str
    outcome: LoadOutcome
    path: Path


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    versions: list[VersionLoad] = field(default_factory=list)

    @property
    def refused(self) -> list[VersionLoad]:
        return [v for v in self.versions if v.outcome is LoadOutcome.CHANGED]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.refused


def load_catalogues(*, session: Session, root: Path, user: User | None = None) -> LoadReport:
    """Stores every valid version under `root` not yet stored; all of them or none.

    `user` is the admin loading from the page (None: `etik catalogue load` or start-up)."""
    require_admin(user)
    check = validate_catalogue([root], catalogue_root=root)
    report = LoadReport(problems=check.problems)
    if report.problems:
        return report
    files = {(f.model.key, f.model.version): f.path for f in check.files if f.model}
    existing = {(v.key, v.version): v for v in session.exec(select(CatalogueVersion))}
    for model in _in_load_order(check.models):
        ident = (model.key, model.version)
        stored = existing.get(ident)
        if stored is None:
            existing[ident] = _store(session, model, existing)
            audit.record(session, user=user, action=AuditAction.LOAD,
                         entity=AuditEntity.CATALOGUE_VERSION,
                         entity_id=f"{model.key}/{model.version}",
                         changes={"content_hash": [None, model.content_hash()]})
            outcome = LoadOutcome.LOADED
        elif stored.content_hash == model.content_hash():
            outcome = LoadOutcome.UNCHANGED
        else:
            outcome = LoadOutcome.CHANGED
        report.versions.append(VersionLoad(model.key, model.version, outcome, files[ident]))
    if report.ok:
        session.commit()
    else:
        session.rollback()
    return report


def _in_load_order(models: list[Catalogue]) -> list[Catalogue]:
    """Reference frameworks first, and every version after the version it supersedes."""
    by_ident = {(m.key, m.version): m for m in models}
    ordered: list[Catalogue] = []

    def visit(model: Catalogue) -> None:
        if model in ordered:
            return
        if model.supersedes is not None:
            previous = by_ident.get((model.supersedes.key or model.key, model.supersedes.version))
            if previous is not None:
                visit(previous)
        ordered.append(model)

    for model in sorted(models, key=lambda m: (m.kind != "reference", m.key, m.published_on)):
        visit(model)
    return ordered


def _store(session: Session, model: Catalogue,
           existing: dict[tuple[str, str], CatalogueVersion]) -> CatalogueVersion:
    previous = None
    if model.supersedes is not None:
        previous = existing.get((model.supersedes.key or model.key, model.supersedes.version))
    version = CatalogueVersion(
        key=model.key, version=model.version, kind=model.kind, title=model.title,
        status=model.status.value, published_on=model.published_on,
        content_hash=model.content_hash(),
        document=model.model_dump(mode="json", by_alias=True),
        supersedes_id=previous.id if previous else None,
    )
    session.add(version)
    session.flush()
    model_of(version)  # parsed now, so readers need not read the document back
    if isinstance(model, AssessmentCatalogue):
        _store_nodes(session, model, version)
    if previous is not None:
        _store_mappings(session, model, previous, version)
    return version


def _store_nodes(session: Session, model: AssessmentCatalogue, version: CatalogueVersion) -> None:
    position = 0
    for requirement in model.requirements:
        row = Requirement(catalogue_version_id=version.id, key=requirement.id,
                          number=requirement.number, title=requirement.title)
        session.add(row)
        session.flush()
        for indicator in requirement.indicators:
            position += 1
            scope = sorted(model.service_types_of(requirement, indicator))
            session.add(Indicator(
                catalogue_version_id=version.id, requirement_id=row.id, key=indicator.id,
                ref=indicator.ref, position=position, text=indicator.text,
                service_types=[str(s) for s in scope],
            ))


def _store_mappings(session: Session, model: Catalogue, previous: CatalogueVersion,
                    version: CatalogueVersion) -> None:
    """The supersession links (explicit mappings plus `equal` for kept ids), with rationale."""
    assert model.supersedes is not None
    rationales = {(m.from_, m.to): m.rationale for m in model.supersedes.mappings}
    for link in model.supersession_links(model_of(previous)):
        session.add(NodeMapping(from_version_id=previous.id, from_key=link.from_id,
                                to_version_id=version.id, to_key=link.to_id,
                                relation=link.relation.value,
                                rationale=rationales.get((link.from_id, link.to_id), "")))

"""Reading stored catalogue versions, and how the files on disk compare with them."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import CatalogueVersion, Requirement
from app.services.catalogue.format import Catalogue, CatalogueDocument
from app.services.catalogue.validation import validate_catalogue
from app.services.errors import NotFound

NOT_FOUND = N_("Kataloget findes ikke i den version.")


@dataclass
class VersionSummary:
    row: CatalogueVersion
    requirement_count: int


@dataclass
class StoredCatalogue:
    row: CatalogueVersion
    model: Catalogue


# Stored versions never change, so a parse keyed by id and content hash is valid forever.
_parsed: dict[tuple[int, str], Catalogue] = {}


def model_of(row: CatalogueVersion) -> Catalogue:
    key = (row.id, row.content_hash)
    model = _parsed.get(key)
    if model is None:
        model = _parsed[key] = CatalogueDocument.model_validate(row.document).root
    return model


def models_of_versions(session: Session, version_ids: Iterable[int]) -> dict[int, Catalogue]:
    """model_of() by id for several versions in one query of ids and hashes; the large
    document column is read only for a version not parsed yet in this process (the loader
    parses what it stores, so that is once per version after a restart)."""
    known = session.exec(select(CatalogueVersion.id, CatalogueVersion.content_hash)
                         .where(col(CatalogueVersion.id).in_(set(version_ids)))).all()
    missing = [version_id for version_id, content_hash in known
               if (version_id, content_hash) not in _parsed]
    if missing:
        for row in session.exec(select(CatalogueVersion)
                                .where(col(CatalogueVersion.id).in_(missing))):
            model_of(row)
    return {version_id: _parsed[version_id, content_hash] for version_id, content_hash in known}


def model_of_version(session: Session, version_id: int) -> Catalogue:
    """models_of_versions() for one version; NotFound if there is none."""
    found = models_of_versions(session, [version_id])
    if version_id not in found:
        raise NotFound(NOT_FOUND)
    return found[version_id]


def model_of_hashed(session: Session, version_id: int, content_hash: str) -> Catalogue:
    """model_of_version() when the caller has read the version's hash with its own query."""
    return _parsed.get((version_id, content_hash)) or model_of_version(session, version_id)


def model_by_key(session: Session, key: str, version: str) -> Catalogue | None:
    """The parsed model of the version with this key, or None: one query of its id and
    hash, and the document read only when this process has not parsed it yet."""
    found = session.exec(select(CatalogueVersion.id, CatalogueVersion.content_hash).where(
        CatalogueVersion.key == key, CatalogueVersion.version == version)).first()
    if found is None:
        return None
    return _parsed.get(tuple(found)) or model_of(session.get(CatalogueVersion, found[0]))


def list_versions(*, session: Session) -> list[VersionSummary]:
    counts = dict(session.exec(
        select(Requirement.catalogue_version_id, func.count())
        .group_by(Requirement.catalogue_version_id)
    ).all())
    rows = session.exec(
        select(CatalogueVersion).order_by(CatalogueVersion.key,
                                          col(CatalogueVersion.published_on).desc())
    ).all()
    return [VersionSummary(row, counts.get(row.id, 0)) for row in rows]


def get_version(*, session: Session, key: str, version: str) -> StoredCatalogue:
    row = session.exec(select(CatalogueVersion).where(
        CatalogueVersion.key == key, CatalogueVersion.version == version
    )).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    return StoredCatalogue(row, model_of(row))


def latest_assessment_catalogue(*, session: Session) -> StoredCatalogue | None:
    row = session.exec(
        select(CatalogueVersion).where(CatalogueVersion.kind == "assessment")
        .order_by(col(CatalogueVersion.published_on).desc(), col(CatalogueVersion.id).desc())
    ).first()
    return StoredCatalogue(row, model_of(row)) if row else None


@dataclass
class FileStatus:
    """One catalogue file on disk and what the database holds for it."""

    path: Path
    key: str | None
    version: str | None
    state: str  # "loaded", "not_loaded", "changed", "invalid"
    problems: list[str]


def file_statuses(*, session: Session, root: Path) -> list[FileStatus]:
    check = validate_catalogue([root], catalogue_root=root)
    stored = {(v.key, v.version): v.content_hash for v in session.exec(select(CatalogueVersion))}
    statuses = []
    for result in check.files:
        model = result.model
        if model is None:
            statuses.append(FileStatus(result.path, None, None, "invalid",
                                       [str(p) for p in result.problems]))
            continue
        stored_hash = stored.get((model.key, model.version))
        if stored_hash is None:
            state = "not_loaded"
        elif stored_hash == model.content_hash():
            state = "loaded"
        else:
            state = "changed"
        statuses.append(FileStatus(result.path, model.key, model.version, state, []))
    return statuses


@dataclass
class ReferenceLink:
    """A requirement's link into the quality model, with the node's title resolved."""

    framework_key: str
    framework_version: str
    node_id: str
    level: str
    ref: str
    title: str
    relation: str
    rationale: str


def reference_links(*, session: Session, model: Catalogue) -> dict[str, list[ReferenceLink]]:
    """Per requirement id, its mappings into the reference framework (one extra query)."""
    framework = getattr(model, "reference_framework", None)
    if framework is None:
        return {}
    try:
        reference = get_version(session=session, key=framework.key, version=framework.version)
    except NotFound:
        return {}
    nodes = {node.id: node for node in reference.model.iter_nodes()}  # type: ignore[union-attr]
    links: dict[str, list[ReferenceLink]] = {}
    for requirement in model.requirements:  # type: ignore[union-attr]
        links[requirement.id] = [
            ReferenceLink(framework.key, framework.version, m.to, nodes[m.to].level,
                          nodes[m.to].ref, nodes[m.to].title, m.relation.value, m.rationale)
            for m in requirement.mappings if m.to in nodes
        ]
    return links

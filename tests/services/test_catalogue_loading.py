"""Publishing catalogue versions into the database."""

import shutil
from pathlib import Path

import pytest
from sqlmodel import func, select

from app.config import PROJECT_ROOT
from app.models import CatalogueVersion, Indicator, NodeMapping, Requirement
from app.services.catalogue.loading import LoadOutcome, load_catalogues

SHIPPED = PROJECT_ROOT / "catalogue"


@pytest.fixture
def catalogue_root(tmp_path) -> Path:
    """A copy of the shipped catalogue folder that a test may edit."""
    root = tmp_path / "catalogue"
    shutil.copytree(SHIPPED, root)
    return root


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_loading_stores_every_shipped_version_with_its_requirements(session, catalogue_root):
    report = load_catalogues(session=session, root=catalogue_root)
    assert report.ok, report.problems
    assert {(v.key, v.version) for v in report.versions} == {
        ("los-etisk-forventningskatalog", "2023"),
        ("socialtilsyn-kvalitetsmodel", "2017"),
        ("socialtilsyn-kvalitetsmodel", "2025"),
    }
    assert all(v.outcome is LoadOutcome.LOADED for v in report.versions)
    assert _count(session, Requirement) == 10
    assert _count(session, Indicator) >= 20


def test_loading_twice_changes_nothing(session, catalogue_root):
    load_catalogues(session=session, root=catalogue_root)
    before = [_count(session, m) for m in (CatalogueVersion, Requirement, Indicator, NodeMapping)]
    report = load_catalogues(session=session, root=catalogue_root)
    assert report.ok
    assert all(v.outcome is LoadOutcome.UNCHANGED for v in report.versions)
    after = [_count(session, m) for m in (CatalogueVersion, Requirement, Indicator, NodeMapping)]
    assert before == after


def test_a_comment_or_layout_edit_is_not_a_content_change(session, catalogue_root):
    load_catalogues(session=session, root=catalogue_root)
    path = catalogue_root / "los-etisk-forventningskatalog" / "2023.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment at the end\n",
                    encoding="utf-8")
    report = load_catalogues(session=session, root=catalogue_root)
    assert report.ok


def test_a_changed_published_version_is_refused_and_nothing_is_stored(session, catalogue_root):
    load_catalogues(session=session, root=catalogue_root)
    los = catalogue_root / "los-etisk-forventningskatalog" / "2023.yaml"
    text = los.read_text(encoding="utf-8")
    los.write_text(text.replace("i middel grad opfyldt", "i nogen grad opfyldt", 1),
                   encoding="utf-8")
    # A brand-new version alongside must not be stored either: all or nothing.
    new = catalogue_root / "los-etisk-forventningskatalog" / "2024.yaml"
    newer = text.replace('version: "2023"', 'version: "2024"\nsupersedes:\n  version: "2023"', 1)
    new.write_text(newer.replace("published_on: 2023-", "published_on: 2024-", 1),
                   encoding="utf-8")
    before = _count(session, CatalogueVersion)
    stored_hash = session.exec(select(CatalogueVersion.content_hash).where(
        CatalogueVersion.key == "los-etisk-forventningskatalog")).one()

    report = load_catalogues(session=session, root=catalogue_root)

    assert not report.ok
    assert [(v.key, v.version) for v in report.refused] == [("los-etisk-forventningskatalog",
                                                             "2023")]
    assert _count(session, CatalogueVersion) == before
    assert session.exec(select(CatalogueVersion.content_hash).where(
        CatalogueVersion.key == "los-etisk-forventningskatalog")).one() == stored_hash


def test_an_invalid_file_stops_the_whole_load(session, catalogue_root):
    (catalogue_root / "los-etisk-forventningskatalog" / "2024.yaml").write_text(
        "key: los-etisk-forventningskatalog\nversion: [\n", encoding="utf-8")
    report = load_catalogues(session=session, root=catalogue_root)
    assert report.problems
    assert "2024.yaml" in str(report.problems[0])
    assert _count(session, CatalogueVersion) == 0


def test_a_superseding_version_records_how_old_ids_map_to_new(session, catalogue_root):
    load_catalogues(session=session, root=catalogue_root)
    old, new = (session.exec(select(CatalogueVersion).where(
        CatalogueVersion.key == "socialtilsyn-kvalitetsmodel",
        CatalogueVersion.version == version)).one() for version in ("2017", "2025"))
    assert new.supersedes_id == old.id
    mappings = session.exec(select(NodeMapping).where(NodeMapping.to_version_id == new.id)).all()
    assert mappings, "the 2025 model maps the 2017 ids it keeps"
    assert {m.from_version_id for m in mappings} == {old.id}
    removed = set(new.document["supersedes"]["removed"])
    assert removed and not removed & {m.from_key for m in mappings}


def test_indicator_scope_is_resolved_from_the_catalogue_and_requirement(session, catalogue_root):
    load_catalogues(session=session, root=catalogue_root)
    scopes = session.exec(select(Indicator.service_types)).all()
    assert all(scope for scope in scopes)

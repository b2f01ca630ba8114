"""The members' self-assessment per quality-model theme, beside the sector reference.

The rule, shown on screen: a theme's figure is the mean of the means of the requirements
the catalogue maps to the theme itself (a mapping to one of its criteria or indicators is
a finer link and does not count). Requirements mapped to no theme are left out, and said.
Figures come from the group's already suppressed figures, so a hidden group stays hidden.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.i18n import localised
from app.models import CatalogueVersion, SectorReference
from app.models.vocabulary import ProviderGroup
from app.services.board.aggregates import GroupFigures
from app.services.catalogue.format import Catalogue
from app.services.catalogue.versions import model_by_key, model_of_version, models_of_versions


@dataclass(frozen=True)
class MappedTheme:
    key: str
    number: int
    title: str
    requirement_keys: tuple[str, ...]
    requirement_numbers: tuple[int, ...]


@dataclass(frozen=True)
class ThemeMap:
    framework: str  # "socialtilsyn-kvalitetsmodel 2017"
    themes: list[MappedTheme]  # in the model's order, only those with a requirement
    unmapped: tuple[int, ...]  # numbers of requirements mapped to no theme


@dataclass(frozen=True)
class ReferenceSeries:
    source: str
    year: int
    provider_group: ProviderGroup
    means: dict[str, float]  # theme key -> mean


def theme_map(session: Session, catalogue_version_id: int) -> ThemeMap | None:
    """How the catalogue's requirements map to its reference framework's themes; None when
    it names no framework or the framework is not loaded."""
    return theme_map_of(session, model_of_version(session, catalogue_version_id))


def theme_map_of(session: Session, catalogue: Catalogue) -> ThemeMap | None:
    """theme_map() of a catalogue the caller has parsed already."""
    framework = getattr(catalogue, "reference_framework", None)
    if framework is None:
        return None
    reference = model_by_key(session, framework.key, framework.version)
    if reference is None:
        return None
    return _mapped(catalogue, reference)


def theme_maps(session: Session, catalogue_version_ids: Iterable[int]
               ) -> dict[int, ThemeMap | None]:
    """theme_map() of several catalogue versions in three queries, whatever their number
    (a member's history spans a version a year)."""
    catalogues = models_of_versions(session, catalogue_version_ids)
    wanted = {(f.key, f.version) for c in catalogues.values()
              if (f := getattr(c, "reference_framework", None)) is not None}
    references: dict[tuple[str, str], Catalogue] = {}
    if wanted:
        rows = session.exec(select(CatalogueVersion.id, CatalogueVersion.key,
                                   CatalogueVersion.version).where(
            col(CatalogueVersion.key).in_({key for key, _ in wanted}),
            col(CatalogueVersion.version).in_({version for _, version in wanted}))).all()
        models = models_of_versions(session, [row_id for row_id, _, _ in rows])
        references = {(key, version): models[row_id] for row_id, key, version in rows
                      if (key, version) in wanted}
    found: dict[int, ThemeMap | None] = {}
    for version_id, catalogue in catalogues.items():
        framework = getattr(catalogue, "reference_framework", None)
        reference = references.get((framework.key, framework.version)) if framework else None
        found[version_id] = _mapped(catalogue, reference) if reference else None
    return found


def _mapped(catalogue: Catalogue, reference: Catalogue) -> ThemeMap:
    framework = catalogue.reference_framework
    theme_ids = {theme.id for theme in reference.themes}
    mapped: dict[str, list] = {}
    unmapped = []
    for requirement in catalogue.requirements:
        targets = [m.to for m in requirement.mappings if m.to in theme_ids]
        for target in targets:
            mapped.setdefault(target, []).append(requirement)
        if not targets:
            unmapped.append(requirement.number)
    themes = [MappedTheme(theme.id, theme.number, localised(theme, "title"),
                          tuple(r.id for r in mapped[theme.id]),
                          tuple(r.number for r in mapped[theme.id]))
              for theme in reference.themes if theme.id in mapped]
    return ThemeMap(f"{framework.key} {framework.version}", themes, tuple(unmapped))


def theme_scores(themes: list[MappedTheme], requirement_scores: dict[str, float | None]
                 ) -> dict[str, float | None]:
    """The rule above, per theme: the mean of its mapped requirements' scores (or means);
    None where none of them has one. Calibration (services/calibration.py) uses it too."""
    result: dict[str, float | None] = {}
    for theme in themes:
        found = [s for key in theme.requirement_keys
                 if (s := requirement_scores.get(key)) is not None]
        result[theme.key] = sum(found) / len(found) if found else None
    return result


def theme_means(themes: list[MappedTheme], group: GroupFigures) -> dict[str, float | None]:
    """The rule above, per theme; None where none of its requirements has a mean (or the
    group is suppressed)."""
    if group.suppressed:
        return {theme.key: None for theme in themes}
    return theme_scores(themes, {r.key: r.mean for r in group.requirements})


def reference_series(session: Session, *, year: int, theme_keys: list[str]
                     ) -> list[ReferenceSeries]:
    """Per source and provider group, its figures from the latest year not after `year`:
    one query. Ordered by provider group (all, public, non-public), then source."""
    rows = session.exec(select(SectorReference).where(
        col(SectorReference.year) <= year, col(SectorReference.theme_key).in_(theme_keys))
    ).all()
    latest: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.source, row.provider_group)
        latest[key] = max(latest.get(key, row.year), row.year)
    series: dict[tuple[str, str], ReferenceSeries] = {}
    for row in rows:
        key = (row.source, row.provider_group)
        if row.year == latest[key]:
            series.setdefault(key, ReferenceSeries(row.source, row.year,
                                                   ProviderGroup(row.provider_group), {}))
            series[key].means[row.theme_key] = row.mean
    order = list(ProviderGroup)
    return sorted(series.values(), key=lambda s: (order.index(s.provider_group), s.source))

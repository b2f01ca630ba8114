"""Calibration: the theme roll-up rule against hand-computed figures, the latest official
score per theme, and the self_above_official rule's edges."""

from datetime import date

import pytest

from app.services.board.themes import MappedTheme, ThemeMap, theme_map
from app.services.calibration import (
    Official,
    compare,
    latest_official,
    members_above_official,
)
from app.services.inspections import get_inspection, record_inspection, update_inspection
from tests.services.test_results import fill_in, past_cycle

THEME_4, THEME_5, THEME_7 = ("km.tema.sundhed-trivsel", "km.tema.organisation-ledelse",
                             "km.tema.fysiske-rammer")
THEME_6 = "km.tema.kompetencer"


def _inspection(session, organisation, visited_on: date, themes: dict[str, float]):
    return record_inspection(session=session, user=None, organisation_id=organisation.id,
                             today=date(2030, 1, 1), data={
                                 "visited_on": visited_on, "authority": "syd",
                                 "kind": "announced", "framework_version": "2017",
                                 "themes": [{"theme_id": t, "score": s}
                                            for t, s in themes.items()]})


def _move_inspection(session, cast, recorded, visited_on: date, themes: dict[str, float]):
    """An advisor's correction of a recorded inspection: another day, other theme scores."""
    current = get_inspection(session=session, user=cast.admin,
                             organisation_id=recorded.inspection.organisation_id,
                             inspection_id=recorded.inspection.id)
    return update_inspection(
        session=session, user=cast.advisor,
        organisation_id=recorded.inspection.organisation_id,
        inspection_id=recorded.inspection.id, today=date(2030, 1, 1), data={
            "visited_on": visited_on, "authority": "syd", "kind": "desk",
            "framework_version": "2017",
            "themes": [{"theme_id": t, "score": s} for t, s in themes.items()],
            "version": current.inspection.version})


def test_a_theme_is_the_mean_of_its_mapped_requirements_and_unscored_says_so():
    themes = ThemeMap("model 2017", [
        MappedTheme("a", 1, "A", ("r1", "r2"), (1, 2)),
        MappedTheme("b", 2, "B", ("r3",), (3,)),
        MappedTheme("c", 3, "C", ("r4",), (4,))], unmapped=(8, 9, 10))
    result = compare(themes, {"r1": 4.0, "r2": 3.0, "r3": None, "r4": 2.5},
                     {"a": Official(3.0, date(2026, 3, 1)), "c": Official(3.5, date(2025, 1, 1))})
    by_key = {t.key: t for t in result.themes}
    assert by_key["a"].self_score == pytest.approx(3.5)
    assert by_key["a"].difference == pytest.approx(0.5)
    assert by_key["b"].self_score is None and by_key["b"].difference is None
    assert by_key["b"].official is None
    assert by_key["c"].difference == pytest.approx(-1.0)
    assert result.unmapped == (8, 9, 10)


def test_the_latest_inspection_covering_a_theme_gives_its_official_score(session, cast,
                                                                        catalogue):
    _inspection(session, cast.org_a, date(2024, 5, 1), {THEME_4: 3.0, THEME_5: 4.0})
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 4.5})
    # Two reports on one day: their mean.
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 3.5})
    _inspection(session, cast.org_b, date(2026, 1, 1), {THEME_5: 1.0})
    official = latest_official(session, cast.org_a.id)
    assert official[THEME_4] == Official(4.0, date(2025, 9, 1))
    assert official[THEME_5] == Official(4.0, date(2024, 5, 1))
    assert THEME_7 not in official
    assert latest_official(session, cast.org_a.id, as_of=date(2025, 1, 1))[THEME_4].score == 3.0


def test_self_above_official_flags_at_the_threshold_and_not_below(session, cast, catalogue,
                                                                  factory):
    cycle = past_cycle(session, catalogue, 1)
    # Requirement 4 maps to theme 4, 5 to theme 5 and 7 to theme 7 (the catalogue's data).
    fill_in(session, cast.org_a, cycle, {4: 5, 5: 4, 7: 4})
    _inspection(session, cast.org_a, date(2025, 2, 1), {THEME_4: 4.0, THEME_5: 3.5,
                                                        THEME_7: 4.0})
    at_threshold, below, unmeasured = (factory.organisation() for _ in range(3))
    fill_in(session, at_threshold, cycle, {4: 5})
    _inspection(session, at_threshold, date(2025, 2, 1), {THEME_4: 4.0})
    fill_in(session, below, cycle, {4: 5})
    _inspection(session, below, date(2025, 2, 1), {THEME_4: 4.01})
    fill_in(session, unmeasured, cycle, {4: 5})
    draft = factory.organisation()
    fill_in(session, draft, cycle, {4: 5}, submitted=False)
    _inspection(session, draft, date(2025, 2, 1), {THEME_4: 1.0})
    found = members_above_official(session, cycle_id=cycle.id,
                                   themes=theme_map(session, catalogue.id), threshold=1.0)
    assert {(f.organisation_id, f.theme_key) for f in found} == {
        (cast.org_a.id, THEME_4), (at_threshold.id, THEME_4)}
    first = next(f for f in found if f.organisation_id == cast.org_a.id)
    assert (first.self_score, first.official, first.visited_on) == (5.0, 4.0, date(2025, 2, 1))


def test_the_sector_shows_a_theme_only_with_enough_members_having_both(session, cast,
                                                                      catalogue, factory):
    from app.services.calibration import sector_calibration

    cycle = past_cycle(session, catalogue, 1)
    for n in range(5):
        member = factory.organisation()
        fill_in(session, member, cycle, {4: 4, 6: 5})
        # Everyone has theme 4 scored; only four have theme 6.
        themes = {THEME_4: 3.0 + n * 0.25} | ({"km.tema.kompetencer": 4.0} if n < 4 else {})
        _inspection(session, member, date(2025, 3, 1), themes)
    lonely = factory.organisation()  # an inspection but no submitted self-assessment
    _inspection(session, lonely, date(2025, 3, 1), {THEME_7: 1.0})
    found = sector_calibration(session=session, user=cast.board, minimum=5, cycle_id=cycle.id)
    by_key = {t.key: t for t in found.themes}
    assert (by_key[THEME_4].members, by_key[THEME_4].suppressed) == (5, False)
    assert by_key[THEME_4].official_mean == pytest.approx(3.5)
    assert by_key[THEME_4].self_mean == pytest.approx(4.0)
    competences = by_key["km.tema.kompetencer"]
    assert competences.suppressed and competences.members is None
    assert competences.official_mean is None and competences.self_mean is None
    assert by_key[THEME_7].suppressed  # nobody with both


def test_members_may_not_read_the_sectors_calibration(session, cast, catalogue):
    from app.services.calibration import sector_calibration
    from app.services.errors import Forbidden

    past_cycle(session, catalogue, 1)
    with pytest.raises(Forbidden):
        sector_calibration(session=session, user=cast.alice, minimum=5)


def test_the_history_sets_each_submitted_year_beside_that_years_inspections(
        session, cast, catalogue, open_cycle, factory):
    from app.services.calibration import calibration_history

    year = open_cycle.year
    older = fill_in(session, cast.org_a, past_cycle(session, catalogue, 2), {4: 5, 6: 2})
    last = fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {4: 4, 6: 3})
    fill_in(session, cast.org_a, open_cycle, {4: 1}, submitted=False)  # a draft: not shown
    _inspection(session, cast.org_a, date(year - 3, 6, 1), {THEME_5: 2.0})  # no cycle then
    _inspection(session, cast.org_a, date(year - 2, 3, 1), {THEME_4: 3.0, THEME_6: 2.5})
    _inspection(session, cast.org_a, date(year - 1, 5, 1), {THEME_4: 3.5})
    # Two reports on one day: their mean, 4.0.
    _inspection(session, cast.org_a, date(year - 1, 9, 1), {THEME_4: 4.5})
    _inspection(session, cast.org_a, date(year - 1, 9, 1), {THEME_4: 3.5})
    _inspection(session, cast.org_b, date(year - 1, 9, 1), {THEME_4: 1.0})  # another member

    found = calibration_history(session=session, user=cast.advisor,
                                organisation_id=cast.org_a.id)

    assert found.years == (year - 3, year - 2, year - 1)
    assert found.assessments == {year - 2: older.id, year - 1: last.id}
    by_key = {t.key: t for t in found.themes}
    assert [t.number for t in found.themes] == [1, 2, 3, 4, 5, 6, 7]
    health = by_key[THEME_4]
    assert [y.self_score for y in health.years] == [None, 5.0, 4.0]
    assert [[(o.score, o.visited_on) for o in y.official] for y in health.years] == [
        [], [(3.0, date(year - 2, 3, 1))],
        [(3.5, date(year - 1, 5, 1)), (4.0, date(year - 1, 9, 1))]]
    assert health.differences == [(year - 2, 2.0), (year - 1, 0.0)]  # the gap closed
    competences = by_key[THEME_6]
    assert [y.self_score for y in competences.years] == [None, 2.0, 3.0]
    assert competences.differences == [(year - 2, -0.5)]
    leadership = by_key[THEME_5]
    assert [y.self_score for y in leadership.years] == [None, 4.0, 4.0]
    assert leadership.years[0].official[0].score == 2.0 and leadership.differences == []
    assert not by_key[THEME_7].has_official and health.has_official


def test_the_history_of_a_member_without_submissions_still_lists_the_themes(
        session, cast, catalogue, open_cycle):
    from app.services.calibration import calibration_history

    _inspection(session, cast.org_a, date(open_cycle.year - 1, 6, 1), {THEME_4: 3.0})
    found = calibration_history(session=session, user=cast.alice, organisation_id=None)
    assert found.years == (open_cycle.year - 1,) and found.assessments == {}
    health = next(t for t in found.themes if t.key == THEME_4)
    assert health.years[0].self_score is None and health.years[0].official[0].score == 3.0


def test_the_history_is_a_members_own_and_never_the_boards(session, cast, catalogue,
                                                          open_cycle):
    from app.services.calibration import calibration_history
    from app.services.errors import Forbidden, Invalid, NotFound

    with pytest.raises(NotFound):
        calibration_history(session=session, user=cast.bob, organisation_id=cast.org_a.id)
    with pytest.raises(Forbidden):
        calibration_history(session=session, user=cast.board, organisation_id=cast.org_a.id)
    with pytest.raises(Invalid):
        calibration_history(session=session, user=cast.advisor, organisation_id=None)

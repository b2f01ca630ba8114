"""The sector figures against figures computed independently from the raw scores."""

from dataclasses import replace

import pytest

from app.models.vocabulary import Region, Role, ServiceType
from app.services.board.aggregates import cycle_figures
from app.services.board.queries import aggregates, trend
from app.services.board.segments import Segment
from app.services.errors import Forbidden, Invalid
from tests.conftest import make_user
from tests.services.board.expected import expected_requirement
from tests.services.board.seeding import make_cycle, seed_groups

MINIMUM = 5


def _assert_matches(group, respondents):
    assert group.respondents == len(respondents)
    for figures in group.requirements:
        expected = expected_requirement(respondents, figures.key)
        assert figures.distribution == expected["distribution"], figures.key
        for name, value in (("mean", figures.mean), ("median", figures.median),
                            ("share", figures.share_meeting_threshold)):
            if expected[name] is None:
                assert value is None, (figures.key, name)
            else:
                assert value == pytest.approx(expected[name], abs=1e-9), (figures.key, name)


def test_total_and_groups_match_independent_figures(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    data = seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 7, ServiceType.KOSTSKOLE: 6,
                                        ServiceType.FORSORGSHJEM: 8}, non_respondents=2)
    figures = cycle_figures(session=session, cycles=[cycle], segment=Segment.SERVICE_TYPE,
                            minimum=MINIMUM)[cycle.id]
    _assert_matches(figures.total, data.respondents)
    assert figures.total.members == 21 + 6
    assert figures.total.response_rate == pytest.approx(21 / 27)
    assert len(figures.total.requirements) == len(data.requirements)
    for group in figures.groups:
        assert not group.suppressed
        members = [r for r in data.respondents if r.organisation.service_type == group.value]
        _assert_matches(group, members)
        assert group.members == len(members) + 2


def test_medians_of_even_and_odd_groups(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    data = seed_groups(session, cycle, {Region.HOVEDSTADEN: 6, Region.SJAELLAND: 5},
                       attribute="region", seed=9)
    figures = cycle_figures(session=session, cycles=[cycle], segment=Segment.REGION,
                            minimum=MINIMUM)[cycle.id]
    for group in figures.groups:
        _assert_matches(group, [r for r in data.respondents
                                if r.organisation.region == group.value])


def test_without_medians_every_other_figure_is_the_same(session, catalogue):
    """The board's pages ask for no medians; everything else must not change."""
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 7, ServiceType.KOSTSKOLE: 6},
                non_respondents=1, seed=4)
    full, lean = (cycle_figures(session=session, cycles=[cycle], segment=Segment.SERVICE_TYPE,
                                minimum=MINIMUM, with_medians=with_medians)[cycle.id]
                  for with_medians in (True, False))
    for kept, without in zip([full.total, *full.groups], [lean.total, *lean.groups],
                             strict=True):
        assert [replace(r, median=None) for r in kept.requirements] == without.requirements
        assert any(r.median is not None for r in kept.requirements)


@pytest.mark.parametrize("segment, attribute, values", [
    (Segment.SERVICE_TYPE, "service_type", (ServiceType.DOEGNTILBUD, ServiceType.KOSTSKOLE,
                                           ServiceType.PLEJEFAMILIE)),
    (Segment.REGION, "region", (Region.HOVEDSTADEN, Region.SJAELLAND, Region.NORDJYLLAND)),
    (Segment.SIZE, "places", (5, 15, 35)),
])
def test_a_group_of_four_is_suppressed_and_a_group_of_five_shown(session, catalogue, segment,
                                                                 attribute, values):
    cycle = make_cycle(session, catalogue, 2025)
    # 4 is under the minimum; 5 and 9 are not, but one of them must hide the 4 too.
    seed_groups(session, cycle, dict(zip(values, (4, 5, 9), strict=True)),
                attribute=attribute)
    figures = cycle_figures(session=session, cycles=[cycle], segment=segment,
                            minimum=MINIMUM)[cycle.id]
    by_size = sorted(figures.groups, key=lambda g: (g.respondents or 0))
    hidden = [g for g in figures.groups if g.suppressed]
    assert len(hidden) == 2  # the 4, and the 5 as the secondary
    assert all(g.respondents is None and g.requirements == [] for g in hidden)
    assert [g.respondents for g in by_size if not g.suppressed] == [9]


def test_a_group_of_five_is_shown_when_nothing_else_is_hidden(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 5, ServiceType.KOSTSKOLE: 5})
    figures = cycle_figures(session=session, cycles=[cycle], segment=Segment.SERVICE_TYPE,
                            minimum=MINIMUM)[cycle.id]
    assert [g.respondents for g in figures.groups] == [5, 5]


def test_the_total_of_four_is_suppressed(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 4}, non_respondents=3)
    figures = cycle_figures(session=session, cycles=[cycle], segment=None,
                            minimum=MINIMUM)[cycle.id]
    assert figures.total.suppressed and figures.total.response_rate is None


def test_drafts_are_not_respondents(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 5}, non_respondents=4)
    figures = cycle_figures(session=session, cycles=[cycle], segment=None,
                            minimum=MINIMUM)[cycle.id]
    assert (figures.total.respondents, figures.total.members) == (5, 9)


def test_trend_has_each_cycle_suppressed_on_its_own(session, catalogue):
    old, new = make_cycle(session, catalogue, 2024), make_cycle(session, catalogue, 2025)
    seed_groups(session, old, {ServiceType.DOEGNTILBUD: 4, ServiceType.KOSTSKOLE: 9})
    seed_groups(session, new, {ServiceType.DOEGNTILBUD: 6, ServiceType.KOSTSKOLE: 9})
    board = make_user(session, Role.BOARD)
    points = trend(session=session, user=board, minimum=MINIMUM, segment="tilbudstype",
                   value="doegntilbud")
    assert [(p.year, p.figures.suppressed) for p in points] == [(2024, True), (2025, False)]


def test_members_may_not_read_aggregates(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    member = make_user(session, Role.MEMBER)
    with pytest.raises(Forbidden):
        aggregates(session=session, user=member, minimum=MINIMUM, cycle_id=cycle.id)


@pytest.mark.parametrize("segment, value", [("postnummer", None), ("region", "fyn"),
                                            (None, "hovedstaden")])
def test_unknown_segments_and_groups_are_invalid(session, catalogue, segment, value):
    cycle = make_cycle(session, catalogue, 2025)
    board = make_user(session, Role.BOARD)
    with pytest.raises(Invalid):
        aggregates(session=session, user=board, minimum=MINIMUM, cycle_id=cycle.id,
                   segment=segment, value=value)

"""Suppression that holds against arithmetic: the attacker subtracts what the board can
see (the total, the visible groups, single-group and trend answers) and must never end
up with the figures of a group under the minimum."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.vocabulary import Region, Role, ServiceType
from app.services.board.queries import aggregates, trend
from app.services.board.suppression import hidden_groups
from tests.conftest import make_user
from tests.services.board.expected import expected_requirement
from tests.services.board.seeding import make_cycle, seed_groups

MINIMUM = 5


@given(st.dictionaries(st.sampled_from([f"g{n}" for n in range(10)]),
                       st.integers(min_value=0, max_value=12), min_size=1),
       st.integers(min_value=2, max_value=6))
def test_hidden_groups_always_cover_each_other(respondents, minimum):
    hidden = hidden_groups(respondents, minimum)
    assert {g for g, n in respondents.items() if n < minimum} <= hidden
    with_people = [g for g in hidden if respondents[g] > 0]
    total = sum(respondents.values())
    if with_people:
        covered = len(with_people) >= 2 and sum(respondents[g] for g in with_people) >= minimum
        # Otherwise everything with people is hidden, and so is the total (under minimum).
        assert covered or (set(with_people) == {g for g, n in respondents.items() if n}
                           and total < minimum)


def test_a_group_with_members_but_no_respondents_is_covered_too():
    # Else the total's respondents minus the rest would show that none of them responded.
    assert hidden_groups({"a": 0, "b": 6, "c": 7}, 5, {"a": 3, "b": 8, "c": 9}) == {"a", "b"}


def test_a_response_rate_of_nobody_cannot_be_recovered(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {ServiceType.DOEGNTILBUD: 0, ServiceType.KOSTSKOLE: 7,
                                 ServiceType.FORSORGSHJEM: 9}, non_respondents=1)
    board = make_user(session, Role.BOARD)
    seen = aggregates(session=session, user=board, minimum=MINIMUM, cycle_id=cycle.id,
                      segment="tilbudstype")
    visible = [g for g in seen.groups if not g.suppressed]
    residual = (seen.total.respondents - sum(g.respondents for g in visible),
                seen.total.members - sum(g.members for g in visible))
    assert residual != (0, 1)  # døgntilbud's: one member, no response
    assert [g.value for g in visible] == [ServiceType.FORSORGSHJEM]


def test_secondary_suppression_takes_the_smallest_visible_group():
    assert hidden_groups({"a": 3, "b": 20, "c": 6, "d": 7}, 5) == {"a", "c"}
    assert hidden_groups({"a": 1, "b": 2, "c": 6, "d": 7}, 5) == {"a", "b", "c"}
    assert hidden_groups({"a": 0, "b": 6, "c": 7}, 5) == {"a"}
    assert hidden_groups({"a": 6, "b": 7}, 5) == set()


# Respondents per group; each case leaves a small group that plain primary suppression
# would give away by subtraction.
CASES = [
    {ServiceType.DOEGNTILBUD: 4, ServiceType.KOSTSKOLE: 8, ServiceType.FORSORGSHJEM: 12},
    {ServiceType.DOEGNTILBUD: 1, ServiceType.KOSTSKOLE: 2, ServiceType.FORSORGSHJEM: 9},
    {ServiceType.DOEGNTILBUD: 3, ServiceType.KOSTSKOLE: 5, ServiceType.FORSORGSHJEM: 5,
     ServiceType.PLEJEFAMILIE: 6},
    {ServiceType.DOEGNTILBUD: 2, ServiceType.KOSTSKOLE: 30},
]


def _figures_of(group_or_total) -> dict:
    """Everything additive the board reads about a group: respondents and counts."""
    result = {"respondents": group_or_total.respondents}
    for requirement in group_or_total.requirements:
        for step, n in requirement.distribution.items():
            result[(requirement.key, step)] = n
        result[(requirement.key, "sum")] = round((requirement.mean or 0) * requirement.scored, 6)
    return result


def _residual(total: dict, visible: list[dict]) -> dict:
    return {k: round(v - sum(g.get(k, 0) for g in visible), 6) for k, v in total.items()}


def _true_figures(respondents) -> dict:
    result = {"respondents": len(respondents)}
    for key in respondents[0].raw:
        expected = expected_requirement(respondents, key)
        for step, n in expected["distribution"].items():
            result[(key, step)] = n
        scores = [s for r in respondents if (s := r.score(key)) is not None]
        result[(key, "sum")] = round(sum(scores), 6)
    return result


def _recovers(candidate: dict, truth: dict) -> bool:
    """The candidate's counts are the group's, and its score sums too (up to rounding)."""
    return candidate.keys() == truth.keys() and all(
        abs(candidate[k] - truth[k]) < 1e-4 for k in truth)


@pytest.mark.parametrize("sizes", CASES)
def test_no_small_group_can_be_recovered_by_subtraction(session, catalogue, sizes):
    cycle = make_cycle(session, catalogue, 2025)
    data = seed_groups(session, cycle, sizes, non_respondents=1)
    board = make_user(session, Role.BOARD)
    seen = aggregates(session=session, user=board, minimum=MINIMUM, cycle_id=cycle.id,
                      segment="tilbudstype")
    visible = [_figures_of(g) for g in seen.groups if not g.suppressed]
    small = [value for value, n in sizes.items() if n < MINIMUM]
    # Every answer the board can get about a single group, including the trend.
    for value in sizes:
        alone = aggregates(session=session, user=board, minimum=MINIMUM, cycle_id=cycle.id,
                           segment="tilbudstype", value=value).groups[0]
        assert alone.suppressed == seen.group(value).suppressed
        over_time = trend(session=session, user=board, minimum=MINIMUM,
                          segment="tilbudstype", value=value)
        assert over_time[-1].figures.suppressed == alone.suppressed
        if not alone.suppressed:  # the same figures as in the list, nothing new
            assert _figures_of(alone) == _figures_of(seen.group(value))
    candidates = [_residual(_figures_of(seen.total), visible)] if not seen.total.suppressed \
        else []
    # Differences between the visible groups themselves, too.
    candidates += [_residual(a, [b]) for a in visible for b in visible if a is not b]
    for value in small:
        truth = _true_figures([r for r in data.respondents
                               if r.organisation.service_type == value])
        for candidate in candidates:
            assert not _recovers(candidate, truth), f"{value} recovered by subtraction"
        assert seen.group(value).suppressed


def test_the_hidden_residual_is_several_groups_and_enough_people(session, catalogue):
    cycle = make_cycle(session, catalogue, 2025)
    seed_groups(session, cycle, {Region.HOVEDSTADEN: 2, Region.SJAELLAND: 7,
                                 Region.SYDDANMARK: 11}, attribute="region")
    board = make_user(session, Role.BOARD)
    seen = aggregates(session=session, user=board, minimum=MINIMUM, cycle_id=cycle.id,
                      segment="region")
    hidden_respondents = seen.total.respondents - sum(
        g.respondents for g in seen.groups if not g.suppressed)
    assert [g.value for g in seen.groups if g.suppressed] == ["hovedstaden", "sjaelland"]
    assert hidden_respondents == 9 >= MINIMUM

"""The stored score histogram, respondent counts and roll-up are what the scores say, after
every write that changes them: submitting, reopening, a member moving to another group,
parallel submits."""

import math
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from app.models import Organisation, RequirementRollup, RespondentCount, ScoreHistogram
from app.models.vocabulary import Region, Role, ServiceType
from app.services.assessment.submission import reopen
from app.services.board.histograms import (
    computed_histogram,
    computed_respondents,
    rebuild_histogram,
)
from app.services.board.segments import Segment
from app.services.organisations import update_organisation
from tests.conftest import make_organisation, make_user
from tests.services.test_results import fill_in, past_cycle


def _stored(session) -> set[tuple]:
    """The histogram's rows, and the respondent counts as rows without requirement or score."""
    session.expire_all()
    return {(h.cycle_id, h.segment, h.group_value, h.requirement_id, h.score, h.respondents)
            for h in session.exec(select(ScoreHistogram))} | {
        (r.cycle_id, r.segment, r.group_value, None, None, r.respondents)
        for r in session.exec(select(RespondentCount))}


def _computed(session) -> set[tuple]:
    return {tuple(row) for segment in (None, *Segment)
            for row in session.exec(computed_histogram(segment))} | {
        (cycle_id, segment, group, None, None, n) for each in (None, *Segment)
        for cycle_id, segment, group, n in session.exec(computed_respondents(each))}


def _rollups(session) -> dict[tuple, tuple]:
    session.expire_all()
    return {(r.cycle_id, r.segment, r.group_value, r.requirement_id): (
        r.scored, round(r.score_sum, 9), r.meeting, {k: v for k, v in r.distribution.items()
                                                     if v}, round(r.median, 9))
        for r in session.exec(select(RequirementRollup))}


def _rollups_from_scores(session, threshold: int = 3) -> dict[tuple, tuple]:
    """The roll-up worked out here, from the scores: every score listed once per
    respondent, rounded half up, and the median of the sorted list."""
    scores: dict[tuple, list[float]] = {}
    for segment in (None, *Segment):
        for cycle_id, seg, group, requirement_id, score, n in session.exec(
                computed_histogram(segment)):
            scores.setdefault((cycle_id, seg, group, requirement_id), []).extend([score] * n)
    expected = {}
    for key, values in scores.items():
        values.sort()
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        steps: dict[str, int] = {}
        for value in values:
            step = str(min(max(math.floor(value + 0.5), 1), 5))
            steps[step] = steps.get(step, 0) + 1
        expected[key] = (len(values), round(sum(values), 9),
                         sum(1 for v in values if v >= threshold), steps, round(median, 9))
    return expected


def _submit_at_once(engine, drafts, users) -> None:
    """Every draft submitted by its member at the same time, each in its own session."""
    from app.models import User
    from app.services.assessment.submission import submit

    def submit_one(args):
        assessment_id, version, user_id = args
        with Session(engine) as own:
            submit(session=own, user=own.get(User, user_id), assessment_id=assessment_id,
                   version=version)

    with ThreadPoolExecutor(max_workers=len(drafts)) as pool:
        list(pool.map(submit_one, [(d.id, d.version, u.id)
                                   for d, u in zip(drafts, users, strict=True)]))


def test_submit_reopen_and_moving_a_member_keep_the_histogram_true(session, cast, catalogue):
    cycle = past_cycle(session, catalogue, 1)
    a = fill_in(session, cast.org_a, cycle, {1: 2, 2: None, 3: 5})
    fill_in(session, cast.org_b, cycle, {1: 3})
    assert _stored(session) == _computed(session) != set()
    assert _rollups(session) == _rollups_from_scores(session) != {}
    groups = {(s, g) for _c, s, g, *_ in _stored(session)}
    assert ("all", "all") in groups and ("region", cast.org_a.region) in groups
    # A member moves to another service type, region and size band.
    data = {name: getattr(cast.org_a, name) for name in
            ("name", "cvr", "company_name", "advisor_id")}
    update_organisation(session=session, user=cast.admin, organisation_id=cast.org_a.id,
                        data=data | {"service_type": ServiceType.KOSTSKOLE,
                                     "region": Region.NORDJYLLAND, "places": 35})
    assert _stored(session) == _computed(session)
    assert _rollups(session) == _rollups_from_scores(session)
    assert ("size", "30+") in {(s, g) for _c, s, g, *_ in _stored(session)}
    reopen(session=session, user=cast.admin, assessment_id=a.id, reason="Forkert tal")
    assert _stored(session) == _computed(session)
    assert _rollups(session) == _rollups_from_scores(session)
    assert ("tilbudstype", "kostskole") not in {(s, g) for s, g in (
        key[1:3] for key in _rollups(session))}
    assert ("tilbudstype", "kostskole") not in {(s, g) for _c, s, g, *_ in _stored(session)}


def test_rebuilding_gives_the_same_histogram(session, cast, catalogue):
    cycle = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, cycle, {1: 1})
    fill_in(session, cast.org_b, cycle, {1: 2, 4: 5})
    kept, rolled = _stored(session), _rollups(session)
    rebuild_histogram(session)
    session.commit()
    assert _stored(session) == kept == _computed(session)
    assert _rollups(session) == rolled == _rollups_from_scores(session)


def test_parallel_submits_all_count(engine, session, catalogue):
    """Eight members submit at once, each in its own session: no count is lost."""
    cycle = past_cycle(session, catalogue, 1)
    members = [make_organisation(session, name=f"Parallel {n}", cvr=f"{50000000 + n}")
               for n in range(8)]
    users = [make_user(session, Role.MEMBER, m) for m in members]
    drafts = [fill_in(session, m, cycle, submitted=False, user=u)
              for m, u in zip(members, users, strict=True)]
    _submit_at_once(engine, drafts, users)
    assert _stored(session) == _computed(session)
    totals = {h.respondents for h in session.exec(select(ScoreHistogram).where(
        ScoreHistogram.segment == "all"))}
    assert totals == {8}  # every indicator scored 4: one score, eight respondents
    assert len(session.exec(select(Organisation)).all()) >= 8


def test_parallel_submits_with_different_scores_keep_the_roll_up_true(engine, session,
                                                                       catalogue):
    """Eight members with different scores submit at once: each writes its groups' roll-up
    after the others' counts it waited for, so the median and sums hold every submit."""
    cycle = past_cycle(session, catalogue, 1)
    members = [make_organisation(session, name=f"Forskellig {n}", cvr=f"{51000000 + n}")
               for n in range(8)]
    users = [make_user(session, Role.MEMBER, m) for m in members]
    drafts = [fill_in(session, m, cycle, submitted=False, user=u, default=1 + n % 5)
              for n, (m, u) in enumerate(zip(members, users, strict=True))]
    _submit_at_once(engine, drafts, users)
    rolled = _rollups(session)
    assert rolled == _rollups_from_scores(session)
    assert {scored for (_c, segment, *_), (scored, *_) in rolled.items()
            if segment == "all"} == {8}

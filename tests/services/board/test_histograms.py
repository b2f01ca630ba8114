"""The stored score histogram and respondent counts are what the scores say, after every
write that changes them: submitting, reopening, a member moving to another group, parallel
submits."""

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from app.models import Organisation, RespondentCount, ScoreHistogram
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


def test_submit_reopen_and_moving_a_member_keep_the_histogram_true(session, cast, catalogue):
    cycle = past_cycle(session, catalogue, 1)
    a = fill_in(session, cast.org_a, cycle, {1: 2, 2: None, 3: 5})
    fill_in(session, cast.org_b, cycle, {1: 3})
    assert _stored(session) == _computed(session) != set()
    groups = {(s, g) for _c, s, g, *_ in _stored(session)}
    assert ("all", "all") in groups and ("region", cast.org_a.region) in groups
    # A member moves to another service type, region and size band.
    data = {name: getattr(cast.org_a, name) for name in
            ("name", "cvr", "company_name", "advisor_id")}
    update_organisation(session=session, user=cast.admin, organisation_id=cast.org_a.id,
                        data=data | {"service_type": ServiceType.KOSTSKOLE,
                                     "region": Region.NORDJYLLAND, "places": 35})
    assert _stored(session) == _computed(session)
    assert ("size", "30+") in {(s, g) for _c, s, g, *_ in _stored(session)}
    reopen(session=session, user=cast.admin, assessment_id=a.id, reason="Forkert tal")
    assert _stored(session) == _computed(session)
    assert ("tilbudstype", "kostskole") not in {(s, g) for _c, s, g, *_ in _stored(session)}


def test_rebuilding_gives_the_same_histogram(session, cast, catalogue):
    cycle = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, cycle, {1: 1})
    kept = _stored(session)
    rebuild_histogram(session)
    session.commit()
    assert _stored(session) == kept == _computed(session)


def test_parallel_submits_all_count(engine, session, catalogue):
    """Eight members submit at once, each in its own session: no count is lost."""
    cycle = past_cycle(session, catalogue, 1)
    members = [make_organisation(session, name=f"Parallel {n}", cvr=f"{50000000 + n}")
               for n in range(8)]
    users = [make_user(session, Role.MEMBER, m) for m in members]
    drafts = [fill_in(session, m, cycle, submitted=False, user=u)
              for m, u in zip(members, users, strict=True)]
    ids = [(d.id, d.version, u.id) for d, u in zip(drafts, users, strict=True)]

    def submit_one(args):
        from app.models import User
        from app.services.assessment.submission import submit

        assessment_id, version, user_id = args
        with Session(engine) as own:
            submit(session=own, user=own.get(User, user_id), assessment_id=assessment_id,
                   version=version)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(submit_one, ids))
    assert _stored(session) == _computed(session)
    totals = {h.respondents for h in session.exec(select(ScoreHistogram).where(
        ScoreHistogram.segment == "all"))}
    assert totals == {8}  # every indicator scored 4: one score, eight respondents
    assert len(session.exec(select(Organisation)).all()) >= 8

"""Flag rules: each reason, its edge cases, its sentence, and the order of the list."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.clock import today
from app.models import (
    Action,
    Answer,
    Assessment,
    CatalogueVersion,
    Cycle,
    NodeMapping,
    Requirement,
    RequirementScore,
    SupportCase,
)
from app.models.base import utcnow
from app.models.vocabulary import FlagCode, Region, Role, ServiceType, SizeBand
from app.services.advisor.flags import FlagSettings, flag_page, flagged_members
from app.services.advisor.segments import EVERYONE, UNASSIGNED, MemberFilter
from app.services.assessment import previous_scores
from app.services.assessment.answers import save_answer, save_injunction
from app.services.assessment.submission import reopen
from app.services.assessment.view import in_scope_for
from app.services.errors import Forbidden
from tests.conftest import make_organisation
from tests.services.test_results import fill_in, past_cycle

RULES = FlagSettings()


def flags(session, user, cycle, on=None, **kwargs):
    return flagged_members(session=session, user=user, cycle=cycle, today=on or today(),
                           rules=RULES, **kwargs)


def reasons_of(found, organisation):
    member = next((m for m in found if m.organisation.id == organisation.id), None)
    return [(r.code, r.text()) for r in member.reasons] if member else []


def test_a_healthy_member_has_no_flags(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == []


def test_a_requirement_below_the_threshold_is_low_and_says_its_score(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == [
        (FlagCode.LOW_SCORE, "Fordring 6 ligger på 2,0 (under 3).")]


def test_a_low_indicator_in_a_requirement_that_is_not_low_is_named(session, cast, open_cycle):
    assessment = fill_in(session, cast.org_a, open_cycle, submitted=False, user=cast.alice)
    from app.services.assessment.answers import save_answer
    from app.services.assessment.submission import submit
    from app.services.assessment.view import in_scope_for

    in_scope = in_scope_for(session, assessment)
    # In the requirement with most indicators one 1 among 4s keeps the mean at 3 or more.
    sizes = {}
    for indicator in in_scope:
        sizes.setdefault(indicator.requirement_id, []).append(indicator)
    first = max(sizes.values(), key=len)[0]
    assert len(max(sizes.values(), key=len)) >= 3
    saved, _ = save_answer(session=session, assessment_id=assessment.id, indicator_key=first.key,
                           user=cast.alice, data={"score": 1, "comment": "Svært",
                                                  "version": assessment.version})
    submit(session=session, assessment_id=assessment.id, user=cast.alice, version=saved.version)
    found = reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a)
    number = next(r.number for r in session.exec(select(Requirement))
                  if r.id == first.requirement_id)
    assert (FlagCode.LOW_SCORE,
            f"Fordring {number}: indikator {first.ref} er scoret 2 eller lavere.") in found


def test_not_relevant_never_counts_as_low(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {2: None}, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == []


def test_a_draft_is_not_judged_on_its_scores_before_it_is_submitted(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 1}, submitted=False, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == []


def test_a_fall_of_one_since_the_previous_submission_is_a_decline(session, cast, catalogue,
                                                                 open_cycle):
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 2), {6: 5})  # older: ignored
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {6: 4, 7: 4})
    fill_in(session, cast.org_a, open_cycle, {6: 3, 7: 4}, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == [
        (FlagCode.DECLINED, "Fordring 6 faldt fra 4,0 til 3,0.")]


def test_a_first_cycle_has_no_decline(session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 3}, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == []


def test_a_decline_follows_a_renumbered_requirement_across_catalogue_versions(
        session, cast, catalogue):
    old = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == catalogue.id).order_by(Requirement.number)).all()
    newer = CatalogueVersion(key=catalogue.key, version="2099", kind="assessment",
                             title="Ny", status="draft", published_on=date(2099, 1, 1),
                             content_hash="y" * 64, document=catalogue.document,
                             supersedes_id=catalogue.id)
    session.add(newer)
    session.flush()
    moved = {}
    for position, requirement in enumerate(reversed(old), start=1):  # numbers reversed
        moved[requirement.key] = Requirement(catalogue_version_id=newer.id, key=requirement.key,
                                             number=position, title=requirement.title)
        session.add(NodeMapping(from_version_id=catalogue.id, from_key=requirement.key,
                                to_version_id=newer.id, to_key=requirement.key,
                                relation="equal"))
    session.add_all(moved.values())
    fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {1: 5})
    this_year = Cycle(year=today().year, catalogue_version_id=newer.id,
                      opens_on=today() - timedelta(days=5), deadline=today() + timedelta(days=60))
    session.add(this_year)
    session.flush()
    current = Assessment(organisation_id=cast.org_a.id, cycle_id=this_year.id,
                         catalogue_version_id=newer.id, submitted_at=utcnow(), status="submitted")
    session.add(current)
    session.flush()
    session.add(RequirementScore(assessment_id=current.id,
                                 requirement_id=moved[old[0].key].id, score=3.5))
    previous_scores.refresh(session, cast.org_a.id)  # as submit() does
    session.commit()
    assert reasons_of(flags(session, cast.advisor, this_year), cast.org_a) == [
        (FlagCode.DECLINED, "Fordring 10 faldt fra 5,0 til 3,5.")]


def test_a_reopened_earlier_year_edited_moves_the_decline_it_is_measured_from(
        session, cast, catalogue, open_cycle):
    last_year = fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {6: 4})
    fill_in(session, cast.org_a, open_cycle, {6: 3}, user=cast.alice)
    assert [code for code, _ in reasons_of(flags(session, cast.advisor, open_cycle),
                                           cast.org_a)] == [FlagCode.DECLINED]
    reopen(session=session, user=cast.advisor, assessment_id=last_year.id, reason="Rettelse")
    # Last year's requirement 6 said again at 3: no fall any more, and then at 5: a fall of 2.
    for score, expected in ((3, []), (5, [(FlagCode.DECLINED,
                                           "Fordring 6 faldt fra 5,0 til 3,0.")])):
        for indicator in _indicators_of(session, last_year, 6):
            answer = session.exec(select(Answer).where(
                Answer.assessment_id == last_year.id,
                Answer.indicator_id == indicator.id)).first()
            version = session.get(Assessment, last_year.id).version
            save_answer(session=session, user=cast.alice,
                        assessment_id=last_year.id, indicator_key=indicator.key,
                        data={"score": score, "not_applicable": False,
                              "comment": answer.comment or "Begrundelse", "version": version})
        assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == expected


def _indicators_of(session, assessment, number):
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.number == number)).one()
    return [i for i in in_scope_for(session, assessment) if i.requirement_id == requirement.id]


def test_past_the_deadline_without_a_submission_is_missing(session, cast, open_cycle):
    after = open_cycle.deadline + timedelta(days=1)
    found = flags(session, cast.advisor, open_cycle, on=after)
    text = f"Ikke indsendt; fristen var {open_cycle.deadline.day}."
    assert reasons_of(found, cast.org_a)[0][0] == FlagCode.MISSING_SUBMISSION
    assert reasons_of(found, cast.org_a)[0][1].startswith(text)


def test_near_the_deadline_and_far_from_done_is_missing_but_far_from_it_is_not(
        session, cast, open_cycle):
    fill_in(session, cast.org_a, open_cycle, submitted=False, default=None, user=cast.alice)
    near = open_cycle.deadline - timedelta(days=RULES.deadline_days)
    assert reasons_of(flags(session, cast.advisor, open_cycle, on=near - timedelta(days=1)),
                      cast.org_b) == []
    found = reasons_of(flags(session, cast.advisor, open_cycle, on=near), cast.org_b)
    assert found == [(FlagCode.MISSING_SUBMISSION, found[0][1])]
    assert found[0][1].endswith("og selvevalueringen er ikke startet.")
    # Alice's organisation has answered everything ("not relevant" counts as answered).
    assert reasons_of(flags(session, cast.advisor, open_cycle, on=near), cast.org_a) == []


def test_a_reported_injunction_is_flagged_with_its_kind(session, cast, open_cycle):
    assessment = fill_in(session, cast.org_a, open_cycle, submitted=False, user=cast.alice)
    save_injunction(session=session, assessment_id=assessment.id, user=cast.alice, data={
        "reported": True, "kind": "paabud", "description": "Medicinhåndtering",
        "version": assessment.version})
    assert (FlagCode.REPORTED_INJUNCTION, "Har meldt påbud i selvevalueringen.") in reasons_of(
        flags(session, cast.advisor, open_cycle), cast.org_a)


def test_an_injunction_recorded_on_an_open_case_is_flagged_until_the_case_closes(
        session, cast, open_cycle):
    case = SupportCase(organisation_id=cast.org_b.id, opened_on=today(), reason="Påbud",
                       injunction_kind="skaerpet_tilsyn")
    session.add(case)
    session.commit()
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_b)[0][0] == (
        FlagCode.REPORTED_INJUNCTION)
    case.status = "closed"
    session.add(case)
    session.commit()
    assert FlagCode.REPORTED_INJUNCTION not in {
        code for code, _ in reasons_of(flags(session, cast.advisor, open_cycle), cast.org_b)}


def test_open_actions_past_their_due_date_are_counted(session, cast, open_cycle):
    yesterday = today() - timedelta(days=1)
    session.add_all([
        Action(organisation_id=cast.org_a.id, title="A", due_on=yesterday),
        Action(organisation_id=cast.org_a.id, title="B", due_on=yesterday, status="in_progress"),
        Action(organisation_id=cast.org_a.id, title="C", due_on=yesterday, status="done"),
        Action(organisation_id=cast.org_a.id, title="D", due_on=today()),
    ])
    session.commit()
    fill_in(session, cast.org_a, open_cycle, user=cast.alice)
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == [
        (FlagCode.OVERDUE_ACTIONS, "2 handlinger er over fristen.")]


def test_the_most_severe_member_comes_first_and_a_reason_filter_narrows(session, cast,
                                                                       open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)  # 2 points
    fill_in(session, cast.org_b, open_cycle, {6: 2, 7: 2}, user=cast.bob)  # 4 points
    found = flags(session, cast.advisor, open_cycle)
    assert [m.organisation.id for m in found][:2] == [cast.org_b.id, cast.org_a.id]
    assert found[0].severity == 4 and found[0].level == "Middel"
    assert flags(session, cast.advisor, open_cycle,
                 codes=frozenset({FlagCode.DECLINED})) == []


def test_the_advisor_filter_shows_mine_and_unassigned_by_default(session, cast, factory,
                                                                open_cycle):
    other = factory.user(Role.ADVISOR)
    cast.org_a.advisor_id = other.id
    session.add(cast.org_a)
    session.commit()
    after = open_cycle.deadline + timedelta(days=1)
    mine = {m.organisation.id for m in flags(session, cast.advisor, open_cycle, on=after)}
    assert cast.org_b.id in mine and cast.org_a.id not in mine
    everyone = flags(session, cast.advisor, open_cycle, on=after,
                     members=MemberFilter(advisor=EVERYONE))
    assert {cast.org_a.id, cast.org_b.id} <= {m.organisation.id for m in everyone}
    theirs = flags(session, cast.advisor, open_cycle, on=after,
                   members=MemberFilter(advisor=str(other.id)))
    assert [m.organisation.id for m in theirs] == [cast.org_a.id]
    unassigned = flags(session, cast.advisor, open_cycle, on=after,
                       members=MemberFilter(advisor=UNASSIGNED))
    assert cast.org_a.id not in {m.organisation.id for m in unassigned}


@pytest.mark.parametrize("segment, matching, other", [
    ({"service_type": ServiceType.KOSTSKOLE}, {"service_type": ServiceType.KOSTSKOLE}, {}),
    ({"region": Region.NORDJYLLAND}, {"region": Region.NORDJYLLAND}, {}),
    ({"size": SizeBand.FROM_30}, {"places": 31}, {"places": 29}),
    ({"size": SizeBand.UNKNOWN}, {"places": 0}, {"places": 1}),
])
def test_segment_filters_keep_only_matching_members(session, cast, open_cycle, segment,
                                                    matching, other):
    wanted = make_organisation(session, **matching)
    unwanted = make_organisation(session, **other)
    after = open_cycle.deadline + timedelta(days=1)
    found = {m.organisation.id for m in flags(session, cast.advisor, open_cycle, on=after,
                                              members=MemberFilter(EVERYONE, **segment))}
    assert wanted.id in found and unwanted.id not in found


@pytest.mark.parametrize("role", ["alice", "board"])
def test_only_staff_see_flags(session, cast, open_cycle, role):
    with pytest.raises(Forbidden):
        flags(session, getattr(cast, role), open_cycle)


def _inspection(session, organisation, visited_on, themes, sanctions=()):
    from app.services.inspections import record_inspection

    record_inspection(session=session, user=None, organisation_id=organisation.id,
                      today=today(), data={
                          "visited_on": visited_on, "authority": "midt", "kind": "announced",
                          "framework_version": "2017", "sanctions": list(sanctions),
                          "themes": [{"theme_id": t, "score": s} for t, s in themes.items()]})


def test_a_theme_self_assessed_far_above_the_inspectors_score_is_flagged(session, cast,
                                                                        open_cycle):
    fill_in(session, cast.org_a, open_cycle, {7: 5}, user=cast.alice)
    _inspection(session, cast.org_a, today() - timedelta(days=400),
                {"km.tema.fysiske-rammer": 3.5, "km.tema.kompetencer": 4})
    assert reasons_of(flags(session, cast.advisor, open_cycle), cast.org_a) == [
        (FlagCode.SELF_ABOVE_OFFICIAL, "Tema 7 (Fysiske rammer): selvevalueret 5,0, "
         f"Socialtilsynet gav 3,5 {_day(today() - timedelta(days=400))}.")]


def test_a_sanction_in_a_recent_inspection_report_is_a_reported_injunction(session, cast,
                                                                          open_cycle):
    visited = today() - timedelta(days=30)
    deadline = today() + timedelta(days=60)
    _inspection(session, cast.org_a, visited, {"km.tema.kompetencer": 4}, [
        {"kind": "paabud", "description": "Kompetenceplan", "deadline": deadline},
        {"kind": "skaerpet_tilsyn", "description": "Tre måneder"}])
    _inspection(session, cast.org_b, today() - timedelta(days=400), {"km.tema.kompetencer": 4},
                [{"kind": "skaerpet_tilsyn", "description": "Længe siden"}])
    found = flags(session, cast.advisor, open_cycle)
    assert reasons_of(found, cast.org_a) == [
        (FlagCode.REPORTED_INJUNCTION,
         f"Socialtilsynet gav påbud ved tilsynet {_day(visited)}, frist {_day(deadline)}."),
        (FlagCode.REPORTED_INJUNCTION,
         f"Socialtilsynet gav skærpet tilsyn ved tilsynet {_day(visited)}.")]
    assert reasons_of(found, cast.org_b) == []


def _day(value):
    from app.i18n import format_day

    return format_day(value)


def test_a_page_is_the_whole_lists_slice_with_the_same_reasons_and_total(session, cast,
                                                                         open_cycle):
    # Severities 6, 4, 4 and 2 (names break the tie), and members past the deadline.
    for scores in ({1: 2, 2: 2, 3: 2}, {4: 2, 5: 2}, {6: 2, 7: 2}, {8: 2}):
        organisation = make_organisation(session)
        fill_in(session, organisation, open_cycle, scores)
    organisation.advisor_id = cast.admin.id  # someone else's member
    session.add(organisation)
    session.commit()
    on = open_cycle.deadline + timedelta(days=1)
    everyone = MemberFilter(advisor=EVERYONE)
    whole = flags(session, cast.advisor, open_cycle, on=on, members=everyone)
    said = [(m.organisation.id, m.severity, [r.text() for r in m.reasons]) for m in whole]
    assert [severity for _, severity, _ in said] == sorted(
        (severity for _, severity, _ in said), reverse=True)
    for offset, limit in ((0, 2), (2, 2), (1, 3), (len(whole) - 1, 5)):
        page = flag_page(session=session, user=cast.advisor, cycle=open_cycle, today=on,
                         rules=RULES, members=everyone, offset=offset, limit=limit)
        assert page.total == len(whole)
        assert [(m.organisation.id, m.severity, [r.text() for r in m.reasons])
                for m in page.members] == said[offset:offset + limit]
    beyond = flag_page(session=session, user=cast.advisor, cycle=open_cycle, today=on,
                       rules=RULES, members=everyone, offset=len(whole) + 10, limit=5)
    assert (beyond.total, beyond.members) == (len(whole), [])
    # The members' filter counts on every page, the first and one past the last alike.
    mine = flags(session, cast.advisor, open_cycle, on=on)
    for offset in (0, len(whole) + 10):
        page = flag_page(session=session, user=cast.advisor, cycle=open_cycle, today=on,
                         rules=RULES, offset=offset, limit=2)
        assert page.total == len(mine) == len(whole) - 1
    low = flag_page(session=session, user=cast.advisor, cycle=open_cycle, today=on,
                    rules=RULES, members=everyone, codes=frozenset({FlagCode.LOW_SCORE}),
                    limit=2)
    # A reason filter narrows the members, never their reasons or severity.
    assert low.total == 4 and [m.severity for m in low.members] == [6, 4]

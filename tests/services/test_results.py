"""An assessment's results: own scores, last year's, and the peers' anonymous median."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models import (
    Assessment,
    CatalogueVersion,
    Cycle,
    NodeMapping,
    Organisation,
    Requirement,
    RequirementScore,
)
from app.models.vocabulary import Role, ServiceType
from app.services.assessment.answers import save_answer
from app.services.assessment.results import results_for
from app.services.assessment.start import start_assessment
from app.services.assessment.submission import submit
from app.services.assessment.view import indicators_in_scope, load_view
from app.services.organisations import update_organisation
from tests.conftest import make_organisation, make_user

THRESHOLD = 3
MINIMUM = 5


# --- helpers shared with the web tests ------------------------------------------------------


def past_cycle(session: Session, catalogue: CatalogueVersion, years_ago: int) -> Cycle:
    """A closed cycle `years_ago` years back (its assessments started and submitted then)."""
    year = today().year - years_ago
    cycle = Cycle(year=year, catalogue_version_id=catalogue.id, opens_on=date(year, 2, 1),
                  deadline=date(year, 4, 30))
    session.add(cycle)
    session.commit()
    return cycle


def fill_in(session: Session, organisation: Organisation, cycle: Cycle,
            scores: dict[int, int | None] | None = None, *, default: int | None = 4,
            submitted: bool = True, user=None) -> Assessment:
    """The organisation's assessment in `cycle`, every indicator answered through the
    services: the score of its requirement's number in `scores` (None: "not relevant"),
    else `default`; submitted unless told otherwise."""
    scores = scores or {}
    user = user or make_user(session, Role.MEMBER, organisation)
    assessment, _ = start_assessment(session=session, user=user, cycle_id=cycle.id,
                                     today=max(cycle.opens_on, min(today(), cycle.deadline)))
    numbers = {r.id: r.number for r in session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == cycle.catalogue_version_id))}
    version = assessment.version
    for indicator in indicators_in_scope(session, cycle.catalogue_version_id,
                                         organisation.service_type):
        score = scores.get(numbers[indicator.requirement_id], default)
        data = {"score": score, "not_applicable": score is None,
                "comment": "Begrundelse" if score is not None and score <= 2 else "",
                "version": version}
        assessment, _ = save_answer(session=session, assessment_id=assessment.id,
                                    indicator_key=indicator.key, user=user, data=data)
        version = assessment.version
    if submitted:
        assessment = submit(session=session, assessment_id=assessment.id, user=user,
                            version=version)
    return assessment


def results(session: Session, assessment: Assessment):
    view = load_view(session=session, assessment=assessment)
    return results_for(session=session, view=view, threshold=THRESHOLD,
                       anonymity_minimum=MINIMUM)


def row(result, number: int):
    return next(r for r in result.rows if r.number == number)


def peers(session: Session, cycle: Cycle, scores: list[int], **organisation) -> None:
    """One submitted døgntilbud (unless told otherwise) per score, for requirement 1."""
    for score in scores:
        fill_in(session, make_organisation(session, **organisation), cycle, {1: score})


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture
def own(session, cast, open_cycle) -> Assessment:
    return fill_in(session, cast.org_a, open_cycle, {1: 2, 2: None}, submitted=False,
                   user=cast.alice)


def test_own_scores_are_the_requirement_means_with_gaps_below_the_threshold(session, own):
    result = results(session, own)
    assert [r.number for r in result.rows] == list(range(1, 11))
    assert row(result, 1).score == 2 and row(result, 1).is_gap
    assert row(result, 3).score == 4 and not row(result, 3).is_gap
    assert [g.number for g in result.gaps] == [1]


def test_not_relevant_never_counts_as_low(session, own):
    requirement = row(results(session, own), 2)
    assert requirement.score is None
    assert not requirement.is_gap


def test_peer_median_of_an_odd_number_of_peers_is_the_middle_score(session, own, open_cycle):
    peers(session, open_cycle, [5, 1, 4, 2, 3])
    result = results(session, own)
    assert result.peers_shown
    assert row(result, 1).peer_median == 3
    assert row(result, 1).peer_count == 5


def test_peer_median_of_an_even_number_of_peers_is_the_mean_of_the_middle_two(
        session, own, open_cycle):
    peers(session, open_cycle, [5, 1, 4, 2, 3, 4])
    result = results(session, own)
    assert row(result, 1).peer_median == 3.5
    assert row(result, 1).peer_count == 6
    assert row(result, 3).peer_median == 4


def test_peers_are_hidden_below_the_anonymity_minimum(session, own, open_cycle):
    peers(session, open_cycle, [5, 1, 4, 2])
    result = results(session, own)
    assert not result.peers_shown
    assert all(r.peer_median is None and r.peer_count == 0 for r in result.rows)


def test_only_submitted_peers_of_the_same_service_type_count(session, own, open_cycle):
    peers(session, open_cycle, [1, 1, 1, 1])
    peers(session, open_cycle, [5, 5], service_type=ServiceType.KOSTSKOLE)
    fill_in(session, make_organisation(session), open_cycle, {1: 5}, submitted=False)
    assert not results(session, own).peers_shown


def test_a_submitted_assessment_is_not_its_own_peer(session, cast, open_cycle):
    """The peers come from the stored histogram, which counts the member itself once it has
    submitted; its own score is taken out again."""
    peers(session, open_cycle, [5, 5, 5, 4, 4])
    submitted = fill_in(session, cast.org_a, open_cycle, {1: 1}, user=cast.alice)
    result = results(session, submitted)
    assert row(result, 1).peer_median == 5 and row(result, 1).peer_count == 5


def test_a_member_that_changed_service_type_counts_among_its_new_peers(session, own,
                                                                      open_cycle):
    peers(session, open_cycle, [3, 3, 3, 3])
    mover = make_organisation(session, service_type=ServiceType.KOSTSKOLE)
    fill_in(session, mover, open_cycle, {1: 5})
    assert not results(session, own).peers_shown
    own_type = session.get(Organisation, own.organisation_id).service_type
    fields = {name: getattr(mover, name) for name in (
        "name", "cvr", "company_name", "region", "places", "advisor_id")}
    update_organisation(session=session, user=make_user(session, Role.ADMIN),
                        organisation_id=mover.id, data=fields | {"service_type": own_type})
    result = results(session, own)
    assert row(result, 1).peer_median == 3 and row(result, 1).peer_count == 5


def test_a_requirement_few_peers_scored_is_hidden_alone(session, own, open_cycle):
    peers(session, open_cycle, [1, 2, 3, 4])
    fill_in(session, make_organisation(session), open_cycle, {1: None})
    result = results(session, own)
    assert result.peers_shown
    assert row(result, 1).peer_median is None
    assert row(result, 3).peer_median == 4 and row(result, 3).peer_count == 5


def test_last_years_submission_gives_last_years_scores(session, cast, catalogue, open_cycle,
                                                       own):
    last_year = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, last_year, {1: 4, 3: 2})
    result = results(session, own)
    assert result.previous_year == last_year.year
    assert row(result, 1).last_year == 4
    assert row(result, 3).last_year == 2
    assert row(result, 2).last_year == 4


def test_without_a_submission_last_year_there_is_no_comparison(session, own):
    result = results(session, own)
    assert result.previous_year is None
    assert all(r.last_year is None for r in result.rows)


def test_last_year_is_mapped_by_permanent_key_across_catalogue_versions(session, cast,
                                                                        catalogue):
    """A new version renumbers the requirements, renames one (mapped as equal) and
    changes the meaning of another (no comparison)."""
    old = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == catalogue.id).order_by(Requirement.number)).all()
    newer = CatalogueVersion(key=catalogue.key, version="2099", kind="assessment",
                             title="Ny", status="draft", published_on=date(2099, 1, 1),
                             content_hash="x" * 64, document=catalogue.document,
                             supersedes_id=catalogue.id)
    session.add(newer)
    session.flush()
    renamed, changed = old[1].key, old[2].key
    new_keys = {r.key: {renamed: "ny.omdoebt", changed: "ny.aendret"}.get(r.key, r.key)
                for r in old}
    new_rows = {}
    for position, requirement in enumerate(reversed(old), start=1):  # numbers reversed
        new_rows[requirement.key] = Requirement(catalogue_version_id=newer.id,
                                                key=new_keys[requirement.key],
                                                number=position, title=requirement.title)
        relation = "subset" if requirement.key == changed else "equal"
        session.add(NodeMapping(from_version_id=catalogue.id, from_key=requirement.key,
                                to_version_id=newer.id, to_key=new_keys[requirement.key],
                                relation=relation))
    session.add_all(new_rows.values())
    last_year = past_cycle(session, catalogue, 1)
    fill_in(session, cast.org_a, last_year, {1: 1, 2: 2, 3: 3, 4: 5})
    this_year = Cycle(year=today().year, catalogue_version_id=newer.id,
                      opens_on=today() - timedelta(days=5), deadline=today() + timedelta(days=5))
    session.add(this_year)
    session.flush()
    current = Assessment(organisation_id=cast.org_a.id, cycle_id=this_year.id,
                         catalogue_version_id=newer.id)
    session.add(current)
    session.flush()
    session.add(RequirementScore(assessment_id=current.id,
                                 requirement_id=new_rows[old[0].key].id, score=4.0))
    session.commit()

    by_key = {r.key: r for r in results(session, current).rows}
    assert by_key[old[0].key].number == 10
    assert by_key[old[0].key].score == 4
    assert by_key[old[0].key].last_year == 1
    assert by_key["ny.omdoebt"].last_year == 2
    assert by_key["ny.aendret"].last_year is None
    assert by_key[old[3].key].last_year == 5

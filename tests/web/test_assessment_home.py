"""The member's home page during a cycle: start or continue the self-assessment, open
follow-up actions, last year's result."""

from datetime import timedelta

from app.clock import today
from app.models import Action
from app.services.assessment.answers import save_answer
from tests.web.assessment_pages import keys_of, submitted_last_year, version_of


def test_home_offers_to_start_the_open_cycle_and_counts_the_days_to_the_deadline(
        login, cast, open_cycle):
    page = login(cast.alice).get("/")
    assert page.status_code == 200
    assert "Start selvevalueringen" in page.text
    assert f'name="cycle_id" value="{open_cycle.id}"' in page.text
    assert "30 dage til fristen" in page.text


def test_home_shows_progress_in_requirements_and_a_continue_button(started, session, cast):
    for key in keys_of(session, started.id, 1):
        save_answer(session=session, assessment_id=started.id, indicator_key=key,
                    user=cast.alice, data={"score": 4, "version": version_of(session, started.id)})
    page = started.client.get("/")
    assert "1 af 10 fordringer klar" in page.text
    assert f'href="/assessments/{started.id}/requirements/2">Fortsæt' in page.text


def test_home_lists_open_follow_up_actions_and_marks_the_overdue_ones(login, cast, session,
                                                                      open_cycle):
    session.add_all([
        Action(organisation_id=cast.org_a.id, title="Ny procedure", status="open",
               due_on=today() - timedelta(days=3)),
        Action(organisation_id=cast.org_a.id, title="Temadag", status="in_progress",
               due_on=today() + timedelta(days=30)),
        Action(organisation_id=cast.org_a.id, title="Klaret", status="done"),
        Action(organisation_id=cast.org_b.id, title="Bobs punkt", status="open"),
    ])
    session.commit()
    page = login(cast.alice).get("/").text
    assert "Ny procedure" in page and "Temadag" in page
    assert "Klaret" not in page and "Bobs punkt" not in page
    assert page.count("Overskredet") == 1


def test_home_links_to_last_years_result(login, cast, session, catalogue, open_cycle):
    previous = submitted_last_year(session, cast.alice, catalogue)
    page = login(cast.alice).get("/").text
    assert "Sidste år" in page
    assert f"/assessments/{previous.id}/results" in page


def test_a_requirement_with_a_low_score_and_no_justification_is_not_counted_as_done(
        started, session, cast):
    keys = keys_of(session, started.id, 1)
    for n, key in enumerate(keys):
        save_answer(session=session, assessment_id=started.id, indicator_key=key,
                    user=cast.alice, data={"score": 1 if n == 0 else 4,
                                           "version": version_of(session, started.id)})
    home = started.client.get("/").text
    assert "0 af 10 fordringer klar" in home
    assert "1 fordring skal ses på, før I kan indsende" in home
    form = started.client.get(f"/assessments/{started.id}/requirements/2").text
    assert "1 fordring skal ses på" in form

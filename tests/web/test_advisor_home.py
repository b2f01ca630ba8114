"""The advisor's home: flagged members first, open cases by next contact, late actions."""

from datetime import timedelta

from app.clock import today
from app.models import Action, SupportCase
from tests.services.test_results import fill_in


def test_the_day_starts_with_flags_cases_and_late_actions_each_linking_on(
        login, cast, session, open_cycle):
    fill_in(session, cast.org_a, open_cycle, {6: 2}, user=cast.alice)
    soon, later = today() + timedelta(days=2), today() + timedelta(days=9)
    session.add_all([
        SupportCase(organisation_id=cast.org_b.id, opened_on=today(), reason="Senere sag",
                    next_contact_on=later),
        SupportCase(organisation_id=cast.org_a.id, opened_on=today(), reason="Snarlig sag",
                    next_contact_on=soon),
        SupportCase(organisation_id=cast.org_a.id, opened_on=today(), reason="Lukket sag",
                    status="closed"),
        Action(organisation_id=cast.org_b.id, title="Skriv politik",
               due_on=today() - timedelta(days=3)),
    ])
    session.commit()
    html = login(cast.advisor).get("/").text
    assert "1 medlem med flag" in html or "medlemmer med flag" in html
    assert f'href="/advisor/members/{cast.org_a.id}"' in html
    assert html.index("Snarlig sag") < html.index("Senere sag")
    assert "Lukket sag" not in html
    assert "Skriv politik" in html and f'href="/advisor/members/{cast.org_b.id}#actions"' in html


def test_another_advisors_members_stay_off_my_home(login, cast, session, factory, open_cycle):
    from app.models.vocabulary import Role

    other = factory.user(Role.ADVISOR)
    cast.org_b.advisor_id = other.id
    session.add(cast.org_b)
    session.add(SupportCase(organisation_id=cast.org_b.id, opened_on=today(),
                            reason="Deres sag"))
    session.commit()
    assert "Deres sag" not in login(cast.advisor).get("/").text
    assert "Deres sag" in login(other).get("/").text

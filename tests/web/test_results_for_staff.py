"""Results seen by LOS: the page speaks about the member and offers the advisor's next steps."""

import pytest

from app.i18n import current_language, possessive
from tests.services.test_results import fill_in


@pytest.fixture
def submitted(session, cast, open_cycle):
    return fill_in(session, cast.org_a, open_cycle, {1: 2}, user=cast.alice)


def test_an_advisor_reads_about_the_member_and_sees_their_own_next_steps(login, cast,
                                                                          submitted):
    html = login(cast.advisor).get(f"/assessments/{submitted.id}/results").text
    assert "Alfa Opholdssteds scorer for de 10 fordringer" in html
    assert "Jeres scorer" not in html and "Det skrev I" not in html
    assert "Det vil medlemmet arbejde med" in html
    assert "Dine næste skridt" in html
    assert f'href="/advisor/members/{cast.org_a.id}#new-contact"' in html
    assert f'href="/assessments/{submitted.id}/history#reopen-heading"' in html


def test_the_member_still_reads_about_themselves(login, cast, submitted):
    html = login(cast.alice).get(f"/assessments/{submitted.id}/results").text
    assert "Jeres scorer for de 10 fordringer" in html
    assert "Dine næste skridt" not in html


@pytest.mark.parametrize("language, name, expected", [
    ("da", "Egebo", "Egebos"), ("da", "Æblehaven Hus", "Æblehaven Hus'"),
    ("en", "Egebo", "Egebo's"), ("en", "Hus", "Hus'")])
def test_possessive_follows_the_language(language, name, expected):
    token = current_language.set(language)
    try:
        assert possessive(name) == expected
    finally:
        current_language.reset(token)

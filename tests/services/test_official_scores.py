"""The stored latest official scores (services/official_scores.py) always equal the rule
worked out over the inspections: after recording, correcting and importing, and for an
inspection's theme taken away again."""

from datetime import date

import pytest
from sqlmodel import select

from app.services import official_scores
from app.services.inspection_import import import_inspections_csv
from tests.services.test_calibration import (
    THEME_4,
    THEME_5,
    THEME_6,
    _inspection,
    _move_inspection,
)
from tests.services.test_inspection_import import GOOD, TODAY


def _rows(session, subquery) -> list[tuple]:
    session.expire_all()
    return sorted((org, key, on, pytest.approx(score)) for org, key, on, score in
                  session.connection().execute(select(*subquery.c)))


def _stored_equals_the_rule(session) -> list[tuple]:
    stored = _rows(session, official_scores.stored())
    assert stored == _rows(session, official_scores.computed())
    return stored


def test_recording_and_correcting_inspections_keeps_the_stored_scores_right(session, cast,
                                                                           catalogue):
    assert _stored_equals_the_rule(session) == []
    old = _inspection(session, cast.org_a, date(2024, 5, 1), {THEME_4: 3.0, THEME_5: 4.0})
    new = _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 4.5})
    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 3.5})
    _inspection(session, cast.org_b, date(2026, 1, 1), {THEME_5: 1.0})
    assert _stored_equals_the_rule(session) == sorted([
        (cast.org_a.id, THEME_4, date(2025, 9, 1), 4.0),
        (cast.org_a.id, THEME_5, date(2024, 5, 1), 4.0),
        (cast.org_b.id, THEME_5, date(2026, 1, 1), 1.0)])

    # The newer report moves back before the old one and now covers another theme: the
    # old one's THEME_4 is the latest again, and THEME_6 appears.
    _move_inspection(session, cast, new, date(2023, 1, 1), {THEME_6: 2.0})
    stored = _stored_equals_the_rule(session)
    assert (cast.org_a.id, THEME_4, date(2025, 9, 1), 3.5) in stored
    assert (cast.org_a.id, THEME_6, date(2023, 1, 1), 2.0) in stored
    assert old.inspection.organisation_id == cast.org_a.id


def test_an_import_stores_the_latest_scores_of_every_member_it_names(session, factory,
                                                                      catalogue):
    for name in ("Egebo Opholdssted", "Fjordhuset"):
        factory.organisation(name=name, cvr="12345678")
    factory.organisation(name="Kildebo Kostskole", cvr="87654321")
    import_inspections_csv(session=session, content=GOOD, today=TODAY)
    assert len(_stored_equals_the_rule(session)) >= 2

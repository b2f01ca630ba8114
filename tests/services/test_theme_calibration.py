"""The stored theme calibration (services/theme_calibration.py) always equals the rule
worked out over the requirement scores and the latest official scores: after submitting,
reopening, submitting again, and recording or correcting an inspection, before or after."""

from datetime import date

import pytest
from sqlmodel import select

from app.models import ThemeCalibration
from app.services import theme_calibration
from app.services.assessment.answers import save_answer
from app.services.assessment.submission import reopen, submit
from app.services.assessment.view import in_scope_for
from tests.services.test_calibration import THEME_4, THEME_5, _inspection, _move_inspection
from tests.services.test_results import fill_in, past_cycle


def _stored_equals_the_rule(session) -> list[tuple]:
    session.expire_all()
    stored = sorted((r.assessment_id, r.theme_key, r.organisation_id, r.cycle_id,
                     pytest.approx(r.self_score), r.official_score, r.visited_on,
                     None if r.gap is None else pytest.approx(r.gap))
                    for r in session.exec(select(ThemeCalibration)))
    rule = theme_calibration.computed(session)
    computed = sorted(tuple(row) for row in session.connection().execute(rule))
    assert stored == computed
    return stored


def _row(stored, assessment, theme):
    return next((row for row in stored if row[0] == assessment.id and row[1] == theme), None)


def test_submitting_reopening_and_inspections_keep_the_stored_calibration_right(
        session, cast, catalogue, open_cycle):
    assert _stored_equals_the_rule(session) == []
    last_year = fill_in(session, cast.org_a, past_cycle(session, catalogue, 1), {4: 2})
    draft = fill_in(session, cast.org_a, open_cycle, {4: 5}, user=cast.alice, submitted=False)
    stored = _stored_equals_the_rule(session)
    # Only submissions are stored; no inspection yet, so no official side.
    assert {row[0] for row in stored} == {last_year.id}
    assert _row(stored, last_year, THEME_4)[5:] == (None, None, None)

    _inspection(session, cast.org_a, date(2025, 9, 1), {THEME_4: 3.0, THEME_5: 4.0})
    stored = _stored_equals_the_rule(session)
    assert _row(stored, last_year, THEME_4)[5:7] == (3.0, date(2025, 9, 1))

    submitted = submit(session=session, user=cast.alice, assessment_id=draft.id,
                       version=draft.version)
    stored = _stored_equals_the_rule(session)
    assert _row(stored, submitted, THEME_4)[4] == pytest.approx(5.0)
    assert _row(stored, submitted, THEME_4)[7] == pytest.approx(2.0)

    # Reopened, it leaves the table; edited and submitted again, it returns as it is now.
    reopen(session=session, user=cast.advisor, assessment_id=submitted.id, reason="Ret")
    assert _row(_stored_equals_the_rule(session), submitted, THEME_4) is None
    requirement_4 = next(r for r in in_scope_for(session, submitted) if r.ref.startswith("4"))
    assessment, _ = save_answer(session=session, user=cast.alice, assessment_id=submitted.id,
                                indicator_key=requirement_4.key, data={
                                    "score": 1, "not_applicable": False,
                                    "comment": "Begrundelse", "version": submitted.version})
    submit(session=session, user=cast.alice, assessment_id=submitted.id,
           version=assessment.version)
    stored = _stored_equals_the_rule(session)
    assert _row(stored, submitted, THEME_4)[4].expected < 5.0

    # A later report moves the official side of every year's row of the member.
    record = _inspection(session, cast.org_a, date(2026, 3, 1), {THEME_4: 4.5})
    stored = _stored_equals_the_rule(session)
    assert {_row(stored, a, THEME_4)[5] for a in (last_year, submitted)} == {4.5}
    _move_inspection(session, cast, record, date(2023, 1, 1), {THEME_5: 2.0})
    stored = _stored_equals_the_rule(session)
    assert _row(stored, last_year, THEME_4)[5:7] == (3.0, date(2025, 9, 1))
    assert _row(stored, last_year, THEME_5)[5] == 4.0

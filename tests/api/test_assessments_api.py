"""The assessment API: starting, answering, conflicts, submitting, reopening."""

import pytest

from tests.conftest import api_token


@pytest.fixture
def alice(client, cast):
    return api_token(client, cast.alice.email)


@pytest.fixture
def assessment(client, alice, open_cycle):
    response = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                           headers=alice)
    assert response.status_code == 201, response.text
    return response.json()


def _answers(client, headers, assessment_id):
    body = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers).json()
    return {a["indicator_id"]: a for a in body["answers"]}, body


def _put(client, headers, assessment_id, key, **body):
    return client.put(f"/api/v1/assessments/{assessment_id}/answers/{key}", json=body,
                      headers=headers)


def test_starting_twice_returns_the_same_assessment_with_200(client, alice, assessment,
                                                             open_cycle):
    again = client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id}, headers=alice)
    assert again.status_code == 200
    assert again.json()["id"] == assessment["id"]
    assert assessment["status"] == "draft"
    assert assessment["progress"] == 0


def test_cycles_list_the_open_cycle_with_its_catalogue(client, alice, open_cycle):
    cycles = client.get("/api/v1/cycles", headers=alice).json()
    assert cycles == [{"id": open_cycle.id, "year": open_cycle.year,
                       "catalogue_key": "los-etisk-forventningskatalog",
                       "catalogue_version": "2023",
                       "opens_on": open_cycle.opens_on.isoformat(),
                       "deadline": open_cycle.deadline.isoformat(), "status": "open"}]


def test_saving_an_answer_raises_the_version_and_updates_score_and_progress(
        client, alice, assessment, indicator_keys):
    key = indicator_keys[0]
    response = _put(client, alice, assessment["id"], key, score=4, comment="Godt",
                    not_applicable=False, version=assessment_version(client, alice, assessment))
    assert response.status_code == 200, response.text
    answers, body = _answers(client, alice, assessment["id"])
    assert answers[key]["score"] == 4
    assert answers[key]["comment"] == "Godt"
    assert body["version"] == response.json()["version"]
    assert body["requirement_scores"][0]["score"] == 4
    listed = client.get("/api/v1/assessments", headers=alice).json()[0]
    assert listed["answered"] == 1


def assessment_version(client, headers, assessment) -> int:
    return client.get(f"/api/v1/assessments/{assessment['id']}", headers=headers).json()["version"]


@pytest.mark.parametrize("bad", [
    {"score": 0}, {"score": 6}, {"score": 3.5}, {"score": "tre"}, {"score": True},
    {"score": 3, "not_applicable": True}, {"comment": "x" * 5001},
])
def test_a_bad_answer_is_422_naming_the_field_and_changes_nothing(
        client, alice, assessment, indicator_keys, bad):
    key = indicator_keys[0]
    version = assessment_version(client, alice, assessment)
    assert _put(client, alice, assessment["id"], key, score=2, comment="Første",
                version=version).status_code == 200
    before, before_body = _answers(client, alice, assessment["id"])

    body = {"score": 3, "not_applicable": False, "comment": "",
            "version": before_body["version"]} | bad
    response = _put(client, alice, assessment["id"], key, **body)

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["loc"]
    after, after_body = _answers(client, alice, assessment["id"])
    assert after == before
    assert after_body["version"] == before_body["version"]


def test_an_unknown_indicator_is_404(client, alice, assessment):
    response = _put(client, alice, assessment["id"], "no-such-indicator", score=3, version=1)
    assert response.status_code == 404
    assert response.json()["detail"] == "Indikatoren findes ikke i denne selvevaluering."


def test_a_stale_save_is_409_with_the_saved_answer_and_overwrites_nothing(
        client, alice, assessment, indicator_keys):
    key = indicator_keys[0]
    seen = assessment_version(client, alice, assessment)
    assert _put(client, alice, assessment["id"], key, score=5, comment="Kollegas svar",
                version=seen).status_code == 200

    stale = _put(client, alice, assessment["id"], key, score=1, comment="Mit svar",
                 version=seen)

    assert stale.status_code == 409
    assert stale.json()["answer"]["score"] == 5
    assert stale.json()["answer"]["comment"] == "Kollegas svar"
    answers, _ = _answers(client, alice, assessment["id"])
    assert answers[key]["score"] == 5


def test_saves_of_other_answers_in_between_are_no_conflict(
        client, alice, assessment, indicator_keys):
    seen = assessment_version(client, alice, assessment)
    assert _put(client, alice, assessment["id"], indicator_keys[0], score=4,
                version=seen).status_code == 200
    assert _put(client, alice, assessment["id"], indicator_keys[1], score=3,
                version=seen).status_code == 200


def test_member_cannot_read_or_write_another_organisations_assessment(
        client, cast, assessment, indicator_keys):
    bob = api_token(client, cast.bob.email)
    assert client.get(f"/api/v1/assessments/{assessment['id']}", headers=bob).status_code == 404
    assert _put(client, bob, assessment["id"], indicator_keys[0], score=3,
                version=1).status_code == 404
    assert client.get("/api/v1/assessments", headers=bob).json() == []


def test_a_missing_assessment_is_404_exactly_like_another_organisations(client, alice):
    response = client.get("/api/v1/assessments/999999", headers=alice)
    assert response.status_code == 404


def test_board_may_not_list_or_read_assessments(client, cast, assessment):
    board = api_token(client, cast.board.email)
    assert client.get("/api/v1/assessments", headers=board).status_code == 403
    assert client.get(f"/api/v1/assessments/{assessment['id']}",
                      headers=board).status_code == 403


def test_advisor_reads_any_assessment_but_cannot_answer(client, cast, assessment,
                                                       indicator_keys):
    advisor = api_token(client, cast.advisor.email)
    assert client.get(f"/api/v1/assessments/{assessment['id']}",
                      headers=advisor).status_code == 200
    assert _put(client, advisor, assessment["id"], indicator_keys[0], score=3,
                version=1).status_code == 403


def _answer_all(client, headers, assessment_id, keys, score=4):
    for key in keys:
        version = client.get(f"/api/v1/assessments/{assessment_id}",
                             headers=headers).json()["version"]
        assert _put(client, headers, assessment_id, key, score=score,
                    version=version).status_code == 200


def test_submit_lists_unanswered_indicators_and_low_scores_without_comment(
        client, alice, assessment, indicator_keys):
    _answer_all(client, alice, assessment["id"], indicator_keys[1:3], score=2)
    version = assessment_version(client, alice, assessment)
    response = client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                           json={"version": version}, headers=alice)
    assert response.status_code == 422
    problems = {(p["code"], p["indicator_id"]) for p in response.json()["problems"]}
    assert ("unanswered", indicator_keys[0]) in problems
    assert ("low_score_without_comment", indicator_keys[1]) in problems
    assert len(problems) == len(indicator_keys)


def test_a_submitted_assessment_is_read_only_and_reopened_by_an_advisor(
        client, cast, alice, assessment, indicator_keys):
    _answer_all(client, alice, assessment["id"], indicator_keys)
    version = assessment_version(client, alice, assessment)
    submitted = client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                            json={"version": version}, headers=alice)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    late = _put(client, alice, assessment["id"], indicator_keys[0], score=1,
                version=submitted.json()["version"])
    assert late.status_code == 409

    assert client.post(f"/api/v1/assessments/{assessment['id']}/reopen",
                       json={"reason": "x"}, headers=alice).status_code == 403
    advisor = api_token(client, cast.advisor.email)
    reopened = client.post(f"/api/v1/assessments/{assessment['id']}/reopen",
                           json={"reason": "Tilsynsrapporten kom efter indsendelsen"},
                           headers=advisor)
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "reopened"
    assert _put(client, alice, assessment["id"], indicator_keys[0], score=3,
                version=reopened.json()["version"]).status_code == 200


def test_submit_with_a_stale_version_is_409(client, alice, assessment, indicator_keys):
    _answer_all(client, alice, assessment["id"], indicator_keys)
    response = client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                           json={"version": 1}, headers=alice)
    assert response.status_code == 409


def test_injunction_is_saved_with_its_description(client, alice, assessment):
    version = assessment_version(client, alice, assessment)
    response = client.put(f"/api/v1/assessments/{assessment['id']}/injunction",
                          json={"reported": True, "kind": "paabud",
                                "description": "Påbud om magtanvendelse", "version": version},
                          headers=alice)
    assert response.status_code == 200
    body = client.get(f"/api/v1/assessments/{assessment['id']}", headers=alice).json()
    assert body["reported_injunction"] is True
    assert body["injunction_description"] == "Påbud om magtanvendelse"


def test_not_applicable_never_counts_as_a_low_score(client, alice, assessment, indicator_keys,
                                                    session, catalogue):
    from sqlmodel import select

    from app.models import Indicator, Requirement

    first_requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == catalogue.id, Requirement.number == 1)).one()
    keys = [i.key for i in session.exec(select(Indicator).where(
        Indicator.requirement_id == first_requirement.id)) if i.key in indicator_keys]
    seen = assessment_version(client, alice, assessment)
    _put(client, alice, assessment["id"], keys[0], score=5, version=seen)
    _put(client, alice, assessment["id"], keys[1], not_applicable=True, version=seen)
    _, body = _answers(client, alice, assessment["id"])
    assert body["requirement_scores"][0] == {"requirement_id": first_requirement.key,
                                             "score": 5.0}


def test_a_reported_injunction_without_kind_and_description_is_422_at_each_field(
        client, alice, assessment):
    version = assessment_version(client, alice, assessment)
    response = client.put(f"/api/v1/assessments/{assessment['id']}/injunction",
                          json={"reported": True, "description": " ", "version": version},
                          headers=alice)
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "kind"), ("body", "description")}
    body = client.get(f"/api/v1/assessments/{assessment['id']}", headers=alice).json()
    assert body["reported_injunction"] is None and body["version"] == version


def test_submit_refuses_a_reported_injunction_saved_without_its_details(
        client, alice, assessment, indicator_keys, session):
    from app.models import Assessment

    _answer_all(client, alice, assessment["id"], indicator_keys)
    row = session.get(Assessment, assessment["id"])
    row.injunction_reported = True  # saved before the details were required
    session.add(row)
    session.commit()
    response = client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                           json={"version": assessment_version(client, alice, assessment)},
                           headers=alice)
    assert response.status_code == 422
    assert {(p["code"], p["field"]) for p in response.json()["problems"]} == {
        ("injunction_incomplete", "kind"), ("injunction_incomplete", "description")}


def test_submit_is_one_call_and_mails_each_active_user_a_receipt(
        client, cast, alice, assessment, indicator_keys, session, factory):
    from sqlmodel import select

    from app.models import OutboxMessage

    colleague = factory.user(organisation=cast.org_a, email="carl@test.example")
    _answer_all(client, alice, assessment["id"], indicator_keys)
    response = client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                           json={"version": assessment_version(client, alice, assessment)},
                           headers=alice)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    recipients = session.exec(select(OutboxMessage.recipient)).all()
    assert sorted(recipients) == sorted([cast.alice.email, colleague.email])

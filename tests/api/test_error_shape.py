"""Every API error has one shape, {"detail", "code"}, whoever raises it, in its language."""

import pytest
from fastapi.testclient import TestClient

from app.services.errors import ErrorCode
from tests.conftest import api_token

# Raised only on HTML pages: the JSON API has no cookies (CSRF) and no emailed links.
WEB_ONLY = {ErrorCode.CSRF_FAILED, ErrorCode.LINK_INVALID}


@pytest.fixture
def alice(client, cast):
    return api_token(client, cast.alice.email)


@pytest.fixture
def assessment(client, alice, open_cycle):
    return client.post("/api/v1/assessments", json={"cycle_id": open_cycle.id},
                       headers=alice).json()


def _invalid(client, alice, assessment, indicator_keys):
    return client.put(f"/api/v1/assessments/{assessment['id']}/answers/{indicator_keys[0]}",
                      json={"score": 9, "version": 1}, headers=alice)


def _unauthenticated(client, *_):
    return client.get("/api/v1/me")


def _bad_credentials(client, *_):
    return client.post("/api/v1/auth/token",
                       json={"email": "alice@test.example", "password": "wrong password"})


def _forbidden(client, *_):
    return client.get("/api/v1/assessments", headers=api_token(client, "board@test.example"))


def _not_found(client, alice, *_):
    return client.get("/api/v1/assessments/999999", headers=alice)


def _method_not_allowed(client, alice, *_):
    return client.delete("/api/v1/me", headers=alice)


def _conflict(client, alice, assessment, _keys):
    return client.post(f"/api/v1/assessments/{assessment['id']}/submit",
                       json={"version": 999}, headers=alice)


def _payload_too_large(client, *_):
    return client.post("/api/v1/auth/token", content=b"x" * 2_000_000,
                       headers={"Content-Type": "application/json"})


def _throttled(client, *_):
    for _attempt in range(client.app.state.settings.login_failure_limit):
        _bad_credentials(client)
    return _bad_credentials(client)


def _bad_request(client, alice, assessment, _keys):
    # A multipart body whose boundary never comes: the server cannot read it at all.
    return client.post(f"/api/v1/assessments/{assessment['id']}/evidence",
                       content=b"--nowhere\r\nbroken",
                       headers=alice | {"Content-Type": "multipart/form-data; boundary=x"})


def _internal_error(client, *_):
    @client.app.get("/api/v1/test-only-bug")
    def bug():
        raise RuntimeError("a bug of ours")

    with TestClient(client.app, raise_server_exceptions=False) as quiet:
        return quiet.get("/api/v1/test-only-bug")


TRIGGERS = {
    ErrorCode.INVALID: (_invalid, 422),
    ErrorCode.UNAUTHENTICATED: (_unauthenticated, 401),
    ErrorCode.BAD_CREDENTIALS: (_bad_credentials, 401),
    ErrorCode.FORBIDDEN: (_forbidden, 403),
    ErrorCode.NOT_FOUND: (_not_found, 404),
    ErrorCode.METHOD_NOT_ALLOWED: (_method_not_allowed, 405),
    ErrorCode.CONFLICT: (_conflict, 409),
    ErrorCode.PAYLOAD_TOO_LARGE: (_payload_too_large, 413),
    ErrorCode.THROTTLED: (_throttled, 429),
    ErrorCode.BAD_REQUEST: (_bad_request, 400),
    ErrorCode.INTERNAL_ERROR: (_internal_error, 500),
}


def test_every_error_code_has_a_trigger_here_or_is_web_only():
    assert set(TRIGGERS) | WEB_ONLY == set(ErrorCode)


def test_every_error_code_is_documented_in_the_readme():
    from app.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    assert [code.value for code in ErrorCode if f"`{code.value}`" not in readme] == []


@pytest.mark.parametrize("code", list(TRIGGERS), ids=str)
def test_each_error_answers_detail_and_its_stable_code(client, cast, alice, assessment,
                                                       indicator_keys, code):
    trigger, status = TRIGGERS[code]
    response = trigger(client, alice, assessment, indicator_keys)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code.value
    detail = body["detail"]
    if isinstance(detail, list):
        assert detail and all(set(item) == {"loc", "msg"} for item in detail)
        assert all(isinstance(item["loc"], list) and item["msg"] for item in detail)
    else:
        assert isinstance(detail, str) and detail


def test_an_unknown_path_is_not_found_in_danish(client, alice):
    response = client.get("/api/v1/no-such-thing", headers=alice)
    assert response.status_code == 404
    assert response.json() == {"detail": "Adressen findes ikke.", "code": "not_found"}


def test_a_wrong_method_keeps_the_allow_header(client, alice):
    response = client.delete("/api/v1/me", headers=alice)
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]


def test_an_english_client_gets_english_errors(client, alice):
    english = alice | {"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"}
    response = client.get("/api/v1/no-such-thing", headers=english)
    assert response.json() == {"detail": "The address does not exist.", "code": "not_found"}


@pytest.mark.parametrize("body, field, message", [
    ({"score": 3, "not_applicable": True, "version": 1}, "__root__",
     "Vælg enten en score eller “ikke relevant”, ikke begge."),
    ({"score": "tre", "version": 1}, "score", "Skal være et helt tal."),
    ({"score": 3, "comment": "x" * 5001, "version": 1}, "comment",
     "Teksten er for lang (højst 5000 tegn)."),
    ({"score": 3}, "version", "Skal udfyldes."),
    ({"score": 9, "version": 1}, "score", "Vælg en score fra 1 til 5."),
])
def test_answer_validation_speaks_one_language_in_one_shape(client, alice, assessment,
                                                            indicator_keys, body, field,
                                                            message):
    response = client.put(
        f"/api/v1/assessments/{assessment['id']}/answers/{indicator_keys[0]}", json=body,
        headers=alice)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    (error,) = response.json()["detail"]
    assert error["loc"][0] == "body"
    assert error["loc"][-1] == field or (field == "__root__" and error["loc"] == ["body"])
    assert error["msg"] == message


def test_a_body_that_is_no_json_is_invalid_naming_the_body(client, alice):
    response = client.post("/api/v1/auth/token", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"][0]["loc"][0] == "body"

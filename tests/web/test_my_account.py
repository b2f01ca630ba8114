"""My account: every logged-in person changes their own name and password."""

import pytest
from sqlmodel import select

from app.auth.passwords import verify_password
from app.models import ApiToken, AuditEntry, User, UserSession
from tests.conftest import PASSWORD, api_token, csrf_from

NEW_PASSWORD = "a brand new passphrase"


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_from(client, "/account"), **data})


def _fresh(session, user) -> User:
    session.expire_all()
    return session.get(User, user.id)


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, repeated=None):
    return _post(client, "/account/password", current_password=current, password=new,
                 password_repeat=new if repeated is None else repeated)


@pytest.mark.parametrize("role", ["member", "advisor", "board", "admin"])
def test_every_role_reaches_its_account_page_from_the_header(login, cast, role):
    client = login(cast.by_role(role))
    home = client.get("/").text
    assert '<a class="account__name" href="/account"' in home
    page = client.get("/account")
    assert page.status_code == 200
    assert "<h1>Min konto</h1>" in page.text
    assert cast.by_role(role).email in page.text


def test_the_page_offers_the_name_email_password_and_login_forms(login, cast):
    page = login(cast.alice).get("/account").text
    for action in ("/account/name", "/account/email", "/account/password"):
        assert f'action="{action}"' in page
    assert 'value="Alice Medlem"' in page
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page


# --- name ------------------------------------------------------------------------------------


def test_a_person_changes_their_name_and_sees_it_saved(login, cast, session):
    client = login(cast.alice)
    response = _post(client, "/account/name", name="  Alice Andersen ")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account?saved=name")
    assert _fresh(session, cast.alice).name == "Alice Andersen"
    page = client.get(response.headers["location"]).text
    assert "Dit navn er gemt." in page
    assert "Alice Andersen" in page.split("</header>")[0]  # the header names them anew


def test_a_name_change_is_in_the_audit_trail_by_the_person_themself(login, cast, session):
    _post(login(cast.alice), "/account/name", name="Alice Andersen")
    entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.user_id == cast.alice.id and entry.entity == "user"
    assert entry.entity_id == str(cast.alice.id)
    assert entry.changes == {"name": ["Alice Medlem", "Alice Andersen"]}


def test_an_empty_name_is_refused_at_the_field_and_nothing_changes(login, cast, session):
    response = _post(login(cast.alice), "/account/name", name="   ")
    assert response.status_code == 422
    assert 'id="name-error">Skal udfyldes.' in response.text
    assert _fresh(session, cast.alice).name == "Alice Medlem"


def test_a_too_long_name_is_refused_and_kept_as_typed(login, cast, session):
    response = _post(login(cast.alice), "/account/name", name="A" * 201)
    assert response.status_code == 422
    assert "højst 200 tegn" in response.text
    assert f'value="{"A" * 201}"' in response.text


# --- password --------------------------------------------------------------------------------


def test_a_person_changes_their_password_with_the_current_one(login, cast, session):
    client = login(cast.alice)
    response = _change_password(client)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200  # this browser stays logged in
    assert "Du er logget ud i alle andre browsere" in page.text
    ok, _ = verify_password(NEW_PASSWORD, _fresh(session, cast.alice).password_hash)
    assert ok


def test_a_wrong_current_password_is_refused_at_its_field(login, cast, session):
    response = _change_password(login(cast.alice), current="not my password")
    assert response.status_code == 422
    assert 'id="password_current_password-error">Det er ikke din nuværende adgangskode.' \
        in response.text
    ok, _ = verify_password(PASSWORD, _fresh(session, cast.alice).password_hash)
    assert ok


def test_the_new_password_follows_the_same_rules_as_the_set_password_page(login, cast,
                                                                        settings):
    client = login(cast.alice)
    short = _change_password(client, new="short")
    assert short.status_code == 422
    assert f"Adgangskoden skal have mindst {settings.password_min_length} tegn." in short.text
    different = _change_password(client, repeated="another long passphrase")
    assert different.status_code == 422
    assert 'id="password_repeat-error">De to adgangskoder er ikke ens.' in different.text


def test_a_refused_password_form_never_shows_the_passwords_again(login, cast):
    response = _change_password(login(cast.alice), current="my secret guess", new="short")
    assert "my secret guess" not in response.text and 'value="short"' not in response.text


def test_changing_the_password_logs_out_the_other_browsers_and_api_tokens(login, cast,
                                                                        session):
    here, elsewhere = login(cast.alice), login(cast.alice)
    headers = api_token(here, cast.alice.email)
    assert _change_password(here).status_code == 303
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").headers["location"].startswith("/login")
    assert here.get("/api/v1/me", headers=headers).status_code == 401
    session.expire_all()
    assert len(session.exec(select(UserSession).where(
        UserSession.user_id == cast.alice.id)).all()) == 1
    assert session.exec(select(ApiToken).where(ApiToken.user_id == cast.alice.id)).all() == []


def test_a_password_change_is_audited_without_the_password(login, cast, session):
    _change_password(login(cast.alice))
    entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "set_password" and entry.user_id == cast.alice.id
    assert NEW_PASSWORD not in str(entry.changes)


def test_the_new_password_logs_in_and_the_old_one_no_longer_does(login, client, cast):
    _change_password(login(cast.alice))
    token = csrf_from(client, "/login")
    old = client.post("/login", data={"email": cast.alice.email, "password": PASSWORD,
                                      "csrf_token": token})
    assert old.status_code == 401
    new = client.post("/login", data={"email": cast.alice.email, "password": NEW_PASSWORD,
                                      "csrf_token": token})
    assert new.status_code == 303


def test_guessing_the_current_password_is_throttled_as_logins_are(login, client, cast,
                                                                 settings):
    account = login(cast.alice)
    for _ in range(settings.login_failure_limit):
        assert _change_password(account, current="a guess").status_code == 422
    throttled = _change_password(account, current=PASSWORD)
    assert throttled.status_code == 429
    assert "For mange mislykkede forsøg" in throttled.text
    # The same count as the login form's: it is throttled too.
    token = csrf_from(client, "/login")
    login_form = client.post("/login", data={"email": cast.alice.email, "password": PASSWORD,
                                             "csrf_token": token})
    assert login_form.status_code == 429

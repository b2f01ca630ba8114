"""The member's self-assessment pages: home, the form with autosave and conflicts, the
plain-form fallback, the supervision report and starting from last year."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models import Action, Answer, Assessment, Cycle, Indicator, Reflection, Requirement
from app.services.answers import save_answer
from app.services.assessments import indicators_in_scope, start_assessment
from app.services.submission import submit
from tests.conftest import csrf_from

HX = {"HX-Request": "true"}


# --- helpers -------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """What a browser without JavaScript would send for the form posting to `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values, self._textarea = action, False, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.values[a["name"]] = a.get("value", "")
        elif self.inside and tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the newline right after <textarea>.
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_values(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    return reader.values


def keys_of(session: Session, assessment_id: int, number: int) -> list[str]:
    assessment = session.get(Assessment, assessment_id)
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.number == number)).one()
    return [i.key for i in indicators_in_scope(session, assessment.catalogue_version_id,
                                               "doegntilbud")
            if i.requirement_id == requirement.id]


def saved(session: Session, assessment_id: int, key: str) -> Answer | None:
    session.expire_all()
    return session.exec(select(Answer).join(Indicator, Indicator.id == Answer.indicator_id)
                        .where(Answer.assessment_id == assessment_id,
                               Indicator.key == key)).first()


def version_of(session: Session, assessment_id: int) -> int:
    session.expire_all()
    return session.get(Assessment, assessment_id).version


def hx_save(client, assessment_id, key, csrf, *, choice="", comment="", version, extra=None,
            headers=HX):
    data = {f"answer.{key}": choice, f"comment.{key}": comment, f"version.{key}": version,
            **(extra or {})}
    return client.post(f"/assessments/{assessment_id}/answers/{key}", data=data,
                       headers={**headers, "X-CSRF-Token": csrf})


class Started:
    def __init__(self, client, assessment_id, csrf):
        self.client, self.id, self.csrf = client, assessment_id, csrf

    def page(self, number=1):
        return self.client.get(f"/assessments/{self.id}/requirements/{number}")


@pytest.fixture
def started(login, cast, open_cycle) -> Started:
    """Alice has started this year's assessment through the home page's button."""
    client = login(cast.alice)
    csrf = csrf_from(client, "/")
    response = client.post("/assessments", data={"csrf_token": csrf, "cycle_id": open_cycle.id})
    assert response.status_code == 303
    return Started(client, int(response.headers["location"].split("/")[2]), csrf)


@pytest.fixture
def colleague(factory, cast):
    """A second person of Alice's organisation, saving through the same services."""
    from app.models.vocabulary import Role

    return factory.user(Role.MEMBER, organisation=cast.org_a, name="Carl Kollega")


def submitted_last_year(session, user, catalogue, score=4, comment="Sidste år"):
    """A submitted assessment of the user's organisation in last year's cycle."""
    now = today()
    cycle = Cycle(year=now.year - 1, catalogue_version_id=catalogue.id,
                  opens_on=now - timedelta(days=400), deadline=now - timedelta(days=300))
    session.add(cycle)
    session.commit()
    assessment, _ = start_assessment(session=session, user=user, cycle_id=cycle.id,
                                     today=cycle.opens_on)
    for indicator in indicators_in_scope(session, catalogue.id, "doegntilbud"):
        assessment, _ = save_answer(session=session, assessment_id=assessment.id,
                                    indicator_key=indicator.key, user=user,
                                    data={"score": score, "comment": comment,
                                          "version": assessment.version})
    return submit(session=session, assessment_id=assessment.id, user=user,
                  version=assessment.version)


# --- home ----------------------------------------------------------------------------------


def test_home_offers_to_start_the_open_cycle_and_counts_the_days_to_the_deadline(
        login, cast, open_cycle):
    page = login(cast.alice).get("/")
    assert page.status_code == 200
    assert "Start selvevalueringen" in page.text
    assert f'name="cycle_id" value="{open_cycle.id}"' in page.text
    assert "30 dage til fristen" in page.text


def test_starting_creates_the_assessment_and_opens_the_first_requirement(started, session):
    assessment = session.get(Assessment, started.id)
    assert assessment.status == "draft"
    page = started.page(1)
    assert page.status_code == 200
    assert "Fordring 1 af 10" in page.text


def test_home_shows_progress_in_requirements_and_a_continue_button(started, session, cast):
    for key in keys_of(session, started.id, 1):
        save_answer(session=session, assessment_id=started.id, indicator_key=key,
                    user=cast.alice, data={"score": 4, "version": version_of(session, started.id)})
    page = started.client.get("/")
    assert "1 af 10 fordringer besvaret" in page.text
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


# --- the requirement page --------------------------------------------------------------------


def test_requirement_page_shows_the_scale_labels_not_relevant_guidance_and_every_step(
        started, session):
    page = started.page(1).text
    key = keys_of(session, started.id, 1)[0]
    assert f'name="answer.{key}" value="5"' in page
    assert "i meget høj grad opfyldt" in page and "Ikke relevant" in page
    assert f'name="version.{key}" value="1"' in page
    assert "Spørgsmål til refleksion" in page and "Eksempler på dokumentation" in page
    for number in range(1, 11):
        assert f'href="/assessments/{started.id}/requirements/{number}"' in page
    assert f'href="/assessments/{started.id}/supervision"' in page
    assert f'href="/assessments/{started.id}/submit"' in page


def test_a_requirement_that_does_not_exist_is_404(started):
    assert started.page(11).status_code == 404


def test_an_htmx_save_answers_with_the_saved_block_and_the_new_version(started, session):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="4",
                       comment="Vi følger op", version=1)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div class="answer answer--saved" id="{key}"')
    assert "Gemt kl." in response.text
    assert "<html" not in response.text
    new_version = version_of(session, started.id)
    assert f'name="version.{key}" value="{new_version}"' in response.text
    assert 'id="assessment-steps"' in response.text and 'hx-swap-oob="true"' in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (4, "Vi følger op")


def test_not_relevant_is_saved_as_not_applicable(started, session):
    key = keys_of(session, started.id, 1)[0]
    assert hx_save(started.client, started.id, key, started.csrf, choice="na",
                   version=1).status_code == 200
    answer = saved(session, started.id, key)
    assert answer.not_applicable and answer.score is None


def test_an_unknown_indicator_is_404(started, session):
    response = hx_save(started.client, started.id, "efk.no-such-indicator", started.csrf,
                       choice="3", version=1)
    assert response.status_code == 404
    assert version_of(session, started.id) == 1


def test_a_save_without_htmx_redirects_back_to_the_indicator(started, session):
    key = keys_of(session, started.id, 1)[0]
    response = hx_save(started.client, started.id, key, started.csrf, choice="3", version=1,
                       headers={})
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/requirements/1#{key}"
    assert saved(session, started.id, key).score == 3


BAD_INPUTS = [
    pytest.param({"choice": "0"}, "Vælg en score fra 1 til 5.", id="score 0"),
    pytest.param({"choice": "6"}, "Vælg en score fra 1 til 5.", id="score 6"),
    pytest.param({"choice": "3.5"}, "Skal være et helt tal.", id="score 3.5"),
    pytest.param({"choice": "tre"}, "Skal være et helt tal.", id="score text"),
    pytest.param({"choice": "2", "comment": "x" * 5001}, "Teksten er for lang", id="long comment"),
]


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
@pytest.mark.parametrize(("bad", "error"), BAD_INPUTS)
def test_a_bad_answer_is_422_with_the_error_at_the_field_and_changes_nothing(
        started, session, bad, error, headers):
    key = keys_of(session, started.id, 1)[0]
    hx_save(started.client, started.id, key, started.csrf, choice="2", comment="Første",
            version=1)
    version = version_of(session, started.id)
    response = hx_save(started.client, started.id, key, started.csrf, version=version,
                       headers=headers, **{"comment": "Rettet tekst", **bad})
    assert response.status_code == 422
    assert error in response.text
    assert 'class="field__error"' in response.text
    assert ("<html" in response.text) == (headers == {})
    typed = bad.get("comment", "Rettet tekst")[:50]
    assert typed in response.text  # what the person typed is shown again
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (2, "Første")
    assert version_of(session, started.id) == version


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_a_stale_save_is_409_showing_both_values_and_overwrites_nothing(
        started, session, colleague, headers):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    response = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1, headers=headers)
    assert response.status_code == 409
    assert "Din version" in response.text and "Gemt af Carl Kollega kl." in response.text
    assert "Alices tekst" in response.text and "Carls tekst" in response.text
    assert "Behold min version" in response.text and "Brug kollegaens version" in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (5, "Carls tekst")


def test_keeping_my_version_after_a_conflict_saves_it(started, session, colleague):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    conflict = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1)
    keep = version_of(session, started.id)
    assert f'name="keep.{key}" value="{keep}"' in conflict.text
    response = hx_save(started.client, started.id, key, started.csrf, choice="2",
                       comment="Alices tekst", version=1, extra={f"keep.{key}": keep})
    assert response.status_code == 200
    assert "Gemt kl." in response.text
    answer = saved(session, started.id, key)
    assert (answer.score, answer.comment) == (2, "Alices tekst")


def test_using_the_colleagues_version_shows_the_saved_value_without_keeping_my_inputs(
        started, session, colleague):
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls tekst", "version": 1})
    response = started.client.get(f"/assessments/{started.id}/answers/{key}", headers=HX)
    assert response.status_code == 200
    assert "Carls tekst" in response.text
    assert "hx-preserve" not in response.text  # the saved value replaces what was typed
    assert f'name="version.{key}" value="{version_of(session, started.id)}"' in response.text
    plain = started.client.get(f"/assessments/{started.id}/answers/{key}")
    assert plain.status_code == 303


def test_a_colleagues_save_of_another_field_is_no_conflict(started, session, colleague):
    first, second = keys_of(session, started.id, 1)[:2]
    save_answer(session=session, assessment_id=started.id, indicator_key=second,
                user=colleague, data={"score": 5, "version": 1})
    response = hx_save(started.client, started.id, first, started.csrf, choice="3", version=1)
    assert response.status_code == 200
    assert saved(session, started.id, first).score == 3
    assert saved(session, started.id, second).score == 5


# --- the plain form (no JavaScript) ----------------------------------------------------------


def _plain_form(started, number=1):
    action = f"/assessments/{started.id}/requirements/{number}"
    return action, form_values(started.page(number).text, action)


def test_the_plain_form_saves_every_changed_answer_and_the_reflection_and_goes_on(
        started, session):
    action, values = _plain_form(started)
    keys = keys_of(session, started.id, 1)
    for n, key in enumerate(keys):
        values[f"answer.{key}"] = str(3 + n % 2)
        values[f"comment.{key}"] = f"Kommentar {n}"
    values["what_works"], values["what_to_improve"] = "Skolesamarbejdet", "Fremmødet"
    response = started.client.post(action, data=values)
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/requirements/2"
    for n, key in enumerate(keys):
        answer = saved(session, started.id, key)
        assert (answer.score, answer.comment) == (3 + n % 2, f"Kommentar {n}")
    reflection = session.exec(select(Reflection)).one()
    assert (reflection.what_works, reflection.what_to_improve) == ("Skolesamarbejdet",
                                                                   "Fremmødet")


def test_the_plain_form_re_renders_errors_and_keeps_everything_typed(started, session):
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    values[f"answer.{first}"], values[f"comment.{first}"] = "6", "For høj"
    values[f"answer.{second}"], values[f"comment.{second}"] = "4", "Fint"
    values["what_works"] = "Noget godt"
    response = started.client.post(action, data=values)
    assert response.status_code == 422
    assert "Vælg en score fra 1 til 5." in response.text
    shown = form_values(response.text, action)
    assert shown[f"comment.{first}"] == "For høj"
    assert shown["what_works"] == "Noget godt"
    assert saved(session, started.id, first) is None
    assert saved(session, started.id, second).score == 4


def test_the_plain_form_leaves_a_field_the_person_did_not_touch_to_the_colleague(
        started, session, colleague):
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    save_answer(session=session, assessment_id=started.id, indicator_key=second,
                user=colleague, data={"score": 5, "comment": "Carls", "version": 1})
    values[f"answer.{first}"] = "3"
    response = started.client.post(action, data=values)
    assert response.status_code == 303
    assert saved(session, started.id, first).score == 3
    assert (saved(session, started.id, second).score, saved(session, started.id, second)
            .comment) == (5, "Carls")


def test_the_plain_form_shows_a_conflict_side_by_side_and_resolves_it(started, session,
                                                                        colleague):
    action, values = _plain_form(started)
    key = keys_of(session, started.id, 1)[0]
    save_answer(session=session, assessment_id=started.id, indicator_key=key, user=colleague,
                data={"score": 5, "comment": "Carls", "version": 1})
    values[f"answer.{key}"], values[f"comment.{key}"] = "2", "Alices"
    response = started.client.post(action, data=values)
    assert response.status_code == 409
    assert "Din version" in response.text and "Carls" in response.text
    assert saved(session, started.id, key).comment == "Carls"
    again = form_values(response.text, action)
    keep = version_of(session, started.id)
    resolved = started.client.post(action, data={**again, f"keep.{key}": str(keep)})
    assert resolved.status_code == 303
    assert resolved.headers["location"].endswith(f"/requirements/1#{key}")
    assert (saved(session, started.id, key).score, saved(session, started.id, key).comment) \
        == (2, "Alices")


# --- reflection, supervision report, last year -------------------------------------------------


def test_a_reflection_autosaves_and_a_stale_one_shows_both_versions(started, session,
                                                                    colleague):
    url = f"/assessments/{started.id}/reflections/1"
    headers = {**HX, "X-CSRF-Token": started.csrf}
    first = started.client.post(url, headers=headers, data={
        "what_works": "Samarbejdet", "what_to_improve": "", "reflection_version": "1"})
    assert first.status_code == 200 and "Gemt kl." in first.text
    seen = form_values(f'<form action="x">{first.text}</form>', "x")["reflection_version"]
    assert seen == str(version_of(session, started.id))
    requirement_key = session.exec(select(Requirement).where(Requirement.number == 1)).one().key
    from app.services.answers import save_reflection

    save_reflection(session=session, assessment_id=started.id, requirement_key=requirement_key,
                    user=colleague, data={"what_works": "Carls ord", "version": int(seen)})
    conflict = started.client.post(url, headers=headers, data={
        "what_works": "Alices ord", "what_to_improve": "", "reflection_version": seen})
    assert conflict.status_code == 409
    assert "Carls ord" in conflict.text and "Alices ord" in conflict.text
    session.expire_all()
    assert session.exec(select(Reflection)).one().what_works == "Carls ord"


def test_the_supervision_report_is_saved_and_leads_on_to_submitting(started, session):
    url = f"/assessments/{started.id}/supervision"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "reported": "yes", "kind": "paabud",
                                              "description": "Påbud om medicinhåndtering"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/assessments/{started.id}/submit"
    session.expire_all()
    assessment = session.get(Assessment, started.id)
    assert assessment.injunction_reported is True
    assert assessment.injunction_kind == "paabud"
    assert assessment.injunction_description == "Påbud om medicinhåndtering"


def test_the_supervision_report_needs_a_yes_or_no(started, session):
    url = f"/assessments/{started.id}/supervision"
    values = form_values(started.client.get(url).text, url)
    response = started.client.post(url, data={**values, "description": "Noget"})
    assert response.status_code == 422
    assert 'id="reported-error"' in response.text
    assert "Noget" in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_reported is None


def test_a_stale_supervision_report_shows_both_versions_and_overwrites_nothing(
        started, session, colleague):
    from app.services.answers import save_injunction

    url = f"/assessments/{started.id}/supervision"
    values = form_values(started.client.get(url).text, url)
    save_injunction(session=session, assessment_id=started.id, user=colleague,
                    data={"reported": True, "kind": "skaerpet_tilsyn",
                          "description": "Carls beskrivelse", "version": 1})
    response = started.client.post(url, data={**values, "reported": "no"})
    assert response.status_code == 409
    assert "Din version" in response.text and "Carls beskrivelse" in response.text
    assert "Skærpet tilsyn" in response.text
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_kind == "skaerpet_tilsyn"
    keep = version_of(session, started.id)
    kept = started.client.post(url, data={**values, "reported": "no", "keep": str(keep)})
    assert kept.status_code == 303
    session.expire_all()
    assert session.get(Assessment, started.id).injunction_reported is False


def test_last_years_answers_are_offered_marked_and_confirmed_one_by_one(
        started, session, cast, catalogue):
    submitted_last_year(session, cast.alice, catalogue, score=4, comment="Fra i fjor")
    assert "Hent sidste års svar" in started.page(1).text
    response = started.client.post(f"/assessments/{started.id}/carry-over",
                                   data={"csrf_token": started.csrf})
    assert response.status_code == 303
    page = started.client.get(response.headers["location"]).text
    assert "Der er hentet" in page
    key = keys_of(session, started.id, 1)[0]
    assert page.count("Fra sidste år – bekræft eller ret") == len(keys_of(session, started.id,
                                                                          1))
    assert saved(session, started.id, key).carried_over
    confirmed = hx_save(started.client, started.id, key, started.csrf, choice="4",
                        comment="Fra i fjor", version=version_of(session, started.id),
                        extra={"confirm": key})
    assert confirmed.status_code == 200
    assert "Fra sidste år" not in confirmed.text.split('id="assessment-steps"')[0]
    assert not saved(session, started.id, key).carried_over


def test_starting_from_last_year_without_a_submission_says_so(started):
    assert "Hent sidste års svar" not in started.page(1).text
    response = started.client.post(f"/assessments/{started.id}/carry-over",
                                   data={"csrf_token": started.csrf})
    assert response.status_code == 422
    assert "Der er ingen indsendt selvevaluering fra et tidligere år." in response.text


def test_the_plain_form_confirms_a_carried_over_answer_only_when_asked(started, session, cast,
                                                                        catalogue):
    submitted_last_year(session, cast.alice, catalogue)
    started.client.post(f"/assessments/{started.id}/carry-over",
                        data={"csrf_token": started.csrf})
    action, values = _plain_form(started)
    first, second = keys_of(session, started.id, 1)[:2]
    response = started.client.post(action, data={**values, "confirm": first})
    assert response.status_code == 303
    assert not saved(session, started.id, first).carried_over
    assert saved(session, started.id, second).carried_over


# --- who may see what ----------------------------------------------------------------------


def test_another_organisations_member_gets_404_on_every_page(started, login, cast, session):
    bob = login(cast.bob)
    csrf = csrf_from(bob, "/")
    key = keys_of(session, started.id, 1)[0]
    base = f"/assessments/{started.id}"
    for path in ("/requirements/1", "/supervision", f"/answers/{key}", "/reflections/1"):
        assert bob.get(base + path).status_code == 404, path
    assert hx_save(bob, started.id, key, csrf, choice="1", version=1).status_code == 404
    assert bob.post(base + "/requirements/1", data={"csrf_token": csrf}).status_code == 404
    assert saved(session, started.id, key) is None


def test_the_board_gets_403(started, login, cast):
    board = login(cast.board)
    assert board.get(f"/assessments/{started.id}/requirements/1").status_code == 403


def test_an_advisor_reads_the_form_without_inputs_and_cannot_save(started, login, cast,
                                                                  session):
    advisor = login(cast.advisor)
    page = advisor.get(f"/assessments/{started.id}/requirements/1")
    assert page.status_code == 200
    assert "<textarea" not in page.text and 'type="radio"' not in page.text
    assert "uden at kunne rette" in page.text
    key = keys_of(session, started.id, 1)[0]
    csrf = csrf_from(advisor, "/")
    assert hx_save(advisor, started.id, key, csrf, choice="1", version=1).status_code == 403

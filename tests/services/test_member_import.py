"""Member import from CSV: the format, every refusal with its line, and all rows or none."""

from pathlib import Path

import pytest
from sqlmodel import select

from app.models import OneTimeLink, Organisation, OutboxMessage, User
from app.models.vocabulary import Region, ServiceType
from app.services import member_import, member_import_values
from app.services.errors import Conflict
from app.services.member_import import ImportRefused, check_members_csv, import_members_csv
from app.web.labels import REGION_LABELS, SERVICE_TYPE_LABELS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "members"
HEADER = "name;cvr;company_name;service_type;region;places;contact_name;contact_email\n"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def problems_of(session, content: bytes) -> list[tuple[int, str]]:
    return [(p.line, p.field) for p in check_members_csv(session=session, content=content).problems]


def test_danish_excel_file_with_bom_semicolons_and_danish_names_is_imported(session, settings):
    summary = import_members_csv(session=session, settings=settings,
                                 content=fixture("excel_semicolon.csv"))
    assert (summary.organisations, summary.users, summary.invited) == (3, 3, 3)
    fjordhuset = session.exec(select(Organisation).where(Organisation.name == "Fjordhuset")).one()
    assert fjordhuset.cvr == "12345678"
    assert fjordhuset.service_type == ServiceType.MIDLERTIDIGT_BOTILBUD
    assert fjordhuset.region == Region.SJAELLAND
    assert fjordhuset.places == 6


def test_comma_separated_file_with_codes_and_quoted_commas_is_imported(session, settings):
    import_members_csv(session=session, settings=settings, content=fixture("codes_comma.csv"))
    bakkely = session.exec(select(Organisation).where(Organisation.name == "Bakkely")).one()
    assert bakkely.company_name == "Bakkely, Solsikken og Co. A/S"
    assert bakkely.service_type == ServiceType.DAGBEHANDLING


def test_contact_becomes_a_member_user_of_the_organisation_with_a_lower_cased_email(
        session, settings):
    import_members_csv(session=session, settings=settings, content=fixture("codes_comma.csv"))
    user = session.exec(select(User).where(User.email == "jesper@bakkely.example")).one()
    bakkely = session.exec(select(Organisation).where(Organisation.name == "Bakkely")).one()
    assert (user.role, user.organisation_id, user.name) == ("member", bakkely.id, "Jesper Larsen")
    assert user.password_hash is None


def test_a_repeated_organisation_row_adds_another_contact_to_the_same_organisation(
        session, settings):
    import_members_csv(session=session, settings=settings, content=fixture("excel_semicolon.csv"))
    egebo = session.exec(select(Organisation).where(Organisation.name == "Egebo Opholdssted")).all()
    assert len(egebo) == 1
    emails = session.exec(select(User.email).where(User.organisation_id == egebo[0].id)).all()
    assert sorted(emails) == ["mette@egebo.example", "soren@egebo.example"]


def test_every_contact_is_sent_an_invitation_link(session, settings):
    import_members_csv(session=session, settings=settings, content=fixture("codes_comma.csv"))
    recipients = session.exec(select(OutboxMessage.recipient)).all()
    assert sorted(recipients) == ["jesper@bakkely.example", "louise@solsikken.example"]
    assert len(session.exec(select(OneTimeLink)).all()) == 2
    body = session.exec(select(OutboxMessage.body)).first()
    assert "http://testserver/invitation/" in body


def test_without_invite_no_mail_is_written(session, settings):
    summary = import_members_csv(session=session, settings=settings,
                                 content=fixture("codes_comma.csv"), invite=False)
    assert summary.invited == 0
    assert session.exec(select(OutboxMessage)).all() == []


def test_a_row_without_contact_creates_only_the_organisation_with_zero_places(
        session, settings):
    import_members_csv(session=session, settings=settings, content=fixture("excel_semicolon.csv"))
    kildebo = session.exec(select(Organisation).where(Organisation.name == "Kildebo")).one()
    assert kildebo.places == 0
    assert kildebo.service_type == ServiceType.KOSTSKOLE
    assert session.exec(select(User).where(User.organisation_id == kildebo.id)).all() == []


def test_every_bad_row_is_reported_with_its_line_and_column(session):
    assert problems_of(session, fixture("bad_rows.csv")) == [
        (2, "cvr"), (3, "service_type"), (4, "region"), (5, "name"), (6, "places"),
        (7, "contact_email"), (8, "contact_email")]


def test_reasons_name_the_bad_value(session):
    texts = [str(p) for p in check_members_csv(session=session,
                                               content=fixture("bad_rows.csv")).problems]
    assert "LINE 2: cvr: CVR-nummeret skal være 8 cifre (ikke »1234567«)." in texts
    assert "LINE 7: contact_email: E-mailen står også i linje 2." in texts
    assert "LINE 8: contact_email: »not-an-email« er ikke en gyldig e-mailadresse." in texts


def test_a_file_with_one_bad_row_imports_nothing(session, settings):
    with pytest.raises(ImportRefused) as refused:
        import_members_csv(session=session, settings=settings, content=fixture("bad_rows.csv"))
    assert len(refused.value.problems) == 7
    assert session.exec(select(Organisation)).all() == []
    assert session.exec(select(User)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []


def test_email_of_an_existing_user_is_refused(session, factory):
    factory.user(email="jesper@bakkely.example")
    assert problems_of(session, fixture("codes_comma.csv")) == [(2, "contact_email")]


def test_an_organisation_already_stored_with_the_same_name_and_cvr_is_refused(session, factory):
    factory.organisation(name="SOLSIKKEN", cvr="11223344")
    assert problems_of(session, fixture("codes_comma.csv")) == [(3, "name")]


def test_another_department_under_the_same_cvr_is_welcome(session, factory):
    factory.organisation(name="Et andet tilbud", cvr="11223344")
    assert problems_of(session, fixture("codes_comma.csv")) == []


def test_the_same_organisation_with_different_values_is_refused(session):
    content = csv_bytes("Egebo;12345678;;døgntilbud;Midtjylland;12;;",
                        "Egebo;12345678;;døgntilbud;Midtjylland;14;A;a@x.example")
    assert problems_of(session, content) == [(3, "name")]


def test_missing_and_unknown_columns_are_reported_on_line_one(session):
    assert problems_of(session, fixture("missing_columns.csv")) == [
        (1, "farve"), (1, "cvr"), (1, "region")]


def test_a_file_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte(session):
    problems = check_members_csv(session=session, content=fixture("latin1.csv")).problems
    assert [(p.line, p.field) for p in problems] == [(2, "file")]
    assert "UTF-8" in problems[0].text()


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n", HEADER.encode()])
def test_a_file_without_member_rows_is_refused(session, content):
    assert problems_of(session, content) == [(1, "file")]


def test_line_numbers_are_the_files_own_despite_blank_lines_and_multi_line_cells(session):
    content = csv_bytes('"Egebo\nHus";12345678;;døgntilbud;Midtjylland;12;;', "",
                        ";;;;;;;", "Bakkely;123;;døgntilbud;Midtjylland;12;;")
    assert problems_of(session, content) == [(6, "cvr")]


def test_a_row_with_more_values_than_columns_is_refused(session):
    content = csv_bytes("Egebo;12345678;;døgntilbud;Midtjylland;12;;;extra")
    assert problems_of(session, content) == [(2, "file")]


def test_cvr_with_spaces_or_a_dk_prefix_is_accepted(session):
    content = csv_bytes("A;12 34 56 78;;døgntilbud;Midtjylland;1;;",
                        "B;DK12345678;;døgntilbud;Midtjylland;1;;")
    checked = check_members_csv(session=session, content=content)
    assert checked.problems == []
    assert [row.organisation.cvr for row in checked.rows] == ["12345678", "12345678"]


@pytest.mark.parametrize("places", ["-1", "10001", "2,5", "12 pladser"])
def test_places_must_be_a_whole_number_from_0_to_10000(session, places):
    content = csv_bytes(f"A;12345678;;døgntilbud;Midtjylland;{places};;")
    assert problems_of(session, content) == [(2, "places")]


def test_a_contact_needs_both_name_and_email(session):
    content = csv_bytes("A;12345678;;døgntilbud;Midtjylland;1;Ida;",
                        "B;12345678;;døgntilbud;Midtjylland;1;;b@x.example")
    assert problems_of(session, content) == [(2, "contact_email"), (3, "contact_name")]


@pytest.mark.parametrize("code, label", list(SERVICE_TYPE_LABELS.items()))
def test_every_service_type_is_accepted_by_code_and_by_its_danish_label(code, label):
    assert member_import_values.service_type_code(code.value) == code
    assert member_import_values.service_type_code(label.upper()) == code


@pytest.mark.parametrize("code, label", list(REGION_LABELS.items()))
def test_every_region_is_accepted_by_code_label_and_with_region_in_front(code, label):
    assert member_import_values.region_code(code.value) == code
    assert member_import_values.region_code(f"Region {label}") == code


@pytest.mark.parametrize("text", ["sjaelland", "SJÆLLAND", " Region  Sjælland "])
def test_region_spellings_without_danish_letters_or_case_are_accepted(text):
    assert member_import_values.region_code(text) == Region.SJAELLAND


def test_paragraph_references_name_the_service_type(session):
    assert member_import_values.service_type_code("§107") == ServiceType.MIDLERTIDIGT_BOTILBUD
    assert member_import_values.service_type_code("§ 85") == ServiceType.SOCIALPAEDAGOGISK_STOETTE


def test_a_file_over_the_row_limit_is_refused_at_the_first_row_too_many(session, monkeypatch):
    monkeypatch.setattr(member_import, "MAX_ROWS", 2)
    content = csv_bytes(*[f"T{n};12345678;;døgntilbud;Midtjylland;1;;" for n in range(3)])
    assert problems_of(session, content) == [(4, "file")]


def test_a_clash_found_only_when_storing_leaves_nothing_behind(session, settings, factory,
                                                             monkeypatch):
    # Someone creates the same user between the check and the commit.
    factory.user(email="louise@solsikken.example")
    monkeypatch.setattr(member_import, "_clashes_with_database", lambda *args: [])
    with pytest.raises(Conflict):
        import_members_csv(session=session, settings=settings, content=fixture("codes_comma.csv"))
    names = session.exec(select(Organisation.name)).all()
    assert "Bakkely" not in names
    assert session.exec(select(OutboxMessage)).all() == []


# --- the command line: `etik members import FILE.csv` ------------------------------------


@pytest.fixture
def run_cli(database_url, tmp_path, monkeypatch, engine):
    from typer.testing import CliRunner

    from app.cli import cli
    from app.config import get_settings

    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ETIK_SMTP_HOST", "")
    get_settings.cache_clear()  # the command reads the settings from this environment
    yield lambda *args: CliRunner().invoke(cli, ["members", "import", *args])
    get_settings.cache_clear()


def test_command_imports_a_good_file_and_says_what_it_did(run_cli, session):
    result = run_cli(str(FIXTURES / "codes_comma.csv"))
    assert result.exit_code == 0, result.output
    assert "Imported 2 organisations and 2 users; 2 invitations sent." in result.stdout
    assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_command_reports_each_bad_row_on_stderr_and_exits_1(run_cli, session):
    result = run_cli(str(FIXTURES / "bad_rows.csv"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "LINE 2: cvr: CVR-nummeret skal være 8 cifre (ikke »1234567«)."
    assert [line.split(":")[0:2] for line in lines] == [
        ["LINE 2", " cvr"], ["LINE 3", " service_type"], ["LINE 4", " region"],
        ["LINE 5", " name"], ["LINE 6", " places"], ["LINE 7", " contact_email"],
        ["LINE 8", " contact_email"]]
    assert session.exec(select(Organisation)).all() == []


def test_command_dry_run_checks_without_writing(run_cli, session):
    result = run_cli("--dry-run", str(FIXTURES / "excel_semicolon.csv"))
    assert result.exit_code == 0, result.output
    assert "3 organisations and 3 users would be imported" in result.stdout
    assert session.exec(select(Organisation)).all() == []


def test_command_refuses_a_missing_file(run_cli, tmp_path):
    result = run_cli(str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "nope.csv" in result.stderr

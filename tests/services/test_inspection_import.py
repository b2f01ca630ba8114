"""Inspection scores from CSV: the form's rules on every row, each refusal at its line and
column, and all rows or none."""

from datetime import date

import pytest
from sqlmodel import select

from app.models import AuditEntry, Inspection, InspectionSanction
from app.services.inspection_import import (
    ImportRefused,
    check_inspections_csv,
    import_inspections_csv,
)
from app.services.inspections import list_inspections, record_inspection

TODAY = date(2026, 6, 15)
HEADER = ("cvr;name;visited_on;authority;kind;framework_version;uddannelse_beskaeftigelse;"
          "sundhed_trivsel;kompetencer;sanction;sanction_description;sanction_deadline\n")
THEME_4, THEME_6 = "km.tema.sundhed-trivsel", "km.tema.kompetencer"


@pytest.fixture
def members(factory, catalogue):
    """Two services of one company (one CVR) and a member of its own."""
    return {"egebo": factory.organisation(name="Egebo Opholdssted", cvr="12345678"),
            "fjord": factory.organisation(name="Fjordhuset", cvr="12345678"),
            "kilde": factory.organisation(name="Kildebo Kostskole", cvr="87654321")}


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def _inspection_entries(session) -> list[AuditEntry]:
    return session.exec(select(AuditEntry).where(AuditEntry.entity == "inspection")).all()


def problems_of(session, content: bytes) -> list[tuple[int, str]]:
    check = check_inspections_csv(session=session, content=content, today=TODAY)
    return [(p.line, p.field) for p in check.problems]


GOOD = csv_bytes(
    "12345678;Egebo Opholdssted;12-09-2024;Socialtilsyn Midt;Anmeldt;2017;2,5;3,2;4;påbud;"
    "Magtanvendelser skal indberettes.;15-12-2024",
    "12345678;Egebo Opholdssted;12-09-2024;Socialtilsyn Midt;Anmeldt;2017;2,5;3,2;4;"
    "skærpet tilsyn;Skærpet tilsyn i tre måneder.;",
    "DK 8765 4321;;2025-11-20;nord;desk;2025;;4,5;3.9;;;")


def test_a_good_file_saves_each_inspection_with_its_scores_and_sanctions(session, members,
                                                                        cast):
    summary = import_inspections_csv(session=session, content=GOOD, today=TODAY,
                                     user=cast.admin)
    assert (summary.inspections, summary.members, summary.sanctions) == (2, 2, 2)
    [egebo] = list_inspections(session=session, user=cast.admin,
                               organisation_id=members["egebo"].id)
    assert egebo.inspection.visited_on == date(2024, 9, 12)
    assert (egebo.inspection.authority, egebo.inspection.visit_kind) == ("midt", "announced")
    assert egebo.themes == {"km.tema.uddannelse-beskaeftigelse": 2.5, THEME_4: 3.2,
                            THEME_6: 4.0}
    assert [(s.kind, s.deadline) for s in egebo.sanctions] == [
        ("paabud", date(2024, 12, 15)), ("skaerpet_tilsyn", None)]
    [kilde] = list_inspections(session=session, user=cast.admin,
                               organisation_id=members["kilde"].id)
    assert (kilde.framework_version, kilde.themes) == ("2025", {THEME_4: 4.5, THEME_6: 3.9})
    assert list_inspections(session=session, user=cast.admin,
                            organisation_id=members["fjord"].id) == []


def test_each_imported_inspection_is_audited_as_imported_by_the_admin(session, members, cast):
    import_inspections_csv(session=session, content=GOOD, today=TODAY, user=cast.admin)
    entries = _inspection_entries(session)
    assert sorted(e.organisation_id for e in entries) == sorted(
        [members["egebo"].id, members["kilde"].id])
    assert {(e.action, e.user_id) for e in entries} == {("import", cast.admin.id)}
    egebo = next(e for e in entries if e.organisation_id == members["egebo"].id)
    assert egebo.changes["scores"][1][THEME_4] == 3.2
    assert len(egebo.changes["sanctions"][1]) == 2


def test_checking_a_good_file_saves_nothing(session, members):
    check = check_inspections_csv(session=session, content=GOOD, today=TODAY)
    assert check.ok and len(check.rows) == 2 and check.sanction_count == 2
    assert [row.line for row in check.rows] == [2, 4]
    assert session.exec(select(Inspection)).all() == []
    assert _inspection_entries(session) == []


def test_one_bad_row_saves_none_of_the_good_ones(session, members):
    content = GOOD + b"99999999;;01-03-2025;nord;desk;2025;;4;4;;;\n"
    with pytest.raises(ImportRefused) as refused:
        import_inspections_csv(session=session, content=content, today=TODAY)
    assert [(p.line, p.field) for p in refused.value.problems] == [(5, "cvr")]
    assert session.exec(select(Inspection)).all() == []
    assert session.exec(select(InspectionSanction)).all() == []
    assert _inspection_entries(session) == []


def test_every_bad_row_is_told_by_line_and_column(session, members):
    content = csv_bytes(
        "99999999;;01-03-2025;nord;desk;2025;;4;4;;;",  # 2: no member has the CVR
        "1234567;;01-03-2025;nord;desk;2025;;4;4;;;",  # 3: not 8 digits
        "87654321;;01-03-2025;nord;desk;2025;;7;4;;;",  # 4: a score above 5
        "87654321;;02-03-2025;nord;desk;2025;;god;4;;;",  # 5: not a number
        "87654321;;31-02-2025;nord;desk;2025;;4;4;;;",  # 6: no such day
        "87654321;;01-07-2026;nord;desk;2025;;4;4;;;",  # 7: after today
        "87654321;;01-03-2013;nord;desk;2017;;4;4;;;",  # 8: before Socialtilsynet
        "87654321;;03-03-2025;nord;desk;2025;3;4;;;;",  # 9: theme 1 is not in the 2025 model
        "87654321;;04-03-2025;nord;desk;2025;;4;;påbud;Magtanvendelse;",  # 10: no deadline
        "87654321;;05-03-2025;Jylland;besøg;2025;;4;;bøde;Penge;",  # 11: three unknown names
        "87654321;;06-03-2025;nord;desk;2030;;4;;;;",  # 12: no such model version
        "12345678;;07-03-2025;nord;desk;2025;;4;;;;",  # 13: two members have the CVR
        "12345678;Bakkely;07-03-2025;nord;desk;2025;;4;;;;",  # 14: neither is called that
        "87654321;;08-03-2025;nord;desk;2025;;;;;;",  # 15: no score at all
    )
    assert problems_of(session, content) == [
        (2, "cvr"), (3, "cvr"), (4, "sundhed_trivsel"), (5, "sundhed_trivsel"),
        (6, "visited_on"), (7, "visited_on"), (8, "visited_on"),
        (9, "uddannelse_beskaeftigelse"), (10, "sanction_deadline"), (11, "authority"),
        (11, "kind"), (11, "sanction"), (12, "framework_version"), (13, "name"),
        (14, "name"), (15, "themes")]


def test_the_messages_say_what_is_wrong_in_the_rows_own_terms(session, members):
    content = csv_bytes("99999999;;01-03-2025;nord;desk;2025;;4;4;;;",
                        "87654321;;31-02-2025;nord;desk;2025;;4;4;;;",
                        "87654321;;03-03-2025;nord;desk;2025;3;4;;;;",
                        "87654321;;04-03-2025;nord;desk;2025;;4;;påbud;Magtanvendelse;",
                        "12345678;;07-03-2025;nord;desk;2025;;4;;;;")
    check = check_inspections_csv(session=session, content=content, today=TODAY)
    assert [p.text() for p in check.problems] == [
        "Intet medlem har CVR-nummeret 99999999.",
        "Skriv datoen som 15-03-2025 eller 2025-03-15 (ikke »31-02-2025«).",
        "Temaet km.tema.uddannelse-beskaeftigelse findes ikke i kvalitetsmodellen 2025.",
        "Skriv fristen for påbuddet.",
        "CVR-nummeret 12345678 har flere medlemmer: Egebo Opholdssted, Fjordhuset. Skriv "
        "tilbuddets navn i kolonnen name."]


def test_a_row_with_an_unknown_member_still_has_its_other_problems_told(session, members):
    assert problems_of(session, csv_bytes("99999999;;01-03-2025;nord;desk;2025;;9;4;;;")) == [
        (2, "cvr"), (2, "sundhed_trivsel")]


def test_an_unknown_theme_column_is_refused_at_the_header(session, members):
    content = csv_bytes("87654321;;01-03-2025;nord;desk;2025;4",
                        header="cvr;visited_on;authority;kind;framework_version;okonomi\n")
    check = check_inspections_csv(session=session, content=content, today=TODAY)
    assert [(p.line, p.field) for p in check.problems] == [(1, "okonomi")]
    assert "Ukendt kolonne" in check.problems[0].text()


def test_theme_columns_may_be_named_by_the_themes_id_or_title(session, members, cast):
    content = csv_bytes("87654321;01-03-2025;nord;desk;2025;4,1;3,3",
                        header="CVR;Dato;Tilsyn;Type;Kvalitetsmodel;Sundhed og trivsel;"
                               "km.tema.kompetencer\n")
    import_inspections_csv(session=session, content=content, today=TODAY)
    [saved] = list_inspections(session=session, user=cast.admin,
                               organisation_id=members["kilde"].id)
    assert saved.themes == {THEME_4: 4.1, THEME_6: 3.3}


def test_a_repeated_row_that_differs_is_refused_and_one_without_a_sanction_too(session,
                                                                               members):
    row = "87654321;;01-03-2025;nord;desk;2025;;4;4;påbud;Magtanvendelse;01-06-2025"
    content = csv_bytes(row, row.replace(";4;4;", ";4;3;"),
                        "87654321;;01-03-2025;nord;desk;2025;;4;4;;;")
    assert problems_of(session, content) == [(3, "visited_on"), (4, "visited_on")]


def test_an_inspection_already_recorded_on_that_date_is_refused(session, members, cast):
    record_inspection(session=session, user=None, organisation_id=members["kilde"].id,
                      today=TODAY, data={"visited_on": date(2025, 11, 20), "authority": "nord",
                                         "kind": "desk", "framework_version": "2025",
                                         "themes": [{"theme_id": THEME_4, "score": 4.5}]})
    with pytest.raises(ImportRefused) as refused:
        import_inspections_csv(session=session, content=GOOD, today=TODAY, user=cast.admin)
    assert [(p.line, p.field) for p in refused.value.problems] == [(4, "visited_on")]
    assert len(session.exec(select(Inspection)).all()) == 1


def test_another_role_may_not_import(session, members, cast):
    from app.services.errors import Forbidden

    with pytest.raises(Forbidden):
        import_inspections_csv(session=session, content=GOOD, today=TODAY, user=cast.advisor)
    assert session.exec(select(Inspection)).all() == []


@pytest.fixture
def run_cli(database_url, tmp_path, monkeypatch, engine):
    from typer.testing import CliRunner

    from app.cli import cli
    from app.config import get_settings

    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()

    def run(*args: str, content: bytes):
        path = tmp_path / "tilsyn.csv"
        path.write_bytes(content)
        return CliRunner().invoke(cli, ["inspections", "import", *args, str(path)])

    yield run
    get_settings.cache_clear()


def test_command_imports_a_good_file_and_says_what_it_did(run_cli, session, members):
    result = run_cli(content=GOOD)
    assert result.exit_code == 0, result.output
    assert "Imported 2 inspections of 2 members, with 2 sanctions." in result.stdout
    entries = _inspection_entries(session)
    assert [(e.action, e.user_id) for e in entries] == [("import", None)] * 2


def test_command_reports_each_bad_row_on_stderr_and_saves_nothing(run_cli, session, members):
    result = run_cli(content=GOOD + b"99999999;;01-03-2025;nord;desk;2025;;4;4;;;\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "LINE 5: cvr: Intet medlem har CVR-nummeret 99999999."]
    assert session.exec(select(Inspection)).all() == []


def test_command_dry_run_checks_without_writing(run_cli, session, members):
    result = run_cli("--dry-run", content=GOOD)
    assert result.exit_code == 0, result.output
    assert "2 inspections of 2 members would be imported" in result.stdout
    assert session.exec(select(Inspection)).all() == []

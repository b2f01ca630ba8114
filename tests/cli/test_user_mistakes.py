"""A user's mistake ends `etik` with one line on stderr that names what is wrong, never a
traceback: exit 1, or exit 2 for a bad option as Typer does."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.config import PROJECT_ROOT, get_settings
from app.models import User
from tests.conftest import make_organisation

ETIK = Path(sys.executable).parent / "etik"
PASSWORD = "a-long-enough-password\n"


@pytest.fixture
def etik(monkeypatch, tmp_path):
    """Runs `etik` in a clean environment (no ETIK_* from outside, no .env) on a SQLite file
    in tmp_path; a test sets what it needs with monkeypatch.setenv before calling it."""
    for name in list(os.environ):
        if name.startswith("ETIK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ETIK_DATABASE_URL", f"sqlite:///{tmp_path / 'etik.db'}")
    runner = CliRunner()

    def _run(*args: str, input: str | None = None):
        get_settings.cache_clear()
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    yield _run
    get_settings.cache_clear()


@pytest.fixture
def etik_on_database(etik, monkeypatch, database_url, engine):
    """`etik` on the migrated test database."""
    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    return etik


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def assert_one_line_error(result, exit_code: int = 1) -> str:
    assert "Traceback" not in result.output
    assert result.exit_code == exit_code, result.output
    return one_line(result.stderr)


# --- arguments ---------------------------------------------------------------------------


def test_an_unknown_role_is_a_usage_error_that_lists_the_roles(etik_on_database):
    result = etik_on_database("user", "add", "x@example.org", "--role", "wizard",
                              input=PASSWORD)
    assert "Traceback" not in result.output
    assert result.exit_code == 2
    message = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stderr).split())
    assert "Invalid value for '--role'" in message
    assert "'wizard' is not one of 'member', 'advisor', 'board', 'admin'" in message


def test_a_bad_email_names_the_email(etik_on_database, session):
    result = etik_on_database("user", "add", "not-an-email", "--role", "admin",
                              input=PASSWORD)
    assert "email: " in assert_one_line_error(result)
    assert session.exec(select(User)).all() == []


def test_a_domain_rule_prints_its_text_and_the_field(etik_on_database):
    result = etik_on_database("user", "add", "x@example.org", "--role", "admin", input="short\n")
    line = assert_one_line_error(result)
    assert line.startswith("Adgangskoden blev ikke gemt. password: ")


def test_an_unknown_organisation_names_the_org_option(etik_on_database):
    result = etik_on_database("user", "add", "m@example.org", "--role", "member",
                              "--org", "99999999", input=PASSWORD)
    assert "org: Ingen aktive tilbud har dette CVR-nummer." in assert_one_line_error(result)


def test_a_member_is_created_in_the_organisation_of_its_cvr(etik_on_database, session):
    organisation = make_organisation(session)
    result = etik_on_database("user", "add", "m@example.org", "--role", "member",
                              "--org", organisation.cvr, input=PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created m@example.org (member).\n"
    user = session.exec(select(User).where(User.email == "m@example.org")).one()
    assert user.organisation_id == organisation.id


# --- files -------------------------------------------------------------------------------


def test_members_import_of_a_missing_file(etik):
    result = etik("members", "import", "nofile.csv")
    assert assert_one_line_error(result) == "nofile.csv: No such file or directory"


def test_restore_of_a_missing_file(etik):
    result = etik("restore", "nofile")
    assert "nofile" in assert_one_line_error(result)


def test_catalogue_validate_of_a_missing_file_is_one_problem_line(etik):
    result = etik("catalogue", "validate", "nofile")
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    # Problems go to stdout in the FILE:LINE: FIELD: message form (the contract).
    assert one_line(result.stdout).startswith("nofile:1: ")


# --- the database ------------------------------------------------------------------------


def test_an_unreachable_database_names_the_setting_without_its_password(etik, monkeypatch):
    monkeypatch.setenv("ETIK_DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/x")
    line = assert_one_line_error(etik("db", "upgrade"))
    assert line.startswith("Database error (ETIK_DATABASE_URL=postgresql+psycopg://nobody:***@")
    assert "Connection refused" in line
    assert "secret" not in line


def test_a_sqlite_file_in_a_missing_folder(etik, monkeypatch, tmp_path):
    folder = tmp_path / "missing"
    monkeypatch.setenv("ETIK_DATABASE_URL", f"sqlite:///{folder / 'etik.db'}")
    line = assert_one_line_error(etik("db", "upgrade"))
    assert "unable to open database file" in line
    assert f"does the folder {folder} exist" in line


def test_a_relative_sqlite_path_whose_folder_cannot_be_created(etik, monkeypatch, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    relative = os.path.relpath(a_file / "sub" / "etik.db", PROJECT_ROOT)
    monkeypatch.setenv("ETIK_DATABASE_URL", f"sqlite:///{relative}")
    line = assert_one_line_error(etik("db", "upgrade"))
    assert line.startswith("ETIK_DATABASE_URL: cannot create the folder ")


def test_a_database_url_that_does_not_parse(etik, monkeypatch):
    monkeypatch.setenv("ETIK_DATABASE_URL", "not a url")
    line = assert_one_line_error(etik("db", "upgrade"))
    assert line.startswith("Invalid setting (environment or .env): ETIK_DATABASE_URL: ")


# --- settings ----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("serve",), ("user", "add", "x@example.org", "--role",
                                               "admin")])
def test_production_without_a_secret_key(etik, monkeypatch, args):
    monkeypatch.setenv("ETIK_ENV", "production")
    line = assert_one_line_error(etik(*args, input=PASSWORD))
    assert line == ("Invalid setting (environment or .env): "
                    "ETIK_SECRET_KEY must be set when ETIK_ENV=production")


def test_a_bad_setting_value_names_the_variable(etik, monkeypatch):
    monkeypatch.setenv("ETIK_SMTP_PORT", "abc")
    line = assert_one_line_error(etik("db", "upgrade"))
    assert line.startswith("Invalid setting (environment or .env): ETIK_SMTP_PORT: ")
    assert "integer" in line


def test_the_installed_command_prints_one_line_too(tmp_path):
    """The console script itself, where Typer would otherwise print its pretty traceback."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ETIK_")}
    env |= {"ETIK_ENV": "production", "ETIK_VAR_DIR": str(tmp_path)}
    result = subprocess.run([ETIK, "serve"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert one_line(result.stderr).endswith("ETIK_SECRET_KEY must be set when ETIK_ENV=production")

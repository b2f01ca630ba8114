"""`etik catalogue validate` and `etik catalogue load`, as a person at a terminal runs them."""

import re
import shutil

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from app.cli import cli
from app.config import PROJECT_ROOT, get_settings
from app.models import CatalogueVersion

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "catalogue"
PROBLEM_LINE = re.compile(r"^\S+\.yaml:\d+: \S+: .+$")


@pytest.fixture
def run(monkeypatch, database_url, engine, tmp_path):
    """Runs the command line against the test database and a copy of catalogue/."""
    root = tmp_path / "catalogue"
    shutil.copytree(PROJECT_ROOT / "catalogue", root)
    monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
    monkeypatch.setenv("ETIK_CATALOGUE_DIR", str(root))
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    runner = CliRunner()

    def _run(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    _run.root = root
    yield _run
    get_settings.cache_clear()


def test_validate_passes_on_the_shipped_catalogues(run):
    result = run("catalogue", "validate")
    assert result.exit_code == 0, result.output


def test_validate_prints_one_line_per_problem_and_exits_1(run):
    result = run("catalogue", "validate", str(FIXTURES / "several-problems"))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 2
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert "Traceback" not in result.output


def test_validate_reports_a_yaml_syntax_error_with_its_line(run):
    result = run("catalogue", "validate", str(FIXTURES / "yaml-syntax" / "2024.yaml"))
    assert result.exit_code == 1
    assert re.search(r"2024\.yaml:\d+: ", result.stdout)


def test_load_stores_the_versions_once_and_then_reports_them_unchanged(run, session):
    first = run("catalogue", "load")
    assert first.exit_code == 0, first.output
    assert "los-etisk-forventningskatalog 2023: loaded" in first.stdout
    second = run("catalogue", "load")
    assert second.exit_code == 0
    assert "los-etisk-forventningskatalog 2023: unchanged" in second.stdout
    assert len(session.exec(select(CatalogueVersion)).all()) == 3


def test_load_refuses_a_changed_version_with_a_message_to_publish_a_new_one(run, session):
    assert run("catalogue", "load").exit_code == 0
    path = run.root / "los-etisk-forventningskatalog" / "2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "i lav grad opfyldt", "i ringe grad opfyldt", 1), encoding="utf-8")
    result = run("catalogue", "load")
    assert result.exit_code == 1
    assert "publish the change as a new version" in result.stderr
    assert "Nothing was loaded." in result.stderr

"""`etik backup` and `etik restore`: one summary line, warnings in it, exit 1 with the reason."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.db import metadata
from tests.services.backup_setup import everything, files_in, stored_evidence


@pytest.fixture
def run(monkeypatch, evidence_dir):
    """Runs `etik` against the database given as ETIK_DATABASE_URL, with the var folder
    holding `evidence_dir` unless another is given."""
    runner = CliRunner()

    def _run(database_url: str, *args: str, var_dir: Path = evidence_dir.parent):
        monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
        monkeypatch.setenv("ETIK_VAR_DIR", str(var_dir))
        get_settings.cache_clear()
        return runner.invoke(cli, list(args), catch_exceptions=False)

    yield _run
    get_settings.cache_clear()


def test_backup_and_restore_commands_copy_the_database_and_print_one_summary_line(
        run, database_url, engine, filled, target, target_url, evidence_dir, restored_dir,
        tmp_path):
    path = str(tmp_path / "etik.jsonl.gz")
    tables = len(metadata.sorted_tables)

    backed_up = run(database_url, "backup", path)
    restored = run(target_url, "restore", path, var_dir=restored_dir.parent)

    assert backed_up.exit_code == 0, backed_up.output
    assert backed_up.stdout.startswith(f"Backed up {tables} tables, ")
    assert "3 evidence files (1.0 MB)" in backed_up.stdout
    assert len(backed_up.stdout.splitlines()) == 1
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"Restored {tables} tables, ")
    assert "3 evidence files (1.0 MB)" in restored.stdout
    assert everything(target) == everything(engine)
    assert files_in(restored_dir) == files_in(evidence_dir)


def test_backup_command_warns_of_a_missing_file_in_its_one_line(
        run, database_url, engine, filled, evidence_dir, tmp_path):
    evidence_id, key = stored_evidence(engine, "politik.pdf")
    (evidence_dir / key).unlink()

    result = run(database_url, "backup", str(tmp_path / "etik.jsonl.gz"))

    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    assert "2 evidence files (" in result.stdout
    assert "Warning: 1 evidence file was missing on disk" in result.stdout
    assert f"(evidence {evidence_id})" in result.stdout


def test_restore_command_into_a_used_database_exits_1_with_the_reason(
        run, database_url, engine, filled, tmp_path):
    path = str(tmp_path / "etik.jsonl.gz")
    run(database_url, "backup", path)

    result = run(database_url, "restore", path)

    assert result.exit_code == 1
    assert "the database is not empty" in result.stderr
    assert "Traceback" not in result.output

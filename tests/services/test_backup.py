"""Backup and restore: a complete, consistent copy, refused unless it can be restored whole."""

import gzip
import hashlib
import json
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import alembic_config, cli
from app.config import PROJECT_ROOT, get_settings
from app.db import create_db_engine, metadata
from app.models import (
    Action,
    Answer,
    ApiToken,
    Assessment,
    AssessmentRevision,
    CatalogueVersion,
    Cycle,
    Evidence,
    Indicator,
    LoginAttempt,
    OneTimeLink,
    Organisation,
    OutboxMessage,
    Reflection,
    Requirement,
    RequirementScore,
    UserSession,
)
from app.models.vocabulary import Role
from app.services import backup as backup_service
from app.services.backup import BackupError, backup_database, restore_database
from app.services.backup_format import read_rows
from app.services.catalogue_loading import load_catalogues

MOMENT = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
# Over one chunk of the backup's files section, with every byte value.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(10)


# --- a second, empty database to restore into -------------------------------------------------


def _ensure_postgres_database(url: sa.URL) -> None:
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": url.database}).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()


@pytest.fixture(scope="session")
def target_url(database_url, tmp_path_factory) -> str:
    """SQLite: a file of its own. PostgreSQL: the test database's name with a "b" appended."""
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{tmp_path_factory.mktemp('restore') / 'etik-restore.db'}"
    url = make_url(database_url)
    url = url.set(database=f"{url.database}b")
    _ensure_postgres_database(url)
    return url.render_as_string(hide_password=False)


def _empty(engine: sa.Engine) -> None:
    """No rows, and on PostgreSQL the id sequences back at 1, as in a new database."""
    tables = reversed(metadata.sorted_tables)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def target(target_url):
    """The restore target: migrated to head and empty, before and after every test."""
    config = alembic_config(target_url)
    engine = create_db_engine(target_url)
    command.upgrade(config, "head")
    _empty(engine)
    yield engine
    command.upgrade(config, "head")  # after a test that went down a revision
    _empty(engine)
    engine.dispose()


# --- evidence folders -------------------------------------------------------------------------


@pytest.fixture
def evidence_dir(tmp_path) -> Path:
    """The backed-up app's evidence folder: where `etik` looks with ETIK_VAR_DIR=tmp_path/var."""
    return tmp_path / "var" / "evidence"


@pytest.fixture
def restored_dir(tmp_path) -> Path:
    """The restore target's evidence folder; it does not exist before the restore."""
    return tmp_path / "restored" / "evidence"


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file in the folder, temporary ones too, by name."""
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.exists() else {}


def stored_file(evidence_dir: Path, content: bytes, **fields) -> Evidence:
    """An evidence row of kind "file" and its file, as app.services.evidence stores them."""
    key = secrets.token_hex(16)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    (evidence_dir / key).write_bytes(content)
    return Evidence(kind="file", storage_key=key, size_bytes=len(content), **fields)


# --- data in every table ----------------------------------------------------------------------


@pytest.fixture
def filled(session, factory, evidence_dir):
    """A row (or more) in every table, with awkward values: zones, microseconds, unicode;
    and two evidence files."""
    assert load_catalogues(session=session, root=PROJECT_ROOT / "catalogue").ok
    catalogue = session.exec(select(CatalogueVersion).where(
        CatalogueVersion.key == "los-etisk-forventningskatalog")).one()
    indicator = session.exec(select(Indicator).where(
        Indicator.catalogue_version_id == catalogue.id).order_by(Indicator.position)).first()
    requirement = session.get(Requirement, indicator.requirement_id)
    # A version that refers to one stored after it: a foreign key to a later row.
    draft = CatalogueVersion(key="test-katalog", version="2", kind="reference", title="Udkast",
                             status="draft", published_on=date(2026, 1, 1), content_hash="b" * 64,
                             document={"titel": "Ærø ✓", "tal": [1, 2.5, None], "sand": True})
    session.add(draft)
    session.commit()
    older = CatalogueVersion(key="test-katalog", version="1", kind="reference", title="Første",
                             status="official", published_on=date(2025, 1, 1),
                             content_hash="a" * 64, document={})
    session.add(older)
    session.commit()
    draft.supersedes_id = older.id

    advisor = factory.user(Role.ADVISOR, last_login_at=MOMENT)
    organisation = factory.organisation(name="Æblehaven «ny»", advisor_id=advisor.id)
    member = factory.user(organisation=organisation, name='Søren "Zoë" Øst\n')
    factory.user(Role.BOARD, active=False, password_hash=None)
    later = MOMENT + timedelta(days=1)
    session.add_all([
        UserSession(token_hash="s" * 64, user_id=member.id, expires_at=later),
        ApiToken(token_hash="t" * 64, user_id=member.id, expires_at=later),
        OneTimeLink(token_hash="o" * 64, purpose="invitation", user_id=member.id,
                    expires_at=later, used_at=MOMENT),
        LoginAttempt(email="nogen@test.example", client="203.0.113.9", attempted_at=MOMENT),
        OutboxMessage(recipient=member.email, subject="Velkommen", body="Hej 👋\nfø",
                      sent_at=MOMENT, error=""),
    ])
    cycle = Cycle(year=2026, catalogue_version_id=catalogue.id, opens_on=date(2026, 2, 1),
                  deadline=date(2026, 4, 30))
    session.add(cycle)
    session.commit()
    assessment = Assessment(organisation_id=organisation.id, cycle_id=cycle.id,
                            catalogue_version_id=catalogue.id, status="submitted", version=7,
                            injunction_reported=True, injunction_kind="paabud",
                            submitted_at=MOMENT)
    session.add(assessment)
    session.commit()
    session.add_all([
        Answer(assessment_id=assessment.id, indicator_id=indicator.id, score=2,
               comment="Vi mangler \"rutiner\"", carried_over=True, updated_by_id=member.id),
        Reflection(assessment_id=assessment.id, requirement_id=requirement.id,
                   what_works="Alt", what_to_improve="Intet"),
        RequirementScore(assessment_id=assessment.id, requirement_id=requirement.id,
                         score=2 / 3, scored_count=3, answered_count=3, in_scope_count=4),
        Evidence(assessment_id=assessment.id, requirement_id=requirement.id, kind="link",
                 title="Politik", url="https://example.org/politik?a=1&b=æ"),
        stored_file(evidence_dir, PDF, assessment_id=assessment.id,
                    requirement_id=requirement.id, title="Politik", filename="politik.pdf",
                    content_type="application/pdf", uploaded_by_id=member.id),
        stored_file(evidence_dir, PNG, assessment_id=assessment.id,
                    requirement_id=requirement.id, title="Tavlen", filename="tavle æøå.png",
                    content_type="image/png", uploaded_by_id=member.id),
        AssessmentRevision(assessment_id=assessment.id, number=1, submitted_at=MOMENT,
                           submitted_by_id=member.id,
                           snapshot={"answers": [{"score": 2, "comment": "ø"}], "mean": 0.1}),
        Action(organisation_id=organisation.id, requirement_id=requirement.id,
               assessment_id=assessment.id, title="Skriv rutine", due_on=date(2026, 6, 1),
               created_by_id=advisor.id),
    ])
    session.commit()


def everything(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in metadata.sorted_tables}


# --- helpers on backup files ------------------------------------------------------------------


def rewrite(path: Path, edit) -> None:
    """Edits the lines of a backup and gives it a matching checksum again."""
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()[:-1]
    lines = edit(lines)
    body = "".join(line + "\n" for line in lines).encode()
    rows = sum(json.loads(lines[0])["tables"].values())
    trailer = {"trailer": True, "rows": rows, "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(gzip.compress(body + (json.dumps(trailer) + "\n").encode()))


def rows_in_file(path: Path, table: str) -> list[list]:
    return [values for name, _columns, values in read_rows(path) if name == table]


def stored_evidence(engine: sa.Engine, filename: str) -> tuple[int, str]:
    with Session(engine) as session:
        evidence = session.exec(select(Evidence).where(Evidence.filename == filename)).one()
        return evidence.id, evidence.storage_key


# --- round trip --------------------------------------------------------------------------------


def test_restore_brings_back_every_row_and_value_of_every_table(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    original = everything(engine)
    empty = [name for name, rows in original.items() if not rows]
    assert not empty, f"fill these tables in `filled` too: {empty}"
    path = tmp_path / "etik.jsonl.gz"

    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert everything(target) == original
    assert summary.rows == sum(len(rows) for rows in original.values())


def test_restore_brings_back_every_evidence_file_byte_for_byte(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)

    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert sorted(files_in(evidence_dir).values()) == sorted([PDF, PNG])
    assert files_in(restored_dir) == files_in(evidence_dir)  # same names, no temporary files
    assert (summary.files, summary.file_bytes, summary.missing) == (2, len(PDF) + len(PNG), ())


def test_backup_summary_counts_tables_rows_files_and_bytes(engine, filled, evidence_dir,
                                                           tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    summary = backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    assert summary.tables == len(metadata.sorted_tables)
    assert summary.rows == sum(len(rows) for rows in everything(engine).values())
    assert summary.size_bytes == path.stat().st_size
    assert (summary.files, summary.file_bytes) == (2, len(PDF) + len(PNG))
    assert summary.describe().startswith(
        f"{summary.tables} tables, {summary.rows} rows, 2 evidence files (1.0 MB), ")
    assert summary.warning == ""


def test_new_rows_get_fresh_ids_after_a_restore(engine, filled, target, evidence_dir,
                                                restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    restore_database(engine=target, path=tmp_path / "etik.jsonl.gz", evidence_dir=restored_dir)
    with Session(target) as session:
        highest = max(session.exec(select(Organisation.id)).all())
        new = Organisation(name="Ny", cvr="87654321", service_type="kostskole",
                           region="sjaelland")
        session.add(new)
        session.commit()
        assert new.id > highest


# --- consistency and the file itself ------------------------------------------------------------


def test_a_backup_is_one_snapshot_while_another_connection_writes(engine, filled, evidence_dir,
                                                                  tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    before = len(everything(engine)["organisation"])

    def write_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:  # the snapshot is taken; rows not yet read
            with engine.begin() as connection:
                connection.execute(sa.insert(Organisation.__table__).values(
                    name="Skrevet under backup", cvr="11112222", company_name="",
                    service_type="kostskole", region="sjaelland", places=1, active=True,
                    created_at=MOMENT))

    backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                    progress=write_meanwhile)

    assert len(everything(engine)["organisation"]) == before + 1
    names = [row[0] for row in rows_in_file(path, "organisation")]  # name is the first column
    assert len(names) == before
    assert "Skrevet under backup" not in names


def test_a_failed_backup_leaves_no_file_behind(engine, filled, evidence_dir, tmp_path):
    def fail_halfway(table: str, _rows: int) -> None:
        if table == "user":
            raise RuntimeError("disk pulled out")

    (tmp_path / "backups").mkdir()
    with pytest.raises(RuntimeError):
        backup_database(engine=engine, path=tmp_path / "backups" / "etik.jsonl.gz",
                        evidence_dir=evidence_dir, progress=fail_halfway)
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_backup_is_readable_by_its_owner_only(engine, filled, evidence_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    assert (tmp_path / "etik.jsonl.gz").stat().st_mode & 0o077 == 0


def test_a_backup_into_a_missing_folder_is_refused(engine, evidence_dir, tmp_path):
    with pytest.raises(BackupError, match="Cannot write the backup"):
        backup_database(engine=engine, path=tmp_path / "missing" / "etik.jsonl.gz",
                        evidence_dir=evidence_dir)


# --- refusals -----------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(engine, filled, target, evidence_dir,
                                                      restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    with Session(target) as session:
        session.add(LoginAttempt(email="x@test.example", client="1.2.3.4"))
        session.commit()

    with pytest.raises(BackupError, match=r"not empty \(table login_attempt"):
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz",
                         evidence_dir=restored_dir)
    assert sum(len(rows) for rows in everything(target).values()) == 1
    assert files_in(restored_dir) == {}


def test_restore_refuses_a_database_at_another_revision(engine, filled, target, target_url,
                                                        evidence_dir, restored_dir, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", evidence_dir=evidence_dir)
    command.downgrade(alembic_config(target_url), "-1")

    with pytest.raises(BackupError, match="etik db upgrade") as refusal:
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz",
                         evidence_dir=restored_dir)
    with target.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert revision in str(refusal.value)


def test_a_truncated_backup_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_a_backup_without_its_trailer_is_refused(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:-1])))

    with pytest.raises(BackupError, match="trailer is missing"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_an_altered_backup_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    content = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(content.replace("Æblehaven".encode(), "Æbleløsen".encode())))

    with pytest.raises(BackupError, match="checksum does not match"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_an_error_while_inserting_rolls_the_whole_restore_back(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    emails = [row[1] for row in rows_in_file(path, "user")]  # email is the second column
    # A file with a valid checksum whose second user repeats the first one's email.
    rewrite(path, lambda lines: [line.replace(f'"{emails[1]}"', f'"{emails[0]}"')
                                 for line in lines])

    with pytest.raises(BackupError, match="nothing was restored"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not any(everything(target).values())


def test_a_file_that_is_no_backup_is_refused(target, restored_dir, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)


# --- evidence files -----------------------------------------------------------------------------


def test_a_file_removed_during_the_backup_is_reported_missing_and_the_rest_restores(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    evidence_id, key = stored_evidence(engine, "tavle æøå.png")

    def remove_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:  # its row is in the snapshot already
            (evidence_dir / key).unlink()

    backed_up = backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                                progress=remove_meanwhile)
    restored = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert backed_up.missing == restored.missing == (evidence_id,)
    assert "1 evidence file was missing on disk" in backed_up.warning
    assert f"(evidence {evidence_id})" in backed_up.warning
    assert (backed_up.files, backed_up.file_bytes) == (restored.files, restored.file_bytes)
    assert (restored.files, restored.file_bytes) == (1, len(PDF))
    assert everything(target) == everything(engine)
    assert list(files_in(restored_dir).values()) == [PDF]


def test_a_file_uploaded_during_the_backup_is_left_out_with_its_row(
        engine, filled, session, evidence_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    late = {}

    def upload_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:
            evidence = session.exec(select(Evidence).where(Evidence.kind == "file")).first()
            added = stored_file(evidence_dir, b"late", assessment_id=evidence.assessment_id,
                                requirement_id=evidence.requirement_id, title="Sen")
            session.add(added)
            session.commit()
            late["key"] = added.storage_key

    summary = backup_database(engine=engine, path=path, evidence_dir=evidence_dir,
                              progress=upload_meanwhile)

    assert (summary.files, summary.missing) == (2, ())
    assert late["key"] not in gzip.decompress(path.read_bytes()).decode()


def test_restore_refuses_a_folder_holding_a_file_it_would_overwrite_and_writes_nothing(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    _evidence_id, key = stored_evidence(engine, "politik.pdf")
    restored_dir.mkdir(parents=True)
    (restored_dir / key).write_bytes(b"someone else's file")

    with pytest.raises(BackupError, match="would overwrite") as refusal:
        restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert key in str(refusal.value)
    assert files_in(restored_dir) == {key: b"someone else's file"}
    assert not any(everything(target).values())


def test_a_failing_database_restore_removes_the_evidence_files_it_wrote(
        engine, filled, target, evidence_dir, restored_dir, tmp_path, monkeypatch):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    emails = [row[1] for row in rows_in_file(path, "user")]  # email is the second column
    rewrite(path, lambda lines: [line.replace(f'"{emails[1]}"', f'"{emails[0]}"')
                                 for line in lines])
    in_place_before_the_rows = []
    insert_rows = backup_service._insert_rows

    def spy(*args):
        in_place_before_the_rows.extend(files_in(restored_dir).values())
        return insert_rows(*args)

    monkeypatch.setattr(backup_service, "_insert_rows", spy)

    with pytest.raises(BackupError, match="nothing was restored"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert sorted(in_place_before_the_rows) == sorted([PDF, PNG])
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def test_an_altered_evidence_file_is_refused_and_nothing_is_restored(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    chunk = next(index for index, line in enumerate(lines) if line.startswith(b'"'))
    altered = b"B" if lines[chunk][5:6] == b"A" else b"A"  # another byte, still base64
    lines[chunk] = lines[chunk][:5] + altered + lines[chunk][6:]
    path.write_bytes(gzip.compress(b"".join(lines)))

    with pytest.raises(BackupError, match="checksum does not match"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def test_a_backup_naming_a_file_outside_the_evidence_folder_is_refused(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    _evidence_id, key = stored_evidence(engine, "politik.pdf")
    rewrite(path, lambda lines: [line.replace(f'"{key}"', '"../escaped"') for line in lines])

    with pytest.raises(BackupError, match="not a storage key"):
        restore_database(engine=target, path=path, evidence_dir=restored_dir)
    assert not (restored_dir.parent / "escaped").exists()
    assert files_in(restored_dir) == {}
    assert not any(everything(target).values())


def as_version_1(lines: list[str]) -> list[str]:
    """What `etik backup` wrote before evidence files were in the backup."""
    header = json.loads(lines[0])
    header["format_version"] = 1
    del header["files"]
    tables = [line for line in lines[1:] if line.startswith(("[", '{"table"'))]
    return [json.dumps(header, ensure_ascii=False), *tables]


def test_a_version_1_backup_without_files_still_restores(
        engine, filled, target, evidence_dir, restored_dir, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path, evidence_dir=evidence_dir)
    rewrite(path, as_version_1)
    assert '{"file":' not in gzip.decompress(path.read_bytes()).decode()

    summary = restore_database(engine=target, path=path, evidence_dir=restored_dir)

    assert everything(target) == everything(engine)
    assert (summary.files, summary.missing) == (0, ())
    assert "made before evidence files were included" in summary.warning
    assert files_in(restored_dir) == {}


# --- the command line ---------------------------------------------------------------------------


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
    assert "2 evidence files (1.0 MB)" in backed_up.stdout
    assert len(backed_up.stdout.splitlines()) == 1
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"Restored {tables} tables, ")
    assert "2 evidence files (1.0 MB)" in restored.stdout
    assert everything(target) == everything(engine)
    assert files_in(restored_dir) == files_in(evidence_dir)


def test_backup_command_warns_of_a_missing_file_in_its_one_line(
        run, database_url, engine, filled, evidence_dir, tmp_path):
    evidence_id, key = stored_evidence(engine, "politik.pdf")
    (evidence_dir / key).unlink()

    result = run(database_url, "backup", str(tmp_path / "etik.jsonl.gz"))

    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    assert "1 evidence file (" in result.stdout
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

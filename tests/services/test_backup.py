"""Backup and restore: a complete, consistent copy, refused unless it can be restored whole."""

import gzip
import hashlib
import json
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
from app.services.backup import BackupError, backup_database, restore_database
from app.services.backup_format import read_rows
from app.services.catalogue_loading import load_catalogues

MOMENT = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


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


# --- data in every table ----------------------------------------------------------------------


@pytest.fixture
def filled(session, factory):
    """A row (or more) in every table, with awkward values: zones, microseconds, unicode."""
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


# --- round trip --------------------------------------------------------------------------------


def test_restore_brings_back_every_row_and_value_of_every_table(engine, filled, target,
                                                                  tmp_path):
    original = everything(engine)
    empty = [name for name, rows in original.items() if not rows]
    assert not empty, f"fill these tables in `filled` too: {empty}"

    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    summary = restore_database(engine=target, path=tmp_path / "etik.jsonl.gz")

    assert everything(target) == original
    assert summary.rows == sum(len(rows) for rows in original.values())


def test_backup_summary_counts_tables_rows_and_bytes(engine, filled, tmp_path):
    summary = backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    assert summary.tables == len(metadata.sorted_tables)
    assert summary.rows == sum(len(rows) for rows in everything(engine).values())
    assert summary.size_bytes == (tmp_path / "etik.jsonl.gz").stat().st_size


def test_new_rows_get_fresh_ids_after_a_restore(engine, filled, target, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    restore_database(engine=target, path=tmp_path / "etik.jsonl.gz")
    with Session(target) as session:
        highest = max(session.exec(select(Organisation.id)).all())
        new = Organisation(name="Ny", cvr="87654321", service_type="kostskole",
                           region="sjaelland")
        session.add(new)
        session.commit()
        assert new.id > highest


# --- consistency and the file itself ------------------------------------------------------------


def test_a_backup_is_one_snapshot_while_another_connection_writes(engine, filled, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    before = len(everything(engine)["organisation"])

    def write_meanwhile(table: str, _rows: int) -> None:
        if table == metadata.sorted_tables[0].name:  # the snapshot is taken; rows not yet read
            with engine.begin() as connection:
                connection.execute(sa.insert(Organisation.__table__).values(
                    name="Skrevet under backup", cvr="11112222", company_name="",
                    service_type="kostskole", region="sjaelland", places=1, active=True,
                    created_at=MOMENT))

    backup_database(engine=engine, path=path, progress=write_meanwhile)

    assert len(everything(engine)["organisation"]) == before + 1
    names = [row[0] for row in rows_in_file(path, "organisation")]  # name is the first column
    assert len(names) == before
    assert "Skrevet under backup" not in names


def test_a_failed_backup_leaves_no_file_behind(engine, filled, tmp_path):
    def fail_halfway(table: str, _rows: int) -> None:
        if table == "user":
            raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz", progress=fail_halfway)
    assert list(tmp_path.iterdir()) == []


def test_a_backup_is_readable_by_its_owner_only(engine, filled, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    assert (tmp_path / "etik.jsonl.gz").stat().st_mode & 0o077 == 0


def test_a_backup_into_a_missing_folder_is_refused(engine, tmp_path):
    with pytest.raises(BackupError, match="Cannot write the backup"):
        backup_database(engine=engine, path=tmp_path / "missing" / "etik.jsonl.gz")


# --- refusals -----------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(engine, filled, target, tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    with Session(target) as session:
        session.add(LoginAttempt(email="x@test.example", client="1.2.3.4"))
        session.commit()

    with pytest.raises(BackupError, match=r"not empty \(table login_attempt"):
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz")
    assert sum(len(rows) for rows in everything(target).values()) == 1


def test_restore_refuses_a_database_at_another_revision(engine, filled, target, target_url,
                                                        tmp_path):
    backup_database(engine=engine, path=tmp_path / "etik.jsonl.gz")
    command.downgrade(alembic_config(target_url), "-1")

    with pytest.raises(BackupError, match="etik db upgrade") as refusal:
        restore_database(engine=target, path=tmp_path / "etik.jsonl.gz")
    with target.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert revision in str(refusal.value)


def test_a_truncated_backup_is_refused_and_nothing_is_restored(engine, filled, target, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path)
    assert not any(everything(target).values())


def test_a_backup_without_its_trailer_is_refused(engine, filled, target, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    path.write_bytes(gzip.compress(b"".join(lines[:-1])))

    with pytest.raises(BackupError, match="trailer is missing"):
        restore_database(engine=target, path=path)
    assert not any(everything(target).values())


def test_an_altered_backup_is_refused_and_nothing_is_restored(engine, filled, target, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path)
    content = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(content.replace("Æblehaven".encode(), "Æbleløsen".encode())))

    with pytest.raises(BackupError, match="checksum does not match"):
        restore_database(engine=target, path=path)
    assert not any(everything(target).values())


def test_an_error_while_inserting_rolls_the_whole_restore_back(engine, filled, target, tmp_path):
    path = tmp_path / "etik.jsonl.gz"
    backup_database(engine=engine, path=path)
    emails = [row[1] for row in rows_in_file(path, "user")]  # email is the second column
    # A file with a valid checksum whose second user repeats the first one's email.
    rewrite(path, lambda lines: [line.replace(f'"{emails[1]}"', f'"{emails[0]}"')
                                 for line in lines])

    with pytest.raises(BackupError, match="nothing was restored"):
        restore_database(engine=target, path=path)
    assert not any(everything(target).values())


def test_a_file_that_is_no_backup_is_refused(target, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(BackupError, match="not a complete etik backup"):
        restore_database(engine=target, path=path)


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Runs `etik` against the database given as ETIK_DATABASE_URL."""
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()

    def _run(database_url: str, *args: str):
        monkeypatch.setenv("ETIK_DATABASE_URL", database_url)
        get_settings.cache_clear()
        return runner.invoke(cli, list(args), catch_exceptions=False)

    yield _run
    get_settings.cache_clear()


def test_backup_and_restore_commands_copy_the_database_and_print_one_summary_line(
        run, database_url, engine, filled, target, target_url, tmp_path):
    path = str(tmp_path / "etik.jsonl.gz")
    tables = len(metadata.sorted_tables)

    backed_up = run(database_url, "backup", path)
    restored = run(target_url, "restore", path)

    assert backed_up.exit_code == 0, backed_up.output
    assert backed_up.stdout.startswith(f"Backed up {tables} tables, ")
    assert len(backed_up.stdout.splitlines()) == 1
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"Restored {tables} tables, ")
    assert everything(target) == everything(engine)


def test_restore_command_into_a_used_database_exits_1_with_the_reason(
        run, database_url, engine, filled, tmp_path):
    path = str(tmp_path / "etik.jsonl.gz")
    run(database_url, "backup", path)

    result = run(database_url, "restore", path)

    assert result.exit_code == 1
    assert "the database is not empty" in result.stderr
    assert "Traceback" not in result.output

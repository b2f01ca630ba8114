"""What the backup and restore tests share: a source database with a row in every table and
two evidence files, an empty database to restore into, the evidence folders, and edits of
backup files.

tests/conftest.py loads this module as a plugin (`pytest_plugins`), so its fixtures reach
the backup and restore test modules; they import the plain functions.
"""

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

from app.cli import alembic_config
from app.config import PROJECT_ROOT
from app.db import create_db_engine, metadata
from app.models import (
    Action,
    ActionComment,
    Answer,
    ApiToken,
    Assessment,
    AssessmentRevision,
    CatalogueVersion,
    ContactEntry,
    Cycle,
    Evidence,
    Indicator,
    Inspection,
    InspectionReport,
    InspectionSanction,
    InspectionScore,
    LoginAttempt,
    NoticeSent,
    OneTimeLink,
    OutboxMessage,
    Reflection,
    Requirement,
    RequirementRollup,
    RequirementScore,
    ResetRequest,
    RespondentCount,
    ScoreHistogram,
    SectorReference,
    SupportCase,
    ThemeCalibration,
    UserSession,
)
from app.models.vocabulary import Role
from app.services import official_scores
from app.services.backup.format import read_rows
from app.services.catalogue.loading import load_catalogues

MOMENT = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
# Over one chunk of the backup's files section, with every byte value.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(10)
# An inspection's report: stored in the same folder, under its own storage key.
REPORT = b"%PDF-1.4\n% Tilsynsrapport\n%%EOF\n"


# --- a second, empty database to restore into ------------------------------------------------


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


# --- evidence folders ------------------------------------------------------------------------


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
    """An evidence row of kind "file" and its file, stored the way the evidence service does."""
    key = secrets.token_hex(16)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    (evidence_dir / key).write_bytes(content)
    return Evidence(kind="file", storage_key=key, size_bytes=len(content), **fields)


def stored_report(evidence_dir: Path, content: bytes, **fields) -> InspectionReport:
    """An inspection's report and its file, stored the way app/services/inspection_report.py
    does."""
    key = secrets.token_hex(16)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    (evidence_dir / key).write_bytes(content)
    return InspectionReport(storage_key=key, size_bytes=len(content),
                            content_type="application/pdf", **fields)


# --- data in every table ---------------------------------------------------------------------


@pytest.fixture
def filled(session, factory, evidence_dir):
    """A row (or more) in every table, with awkward values: zones, microseconds, unicode;
    and two evidence files and an inspection report's."""
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
        ResetRequest(email="nogen@test.example", client="203.0.113.9", requested_at=MOMENT),
        OutboxMessage(recipient=member.email, subject="Velkommen", body="Hej 👋\nfø",
                      sent_at=MOMENT, error=""),
        NoticeSent(key="digest:1:2026-03-14", recipient="a@test.example",
                   payload={"7": ["low_score"]}),
        SectorReference(source="Kilde «Æ»", year=2025, theme_key="km.tema.kompetencer",
                        provider_group="non_public", mean=3.875, created_by_id=advisor.id,
                        created_at=MOMENT, updated_at=MOMENT),
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
                         score=2 / 3, scored_count=3, answered_count=3, in_scope_count=4,
                         lowest_score=1, previous_score=0.1 + 0.2),
        ThemeCalibration(assessment_id=assessment.id, theme_key="km.tema.sundhed-trivsel",
                         organisation_id=organisation.id, cycle_id=cycle.id,
                         self_score=2 / 3, official_score=0.1 + 0.2,
                         visited_on=date(2025, 2, 28), gap=2 / 3 - (0.1 + 0.2)),
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
        ScoreHistogram(cycle_id=cycle.id, segment="region", group_value="midtjylland",
                       requirement_id=requirement.id, score=2 / 3, respondents=1),
        RespondentCount(cycle_id=cycle.id, segment="region", group_value="midtjylland",
                        respondents=1),
        RequirementRollup(cycle_id=cycle.id, segment="region", group_value="midtjylland",
                          requirement_id=requirement.id, scored=1, score_sum=2 / 3, meeting=0,
                          distribution={"1": 1, "2": 0}, median=2 / 3),
    ])
    session.commit()
    model = session.exec(select(CatalogueVersion).where(
        CatalogueVersion.key == "socialtilsyn-kvalitetsmodel",
        CatalogueVersion.version == "2017")).one()
    inspection = Inspection(organisation_id=organisation.id, visited_on=date(2026, 3, 2),
                            authority="midt", visit_kind="unannounced",
                            framework_version_id=model.id, note="Rapport «ny» ✓",
                            created_by_id=member.id, created_at=MOMENT, updated_at=MOMENT)
    session.add(inspection)
    session.commit()
    session.add_all([
        InspectionScore(inspection_id=inspection.id, node_id="km.tema.kompetencer",
                        level="theme", score=3.75),
        InspectionSanction(inspection_id=inspection.id, kind="paabud",
                           description="Frist «snart»", deadline=date(2026, 6, 1)),
        stored_report(evidence_dir, REPORT, inspection_id=inspection.id,
                      filename="tilsyn æøå.pdf", uploaded_by_id=member.id, uploaded_at=MOMENT),
    ])
    official_scores.refresh(session, organisation.id)
    session.commit()
    case = SupportCase(organisation_id=organisation.id, opened_on=date(2026, 5, 1),
                       reason="Påbud «medicin»", injunction_kind="paabud",
                       opened_by_id=advisor.id)
    session.add(case)
    session.commit()
    session.add_all([
        Action(organisation_id=organisation.id, requirement_id=requirement.id,
               assessment_id=assessment.id, case_id=case.id, title="Skriv rutine",
               due_on=date(2026, 6, 1), created_by_id=advisor.id),
        ContactEntry(organisation_id=organisation.id, case_id=case.id, kind="call",
                     happened_on=date(2026, 5, 2), by_id=advisor.id, by_name="Åse",
                     note="Ring igen 👋", next_step="Møde"),
    ])
    session.commit()
    action = session.exec(select(Action).where(Action.title == "Skriv rutine")).one()
    session.add(ActionComment(action_id=action.id, user_id=member.id, user_name="Søren",
                              text="Første udkast er klar ✓", created_at=MOMENT))
    session.commit()


def everything(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in metadata.sorted_tables}


# --- helpers on backup files -----------------------------------------------------------------


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

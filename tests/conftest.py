"""Test fixtures: one database fixture for SQLite and PostgreSQL, the app, a cast per role.

Every database test runs on SQLite, and again on PostgreSQL when ETIK_TEST_DATABASE_URL
is set. With ETIK_TEST_STRICT=1 (set by CI) a skipped test counts as a failure. Under
pytest-xdist (`make test` runs `-n auto`) each worker has a database of its own: a SQLite
file in its temporary folder, or on PostgreSQL `<database>_gw0`, `<database>_gw1`, ...
"""

import functools
import os
import re
import time
from collections.abc import Iterator
from itertools import count

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.auth.cookies import SESSION_COOKIE, _serializer
from app.auth.passwords import hash_password
from app.cli import alembic_config
from app.config import Settings
from app.db import create_db_engine, metadata
from app.main import create_app
from app.models import Organisation, User
from app.models.vocabulary import Region, Role, ServiceType
from app.services.credentials import start_browser_session

# Fixtures shared by a few test modules, kept beside them rather than here.
pytest_plugins = ["tests.services.backup_setup", "tests.web.assessment_pages"]

PASSWORD = "correct horse battery"
STRICT = os.environ.get("ETIK_TEST_STRICT") == "1"
POSTGRES_URL = os.environ.get("ETIK_TEST_DATABASE_URL", "")
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under ETIK_TEST_STRICT=1: {report.longrepr}"


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        backends = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
        metafunc.parametrize("database_backend", backends, scope="session")


@functools.cache
def _postgres_url_of_this_worker() -> str:
    """ETIK_TEST_DATABASE_URL itself, or under xdist a database of this worker's own next to
    it (`test` -> `test_gw0`), dropped and created afresh once per run: parallel workers
    emptying and migrating one database would wipe each other's rows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return POSTGRES_URL
    url = make_url(POSTGRES_URL)
    url = url.set(database=f"{url.database}_{worker}")
    # Connected to the configured database, which exists, to create the worker's one.
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        server.dispose()
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(database_backend, tmp_path_factory) -> str:
    if database_backend == "postgresql":
        return _postgres_url_of_this_worker()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'etik-test.db'}"


@pytest.fixture(scope="session")
def migrated_engine(database_url) -> Iterator[Engine]:
    """The schema is built by the migrations, exactly as in production."""
    engine = create_db_engine(database_url)
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    yield engine
    engine.dispose()


def _empty_all_tables(engine: Engine) -> None:
    """Empties every table. Retried: a live server's last request (browser tests) may still
    hold a lock, and PostgreSQL may pick the TRUNCATE as a deadlock victim."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    for attempt in range(1, 6):
        try:
            with engine.begin() as connection:
                if engine.dialect.name == "postgresql":
                    quoted = ", ".join(f'"{name}"' for name in tables)
                    connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
                else:
                    for name in tables:
                        connection.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608
            return
        except OperationalError:
            if attempt == 5:
                raise
            time.sleep(0.2 * attempt)


@pytest.fixture
def engine(migrated_engine) -> Iterator[Engine]:
    yield migrated_engine
    _empty_all_tables(migrated_engine)


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(env="test", database_url=database_url, secret_key="test-secret-key",
                    var_dir=tmp_path, base_url="http://testserver")


@pytest.fixture
def app(settings, engine):
    return create_app(settings, engine=engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


# --- factories -------------------------------------------------------------------------

_numbers = count(1)


def make_organisation(session: Session, **overrides) -> Organisation:
    n = next(_numbers)
    values = {"name": f"Tilbud {n}", "cvr": f"{10000000 + n:08d}", "company_name": f"Firma {n}",
              "service_type": ServiceType.DOEGNTILBUD, "region": Region.MIDTJYLLAND,
              "places": 12}
    organisation = Organisation(**(values | overrides))
    session.add(organisation)
    session.commit()
    return organisation


def make_user(session: Session, role: Role = Role.MEMBER, organisation: Organisation | None = None,
              **overrides) -> User:
    n = next(_numbers)
    if role is Role.MEMBER and organisation is None:
        organisation = make_organisation(session)
    values = {"email": f"{role.value}{n}@test.example", "name": f"Person {n}", "role": role,
              "organisation_id": organisation.id if organisation else None,
              "password_hash": _PASSWORD_HASH}
    user = User(**(values | overrides))
    session.add(user)
    session.commit()
    return user


@pytest.fixture
def factory(session):
    class Factory:
        organisation = staticmethod(lambda **kw: make_organisation(session, **kw))
        user = staticmethod(lambda role=Role.MEMBER, **kw: make_user(session, role, **kw))

    return Factory


# --- a cast per role (healthchecks' Alice and Bob) ------------------------------------------


class Cast:
    def __init__(self, session: Session):
        self._session = session
        self._carol: User | None = None
        self.org_a = make_organisation(session, name="Alfa Opholdssted")
        self.org_b = make_organisation(session, name="Beta Bosted")
        self.alice = make_user(session, Role.MEMBER, self.org_a, email="alice@test.example",
                               name="Alice Medlem")
        self.bob = make_user(session, Role.MEMBER, self.org_b, email="bob@test.example",
                             name="Bob Medlem")
        self.advisor = make_user(session, Role.ADVISOR, email="advisor@test.example",
                                 name="Anders Konsulent")
        self.board = make_user(session, Role.BOARD, email="board@test.example",
                               name="Berit Bestyrelse")
        self.admin = make_user(session, Role.ADMIN, email="admin@test.example",
                               name="Ada Admin")

    @property
    def carol(self) -> User:
        """Alice's colleague at org_a and its leader (member_admin), made when first asked
        for, so the organisation has one user unless a test wants more."""
        if self._carol is None:
            self._carol = make_user(self._session, Role.MEMBER, self.org_a, member_admin=True,
                                    email="carol@test.example", name="Carol Leder")
        return self._carol

    def by_role(self, role: str) -> User | None:
        if role == "member_admin":
            return self.carol
        return {"anonymous": None, "member": self.alice, "other_member": self.bob,
                "advisor": self.advisor, "board": self.board, "admin": self.admin}[role]


@pytest.fixture
def cast(session) -> Cast:
    return Cast(session)


def login_client(client: TestClient, session: Session, settings: Settings, user: User
                 ) -> TestClient:
    """Puts a browser session for `user` on the client without the (slow) password check."""
    token = start_browser_session(session=session, settings=settings, user=user)
    client.cookies.set(SESSION_COOKIE, _serializer(settings, SESSION_COOKIE).dumps(token))
    return client


@pytest.fixture
def login(app, session, settings):
    """login(user) -> a new TestClient logged in as that user (None: anonymous)."""
    clients = []

    def _login(user: User | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        return login_client(client, session, settings, user) if user else client

    yield _login
    for c in clients:
        c.close()


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_from(client: TestClient, path: str = "/login") -> str:
    """The CSRF token a page gives this client, read from its meta tag."""
    page = client.get(path)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def api_token(client: TestClient, email: str) -> dict:
    """Bearer headers for the user, issued by the token service without the slow password
    check (tests/api/test_auth_api.py covers POST /api/v1/auth/token itself)."""
    from sqlmodel import select

    from app.services.credentials import issue_api_token

    app = client.app
    with Session(app.state.engine, expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        token, _ = issue_api_token(session=session, settings=app.state.settings, user=user)
    return {"Authorization": f"Bearer {token}"}


# --- catalogue and cycles -------------------------------------------------------------------


@pytest.fixture
def catalogue(session):
    """The shipped catalogues, loaded; returns the LOS catalogue version row."""
    from sqlmodel import select

    from app.config import PROJECT_ROOT
    from app.models import CatalogueVersion
    from app.services.catalogue.loading import load_catalogues

    assert load_catalogues(session=session, root=PROJECT_ROOT / "catalogue").ok
    return session.exec(select(CatalogueVersion).where(
        CatalogueVersion.key == "los-etisk-forventningskatalog")).one()


@pytest.fixture
def open_cycle(session, catalogue):
    """This year's cycle, open today."""
    from datetime import timedelta

    from app.clock import today
    from app.models import Cycle

    now = today()
    cycle = Cycle(year=now.year, catalogue_version_id=catalogue.id,
                  opens_on=now - timedelta(days=30), deadline=now + timedelta(days=30))
    session.add(cycle)
    session.commit()
    return cycle


@pytest.fixture
def indicator_keys(session, catalogue):
    """Indicator keys in scope for a døgntilbud (the cast's service type), catalogue order."""
    from app.services.assessment.view import indicators_in_scope

    return [i.key for i in indicators_in_scope(session, catalogue.id, "doegntilbud")]

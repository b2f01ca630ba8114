"""The benchmark's data: the demo's own seeder (app/services/demo.py and demo_bulk.py) at
the scale asked for, so there is one seeder and the benchmark sees the demo's shape.
"""

from alembic import command
from sqlalchemy import Engine, func, select

from app.cli import alembic_config
from app.db import session_scope
from app.models import Organisation
from app.services.demo import DEMO_DOMAIN, load_demo

BENCH_PASSWORD = "bench-pass-2026"
ADVISOR = f"advisor@{DEMO_DOMAIN}"
BOARD = f"board@{DEMO_DOMAIN}"


def is_seeded(engine: Engine, members: int) -> bool:
    try:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(Organisation)).scalar()
            return count == members
    except Exception:
        return False


def seed(engine: Engine, url: str, members: int, cycles: int, seed_value: int = 7) -> None:
    """An empty database at the newest schema, then the demo: `members` × `cycles` years."""
    config = alembic_config(url)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with session_scope(engine) as session:
        load_demo(session=session, password=BENCH_PASSWORD, members=members, years=cycles,
                  seed=seed_value)

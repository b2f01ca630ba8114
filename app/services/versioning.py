"""The one mechanism every versioned write goes through: a compare-and-set on the row.

`claim` raises the row's version in a single `UPDATE … SET version = version + 1 WHERE id =
:id AND <conditions>` and reports whether the row matched. That statement is the first
write of the transaction, so from then on the row is ours until commit: PostgreSQL holds
its row lock, SQLite its database write lock. Two requests that saw the same version can
therefore never both pass the check, on either database (SQLite ignores
`SELECT … FOR UPDATE`, so a read-then-check cannot give that guarantee).
"""

from sqlalchemy import update
from sqlmodel import Session, col

from app.models.base import utcnow


def claim(session: Session, model: type, row_id: int, *conditions) -> bool:
    """Raises the version of `model` row `row_id` if it meets `conditions`; False if not.

    On False nothing was written, and the caller rolls back before it reports why.
    """
    result = session.exec(
        update(model).where(col(model.id) == row_id, *conditions)
        .values(version=model.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def reload(session: Session, model: type, row_id: int):
    """The row as committed now (after a refused claim, or under a successful one)."""
    return session.get(model, row_id, populate_existing=True)

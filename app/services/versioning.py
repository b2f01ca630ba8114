"""The one mechanism every versioned write goes through: a compare-and-set on the row; and,
for a check with no version to compare, a lock taken first (`lock_rows`).

`claim` raises the row's version in a single `UPDATE … SET version = version + 1 WHERE id =
:id AND <conditions>` and reports whether the row matched. That statement is the first
write of the transaction, so from then on the row is ours until commit: PostgreSQL holds
its row lock, SQLite its database write lock. Two requests that saw the same version can
therefore never both pass the check, on either database (SQLite ignores
`SELECT … FOR UPDATE`, so a read-then-check cannot give that guarantee).
"""

from sqlalchemy import false, update
from sqlmodel import Session, col, select

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


def lock_rows(session: Session, model: type, row_ids) -> None:
    """Holds rows `row_ids` of `model` until the commit, for a read-check-write with no
    version to compare (a duplicate check before an insert): call it before the reads.

    PostgreSQL: FOR NO KEY UPDATE, in id order, so two such transactions queue (and never
    lock in opposite orders), while inserts that only refer to the rows are not held up.
    SQLite ignores FOR UPDATE, so there a write that changes nothing takes the database's
    write lock, and every later read of the transaction sees the latest commit.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(model).where(false()).values(id=model.id)
                        .execution_options(synchronize_session=False))
        return
    ids = sorted(set(row_ids))
    if ids:
        session.exec(select(model.id).where(col(model.id).in_(ids)).order_by(model.id)
                     .with_for_update(key_share=True))

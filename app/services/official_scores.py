"""The latest official score of each member and theme, kept in a table.

The rule (services/calibration.py): a theme's official score is its score in the latest
inspection that covered it, inspections on that day counting as their mean. Worked out over
every member's inspections at once, that took most of the advisors' flag list at a few
thousand members, so `latest_official` stores it: `refresh()` rewrites one member's rows in
the transaction that changes its inspections. `computed()` is the rule itself, for the
refresh, for a day in the past, and for the test that the stored rows equal it.
"""

from datetime import date

from sqlalchemy import and_, delete, func, insert
from sqlmodel import Session, col, select

from app.models import Inspection, InspectionScore, LatestOfficial, Organisation
from app.services import theme_calibration
from app.services.versioning import lock_rows

COLUMNS = ("organisation_id", "theme_key", "visited_on", "score")


def computed(*, organisation_id: int | None = None, as_of: date | None = None):
    """A subquery of the rule over the inspections themselves: organisation_id, theme_key,
    visited_on, score. Only one member's, or only inspections not after `as_of`, when
    given."""
    latest = (select(Inspection.organisation_id.label("organisation_id"),
                     InspectionScore.node_id.label("theme_key"),
                     func.max(Inspection.visited_on).label("visited_on"))
              .join(Inspection, col(Inspection.id) == col(InspectionScore.inspection_id))
              .where(InspectionScore.level == "theme")
              .group_by(Inspection.organisation_id, InspectionScore.node_id))
    if organisation_id is not None:
        latest = latest.where(Inspection.organisation_id == organisation_id)
    if as_of is not None:
        latest = latest.where(col(Inspection.visited_on) <= as_of)
    latest = latest.subquery("latest")
    return (select(latest.c.organisation_id, latest.c.theme_key, latest.c.visited_on,
                   func.avg(InspectionScore.score).label("score"))
            .select_from(latest)
            .join(Inspection, and_(
                col(Inspection.organisation_id) == latest.c.organisation_id,
                col(Inspection.visited_on) == latest.c.visited_on))
            .join(InspectionScore, and_(
                col(InspectionScore.inspection_id) == col(Inspection.id),
                InspectionScore.level == "theme",
                col(InspectionScore.node_id) == latest.c.theme_key))
            .group_by(latest.c.organisation_id, latest.c.theme_key, latest.c.visited_on)
            ).subquery("official")


def stored(*, organisation_id: int | None = None):
    """The same columns as computed(), read from the table."""
    query = select(*(col(getattr(LatestOfficial, name)).label(name) for name in COLUMNS))
    if organisation_id is not None:
        query = query.where(LatestOfficial.organisation_id == organisation_id)
    return query.subquery("official")


def official(*, organisation_id: int | None = None, as_of: date | None = None):
    """The rule's subquery: stored for today, computed for a day in the past."""
    if as_of is not None:
        return computed(organisation_id=organisation_id, as_of=as_of)
    return stored(organisation_id=organisation_id)


def refresh(session: Session, organisation_id: int) -> None:
    """Rewrites the member's stored scores from its inspections as this transaction sees
    them; call it after writing them, before the commit.

    It locks the member's row first: on PostgreSQL two changes of one member's inspections
    at once would otherwise each delete the rows and insert their own, and the second
    insert would collide with the first. The lock queues the second until the first
    commits, and its statements then see the first's inspection. (It is FOR NO KEY UPDATE:
    the inspection just written holds a key-share lock on the row, its foreign key, which a
    plain FOR UPDATE waits for, so two of them would deadlock.) On SQLite the caller's
    write already holds the database's write lock.
    """
    session.flush()
    lock_rows(session, Organisation, [organisation_id])
    session.execute(delete(LatestOfficial).where(
        col(LatestOfficial.organisation_id) == organisation_id))
    _store(session, computed(organisation_id=organisation_id))
    theme_calibration.refresh_official(session, [organisation_id])


def rebuild(session: Session) -> None:
    """Rewrites every member's stored scores from the inspections: after a bulk load that
    wrote inspections without the services (the demo at scale)."""
    session.flush()
    session.execute(delete(LatestOfficial))
    _store(session, computed())
    theme_calibration.rebuild(session)


def _store(session: Session, rule) -> None:
    session.execute(insert(LatestOfficial).from_select(
        list(COLUMNS), select(*(rule.c[name] for name in COLUMNS))))

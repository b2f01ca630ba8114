"""How a person is named where a row points at them: by name, or as a deleted user.

Deleting a user (app/services/user_deletion.py) keeps what they wrote and did; their id
columns become NULL (ON DELETE SET NULL) and the names kept beside them are blanked, so
every page says "slettet bruger" instead.
"""

from sqlmodel import Session

from app.i18n import N_, gettext
from app.models import User

DELETED_USER = N_("slettet bruger")


def deleted_user_name() -> str:
    return gettext(DELETED_USER)


def name_of(session: Session, user_id: int | None, *, missing: str | None = None) -> str:
    """The user's name; `missing` (default "slettet bruger") when the user is gone."""
    person = session.get(User, user_id) if user_id is not None else None
    if person is not None:
        return person.name
    return deleted_user_name() if missing is None else missing

"""Role checks the services share; the loaders per resource live beside their services."""

from app.i18n import N_
from app.models import User
from app.models.vocabulary import Role
from app.services.errors import Forbidden


def require_admin(user: User | None) -> None:
    """Administration is for admins; `None` is the command line, run by whoever runs etik."""
    if user is not None and user.role != Role.ADMIN:
        raise Forbidden(N_("Kun administratorer kan gøre dette."))


def require_staff(user: User | None) -> None:
    """LOS' own work with members (flags, cases, contacts) is for advisors and admins."""
    if user is not None and user.role not in (Role.ADVISOR, Role.ADMIN):
        raise Forbidden(N_("Kun LOS' konsulenter og administratorer kan se dette."))

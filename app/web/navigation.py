"""The navigation each role sees in the page header."""

from dataclasses import dataclass

from app.i18n import N_, gettext
from app.models import User
from app.models.vocabulary import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


_MENUS: dict[Role, list[tuple[str, str]]] = {
    # "{organisation}": the member's own organisation; left out for a member without one.
    Role.MEMBER: [(N_("Forside"), "/"), (N_("Kataloget"), "/catalogues"),
                  (N_("Kolleger"), "/organisations/{organisation}/colleagues")],
    Role.ADVISOR: [(N_("Forside"), "/"), (N_("Flag"), "/advisor/flags"),
                   (N_("Scorer"), "/advisor/heatmap"), (N_("Kataloget"), "/catalogues")],
    Role.BOARD: [(N_("Forside"), "/"), (N_("Sektortal"), "/board"),
                 (N_("Kataloget"), "/catalogues")],
    Role.ADMIN: [
        (N_("Forside"), "/"),
        (N_("Flag"), "/advisor/flags"),
        (N_("Scorer"), "/advisor/heatmap"),
        (N_("Medlemmer"), "/admin/organisations"),
        (N_("Brugere"), "/admin/users"),
        (N_("Konsulenter"), "/admin/assignments"),
        (N_("Kataloger"), "/admin/catalogues"),
        (N_("Runder"), "/admin/cycles"),
        (N_("Sektortal"), "/board"),
        (N_("Udbakke"), "/admin/outbox"),
        (N_("Revisionsspor"), "/admin/audit"),
    ],
}


def navigation_for(user: User | None, path: str) -> list[NavItem]:
    if user is None:
        return []
    items = []
    for label, template in _MENUS[Role(user.role)]:
        if "{organisation}" in template and user.organisation_id is None:
            continue
        href = template.format(organisation=user.organisation_id)
        current = path == href if href == "/" else path.startswith(href)
        items.append(NavItem(gettext(label), href, current))
    return items

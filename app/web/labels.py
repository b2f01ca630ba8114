"""Danish names for the code lists, translated when shown."""

from app.i18n import N_, gettext
from app.models.vocabulary import Region, Role, ServiceType

SERVICE_TYPE_LABELS = {
    ServiceType.DOEGNTILBUD: N_("Døgntilbud"),
    ServiceType.KOSTSKOLE: N_("Kostskole"),
    ServiceType.PLEJEFAMILIE: N_("Plejefamilie"),
    ServiceType.DAGBEHANDLING: N_("Dagbehandling / skolebehandling"),
    ServiceType.MIDLERTIDIGT_BOTILBUD: N_("Midlertidigt botilbud (§ 107)"),
    ServiceType.LAENGEREVARENDE_BOTILBUD: N_("Længerevarende botilbud (§ 108)"),
    ServiceType.KVINDEKRISECENTER: N_("Kvindekrisecenter (§ 109)"),
    ServiceType.FORSORGSHJEM: N_("Forsorgshjem (§ 110)"),
    ServiceType.SOCIALPAEDAGOGISK_STOETTE: N_("Socialpædagogisk støtte (§ 85)"),
    ServiceType.MISBRUGSBEHANDLING: N_("Misbrugsbehandling (§ 101)"),
}

REGION_LABELS = {
    Region.HOVEDSTADEN: N_("Hovedstaden"),
    Region.SJAELLAND: N_("Sjælland"),
    Region.SYDDANMARK: N_("Syddanmark"),
    Region.MIDTJYLLAND: N_("Midtjylland"),
    Region.NORDJYLLAND: N_("Nordjylland"),
}

ROLE_LABELS = {
    Role.MEMBER: N_("Medlem"),
    Role.ADVISOR: N_("Konsulent"),
    Role.BOARD: N_("Bestyrelse"),
    Role.ADMIN: N_("Administrator"),
}


def service_type_label(code: str) -> str:
    return gettext(SERVICE_TYPE_LABELS.get(ServiceType(code), code))


def region_label(code: str) -> str:
    return gettext(REGION_LABELS.get(Region(code), code))


def role_label(code: str) -> str:
    return gettext(ROLE_LABELS.get(Role(code), code))

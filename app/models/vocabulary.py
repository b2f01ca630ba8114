"""Fixed code lists shared by organisations, catalogues and aggregates."""

from enum import StrEnum


class ServiceType(StrEnum):
    """The kind of social service a member department runs (the legal basis in brackets)."""

    DOEGNTILBUD = "doegntilbud"  # barnets lov § 43, stk. 1, nr. 6
    KOSTSKOLE = "kostskole"  # barnets lov § 43, stk. 1, nr. 7
    PLEJEFAMILIE = "plejefamilie"  # barnets lov § 43, stk. 1, nr. 1-3
    DAGBEHANDLING = "dagbehandling"  # skolebehandlingstilbud / dagbehandling
    MIDLERTIDIGT_BOTILBUD = "midlertidigt_botilbud"  # servicelov § 107
    LAENGEREVARENDE_BOTILBUD = "laengerevarende_botilbud"  # servicelov § 108
    KVINDEKRISECENTER = "kvindekrisecenter"  # servicelov § 109
    FORSORGSHJEM = "forsorgshjem"  # servicelov § 110
    SOCIALPAEDAGOGISK_STOETTE = "socialpaedagogisk_stoette"  # servicelov § 85
    MISBRUGSBEHANDLING = "misbrugsbehandling"  # servicelov § 101


class Region(StrEnum):
    HOVEDSTADEN = "hovedstaden"
    SJAELLAND = "sjaelland"
    SYDDANMARK = "syddanmark"
    MIDTJYLLAND = "midtjylland"
    NORDJYLLAND = "nordjylland"


class Role(StrEnum):
    MEMBER = "member"
    ADVISOR = "advisor"
    BOARD = "board"
    ADMIN = "admin"

"""How spreadsheet cells name columns, service types and regions in a member import.

Codes and the Danish names are accepted, compared without case, spaces or Danish letters
(so "Sjaelland" is Sjælland); a spelling that could mean two codes is refused when loaded.
"""

import re

from app.models.vocabulary import Region, ServiceType

# Danish column names, said the way people write them in a spreadsheet.
COLUMN_ALIASES = {
    "navn": "name", "tilbud": "name", "tilbudsnavn": "name", "afdeling": "name",
    "cvr_nummer": "cvr", "cvr_nr": "cvr", "cvrnr": "cvr",
    "selskab": "company_name", "firma": "company_name", "virksomhed": "company_name",
    "tilbudstype": "service_type", "type": "service_type",
    "pladser": "places", "antal_pladser": "places",
    "kontaktperson": "contact_name", "kontakt_navn": "contact_name", "kontakt": "contact_name",
    "kontakt_email": "contact_email", "kontakt_e_mail": "contact_email", "email": "contact_email",
    "e_mail": "contact_email",
}

# Accepted spellings besides the code; the code with spaces for underscores works too.
SERVICE_TYPE_NAMES: dict[ServiceType, tuple[str, ...]] = {
    ServiceType.DOEGNTILBUD: ("Døgntilbud",),
    ServiceType.KOSTSKOLE: ("Kostskole",),
    ServiceType.PLEJEFAMILIE: ("Plejefamilie", "Plejefamilier"),
    ServiceType.DAGBEHANDLING: ("Dagbehandling / skolebehandling", "Dagbehandling",
                                "Skolebehandling", "Dagbehandlingstilbud",
                                "Skolebehandlingstilbud"),
    ServiceType.MIDLERTIDIGT_BOTILBUD: ("Midlertidigt botilbud", "§ 107", "107"),
    ServiceType.LAENGEREVARENDE_BOTILBUD: ("Længerevarende botilbud", "§ 108", "108"),
    ServiceType.KVINDEKRISECENTER: ("Kvindekrisecenter", "Krisecenter", "§ 109", "109"),
    ServiceType.FORSORGSHJEM: ("Forsorgshjem", "§ 110", "110"),
    ServiceType.SOCIALPAEDAGOGISK_STOETTE: ("Socialpædagogisk støtte", "§ 85", "85"),
    ServiceType.MISBRUGSBEHANDLING: ("Misbrugsbehandling", "§ 101", "101"),
}
REGION_NAMES: dict[Region, tuple[str, ...]] = {
    Region.HOVEDSTADEN: ("Hovedstaden",),
    Region.SJAELLAND: ("Sjælland",),
    Region.SYDDANMARK: ("Syddanmark",),
    Region.MIDTJYLLAND: ("Midtjylland",),
    Region.NORDJYLLAND: ("Nordjylland",),
}


def fold(text: str) -> str:
    """Lower case, Danish letters spelt out, single spaces: how names are compared."""
    text = text.strip().lower().replace("_", " ").replace("§ ", "§")
    for letter, spelt in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, spelt)
    return " ".join(text.split())


def _lookup(names: dict) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, spellings in names.items():
        for spelling in (code.value, *spellings):
            key = fold(spelling)
            if table.get(key, code) != code:
                raise ValueError(f"ambiguous name {spelling!r}")  # a mistake in the table
            table[key] = code.value
    return table


_SERVICE_TYPES = _lookup(SERVICE_TYPE_NAMES)
_REGIONS = _lookup(REGION_NAMES)


def service_type_code(value: str) -> str | None:
    """The service type a spreadsheet cell means, or None when unknown."""
    key = fold(value)
    bare = fold(re.sub(r"\(.*\)\s*$", "", value))  # "Midlertidigt botilbud (§ 107)"
    return _SERVICE_TYPES.get(key) or _SERVICE_TYPES.get(bare)


def region_code(value: str) -> str | None:
    key = fold(value)
    return _REGIONS.get(key.removeprefix("region "))

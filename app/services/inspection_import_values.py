"""How spreadsheet cells name the columns and values of an inspection import: the quality
model's themes as columns, and the supervising authorities, visit kinds and sanctions.

Codes and the Danish names are accepted, compared as the member import compares them
(member_import_values.fold: no case, Danish letters spelt out), so "Socialtilsyn Øst",
"Øst" and "oest" are one authority. Dates are read as Danish Excel writes them
(15-03-2025, also with dots or slashes) or as ISO dates (2025-03-15).
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.i18n import localised
from app.models.vocabulary import Authority, SanctionKind, VisitKind
from app.services.csv_import import column_key
from app.services.inspections import frameworks
from app.services.member_import_values import fold

COLUMN_ALIASES = {
    "navn": "name", "tilbud": "name", "tilbudsnavn": "name", "afdeling": "name",
    "cvr_nummer": "cvr", "cvr_nr": "cvr", "cvrnr": "cvr",
    "dato": "visited_on", "tilsynsdato": "visited_on", "besøgsdato": "visited_on",
    "tilsyn": "authority", "socialtilsyn": "authority", "myndighed": "authority",
    "type": "kind", "tilsynstype": "kind", "besøgstype": "kind",
    "kvalitetsmodel": "framework_version", "model": "framework_version",
    "version": "framework_version",
    "sanktion": "sanction", "sanktion_beskrivelse": "sanction_description",
    "beskrivelse": "sanction_description", "frist": "sanction_deadline",
    "sanktion_frist": "sanction_deadline", "bemærkning": "note", "noter": "note",
}

# Accepted spellings besides the code (compared folded).
AUTHORITY_NAMES: dict[Authority, tuple[str, ...]] = {
    Authority.HOVEDSTADEN: ("Socialtilsyn Hovedstaden", "Hovedstaden"),
    Authority.OEST: ("Socialtilsyn Øst", "Øst"),
    Authority.SYD: ("Socialtilsyn Syd", "Syd"),
    Authority.MIDT: ("Socialtilsyn Midt", "Midt"),
    Authority.NORD: ("Socialtilsyn Nord", "Nord"),
}
VISIT_KIND_NAMES: dict[VisitKind, tuple[str, ...]] = {
    VisitKind.ANNOUNCED: ("Anmeldt besøg", "Anmeldt"),
    VisitKind.UNANNOUNCED: ("Uanmeldt besøg", "Uanmeldt"),
    VisitKind.DESK: ("Skriftligt tilsyn uden besøg", "Skriftligt tilsyn", "Skriftligt"),
}
SANCTION_NAMES: dict[SanctionKind, tuple[str, ...]] = {
    SanctionKind.PAABUD: ("Påbud",),
    SanctionKind.SKAERPET_TILSYN: ("Skærpet tilsyn", "Skærpet"),
}


def _lookup(names: dict) -> dict[str, str]:
    return {fold(spelling): code.value for code, spellings in names.items()
            for spelling in (code.value, *spellings)}


_AUTHORITIES, _VISIT_KINDS, _SANCTIONS = (_lookup(AUTHORITY_NAMES), _lookup(VISIT_KIND_NAMES),
                                          _lookup(SANCTION_NAMES))


def authority_code(text: str) -> str | None:
    return _AUTHORITIES.get(fold(text))


def visit_kind_code(text: str) -> str | None:
    return _VISIT_KINDS.get(fold(text))


def sanction_code(text: str) -> str | None:
    return _SANCTIONS.get(fold(text))


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DANISH = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")


def parsed_date(text: str) -> date | None:
    """The day a cell names, or None when it names none."""
    text = text.strip()
    if found := _ISO.fullmatch(text):
        year, month, day = found.groups()
    elif found := _DANISH.fullmatch(text):
        day, month, year = found.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class ThemeColumn:
    """A theme of the quality model as a column of the file."""

    column: str  # "sundhed_trivsel"
    theme_id: str  # "km.tema.sundhed-trivsel"
    title: str  # in the reader's language
    versions: tuple[str, ...]  # the loaded model versions that have the theme
    aliases: tuple[str, ...]  # its id and its titles, as headers


def theme_columns(session: Session) -> list[ThemeColumn]:
    """Every theme of every loaded version of the model, in the oldest version's order (as
    the inspection form lists them): the last part of its id is its column."""
    found: dict[str, ThemeColumn] = {}
    for version, (_id, model) in frameworks(session).items():
        for theme in model.themes:
            known = found.get(theme.id)
            found[theme.id] = ThemeColumn(
                column_key(theme.id.rsplit(".", 1)[-1]), theme.id,
                known.title if known else localised(theme, "title"),
                (*(known.versions if known else ()), version),
                known.aliases if known else _aliases(theme))
    return list(found.values())


def _aliases(theme) -> tuple[str, ...]:
    """The theme's id and its Danish and English titles as headers, with or without the
    Danish letters and commas ("Målgrupper, metoder og resultater")."""
    titles = [theme.title, theme.translations.en.title]
    return tuple(sorted({column_key(theme.id)} | {
        column_key(spelling) for title in titles
        for plain in (title, title.replace(",", "")) for spelling in (plain, fold(plain))}))

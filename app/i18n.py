"""Translations: Danish is the source language of every text, English is translated.

Texts are marked with `_()` where they are shown and `N_()` where they are defined
(services, enums), and translated for the locale of the current request.
"""

from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
TIMEZONE = "Europe/Copenhagen"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Marks a text for extraction without translating it here."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a text with a plural form for extraction; ngettext picks the form later."""
    return singular, plural


@cache
def translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def gettext(message: str, **params) -> str:
    text = translations(current_language.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params) -> str:
    """The form for `n`; `%(num)s` is `n` in the language's digit grouping (1.234)."""
    text = translations(current_language.get()).ngettext(singular, plural, n)
    return text % {"num": format_number(n, 0), **params}


_ = gettext


def pick_language(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def pick_accepted_language(header: str) -> str:
    """The first of our languages an Accept-Language header names, by its q order."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((-weight, position, tag.split("-")[0].strip().lower()))
    for _weight, _position, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _locale() -> Locale:
    return _locale_of(current_language.get())


@cache
def _locale_of(language: str) -> Locale:
    return Locale.parse("da_DK" if language == "da" else "en_GB")


# A day within a year that is said already (a column headed by it): "24. maj".
_DAY_OF_YEAR = {"da": "d. MMM", "en": "d MMM"}


def format_day(value: date | None, fmt: str = "long") -> str:
    """babel's format ("long", "short", …) or "day_of_year"."""
    if not value:
        return ""
    language = current_language.get()
    return _day(value, _DAY_OF_YEAR[language] if fmt == "day_of_year" else fmt, language)


@lru_cache(maxsize=4096)
def _day(value: date, fmt: str, language: str) -> str:
    # babel's format_date costs ~0.1 ms; an advisor's list says hundreds of dates.
    return format_date(value, format=fmt, locale=_locale_of(language))


# A date people read at a glance: "23. november 2026 kl. 14.32" (no seconds, no zone).
_DAY_AND_TIME = {"da": "d. MMMM y 'kl.' HH.mm", "en": "d MMMM y 'at' HH:mm"}


def format_moment(value: datetime | None, fmt: str = "short") -> str:
    if value is None:
        return ""
    if fmt == "day_and_time":
        fmt = _DAY_AND_TIME[current_language.get()]
    return format_datetime(value, format=fmt, tzinfo=TIMEZONE, locale=_locale())


@cache
def _separators(language: str) -> tuple[str, str]:
    """The language's decimal and thousands separators, as babel writes them."""
    sample = format_decimal(1234.5, format="#,##0.0", locale=Locale.parse(
        "da_DK" if language == "da" else "en_GB"))
    return sample[-2], sample[1]


def format_number(value: float | None, digits: int = 1) -> str:
    """Rounded to at most `digits` decimals, trailing zeros dropped: 3,5 / 4 / 1.234.

    Written with Python's own formatting and the locale's separators: babel's
    format_decimal costs ~0.25 ms a call, and a board page shows dozens of these.
    """
    if value is None:
        return "–"
    text = f"{round(value, digits):,.{digits}f}"
    if digits > 0:
        text = text.rstrip("0").rstrip(".")
    decimal, group = _separators(current_language.get())
    return text.translate({ord(","): group, ord("."): decimal})


def format_fixed(value: float | None, digits: int = 2) -> str:
    """Always `digits` decimals (3,60 and 4,00), so a column of figures lines up."""
    if value is None:
        return "–"
    return _decimals(value, digits)


def _decimals(value: float, digits: int) -> str:
    """babel's format_decimal(value, "0.00…") to the letter, written without it where
    that is simple (~0.25 ms a call saved; an advisor's list shows hundreds of scores):
    the float's shortest text rounded half to even, as babel does."""
    if not 0 <= value < 1000:  # signs and thousands: babel's own rules
        return format_decimal(value, format="0." + "0" * digits, locale=_locale())
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    return f"{rounded:f}".replace(".", _separators(current_language.get())[0])


def format_score(value: float | None, signed: bool = False) -> str:
    """3,0 / 3,5 in Danish (3.0 in English), always one decimal; "–" for none."""
    if value is None:
        return "–"
    text = _decimals(abs(value) if signed else value, 1)
    if not signed or round(value, 1) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def possessive(name: str) -> str:
    """"Egebos" in Danish ("Æblehaven Hus'" after s, x or z); "Egebo's" in English."""
    if current_language.get() == DEFAULT_LANGUAGE:
        return name + ("'" if name[-1:].lower() in "sxz" else "s")
    return name + ("'" if name.endswith("s") else "'s")


def localised(node, field: str):
    """A catalogue node's text in the current language, falling back to Danish."""
    language = current_language.get()
    if language != DEFAULT_LANGUAGE:
        translated = getattr(getattr(node, "translations", None), language, None)
        value = getattr(translated, field, None)
        if value:
            return value
    return getattr(node, field)

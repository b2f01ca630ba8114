"""The English catalogue is complete, consistent with its Danish texts, and not stale.

Danish is the source language: every UI text is a Danish msgid, and English lives in
app/locale/en/LC_MESSAGES/messages.po. A new text without an English translation fails here.
"""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
BABEL_CFG = ROOT / "babel.cfg"
PO_FILE = APP / "locale" / "en" / "LC_MESSAGES" / "messages.po"

# The same keywords as `make messages` (`-k N_` on top of Babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}

# A %-placeholder (`%(name)s`, `%(n)d` …) or an escaped percent sign.
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +\-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")

FIX = "Run `make messages` and translate the new texts in app/locale/en/LC_MESSAGES/messages.po."


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def _stray_percent(text: str) -> bool:
    """A `%` that is neither a placeholder nor `%%`; templates always %-format texts."""
    return "%" in PLACEHOLDER.sub("", text or "")


def _label(message_id) -> str:
    return " | ".join(_forms(message_id))


def test_catalogue_has_messages(catalog):
    assert len(_messages(catalog)) > 100


def test_every_message_is_translated(catalog):
    untranslated = [
        _label(message.id)
        for message in _messages(catalog)
        if not all(form and form.strip() for form in _forms(message.string))
    ]
    fuzzy = [_label(message.id) for message in _messages(catalog) if message.fuzzy]
    assert not untranslated, (
        f"{len(untranslated)} text(s) have no English translation:\n  "
        + "\n  ".join(untranslated)
        + f"\n{FIX}"
    )
    assert not fuzzy, (
        "These translations are marked fuzzy; check them and remove the flag:\n  "
        + "\n  ".join(fuzzy)
    )


def test_plural_messages_have_every_plural_form(catalog):
    wrong = [
        _label(message.id)
        for message in _messages(catalog)
        if message.pluralizable and len(_forms(message.string)) != catalog.num_plurals
    ]
    assert not wrong, "Plural texts without both English forms:\n  " + "\n  ".join(wrong)


def test_translations_keep_the_placeholders(catalog):
    wrong = []
    for message in _messages(catalog):
        expected = set().union(*(_placeholders(form) for form in _forms(message.id)))
        for form in _forms(message.string):
            if not form:
                continue  # reported by test_every_message_is_translated
            found = _placeholders(form)
            if found != expected:
                wrong.append(
                    f"{_label(message.id)!r}: expected {sorted(expected)}, "
                    f"the translation {form!r} has {sorted(found)}"
                )
            elif _stray_percent(form) and not any(_stray_percent(i) for i in _forms(message.id)):
                wrong.append(
                    f"{_label(message.id)!r}: the translation {form!r} has a bare '%'; "
                    "write '%%' (templates always %-format their texts)"
                )
    assert not wrong, "Translations whose placeholders differ from the Danish text:\n  " + (
        "\n  ".join(wrong)
    )


def _extracted() -> dict[str, tuple[tuple[str, ...], str]]:
    """Every text marked in the code and templates, as `make messages` extracts them.

    Keyed by msgid; the value is the message's forms (singular, plural) and where it was found.
    """
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(BABEL_CFG))
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(APP), method_map, options_map, keywords=KEYWORDS
    ):
        forms = _forms(message)
        found.setdefault(forms[0], (forms, f"app/{filename}:{lineno}"))
    return found


def test_catalogue_is_not_stale(catalog):
    extracted = _extracted()
    assert extracted, "Nothing was extracted from app/; is babel.cfg still right?"
    missing, plural_changed = [], []
    for msgid, (forms, where) in sorted(extracted.items()):
        message = catalog.get(msgid)
        if message is None:
            missing.append(f"{' | '.join(forms)}  ({where})")
        elif len(forms) > 1 and _forms(message.id)[1:] != forms[1:]:
            plural_changed.append(f"{' | '.join(forms)}  ({where})")
    assert not missing, (
        f"{len(missing)} text(s) in the code are not in the English catalogue:\n  "
        + "\n  ".join(missing)
        + f"\n{FIX}"
    )
    assert not plural_changed, (
        "These plural texts changed in the code since the catalogue was updated:\n  "
        + "\n  ".join(plural_changed)
        + f"\n{FIX}"
    )

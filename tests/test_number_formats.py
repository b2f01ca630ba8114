"""The numbers and dates people read are written like babel writes them, in both languages,
though the common cases skip babel for speed."""

import random
from datetime import date

import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from app import i18n

LOCALES = {"da": "da_DK", "en": "en_GB"}
random.seed(2026)
VALUES = ([n / 1000 for n in range(6001)] + [n / 3 for n in range(300)]
          + [random.uniform(0, 1500) for _ in range(3000)] + [-1.25, -0.05, 2.45, 3.45, 999.95])


@pytest.fixture(params=sorted(LOCALES))
def language(request):
    token = i18n.current_language.set(request.param)
    yield request.param
    i18n.current_language.reset(token)


def test_fixed_decimals_match_babel_exactly(language):
    locale = Locale.parse(LOCALES[language])
    for digits in (1, 2):
        pattern = "0." + "0" * digits
        wrong = [v for v in VALUES
                 if i18n.format_fixed(v, digits) != format_decimal(v, format=pattern,
                                                                    locale=locale)]
        assert wrong == []


def test_scores_round_half_to_even_like_babel(language):
    separator = "," if language == "da" else "."
    assert i18n.format_score(3.45) == f"3{separator}4"
    assert i18n.format_score(3.35) == f"3{separator}4"
    assert i18n.format_score(0.44, signed=True) == f"+0{separator}4"
    assert i18n.format_score(-1.25, signed=True) == f"−1{separator}2"
    assert i18n.format_score(None) == "–"


def test_days_match_babel(language):
    locale = Locale.parse(LOCALES[language])
    for day in (date(2026, 1, 1), date(2026, 12, 24), date(2027, 2, 28)):
        for fmt in ("long", "short", "medium"):
            assert i18n.format_day(day, fmt) == format_date(day, format=fmt, locale=locale)


FLAGGED = ('{{ ngettext("%(num)s medlem med flag i %(year)s", '
           '"%(num)s medlemmer med flag i %(year)s", total, year=2026) }}')


@pytest.mark.parametrize(("total", "da", "en"), [
    (1, "1 medlem med flag i 2026", "1 flagged member in 2026"),
    (22419, "22.419 medlemmer med flag i 2026", "22,419 flagged members in 2026"),
])
def test_counts_in_sentences_are_grouped_like_every_other_number(language, total, da, en):
    # The templates' ngettext, as the advisor's flag list heading uses it.
    from app.web.templating import templates

    rendered = templates.env.from_string(FLAGGED).render(total=total)
    assert rendered == (da if language == "da" else en)
    assert i18n.ngettext("%(num)s medlem med flag i %(year)s",
                         "%(num)s medlemmer med flag i %(year)s", total,
                         year=2026) == rendered


def test_template_text_escapes_what_is_filled_in(language):
    from app.web.templating import templates

    rendered = templates.env.from_string('{{ _("Ansvarlig: %(name)s", name=who) }}').render(
        who="<b>Eva</b>")
    assert "&lt;b&gt;Eva&lt;/b&gt;" in rendered and "<b>" not in rendered

"""Demo data: an invented sector reference, clearly labelled as such, for the board's chart.

Real figures come from a published source; these only show what the chart looks like.
"""

import random

from sqlmodel import Session

from app.models import User
from app.models.vocabulary import ProviderGroup
from app.services.audit import AuditAction
from app.services.sector_reference import (
    ReferenceInput,
    quality_themes,
    store_references,
)

DEMO_SOURCE = "Opfundet eksempel – ikke rigtige tal"
# Invented levels per provider group: the public ones a little lower, as LOS says.
LEVELS = {ProviderGroup.PUBLIC: 3.55, ProviderGroup.NON_PUBLIC: 3.8}


def add_reference_story(*, session: Session, admin: User, years: list[int],
                        rng: random.Random) -> int:
    """Figures for every theme and both provider groups in each of `years`; how many."""
    themes = quality_themes(session)
    figures = []
    for year in years:
        for group, level in LEVELS.items():
            for theme in themes:
                if year >= 2025 and "2025" not in theme.versions:
                    continue  # the themes that left the model in 2025
                mean = round(min(5.0, max(1.0, rng.gauss(level, 0.25))), 2)
                figures.append(ReferenceInput(source=DEMO_SOURCE, year=year,
                                              theme_key=theme.key, provider_group=group,
                                              mean=mean))
    store_references(session, admin, figures, AuditAction.IMPORT)
    session.commit()
    return len(figures)

"""Demo data: Socialtilsynet's inspections of the story members, as members record them.

Most members have an inspection a year for the last years, each covering some themes, with
official scores near their own self-assessment; a few see themselves clearly more kindly
than the inspector did (the advisors' self_above_official flag), and a few got a påbud or
skærpet tilsyn.
"""

import random
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.models import Assessment, Cycle, Organisation, Requirement, RequirementScore
from app.models.vocabulary import Authority, Region, SanctionKind, VisitKind
from app.services.board.themes import theme_map, theme_scores
from app.services.inspections import record_inspection

AUTHORITY_OF_REGION = {Region.HOVEDSTADEN: Authority.HOVEDSTADEN,
                       Region.SJAELLAND: Authority.OEST, Region.SYDDANMARK: Authority.SYD,
                       Region.MIDTJYLLAND: Authority.MIDT, Region.NORDJYLLAND: Authority.NORD}
# Every how manyth story member has none recorded, or a kinder self-view; who has a påbud.
WITHOUT_INSPECTIONS, SEES_ITSELF_KINDLY = 6, 7
SANCTIONED = frozenset({3, 11, 23})


def add_inspection_story(*, session: Session, today: date, organisations: list[Organisation],
                         cycles: list[Cycle], rng: random.Random) -> int:
    """Inspections of `organisations` in the years of `cycles`; how many were recorded."""
    latest = cycles[-1]
    themes = theme_map(session, latest.catalogue_version_id)
    if themes is None:
        return 0
    own = self_scores(session, [o.id for o in organisations], themes.themes)
    recorded = 0
    for number, organisation in enumerate(organisations, start=1):
        if number % WITHOUT_INSPECTIONS == 0 or organisation.id not in own:
            continue
        level = own[organisation.id]
        for cycle in cycles[-3:]:
            visited_on = min(today - timedelta(days=1),
                             date(cycle.year, rng.randint(2, 11), rng.randint(1, 28)))
            version = "2025" if visited_on.year >= 2025 else "2017"
            kindly = number % SEES_ITSELF_KINDLY == 0
            scores = []
            for theme in themes.themes:
                mine = level.get(theme.key)
                if mine is None or (version == "2025" and theme.number <= 2):
                    continue
                if not kindly and rng.random() < 0.3:
                    continue  # an inspection often covers only some themes
                official = mine - 1.4 if kindly else mine + rng.gauss(-0.1, 0.35)
                scores.append({"theme_id": theme.key,
                               "score": round(min(5.0, max(1.0, official)), 1)})
            if not scores:
                continue
            sanctions = []
            if number in SANCTIONED and cycle is latest:
                sanctions = [{"kind": SanctionKind.PAABUD,
                              "description": "Magtanvendelser skal indberettes inden for "
                                             "den fastsatte frist.",
                              "deadline": visited_on + timedelta(days=90)}]
            record_inspection(session=session, user=None, organisation_id=organisation.id,
                              today=today, commit=False, data={
                                  "visited_on": visited_on,
                                  "authority": AUTHORITY_OF_REGION[Region(organisation.region)],
                                  "kind": rng.choice([VisitKind.UNANNOUNCED,
                                                      VisitKind.ANNOUNCED]),
                                  "framework_version": version, "themes": scores,
                                  "sanctions": sanctions})
            recorded += 1
    session.commit()
    return recorded


def self_scores(session: Session, organisation_ids: list[int], themes
                 ) -> dict[int, dict[str, float | None]]:
    """Per member, its latest submitted self-assessment per theme (the calibration rule)."""
    rows = session.exec(
        select(Assessment.organisation_id, Cycle.year, Requirement.key, RequirementScore.score)
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .join(RequirementScore, col(RequirementScore.assessment_id) == col(Assessment.id))
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(col(Assessment.organisation_id).in_(organisation_ids),
               col(Assessment.submitted_at).is_not(None))).all()
    latest: dict[int, int] = {}
    for organisation_id, year, _key, _score in rows:
        latest[organisation_id] = max(latest.get(organisation_id, year), year)
    scores: dict[int, dict[str, float | None]] = {}
    for organisation_id, year, key, score in rows:
        if year == latest[organisation_id]:
            scores.setdefault(organisation_id, {})[key] = score
    return {organisation_id: theme_scores(themes, found)
            for organisation_id, found in scores.items()}

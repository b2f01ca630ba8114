"""Socialtilsynet's inspections of the bulk demo members (services/demo_bulk.py), written with
bulk inserts, so the calibration, the advisors' flags and the benchmark see inspections at
scale.

Most members have had an inspection in most of the last three years, covering most themes,
with official scores near their own level; one in twenty sees itself clearly more kindly
than the inspector did, and about one inspection in seventy gave a påbud (skærpet tilsyn is
rarer still). The same rules as the form: a theme scored 1-5 with one decimal, the quality
model in force on the day, no themes 1-2 under the 2025 model; the stored latest official
scores are rebuilt at the end.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Cycle, Inspection, InspectionSanction, InspectionScore
from app.models.vocabulary import Authority, Region, SanctionKind, VisitKind
from app.services import official_scores
from app.services.board.themes import theme_map
from app.services.demo_bulk import BATCH, chunked_insert
from app.services.demo_inspections import self_scores
from app.services.inspections import frameworks

INSPECTED_SHARE = 0.85  # of members: any inspection recorded at all
VISITED_SHARE = 0.8  # of those, each year
KINDLY_SHARE = 0.05  # of those: their self-view well above the inspector's
PAABUD_SHARE = 0.014  # of inspections
SKAERPET_SHARE = 0.003
AUTHORITY_OF_REGION = {Region.HOVEDSTADEN: Authority.HOVEDSTADEN,
                       Region.SJAELLAND: Authority.OEST, Region.SYDDANMARK: Authority.SYD,
                       Region.MIDTJYLLAND: Authority.MIDT, Region.NORDJYLLAND: Authority.NORD}
PAABUD_TEXT = "Magtanvendelser skal indberettes inden for den fastsatte frist."
SKAERPET_TEXT = "Skærpet tilsyn i tre måneder."


def add_bulk_inspections(*, session: Session, members: list, cycles: list[Cycle],
                         rng: random.Random, today: date) -> int:
    """Inspections of `members` (demo_bulk._Member) in the years of the last three
    `cycles`; how many were written. Does not commit."""
    themes = theme_map(session, cycles[-1].catalogue_version_id)
    models = {version: row_id for version, (row_id, _m) in frameworks(session).items()}
    if themes is None or not themes.themes or not models:
        return 0
    ids = [m.organisation_id for m in members]
    own = {}
    for start in range(0, len(ids), BATCH):  # each IN list under SQLite's variable limit
        own |= self_scores(session, ids[start:start + BATCH], themes.themes)
    planned: list[tuple[dict, dict[str, float], list[dict]]] = []
    for member in members:
        if rng.random() >= INSPECTED_SHARE:
            continue
        kindly = rng.random() < KINDLY_SHARE
        for cycle in cycles[-3:]:
            if rng.random() >= VISITED_SHARE:
                continue
            visited_on = min(today - timedelta(days=1),
                             date(cycle.year, rng.randint(2, 11), rng.randint(1, 28)))
            version = "2025" if visited_on.year >= 2025 and "2025" in models else "2017"
            scores = _theme_scores(member, own.get(member.organisation_id, {}), themes.themes,
                                   version, kindly, rng)
            if not scores or version not in models:
                continue
            moment = datetime.combine(min(today, visited_on + timedelta(days=30)), time(9),
                                      tzinfo=UTC)
            planned.append(({
                "organisation_id": member.organisation_id, "visited_on": visited_on,
                "authority": AUTHORITY_OF_REGION[Region(member.region)],
                "visit_kind": rng.choice([VisitKind.UNANNOUNCED, VisitKind.ANNOUNCED,
                                          VisitKind.UNANNOUNCED]),
                "framework_version_id": models[version], "note": "", "version": 1,
                "created_at": moment, "updated_at": moment},
                scores, _sanctions(visited_on, today, rng)))
    before = session.exec(select(func.max(Inspection.id))).one() or 0
    chunked_insert(session, Inspection, [inspection for inspection, _s, _x in planned])
    ids = {(org, on): row_id for row_id, org, on in session.exec(
        select(Inspection.id, Inspection.organisation_id, Inspection.visited_on).where(
            col(Inspection.id) > before))}
    score_rows, sanction_rows = [], []
    for inspection, scores, sanctions in planned:
        inspection_id = ids[inspection["organisation_id"], inspection["visited_on"]]
        score_rows += [{"inspection_id": inspection_id, "node_id": key, "level": "theme",
                        "score": score} for key, score in scores.items()]
        sanction_rows += [sanction | {"inspection_id": inspection_id} for sanction in sanctions]
    chunked_insert(session, InspectionScore, score_rows)
    chunked_insert(session, InspectionSanction, sanction_rows)
    official_scores.rebuild(session)
    return len(planned)


def _theme_scores(member, own: dict[str, float | None], themes, version: str, kindly: bool,
                  rng: random.Random) -> dict[str, float]:
    """Near the member's latest self-assessment of each theme (as the story members'), or
    its usual level less its weak areas when it has submitted none."""
    scores = {}
    for theme in themes:
        if version == "2025" and theme.number <= 2:
            continue  # the 2025 model merged them into others
        if not kindly and rng.random() < 0.3:
            continue  # an inspection often covers only some themes
        numbers = theme.requirement_numbers
        mine = own.get(theme.key)
        if mine is None:
            mine = member.level - 1.6 * sum(n in member.weak for n in numbers) / max(
                1, len(numbers))
        official = mine - 1.4 if kindly else mine + rng.gauss(-0.1, 0.35)
        scores[theme.key] = round(min(5.0, max(1.0, official)), 1)
    return scores


def _sanctions(visited_on: date, today: date, rng: random.Random) -> list[dict]:
    draw = rng.random()
    if draw < PAABUD_SHARE:
        return [{"kind": SanctionKind.PAABUD, "description": PAABUD_TEXT,
                 "deadline": visited_on + timedelta(days=90)}]
    if draw < PAABUD_SHARE + SKAERPET_SHARE:
        return [{"kind": SanctionKind.SKAERPET_TILSYN, "description": SKAERPET_TEXT,
                 "deadline": None}]
    return []

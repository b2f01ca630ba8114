"""Demo members at scale, written with bulk inserts: `etik demo --members 5000` and the
benchmark's data. The first members of the demo are written through the services (their
logins each show one part of the product); these are the thousands around them.

The same realism, in bulk: Danish-sounding names, service types, regions and sizes in the
demo's proportions; scores shaped like the sector (mostly 4-5, a weak area or two, a few
struggling members), declines, missing submissions, supervision reports with a påbud,
and actions in every state. Scores and counts follow the services' rules
(app/services/assessment/scoring.py), the submitted revision holds the same snapshot as a
submit would, and the board's histogram is rebuilt at the end.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from app.models import (
    Action,
    Answer,
    Assessment,
    AssessmentRevision,
    Cycle,
    Indicator,
    Organisation,
    Requirement,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import ActionPriority, ActionStatus, InjunctionKind, Region, Role
from app.services import theme_calibration
from app.services.assessment.scoring import AnswerState, requirement_result
from app.services.board.histograms import rebuild_histogram
from app.services.catalogue.lineage import key_map
from app.services.demo_names import (
    ACTION_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    LOW_COMMENTS,
    PLACE_NAMES,
    SERVICE_WEIGHTS,
    TOWNS,
)

CHUNK = 2_000
# Members planned and written together: bounds the rows held in memory, and every IN list
# stays under SQLite's limit of bound variables (32,766) at any scale.
BATCH = 5_000
# This year's state of a member in bulk: not started (no assessment), under way, submitted.
THIS_YEAR = {"not_started": 30, "draft": 35, "submitted": 35}
MISSING_SHARE = 0.12  # of past years: no submission that year
PAABUD_SHARE = 0.03
ACTION_SHARE = 0.2
PAABUD_TEXT = "Påbud om skriftlige procedurer for magtanvendelse."


@dataclass(frozen=True)
class _Member:
    organisation_id: int
    user_id: int
    service_type: str
    region: str
    level: float  # its usual score
    weak: frozenset[int]  # requirement numbers it scores well below its level
    decline: float  # how much lower this year is than the years before


def _name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(PLACE_NAMES)} {rng.choice(TOWNS)}" + (
        f" {number // 900 + 1}" if number > 900 else "")


def _members(session: Session, *, count: int, first_number: int, domain: str,
             password_hash: str, advisor_ids: list[int], rng: random.Random) -> list[_Member]:
    types, weights = list(SERVICE_WEIGHTS), list(SERVICE_WEIGHTS.values())
    regions, now = list(Region), utcnow()
    numbers = range(first_number, first_number + count)
    rows = [{"name": _name(rng, n), "cvr": f"{40000000 + n:08d}"[-8:],
             "company_name": f"{rng.choice(PLACE_NAMES)} ApS",
             "service_type": rng.choices(types, weights)[0], "region": rng.choice(regions),
             "places": rng.choice([0, *range(3, 45)]), "active": True, "created_at": now,
             "advisor_id": advisor_ids[n % len(advisor_ids)] if advisor_ids else None}
            for n in numbers]
    before = session.exec(select(func.max(Organisation.id))).one() or 0
    chunked_insert(session, Organisation, rows)
    organisations = session.exec(select(Organisation.id, Organisation.service_type,
                                        Organisation.region).where(
        col(Organisation.id) > before).order_by(Organisation.id)).all()
    chunked_insert(session, User, [
        {"email": f"member{n}@{domain}", "name": f"{rng.choice(FIRST_NAMES)} "
         f"{rng.choice(LAST_NAMES)}", "role": Role.MEMBER, "organisation_id": org_id,
         # Each organisation's one user is its leader, as in the story members.
         "password_hash": password_hash, "active": True, "member_admin": True,
         "created_at": now}
        for n, (org_id, _type, _region) in zip(numbers, organisations, strict=True)])
    users = dict(session.exec(select(User.organisation_id, User.id).where(
        col(User.organisation_id) > before)).all())
    members = []
    for org_id, service_type, region in organisations:
        struggling = rng.random() < 0.05
        level = rng.uniform(2.2, 3.0) if struggling else min(4.8, rng.gauss(4.1, 0.35))
        weak = frozenset(rng.sample(range(1, 11), k=rng.choice((0, 1, 1, 2))))
        decline = rng.uniform(0.5, 1.0) if rng.random() < 0.12 else 0.0
        members.append(_Member(org_id, users[org_id], service_type, region, level, weak,
                               decline))
    return members


def add_bulk_members(*, session: Session, cycles: list[Cycle], count: int, first_number: int,
                     domain: str, password_hash: str, advisor_ids: list[int],
                     rng: random.Random, today: date) -> list[_Member]:
    """`count` members numbered from `first_number`, with their years in `cycles` (oldest
    first; the last is this year's, open). Commits, after each batch of members too; the
    members, for their inspections (services/demo_bulk_inspections.py)."""
    members = _members(session, count=count, first_number=first_number, domain=domain,
                       password_hash=password_hash, advisor_ids=advisor_ids, rng=rng)
    years = [_Cycle(session, cycle, rng, today, cycle is cycles[-1]) for cycle in cycles]
    for start in range(0, len(members), BATCH):
        # Each member's latest submission so far, oldest year first: (version, key -> score).
        latest: dict[int, tuple[int, dict[str, float | None]]] = {}
        for year in years:
            year.write(members[start:start + BATCH], latest)
        session.commit()
    rebuild_histogram(session)
    theme_calibration.rebuild(session)
    session.commit()
    return members


class _Cycle:
    """One cycle's assessments, answers, scores, revisions and actions, planned then
    inserted in chunks."""

    def __init__(self, session: Session, cycle: Cycle, rng: random.Random, today: date,
                 this_year: bool):
        self.session, self.cycle, self.rng, self.today = session, cycle, rng, today
        self.this_year = this_year
        version = cycle.catalogue_version_id
        self.indicators = list(session.exec(select(Indicator).where(
            Indicator.catalogue_version_id == version).order_by(Indicator.position)))
        self.requirements = {r.id: r for r in session.exec(select(Requirement).where(
            Requirement.catalogue_version_id == version))}
        self.key_maps: dict[int, dict[str, str]] = {}  # an earlier version's keys to this one's
        self.moment = utcnow() if this_year else datetime.combine(
            cycle.opens_on + timedelta(days=25), time(10), tzinfo=UTC)

    def _plan(self, member: _Member) -> tuple[str, list, list] | None:
        if self.this_year:
            state = self.rng.choices(list(THIS_YEAR), list(THIS_YEAR.values()))[0]
            if state == "not_started":
                return None
        else:
            if self.rng.random() < MISSING_SHARE:
                return None
            state = "submitted"
        in_scope = [i for i in self.indicators if member.service_type in i.service_types]
        share = 1.0 if state == "submitted" else self.rng.uniform(0.1, 0.9)
        level = member.level - (member.decline if self.this_year else 0)
        given = []
        for indicator in in_scope[:max(1, round(len(in_scope) * share))]:
            number = self.requirements[indicator.requirement_id].number
            if self.rng.random() < 0.04:
                given.append((indicator, None, ""))  # "not relevant"
                continue
            target = level - (1.6 if number in member.weak else 0) + self.rng.gauss(0, 0.6)
            score = min(5, max(1, round(target)))
            given.append((indicator, score,
                          self.rng.choice(LOW_COMMENTS) if score <= 2 else ""))
        paabud = state == "submitted" and self.rng.random() < PAABUD_SHARE
        return state, in_scope, given, paabud

    def _previous(self, earlier: tuple[int, dict[str, float | None]] | None
                  ) -> dict[str, float | None]:
        """An earlier submission's scores by this cycle's keys (previous_scores.refresh)."""
        if earlier is None:
            return {}
        version, scores = earlier
        if version not in self.key_maps:
            self.key_maps[version] = key_map(self.session, version,
                                             self.cycle.catalogue_version_id)
        mapping = self.key_maps[version]
        return {mapping[key]: score for key, score in scores.items() if key in mapping}

    def write(self, members: list[_Member],
              latest: dict[int, tuple[int, dict[str, float | None]]]) -> None:
        """Inserts the members' year; `latest` holds their latest earlier submissions and
        gets theirs of this year."""
        plans = {m.organisation_id: (m, plan) for m in members if (plan := self._plan(m))}
        rows = []
        for member, (state, in_scope, given, paabud) in plans.values():
            submitted = state == "submitted"
            rows.append({
                "organisation_id": member.organisation_id, "cycle_id": self.cycle.id,
                "catalogue_version_id": self.cycle.catalogue_version_id,
                "status": state, "version": len(given) + 1, "answered_count": len(given),
                "in_scope_count": len(in_scope),
                "injunction_reported": (paabud if submitted else None),
                "injunction_kind": InjunctionKind.PAABUD if paabud else "",
                "injunction_description": PAABUD_TEXT if paabud else "",
                "injunction_version": 1 if submitted else 0,
                "submitted_at": self.moment if submitted else None,
                "created_at": self.moment, "updated_at": self.moment})
        chunked_insert(self.session, Assessment, rows)
        ids = dict(self.session.exec(select(Assessment.organisation_id, Assessment.id).where(
            Assessment.cycle_id == self.cycle.id,
            col(Assessment.organisation_id).in_(list(plans)))).all())
        answers, scores, revisions, actions = [], [], [], []
        for org_id, (member, (state, in_scope, given, paabud)) in plans.items():
            assessment_id = ids[org_id]
            before = self._previous(latest.get(org_id)) if state == "submitted" else {}
            answers += [{"assessment_id": assessment_id, "indicator_id": i.id, "score": score,
                         "not_applicable": score is None, "comment": comment,
                         "carried_over": False, "saved_at_version": n + 1,
                         "updated_by_id": member.user_id, "updated_at": self.moment}
                        for n, (i, score, comment) in enumerate(given)]
            requirement_scores = []
            for requirement_id in sorted({i.requirement_id for i in in_scope},
                                         key=lambda r: self.requirements[r].number):
                states = [AnswerState(score, score is None) for i, score, _c in given
                          if i.requirement_id == requirement_id]
                total = sum(1 for i in in_scope if i.requirement_id == requirement_id)
                result = requirement_result(states, total)
                requirement_scores.append((requirement_id, result.score))
                scores.append({"assessment_id": assessment_id, "requirement_id": requirement_id,
                               "score": result.score, "scored_count": result.scored_count,
                               "answered_count": result.answered_count,
                               "in_scope_count": result.in_scope_count,
                               "lowest_score": result.lowest,
                               "previous_score": before.get(
                                   self.requirements[requirement_id].key)})
            if state == "submitted":
                latest[org_id] = (self.cycle.catalogue_version_id, {
                    self.requirements[r].key: score for r, score in requirement_scores})
                revisions.append(self._revision(assessment_id, member, given,
                                                requirement_scores, paabud))
                if self.rng.random() < ACTION_SHARE:
                    actions += self._actions(member, assessment_id, requirement_scores)
        for model, batch in ((Answer, answers), (RequirementScore, scores),
                             (AssessmentRevision, revisions), (Action, actions)):
            chunked_insert(self.session, model, batch)

    def _revision(self, assessment_id: int, member: _Member, given: list,
                  requirement_scores: list, paabud: bool) -> dict:
        """The snapshot a submit stores (app/services/assessment/submission.snapshot)."""
        return {"assessment_id": assessment_id, "number": 1, "submitted_at": self.moment,
                "submitted_by_id": member.user_id, "snapshot": {
                    "answers": [{"indicator_id": i.key, "score": score,
                                 "not_applicable": score is None, "comment": comment}
                                for i, score, comment in given],
                    "reflections": [],
                    "requirement_scores": [{"requirement_id": self.requirements[r].key,
                                            "score": s} for r, s in requirement_scores],
                    "injunction": {"reported": paabud,
                                   "kind": InjunctionKind.PAABUD.value if paabud else "",
                                   "description": PAABUD_TEXT if paabud else ""},
                    "evidence": []}}

    def _actions(self, member: _Member, assessment_id: int, requirement_scores: list
                 ) -> list[dict]:
        weakest = sorted((s, r) for r, s in requirement_scores if s is not None)[:2]
        statuses = list(ActionStatus)
        return [{"organisation_id": member.organisation_id, "assessment_id": assessment_id,
                 "requirement_id": requirement_id, "title": self.rng.choice(ACTION_TITLES),
                 "description": "", "owner_email": "",
                 "due_on": self.today + timedelta(days=self.rng.randint(-60, 120)),
                 "priority": ActionPriority.NORMAL, "status": self.rng.choice(statuses),
                 "comment": "", "version": 1, "created_by_id": member.user_id,
                 "created_at": self.moment, "updated_at": self.moment}
                for _score, requirement_id in weakest]


def chunked_insert(session: Session, model, rows: list[dict]) -> None:
    """Bulk inserts of `rows` (dicts of `model`'s columns), a few thousand at a time."""
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start:start + CHUNK])

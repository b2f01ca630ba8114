"""Deterministic demo data: the demo logins of CONTRACT.md, their organisations, the
catalogues, annual cycles, and assessments in every state, all made through the services.

The story the data tells (the same for the same seed):
- `years` cycles: the earlier ones closed, this year's open now.
- Earlier years: most members submitted (some never did), scores slowly rising.
- This year: member1 submitted (gaps, a clear decline, actions open, overdue and done),
  member2 reopened by LOS, member3 nearly done, member4 started from last year's answers,
  member5 not started, member6 submitted with a reported påbud; the rest a mix.
- Døgntilbud, the largest service type, has enough submissions for the peer median.
"""

import random
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, select

from app.auth.passwords import hash_password
from app.clock import today as danish_today
from app.config import PROJECT_ROOT
from app.models import Assessment, AssessmentRevision, Cycle, Organisation, Requirement, User
from app.models.vocabulary import (
    ActionPriority,
    ActionStatus,
    InjunctionKind,
    Region,
    Role,
    ServiceType,
)
from app.services.actions import create_action, update_action
from app.services.assessment.answers import save_answer, save_injunction, save_reflection
from app.services.assessment.carry_over import carry_over_last_year
from app.services.assessment.start import start_assessment
from app.services.assessment.submission import reopen, submit
from app.services.assessment.view import indicators_in_scope
from app.services.catalogue.loading import load_catalogues
from app.services.catalogue.versions import latest_assessment_catalogue
from app.services.cycles import create_cycle
from app.services.demo_bulk import add_bulk_members
from app.services.demo_bulk_inspections import add_bulk_inspections
from app.services.demo_inspections import add_inspection_story
from app.services.demo_names import (
    ACTION_TITLES,
    FIRST_NAMES,
    LAST_NAMES,
    LOW_COMMENTS,
    PLACE_NAMES,
    SERVICE_WEIGHTS,
)
from app.services.demo_reference import add_reference_story
from app.services.demo_support import add_support_story
from app.services.errors import Invalid

DEMO_DOMAIN = "example.org"
# Members written through the services, each login a story; the rest go in bulk.
STORY_MEMBERS = 40
COLLEAGUE_LOGIN = "kollega1"  # a colleague of member1 who is not a leader
STAFF = [
    ("admin", "Anne Admin", Role.ADMIN),
    ("advisor", "Karsten Konsulent", Role.ADVISOR),
    ("advisor2", "Lene Konsulent", Role.ADVISOR),
    ("board", "Birgitte Bestyrelse", Role.BOARD),
]
_WORKS = ["Faste ugentlige samtaler med hver beboer.", "God dialog med forældrene.",
          "Personalet kender hinandens praksis gennem fælles supervision."]
_IMPROVE = ["Skrive vores praksis ned, så nye kolleger kan følge den.",
            "Følge op på aftalerne fra handleplanen hver måned.",
            "Inddrage de unge mere i planlægningen af hverdagen."]
# This year's state of members 1-6, so each demo login shows one part of the product.
_FIXED_STATES = {1: "submitted", 2: "reopened", 3: "nearly_done", 4: "carried_over",
                 5: "not_started", 6: "submitted"}
_STATE_WEIGHTS = {"submitted": 30, "nearly_done": 20, "few_answers": 20, "not_started": 25,
                  "reopened": 5}


def _submitted_in(number: int, years_back: int) -> bool:
    """Whether member `number` submitted `years_back` years ago: members 1-6 always (their
    logins show the comparisons), two in three others last year (the rest are missing
    submissions), and fewer each year before (members joined over the years)."""
    if number <= 6:
        return True
    return number % 3 != 0 and (years_back == 1 or number % 2 ** (years_back - 1) == 1)


class DemoAlreadyLoaded(Exception):
    pass


class DemoRefused(Exception):
    """Demo data is never loaded into a production database."""


@dataclass
class DemoSummary:
    organisations: int
    users: list[tuple[str, str]]  # (email, role)
    cycles: list[int] = field(default_factory=list)  # years
    states: dict[str, int] = field(default_factory=dict)  # this year's state -> members
    cases: int = 0  # support cases the advisors have
    inspections: int = 0  # inspection reports the story members recorded


def demo_is_loaded(session: Session) -> bool:
    return session.exec(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")).first() \
        is not None


def load_demo(*, session: Session, password: str, members: int = 40, years: int = 3,
              seed: int = 2026, today: date | None = None, catalogue_dir: Path | None = None,
              production: bool = False) -> DemoSummary:
    if production:
        raise DemoRefused()
    if demo_is_loaded(session):
        raise DemoAlreadyLoaded()
    today = today or danish_today()
    report = load_catalogues(session=session, root=catalogue_dir or PROJECT_ROOT / "catalogue")
    if not report.ok:
        raise ValueError(f"the catalogues do not load: {report.problems or report.refused}")
    rng = random.Random(seed)
    staff, people = _people(session, password, min(members, STORY_MEMBERS), rng)
    story = _Story(session, rng, today, staff["advisor"])
    cycles = story.cycles(years)
    summary = DemoSummary(organisations=members,
                          users=[(u.email, u.role.value) for u in [*staff.values(), *people]],
                          cycles=[c.year for c in cycles])
    for number, member in enumerate(people, start=1):
        story.member(number, member, cycles)
    bulk_inspections = 0
    if members > STORY_MEMBERS:
        bulk = add_bulk_members(session=session, cycles=cycles,
                                count=members - STORY_MEMBERS, first_number=STORY_MEMBERS + 1,
                                domain=DEMO_DOMAIN, password_hash=people[0].password_hash,
                                advisor_ids=[staff["advisor"].id, staff["advisor2"].id],
                                rng=rng, today=today)
        # A generator of their own, so the story members' figures stay as they were.
        bulk_inspections = add_bulk_inspections(
            session=session, members=bulk, cycles=cycles,
            rng=random.Random(f"{seed}-inspections"), today=today)
    summary.states = story.state_counts
    organisations = [session.get(Organisation, member.organisation_id) for member in people]
    summary.cases = add_support_story(session=session, today=today, advisor=staff["advisor"],
                                      cycle=cycles[-1], members=organisations)
    summary.inspections = add_inspection_story(session=session, today=today,
                                               organisations=organisations, cycles=cycles,
                                               rng=rng) + bulk_inspections
    add_reference_story(session=session, admin=staff["admin"],
                        years=[c.year - 1 for c in cycles[-2:]], rng=rng)
    if members > STORY_MEMBERS and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics for the planner after a bulk load: without them PostgreSQL
        # picked nested loops that made the advisors' flag list take 18 s at 5,000 members
        # until autovacuum got round to it (355 ms of SQL after ANALYZE).
        session.flush()
        session.execute(text("ANALYZE"))
    return summary


def _people(session: Session, password: str, members: int,
            rng: random.Random) -> tuple[dict[str, User], list[User]]:
    password_hash = hash_password(password)  # one hash: argon2 is slow on purpose
    staff = {}
    for local, name, role in STAFF:
        staff[local] = User(email=f"{local}@{DEMO_DOMAIN}", name=name, role=role,
                            password_hash=password_hash)
        session.add(staff[local])
    session.flush()
    advisors = [staff["advisor"], staff["advisor2"]]
    service_types = list(SERVICE_WEIGHTS)
    weights = list(SERVICE_WEIGHTS.values())
    regions = list(Region)
    people = []
    for number in range(1, members + 1):
        # Every third member a døgntilbud, so the largest type has peers to compare with.
        drawn = rng.choices(service_types, weights)[0]
        service_type = ServiceType.DOEGNTILBUD if number % 3 == 1 else drawn
        place = PLACE_NAMES[(number - 1) % len(PLACE_NAMES)]
        suffix = "" if number <= len(PLACE_NAMES) else f" {number // len(PLACE_NAMES) + 1}"
        organisation = Organisation(
            name=f"{place}{suffix}", cvr=f"{30000000 + number * 7919 % 9999999:08d}",
            company_name=f"{place} ApS", service_type=service_type,
            region=regions[(number - 1) % len(regions)], places=rng.randint(4, 40),
            advisor_id=advisors[number % 2].id,
        )
        session.add(organisation)
        session.flush()
        # The first user of each organisation is its leader: invites and removes colleagues.
        member = User(email=f"member{number}@{DEMO_DOMAIN}",
                      name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                      role=Role.MEMBER, organisation_id=organisation.id,
                      password_hash=password_hash, member_admin=True)
        session.add(member)
        people.append(member)
    if people:
        _colleagues(session, people[0].organisation_id, password_hash)
    session.commit()
    return staff, people


def _colleagues(session: Session, organisation_id: int, password_hash: str) -> None:
    """Member 1's organisation also has a colleague who is no leader (the colleagues page
    read only) and one invited who has not chosen a password yet. Fixed names: drawing them
    from the generator would change every story after them."""
    session.add(User(email=f"{COLLEAGUE_LOGIN}@{DEMO_DOMAIN}", name="Karen Kollega",
                     role=Role.MEMBER, organisation_id=organisation_id,
                     password_hash=password_hash))
    session.add(User(email=f"ny.kollega1@{DEMO_DOMAIN}", name="Nina Nyansat", role=Role.MEMBER,
                     organisation_id=organisation_id))


class _Story:
    """Writes one member's years of assessments and actions through the services."""

    def __init__(self, session: Session, rng: random.Random, today: date, advisor: User):
        self.session, self.rng, self.today, self.advisor = session, rng, today, advisor
        self.state_counts: dict[str, int] = {}
        self._submitted_doegn = 0
        self._scope: dict[tuple[int, str], list] = {}
        self._numbers: dict[int, dict[int, int]] = {}

    # --- cycles -----------------------------------------------------------------------------

    def cycles(self, years: int) -> list[Cycle]:
        version = latest_assessment_catalogue(session=self.session).row
        cycles = []
        for back in range(years - 1, 0, -1):
            year = self.today.year - back
            cycles.append(create_cycle(session=self.session, user=None, data={
                "year": year, "catalogue_version_id": version.id,
                "opens_on": date(year, 2, 1), "deadline": date(year, 4, 30)}))
        cycles.append(create_cycle(session=self.session, user=None, data={
            "year": self.today.year, "catalogue_version_id": version.id,
            "opens_on": self.today - timedelta(days=30),
            "deadline": self.today + timedelta(days=45)}))
        return cycles

    # --- one member ---------------------------------------------------------------------------

    def member(self, number: int, user: User, cycles: list[Cycle]) -> None:
        organisation = self.session.get(Organisation, user.organisation_id)
        level = self.rng.uniform(3.0, 4.4)
        # Weak spots: requirement numbers this member scores well below its level.
        weak = set(self.rng.sample(range(1, 11), k=self.rng.choice((1, 2, 2, 3))))
        if number == 1:
            weak = {2, 6}
        declining = number == 1 or self.rng.random() < 0.25
        past, current = cycles[:-1], cycles[-1]
        for back, cycle in enumerate(reversed(past), start=1):
            if not _submitted_in(number, back):
                continue
            old_weak = set() if declining and back == 1 else weak
            assessment = self._fill(user, organisation, cycle, level - 0.15 * back, old_weak,
                                    answered=1.0, day=cycle.opens_on + timedelta(days=20))
            self._submit(user, assessment, cycle, reported=False)
            if back == 1:
                self._last_years_actions(user, assessment, cycle, number)
        state = _FIXED_STATES.get(number) or self._state(organisation)
        self.state_counts[state] = self.state_counts.get(state, 0) + 1
        self._this_year(state, number, user, organisation, current, level, weak)

    def _state(self, organisation: Organisation) -> str:
        # Enough submitted døgntilbud for the peer median to show (5 beside member1).
        if organisation.service_type == ServiceType.DOEGNTILBUD and self._submitted_doegn < 6:
            return "submitted"
        states, weights = zip(*_STATE_WEIGHTS.items(), strict=True)
        return self.rng.choices(states, weights)[0]

    def _this_year(self, state: str, number: int, user: User, organisation: Organisation,
                   cycle: Cycle, level: float, weak: set[int]) -> None:
        day = self.today - timedelta(days=self.rng.randint(0, 20))
        if state == "not_started":
            return
        if state == "carried_over":
            assessment, _ = start_assessment(session=self.session, user=user,
                                             cycle_id=cycle.id, today=day)
            # Without an earlier submission (a single year of demo data): a fresh start.
            with suppress(Invalid):
                carry_over_last_year(session=self.session, assessment_id=assessment.id,
                                     user=user)
            self._fill(user, organisation, cycle, level, weak, answered=0.15, day=day)
            return
        answered = {"few_answers": 0.12, "nearly_done": 0.85}.get(state, 1.0)
        assessment = self._fill(user, organisation, cycle, level, weak, answered, day)
        if answered < 1:
            return
        if organisation.service_type == ServiceType.DOEGNTILBUD:
            self._submitted_doegn += 1
        assessment = self._submit(user, assessment, cycle, reported=number == 6
                                  or self.rng.random() < 0.08, now=True)
        if state == "reopened":
            reopen(session=self.session, assessment_id=assessment.id, user=self.advisor,
                   reason="Kommentarerne til fordring 4 mangler. Skriv gerne, hvad I gør.")
        elif number == 1 or self.rng.random() < 0.5:
            self._this_years_actions(user, assessment, weak)

    # --- answers ------------------------------------------------------------------------------

    def _in_scope(self, cycle: Cycle, service_type: str) -> list:
        key = (cycle.catalogue_version_id, service_type)
        if key not in self._scope:
            self._scope[key] = indicators_in_scope(self.session, cycle.catalogue_version_id,
                                                   service_type)
            self._numbers[cycle.catalogue_version_id] = dict(self.session.exec(
                select(Requirement.id, Requirement.number).where(
                    Requirement.catalogue_version_id == cycle.catalogue_version_id)).all())
        return self._scope[key]

    def _fill(self, user: User, organisation: Organisation, cycle: Cycle, level: float,
              weak: set[int], answered: float, day: date) -> Assessment:
        assessment, _ = start_assessment(session=self.session, user=user, cycle_id=cycle.id,
                                         today=day)
        indicators = self._in_scope(cycle, organisation.service_type)
        numbers = self._numbers[cycle.catalogue_version_id]
        count = max(1, round(len(indicators) * answered))
        touched: dict[int, list[int]] = {}
        for indicator in indicators[:count]:
            number = numbers[indicator.requirement_id]
            score = None
            if self.rng.random() > 0.04:  # now and then "not relevant"
                target = level - (1.7 if number in weak else 0) + self.rng.uniform(-0.9, 0.9)
                score = min(5, max(1, round(target)))
            comment = self.rng.choice(LOW_COMMENTS) if score is not None and score <= 2 else ""
            assessment, _ = save_answer(
                session=self.session, assessment_id=assessment.id,
                indicator_key=indicator.key, user=user,
                data={"score": score, "not_applicable": score is None, "comment": comment,
                      "version": assessment.version})
            touched.setdefault(number, []).append(score or 0)
        for requirement_id, number in numbers.items():
            if number in weak and number in touched and answered >= 0.85:
                key = self.session.get(Requirement, requirement_id).key
                assessment, _ = save_reflection(
                    session=self.session, assessment_id=assessment.id, requirement_key=key,
                    user=user, data={"what_works": self.rng.choice(_WORKS),
                                     "what_to_improve": self.rng.choice(_IMPROVE),
                                     "version": assessment.version})
        return assessment

    def _submit(self, user: User, assessment: Assessment, cycle: Cycle, reported: bool,
                now: bool = False) -> Assessment:
        description = ("Påbud om at dokumentere magtanvendelser og følge op på dem med "
                       "personalet." if reported else "")
        kind = InjunctionKind.PAABUD if reported else ""
        assessment = save_injunction(session=self.session, assessment_id=assessment.id,
                                     user=user, data={"reported": reported, "kind": kind,
                                                      "description": description,
                                                      "version": assessment.version})
        assessment = submit(session=self.session, assessment_id=assessment.id, user=user,
                            version=assessment.version)
        if not now:
            # submit() stamps the clock's time; a past year's submission belongs in its year.
            moment = datetime.combine(cycle.deadline - timedelta(days=self.rng.randint(1, 40)),
                                      time(10, self.rng.randint(0, 59)), tzinfo=UTC)
            revision = self.session.exec(select(AssessmentRevision).where(
                AssessmentRevision.assessment_id == assessment.id)).one()
            assessment.submitted_at = revision.submitted_at = moment
            self.session.add_all([assessment, revision])
            self.session.commit()
        return assessment

    # --- actions ------------------------------------------------------------------------------

    def _requirement_key(self, assessment: Assessment, number: int) -> str:
        return self.session.exec(select(Requirement.key).where(
            Requirement.catalogue_version_id == assessment.catalogue_version_id,
            Requirement.number == number)).one()

    def _last_years_actions(self, user: User, assessment: Assessment, cycle: Cycle,
                            number: int) -> None:
        """Actions written after last year's round: some done, some now overdue."""
        if number != 1 and self.rng.random() < 0.5:
            return
        created = cycle.deadline + timedelta(days=10)
        for index in range(2 if number == 1 else self.rng.randint(1, 2)):
            action = create_action(session=self.session, user=user, today=created, data={
                "organisation_id": user.organisation_id, "assessment_id": assessment.id,
                "requirement_id": self._requirement_key(assessment, self.rng.randint(1, 10)),
                "title": self.rng.choice(ACTION_TITLES), "owner_email": user.email,
                "due_on": created + timedelta(days=self.rng.randint(60, 150)),
                "priority": ActionPriority.HIGH if index == 0
                else ActionPriority.NORMAL})
            # member1's first one stays unfinished: overdue now, for its login to show.
            finished = index == 1 or (number != 1 and self.rng.random() < 0.4)
            update_action(session=self.session, user=user, action_id=action.id, data={
                "status": ActionStatus.DONE if finished else ActionStatus.IN_PROGRESS,
                "version": action.version,
                "comment": "Klaret og fulgt op på personalemødet." if finished else
                "Halvvejs; vi mangler at skrive det ned."})

    def _this_years_actions(self, user: User, assessment: Assessment, weak: set[int]) -> None:
        for number in sorted(weak)[:2]:
            create_action(session=self.session, user=user, today=self.today, data={
                "organisation_id": user.organisation_id, "assessment_id": assessment.id,
                "requirement_id": self._requirement_key(assessment, number),
                "title": self.rng.choice(ACTION_TITLES), "owner_email": user.email,
                "due_on": self.today + timedelta(days=self.rng.randint(30, 120)),
                "priority": self.rng.choice(("high", "normal", "low"))})

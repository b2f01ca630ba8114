"""What the self-assessment pages show: answer fields, reflections, steps and progress.

Plain data for the templates, built from the services' AssessmentView. A field shows what
the person typed when a save was refused, and the saved value otherwise.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from hashlib import sha256

from sqlmodel import Session

from app.i18n import gettext, localised
from app.models import Answer, Assessment, Indicator, Reflection, Requirement, User
from app.models.vocabulary import AssessmentStatus, Role
from app.services.assessment.access import get_assessment_for_user
from app.services.assessment.carry_over import previous_submission
from app.services.assessment.submission import injunction_problems, problems_in
from app.services.assessment.view import AssessmentView, load_view
from app.services.cycles import get_cycle
from app.services.errors import Conflict, Invalid, NotFound
from app.services.users import get_user
from app.web.forms import field_errors

NOT_APPLICABLE = "na"
# The form's one radio group stands for both of AnswerInput's fields.
ANSWER_FIELD_ALIASES = {"score": "choice", "not_applicable": "choice", "__root__": "choice"}


def fingerprint(*texts: str) -> str:
    """A short stand-in for what a person saw, so an untouched field is never re-saved."""
    normalised = "\x1f".join(t.replace("\r\n", "\n").strip() for t in texts)
    return sha256(normalised.encode()).hexdigest()[:20]


def choice_of(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.not_applicable:
        return NOT_APPLICABLE
    return "" if answer.score is None else str(answer.score)


def answer_data(choice: str, comment: str, version: str | int) -> dict:
    """The form's single radio group (1-5 or "na") said the way AnswerInput reads it."""
    return {"score": None if choice in ("", NOT_APPLICABLE) else choice,
            "not_applicable": choice == NOT_APPLICABLE, "comment": comment, "version": version}


@dataclass
class Theirs:
    """The value a colleague saved after this person loaded the page."""

    values: dict
    saved_at: datetime | None
    by: str


@dataclass
class AnswerField:
    indicator: Indicator
    node: object  # the catalogue's indicator, for its translated text
    choice: str
    comment: str
    version: int | str  # the assessment version this person last saw for this field
    seen: str
    carried_over: bool = False
    saved_at: datetime | None = None
    state: str = ""  # "", "saved", "invalid", "conflict", "locked"
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    theirs: Theirs | None = None
    keep_version: int | None = None
    preserve: bool = True  # keep the inputs the browser has (and what was typed meanwhile)
    needs_comment: bool = False  # saved as 1 or 2 without a comment: blocks submitting

    @property
    def key(self) -> str:
        return self.indicator.key


@dataclass
class ReflectionField:
    what_works: str
    what_to_improve: str
    version: int | str
    seen: str
    saved_at: datetime | None = None
    state: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    theirs: Theirs | None = None
    keep_version: int | None = None
    preserve: bool = True


@dataclass(frozen=True)
class Step:
    label: str
    href: str
    state: str  # "not_started", "in_progress", "done", "problems"
    current: bool
    number: int | None = None
    answered: int = 0
    total: int = 0


@dataclass(frozen=True)
class Progress:
    requirements_done: int  # nothing left in them that blocks submitting
    requirements_total: int
    answered: int
    in_scope: int
    requirements_to_review: int = 0  # answered, but something in them must be fixed
    injunction_to_review: bool = False  # "yes" to påbud/skærpet tilsyn without its details


@dataclass
class Page:
    """One loaded assessment and the person looking at it."""

    view: AssessmentView
    user: User
    problems: list
    injunction_gaps: list = field(default_factory=list)  # FieldErrors of the injunction step

    @property
    def assessment(self) -> Assessment:
        return self.view.assessment

    @property
    def editable(self) -> bool:
        return self.view.editable and self.user.role == Role.MEMBER

    @property
    def base(self) -> str:
        return f"/assessments/{self.assessment.id}"

    def requirement(self, number: int) -> Requirement:
        for requirement in self.view.requirements:
            if requirement.number == number:
                return requirement
        raise NotFound(gettext("Fordringen findes ikke."))

    def requirement_of(self, indicator_key: str) -> tuple[Requirement, Indicator]:
        for indicator in self.view.indicators:
            if indicator.key == indicator_key:
                by_id = {r.id: r for r in self.view.requirements}
                return by_id[indicator.requirement_id], indicator
        raise NotFound(gettext("Indikatoren findes ikke i denne selvevaluering."))

    def node(self, requirement: Requirement):
        return next(r for r in self.view.catalogue.requirements if r.id == requirement.key)


def load_page(session: Session, user: User, assessment_id: int) -> Page:
    """Authorizes (404 for another organisation, 403 for the board) and loads everything."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    view = load_view(session=session, assessment=assessment)
    problems = problems_in(view.indicators, {r.id: r for r in view.requirements},
                           view.answers)
    return Page(view, user, problems, injunction_problems(assessment))


# --- fields ---------------------------------------------------------------------------------


def saved_answer(page: Page, indicator: Indicator, *, preserve: bool = True) -> AnswerField:
    answer = page.view.answers.get(indicator.id)
    choice, comment = choice_of(answer), answer.comment if answer else ""
    nodes = {node.id: node for node in page.view.catalogue.iter_indicators()}
    # The submit rule (submission_problems) decides, so the field and the submit page agree.
    needs_comment = any(p.indicator_key == indicator.key and p.code == "low_score_without_comment"
                        for p in page.problems)
    return AnswerField(indicator, nodes.get(indicator.key, indicator), choice, comment,
                       page.assessment.version, fingerprint(choice, comment),
                       carried_over=bool(answer and answer.carried_over),
                       saved_at=answer.updated_at if answer else None,
                       preserve=preserve, needs_comment=needs_comment)


def saved_reflection(page: Page, requirement: Requirement, *,
                     preserve: bool = True) -> ReflectionField:
    reflection: Reflection | None = page.view.reflections.get(requirement.id)
    works = reflection.what_works if reflection else ""
    improve = reflection.what_to_improve if reflection else ""
    return ReflectionField(works, improve, page.assessment.version, fingerprint(works, improve),
                           saved_at=reflection.updated_at if reflection else None,
                           preserve=preserve)


def _name_of(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return gettext("en kollega")
    try:
        return get_user(session=session, user_id=user_id).name
    except NotFound:
        return gettext("en kollega")


def refused_answer(session: Session, page: Page, *, indicator: Indicator,
                   exc: Invalid | Conflict, choice: str, comment: str, version: str,
                   seen: str) -> AnswerField:
    """The field as typed, with the error, or beside the colleague's saved value."""
    shown = replace(saved_answer(page, indicator), choice=choice, comment=comment,
                    version=version, seen=seen or fingerprint(choice, comment))
    if isinstance(exc, Invalid):
        errors = field_errors(exc, aliases=ANSWER_FIELD_ALIASES)
        general = errors.pop("version", None) or errors.pop("indicator_id", None)
        return replace(shown, state="invalid", errors=errors,
                       message=general or exc.text())
    answer = page.view.answers.get(indicator.id)
    if answer is None or "answer" not in exc.data:
        return replace(shown, state="locked", message=exc.text())
    theirs = Theirs({"choice": choice_of(answer), "comment": answer.comment},
                    answer.updated_at, _name_of(session, answer.updated_by_id))
    return replace(shown, state="conflict", message=exc.text(), theirs=theirs,
                   keep_version=page.assessment.version, carried_over=False)


def refused_reflection(session: Session, page: Page, requirement: Requirement, *,
                       exc: Invalid | Conflict, what_works: str, what_to_improve: str,
                       version: str, seen: str) -> ReflectionField:
    shown = replace(saved_reflection(page, requirement), what_works=what_works,
                    what_to_improve=what_to_improve, version=version,
                    seen=seen or fingerprint(what_works, what_to_improve))
    if isinstance(exc, Invalid):
        errors = field_errors(exc)
        general = errors.pop("version", None)
        return replace(shown, state="invalid", errors=errors, message=general or exc.text())
    reflection = page.view.reflections.get(requirement.id)
    if reflection is None or "reflection" not in exc.data:
        return replace(shown, state="locked", message=exc.text())
    theirs = Theirs({"what_works": reflection.what_works,
                     "what_to_improve": reflection.what_to_improve},
                    reflection.updated_at, _name_of(session, reflection.updated_by_id))
    return replace(shown, state="conflict", message=exc.text(), theirs=theirs,
                   keep_version=page.assessment.version)


# --- steps and progress -----------------------------------------------------------------------


def progress_of(page: Page) -> Progress:
    """A requirement is done when nothing in it blocks submitting: answered is not enough
    (a low score without its justification, a carried-over answer not confirmed)."""
    blocked = {problem.requirement_number for problem in page.problems}
    answered_but_blocked = {problem.requirement_number for problem in page.problems
                            if problem.code != "unanswered"}
    done = total = 0
    for requirement in page.view.requirements:
        if not page.view.indicators_of(requirement.id):
            continue
        total += 1
        done += requirement.number not in blocked
    return Progress(done, total, page.assessment.answered_count,
                    len(page.view.indicators), len(answered_but_blocked),
                    bool(page.injunction_gaps))


def steps_of(page: Page, current: str = "") -> list[Step]:
    """Every requirement, then the injunction report and submitting, each with its state."""
    problems: dict[int, set[str]] = {}
    for problem in page.problems:
        problems.setdefault(problem.requirement_number, set()).add(problem.code)
    steps = []
    for requirement in page.view.requirements:
        indicators = page.view.indicators_of(requirement.id)
        codes = problems.get(requirement.number, set())
        score = page.view.scores.get(requirement.id)
        answered = score.answered_count if score else 0
        touched = any(i.id in page.view.answers for i in indicators)
        if codes - {"unanswered"}:
            state = "problems"
        elif not codes:
            state = "done"
        else:
            state = "in_progress" if touched else "not_started"
        steps.append(Step(tr_title(page, requirement), f"{page.base}/requirements/"
                          f"{requirement.number}", state, current == str(requirement.number),
                          requirement.number, answered, len(indicators)))
    if page.injunction_gaps:
        injunction_state = "problems"
    elif page.assessment.injunction_reported is not None:
        injunction_state = "done"
    else:
        injunction_state = "not_started"
    steps.append(Step(gettext("Påbud og skærpet tilsyn"), f"{page.base}/injunction",
                      injunction_state, current == "injunction"))
    submitted = page.assessment.status == AssessmentStatus.SUBMITTED
    steps.append(Step(gettext("Indsend"), f"{page.base}/submit",
                      "done" if submitted else "not_started",
                      current == "submit"))
    return steps


def tr_title(page: Page, requirement: Requirement) -> str:
    return localised(page.node(requirement), "title")


def next_open_step(page: Page) -> Step:
    """Where to continue: the first requirement not done, the injunction report, submit."""
    steps = steps_of(page)
    return next((step for step in steps if step.state != "done"), steps[-1])


def next_step(page: Page) -> str:
    return next_open_step(page).href


def page_context(page: Page, current: str) -> dict:
    return {"page": page, "view": page.view, "assessment": page.assessment,
            "organisation": page.view.organisation, "cycle": page.view.cycle,
            "editable": page.editable, "steps": steps_of(page, current),
            "progress": progress_of(page), "base": page.base}


def carry_over_offer(session: Session, page: Page):
    """Last year's cycle, when its answers could start a form that is still almost empty."""
    if not page.editable or len(page.view.answers) * 2 >= len(page.view.indicators):
        return None
    previous = previous_submission(session, page.assessment)
    return get_cycle(session=session, cycle_id=previous.cycle_id) if previous else None


def neighbours(page: Page, requirement: Requirement) -> tuple[str | None, str]:
    numbers = [r.number for r in page.view.requirements]
    index = numbers.index(requirement.number)
    previous = f"{page.base}/requirements/{numbers[index - 1]}" if index else None
    following = (f"{page.base}/requirements/{numbers[index + 1]}" if index + 1 < len(numbers)
                 else f"{page.base}/injunction")
    return previous, following


def requirement_context(session: Session, page: Page, requirement: Requirement, *,
                        answers: dict[str, AnswerField] | None = None,
                        reflection: ReflectionField | None = None) -> dict:
    answers = answers or {}
    fields = [answers.get(i.key) or saved_answer(page, i)
              for i in page.view.indicators_of(requirement.id)]
    previous, following = neighbours(page, requirement)
    carried = sum(1 for i in page.view.indicators_of(requirement.id)
                  if (a := page.view.answers.get(i.id)) is not None and a.carried_over)
    skipped_before, skipped_after = _skipped_around(page, requirement)
    return {**page_context(page, str(requirement.number)), "requirement": requirement,
            "carried_count": carried, "skipped_before": skipped_before,
            "skipped_after": skipped_after,
            "node": page.node(requirement), "fields": fields,
            "reflection": reflection or saved_reflection(page, requirement),
            "scale": page.view.catalogue.scale, "previous": previous, "next": following,
            "carry_over": carry_over_offer(session, page)}


def _skipped_around(page: Page, requirement: Requirement) -> tuple[dict[str, list[str]],
                                                                   list[str]]:
    """The letters this service type skips, where they would be: so 1.a, 1.c says why."""
    before: dict[str, list[str]] = {}
    waiting: list[str] = []
    indicators = page.view.indicators_of(requirement.id) + page.view.skipped_of(requirement.id)
    for indicator in sorted(indicators, key=lambda i: i.position):
        if indicator in page.view.skipped:
            waiting.append(indicator.ref)
        else:
            before[indicator.key], waiting = waiting, []
    return before, waiting

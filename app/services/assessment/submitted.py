"""The answers as they were submitted: one revision's snapshot, read with the catalogue.

What the receipt links to and what prints as the record of a submission, so it reads the
snapshot (what was submitted then), never today's answers of a reopened assessment.
"""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Assessment, AssessmentRevision, Evidence, User
from app.services.assessment.access import get_assessment_for_user
from app.services.assessment.view import AssessmentView, load_view
from app.services.errors import NotFound

NO_SUCH_REVISION = N_("Den indsendte version findes ikke.")


@dataclass(frozen=True)
class SubmittedAnswer:
    ref: str
    node: object  # the catalogue's indicator, for its translated text
    score: int | None
    not_applicable: bool
    comment: str

    @property
    def answered(self) -> bool:
        return self.score is not None or self.not_applicable


@dataclass(frozen=True)
class SubmittedEvidence:
    kind: str  # an EvidenceKind
    title: str
    url: str
    filename: str
    evidence_id: int | None  # the stored file, while it still exists
    removed_after_retention: bool = False  # the row stays, its file went (etik retention)


@dataclass(frozen=True)
class SubmittedRequirement:
    number: int
    node: object  # the catalogue's requirement, for title and description
    score: float | None
    answers: list[SubmittedAnswer]
    what_works: str
    what_to_improve: str
    evidence: list[SubmittedEvidence] = field(default_factory=list)


@dataclass
class SubmittedAnswers:
    view: AssessmentView
    revision: AssessmentRevision | None  # None: not submitted yet
    submitted_by: str = ""
    requirements: list[SubmittedRequirement] = field(default_factory=list)
    injunction: dict = field(default_factory=dict)  # reported, kind, description, as submitted
    revision_count: int = 0

    @property
    def assessment(self) -> Assessment:
        return self.view.assessment

    @property
    def is_latest(self) -> bool:
        return self.revision is not None and self.revision.number == self.revision_count


def load_submitted(*, session: Session, user: User, assessment_id: int,
                   number: int | None = None) -> SubmittedAnswers:
    """The latest submitted revision (or revision `number`) for someone who may see the
    assessment (get_assessment_for_user); 404 for a revision that does not exist."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    revisions = list(session.exec(select(AssessmentRevision).where(
        AssessmentRevision.assessment_id == assessment.id).order_by(AssessmentRevision.number)))
    view = load_view(session=session, assessment=assessment)
    if number is None and not revisions:
        return SubmittedAnswers(view, None)
    revision = (revisions[-1] if number is None
                else next((r for r in revisions if r.number == number), None))
    if revision is None:
        raise NotFound(NO_SUCH_REVISION)
    submitter = session.get(User, revision.submitted_by_id) if revision.submitted_by_id else None
    return SubmittedAnswers(view, revision, submitter.name if submitter else "–",
                            _requirements(session, view, revision), revision.snapshot.get(
                                "injunction", {}), len(revisions))


def _requirements(session: Session, view: AssessmentView,
                  revision: AssessmentRevision) -> list[SubmittedRequirement]:
    snapshot = revision.snapshot
    answers = {a["indicator_id"]: a for a in snapshot.get("answers", [])}
    reflections = {r["requirement_id"]: r for r in snapshot.get("reflections", [])}
    scores = {s["requirement_id"]: s["score"] for s in snapshot.get("requirement_scores", [])}
    evidence = _evidence(session, view, revision)
    indicator_nodes = {node.id: node for node in view.catalogue.iter_indicators()}
    requirement_nodes = {node.id: node for node in view.catalogue.requirements}
    result = []
    for requirement in view.requirements:
        rows = []
        for indicator in view.indicators_of(requirement.id):
            answer = answers.get(indicator.key, {})
            node = indicator_nodes.get(indicator.key, indicator)
            rows.append(SubmittedAnswer(indicator.ref, node, answer.get("score"),
                                        bool(answer.get("not_applicable")),
                                        answer.get("comment", "")))
        reflection = reflections.get(requirement.key, {})
        result.append(SubmittedRequirement(
            requirement.number, requirement_nodes.get(requirement.key, requirement),
            scores.get(requirement.key), rows, reflection.get("what_works", ""),
            reflection.get("what_to_improve", ""), evidence.get(requirement.key, [])))
    return result


def _evidence(session: Session, view: AssessmentView,
              revision: AssessmentRevision) -> dict[str, list[SubmittedEvidence]]:
    """By requirement key: the snapshot's list, or for a revision submitted before the
    snapshot kept evidence, what was added by then and is still there."""
    rows = [e for items in view.evidence.values() for e in items]
    existing = {e.id for e in rows if e.file_removed_at is None}
    expired = {e.id for e in rows if e.file_removed_at is not None}
    if "evidence" in revision.snapshot:
        result: dict[str, list[SubmittedEvidence]] = {}
        for item in revision.snapshot["evidence"]:
            kept = item.get("id") if item.get("id") in existing else None
            result.setdefault(item["requirement_id"], []).append(SubmittedEvidence(
                item["kind"], item["title"], item.get("url", ""), item.get("filename", ""),
                kept, item.get("id") in expired))
        return result
    keys = {r.id: r.key for r in view.requirements}
    rows = session.exec(select(Evidence).where(
        Evidence.assessment_id == view.assessment.id,
        col(Evidence.created_at) <= revision.submitted_at).order_by(Evidence.created_at))
    result = {}
    for row in rows:
        removed = row.file_removed_at is not None
        result.setdefault(keys[row.requirement_id], []).append(SubmittedEvidence(
            row.kind, row.title, row.url, row.filename, None if removed else row.id, removed))
    return result


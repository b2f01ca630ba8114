"""The scoring rules, in one place.

- A requirement's score is the mean of its scored indicators. "Not relevant", unanswered
  and carried-over answers not yet confirmed are left out; nothing is ever pre-filled.
- Progress is (answered or not relevant) / indicators in scope, confirmed answers only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean


@dataclass(frozen=True)
class AnswerState:
    score: int | None
    not_applicable: bool
    carried_over: bool = False

    @property
    def counts(self) -> bool:
        """Whether this answer counts this year (a carry-over counts once confirmed)."""
        return not self.carried_over and (self.score is not None or self.not_applicable)


@dataclass(frozen=True)
class RequirementResult:
    score: float | None
    scored_count: int
    answered_count: int
    in_scope_count: int
    lowest: int | None = None  # the lowest score the mean counts


def requirement_result(answers: Iterable[AnswerState], in_scope_count: int) -> RequirementResult:
    counted = [a for a in answers if a.counts]
    scores = [a.score for a in counted if a.score is not None and not a.not_applicable]
    return RequirementResult(
        score=round(fmean(scores), 2) if scores else None,
        scored_count=len(scores),
        answered_count=len(counted),
        in_scope_count=in_scope_count,
        lowest=min(scores) if scores else None,
    )


def is_gap(score: float | None, threshold: int) -> bool:
    return score is not None and score < threshold

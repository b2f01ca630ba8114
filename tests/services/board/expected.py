"""Figures computed in plain Python from the raw scores, to check the SQL against."""

import math
from statistics import fmean, median

from tests.services.board.seeding import Respondent

THRESHOLD = 3  # the shipped catalogue's


def step_of(score: float) -> str:
    return str(min(5, max(1, math.floor(score + 0.5))))


def expected_requirement(respondents: list[Respondent], key: str) -> dict:
    scores = [s for r in respondents if (s := r.score(key)) is not None]
    distribution = {str(step): 0 for step in range(1, 6)}
    for score in scores:
        distribution[step_of(score)] += 1
    distribution["na"] = len(respondents) - len(scores)
    return {
        "mean": fmean(scores) if scores else None,
        "median": median(scores) if scores else None,
        "distribution": distribution,
        "share": sum(s >= THRESHOLD for s in scores) / len(scores) if scores else None,
    }

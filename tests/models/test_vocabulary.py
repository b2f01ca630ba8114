"""The code lists: every member has its own label, even where lists share a value."""

import pytest

from app.models.vocabulary import (
    ActionPriority,
    ActionStatus,
    AssessmentStatus,
    CycleStatus,
    InjunctionKind,
)

LISTS = [CycleStatus, AssessmentStatus, InjunctionKind, ActionStatus, ActionPriority]


@pytest.mark.parametrize("code_list", LISTS, ids=lambda c: c.__name__)
def test_every_member_has_a_label(code_list):
    assert all(member.label for member in code_list)


def test_lists_sharing_a_value_keep_their_own_labels():
    assert CycleStatus.OPEN.label == "Åben"
    assert ActionStatus.OPEN.label == "Ikke startet"


def test_only_a_draft_or_reopened_assessment_is_editable():
    assert [s for s in AssessmentStatus if s.editable] == [AssessmentStatus.DRAFT,
                                                          AssessmentStatus.REOPENED]

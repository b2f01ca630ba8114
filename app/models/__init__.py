"""Table models; importing this package registers every table on the metadata."""

from app.models.actions import Action, ActionComment
from app.models.assessments import (
    Answer,
    Assessment,
    AssessmentRevision,
    Cycle,
    Evidence,
    Reflection,
    RequirementScore,
)
from app.models.audit import AuditEntry
from app.models.board import (  # noqa: F401 (indexes)
    RequirementRollup,
    RespondentCount,
    ScoreHistogram,
    former_members,
    members_by_places,
    members_by_region,
    members_by_service_type,
    scores_of_assessment,
    submitted_in_cycle,
)
from app.models.catalogues import CatalogueVersion, Indicator, NodeMapping, Requirement
from app.models.inspections import (
    Inspection,
    InspectionReport,
    InspectionSanction,
    InspectionScore,
    LatestOfficial,
    ThemeCalibration,
)
from app.models.limits import ResetRequest
from app.models.mail import OutboxMessage
from app.models.organisations import Organisation
from app.models.references import SectorReference
from app.models.support import ContactEntry, NoticeSent, SupportCase
from app.models.users import ApiToken, LoginAttempt, OneTimeLink, User, UserSession

__all__ = [
    "Action",
    "ActionComment",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentRevision",
    "AuditEntry",
    "CatalogueVersion",
    "ContactEntry",
    "Cycle",
    "Evidence",
    "Indicator",
    "Inspection",
    "InspectionReport",
    "InspectionSanction",
    "InspectionScore",
    "LatestOfficial",
    "LoginAttempt",
    "NodeMapping",
    "NoticeSent",
    "OneTimeLink",
    "Organisation",
    "OutboxMessage",
    "Reflection",
    "Requirement",
    "RequirementRollup",
    "RequirementScore",
    "ResetRequest",
    "RespondentCount",
    "ScoreHistogram",
    "SectorReference",
    "SupportCase",
    "ThemeCalibration",
    "User",
    "UserSession",
]

"""Fixed code lists shared by organisations, catalogues and aggregates."""

from enum import StrEnum

from app.i18n import N_, gettext


class ServiceType(StrEnum):
    """The kind of social service a member department runs (the legal basis in brackets)."""

    DOEGNTILBUD = "doegntilbud"  # barnets lov § 43, stk. 1, nr. 6
    KOSTSKOLE = "kostskole"  # barnets lov § 43, stk. 1, nr. 7
    PLEJEFAMILIE = "plejefamilie"  # barnets lov § 43, stk. 1, nr. 1-3
    DAGBEHANDLING = "dagbehandling"  # skolebehandlingstilbud / dagbehandling
    MIDLERTIDIGT_BOTILBUD = "midlertidigt_botilbud"  # servicelov § 107
    LAENGEREVARENDE_BOTILBUD = "laengerevarende_botilbud"  # servicelov § 108
    KVINDEKRISECENTER = "kvindekrisecenter"  # servicelov § 109
    FORSORGSHJEM = "forsorgshjem"  # servicelov § 110
    SOCIALPAEDAGOGISK_STOETTE = "socialpaedagogisk_stoette"  # servicelov § 85
    MISBRUGSBEHANDLING = "misbrugsbehandling"  # servicelov § 101


class Region(StrEnum):
    HOVEDSTADEN = "hovedstaden"
    SJAELLAND = "sjaelland"
    SYDDANMARK = "syddanmark"
    MIDTJYLLAND = "midtjylland"
    NORDJYLLAND = "nordjylland"


class Role(StrEnum):
    MEMBER = "member"
    ADVISOR = "advisor"
    BOARD = "board"
    ADMIN = "admin"


class LabelledEnum(StrEnum):
    """A code list whose members have a Danish label, translated when read."""

    @property
    def label(self) -> str:
        return gettext(_LABELS[type(self)][self])


class CycleStatus(LabelledEnum):
    """Where a cycle is relative to today: not yet open, open until its deadline, closed."""

    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class AssessmentStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REOPENED = "reopened"  # by LOS after submitting: editable again, then submitted anew

    @property
    def editable(self) -> bool:
        return self in EDITABLE_STATUSES


EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.REOPENED})


class InjunctionKind(LabelledEnum):
    """What Socialtilsynet imposed, as the member reports it (the "injunction" report)."""

    PAABUD = "paabud"
    SKAERPET_TILSYN = "skaerpet_tilsyn"
    BEGGE = "begge"


class EvidenceKind(StrEnum):
    """Evidence is an uploaded file or a link to a document kept elsewhere."""

    FILE = "file"
    LINK = "link"


class ActionStatus(LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionPriority(LabelledEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


# Per code list: members of different lists may share a value ("open"), and a StrEnum
# member hashes like its value.
_LABELS: dict[type, dict[str, str]] = {
    CycleStatus: {
        CycleStatus.PLANNED: N_("Planlagt"),
        CycleStatus.OPEN: N_("Åben"),
        CycleStatus.CLOSED: N_("Lukket"),
    },
    AssessmentStatus: {
        AssessmentStatus.DRAFT: N_("Kladde"),
        AssessmentStatus.SUBMITTED: N_("Indsendt"),
        AssessmentStatus.REOPENED: N_("Genåbnet af LOS"),
    },
    InjunctionKind: {
        InjunctionKind.PAABUD: N_("Påbud"),
        InjunctionKind.SKAERPET_TILSYN: N_("Skærpet tilsyn"),
        InjunctionKind.BEGGE: N_("Både påbud og skærpet tilsyn"),
    },
    ActionStatus: {
        ActionStatus.OPEN: N_("Ikke startet"),
        ActionStatus.IN_PROGRESS: N_("I gang"),
        ActionStatus.DONE: N_("Udført"),
        ActionStatus.CANCELLED: N_("Droppet"),
    },
    ActionPriority: {
        ActionPriority.HIGH: N_("Høj"),
        ActionPriority.NORMAL: N_("Normal"),
        ActionPriority.LOW: N_("Lav"),
    },
}

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


class RoundStatus(LabelledEnum):
    """Where a member is in a round (the admin's view of it): no assessment yet, one being
    filled in, submitted, or reopened by LOS and not yet submitted again."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REOPENED = "reopened"


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


class CaseStatus(LabelledEnum):
    """A support case: worked on, watched until the next contact, or done."""

    OPEN = "open"
    MONITORING = "monitoring"
    CLOSED = "closed"


class ContactKind(LabelledEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"


class FlagCode(LabelledEnum):
    """Why a member needs an advisor (services/advisor/flags.py)."""

    REPORTED_INJUNCTION = "reported_injunction"
    MISSING_SUBMISSION = "missing_submission"
    LOW_SCORE = "low_score"
    DECLINED = "declined"
    OVERDUE_ACTIONS = "overdue_actions"
    SELF_ABOVE_OFFICIAL = "self_above_official"


class Authority(LabelledEnum):
    """The five supervising municipalities (socialtilsyn), one per region."""

    HOVEDSTADEN = "hovedstaden"
    OEST = "oest"
    SYD = "syd"
    MIDT = "midt"
    NORD = "nord"


class VisitKind(LabelledEnum):
    ANNOUNCED = "announced"
    UNANNOUNCED = "unannounced"
    DESK = "desk"  # a review of documents, without a visit


class SanctionKind(LabelledEnum):
    """A sanction in an inspection report."""

    PAABUD = "paabud"  # an order with a deadline
    SKAERPET_TILSYN = "skaerpet_tilsyn"  # heightened supervision, at most 6 months at a time


class SizeBand(LabelledEnum):
    """A member's size by its number of places (Organisation.places); 0 is "not told us".

    The same bands for the advisors' filters and the board's segment.
    """

    UNKNOWN = "unknown"
    UP_TO_9 = "1-9"
    FROM_10 = "10-19"
    FROM_20 = "20-29"
    FROM_30 = "30+"

    @property
    def places(self) -> tuple[int, int | None]:
        """(lowest, highest) places, inclusive; highest None: no upper bound."""
        return SIZE_BAND_PLACES[self]


SIZE_BAND_PLACES = {SizeBand.UNKNOWN: (0, 0), SizeBand.UP_TO_9: (1, 9),
                    SizeBand.FROM_10: (10, 19), SizeBand.FROM_20: (20, 29),
                    SizeBand.FROM_30: (30, None)}


class ProviderGroup(LabelledEnum):
    """Which services a sector reference figure covers (as its source reports them)."""

    ALL = "all"
    PUBLIC = "public"
    NON_PUBLIC = "non_public"


class AuditAction(LabelledEnum):
    """The verbs an audit entry may carry (a plain string column: new ones need no migration)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    SUBMIT = "submit"
    REOPEN = "reopen"
    CARRY_OVER = "carry_over"
    IMPORT = "import"
    LOAD = "load"
    PASSWORD = "set_password"
    EXPORT = "export"  # all of an organisation's data downloaded
    RETENTION = "retention"  # an evidence file removed after the retention period
    REMIND = "remind"  # a reminder to submit, sent by an admin from the round's page
    LOGOUT = "end_sessions"  # a person logged their own other browsers out (My account)
    EMAIL_REQUESTED = "email_requested"  # a link to confirm a new email address was sent
    INVITE = "invite"  # an invitation sent again by a member's leader (services.colleagues)


class AuditEntity(LabelledEnum):
    """What an audit entry is about."""

    ACTION = "action"
    ANSWER = "answer"
    CASE = "support_case"
    CONTACT = "contact_entry"
    ASSESSMENT = "assessment"
    CATALOGUE_VERSION = "catalogue_version"
    CYCLE = "cycle"
    EVIDENCE = "evidence"
    INJUNCTION = "injunction"
    INSPECTION = "inspection"
    INSPECTION_REPORT = "inspection_report"  # the report's PDF; entity_id: the inspection
    ORGANISATION = "organisation"
    REFLECTION = "reflection"
    SECTOR_REFERENCE = "sector_reference"
    USER = "user"


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
    RoundStatus: {
        RoundStatus.NOT_STARTED: N_("Ikke startet"),
        RoundStatus.IN_PROGRESS: N_("I gang"),
        RoundStatus.SUBMITTED: N_("Indsendt"),
        RoundStatus.REOPENED: N_("Genåbnet af LOS"),
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
        ActionStatus.CANCELLED: N_("Annulleret"),
    },
    ActionPriority: {
        ActionPriority.HIGH: N_("Høj"),
        ActionPriority.NORMAL: N_("Normal"),
        ActionPriority.LOW: N_("Lav"),
    },
    CaseStatus: {
        CaseStatus.OPEN: N_("Åben"),
        CaseStatus.MONITORING: N_("Følges"),
        CaseStatus.CLOSED: N_("Lukket"),
    },
    ContactKind: {
        ContactKind.MEETING: N_("Møde"),
        ContactKind.CALL: N_("Telefonsamtale"),
        ContactKind.EMAIL: N_("E-mail"),
    },
    FlagCode: {
        FlagCode.REPORTED_INJUNCTION: N_("Påbud eller skærpet tilsyn"),
        FlagCode.MISSING_SUBMISSION: N_("Mangler indsendelse"),
        FlagCode.LOW_SCORE: N_("Lav score"),
        FlagCode.DECLINED: N_("Fald siden sidst"),
        FlagCode.OVERDUE_ACTIONS: N_("Handlinger over frist"),
        FlagCode.SELF_ABOVE_OFFICIAL: N_("Selvevaluering over tilsynets"),
    },
    Authority: {
        Authority.HOVEDSTADEN: N_("Socialtilsyn Hovedstaden"),
        Authority.OEST: N_("Socialtilsyn Øst"),
        Authority.SYD: N_("Socialtilsyn Syd"),
        Authority.MIDT: N_("Socialtilsyn Midt"),
        Authority.NORD: N_("Socialtilsyn Nord"),
    },
    VisitKind: {
        VisitKind.ANNOUNCED: N_("Anmeldt besøg"),
        VisitKind.UNANNOUNCED: N_("Uanmeldt besøg"),
        VisitKind.DESK: N_("Skriftligt tilsyn uden besøg"),
    },
    SanctionKind: {
        SanctionKind.PAABUD: N_("Påbud"),
        SanctionKind.SKAERPET_TILSYN: N_("Skærpet tilsyn"),
    },
    SizeBand: {
        SizeBand.UNKNOWN: N_("Antal pladser ikke oplyst"),
        SizeBand.UP_TO_9: N_("1–9 pladser"),
        SizeBand.FROM_10: N_("10–19 pladser"),
        SizeBand.FROM_20: N_("20–29 pladser"),
        SizeBand.FROM_30: N_("30 pladser eller flere"),
    },
    ProviderGroup: {
        ProviderGroup.ALL: N_("Alle tilbud"),
        ProviderGroup.PUBLIC: N_("Offentlige tilbud"),
        ProviderGroup.NON_PUBLIC: N_("Private og selvejende tilbud"),
    },
    AuditAction: {
        AuditAction.CREATE: N_("Oprettet"),
        AuditAction.UPDATE: N_("Ændret"),
        AuditAction.DELETE: N_("Slettet"),
        AuditAction.SUBMIT: N_("Indsendt"),
        AuditAction.REOPEN: N_("Genåbnet"),
        AuditAction.CARRY_OVER: N_("Hentet fra sidste år"),
        AuditAction.IMPORT: N_("Importeret"),
        AuditAction.LOAD: N_("Indlæst"),
        AuditAction.PASSWORD: N_("Adgangskode sat"),
        AuditAction.EXPORT: N_("Alle data hentet"),
        AuditAction.RETENTION: N_("Fil slettet efter opbevaringsperioden"),
        AuditAction.REMIND: N_("Påmindelse sendt"),
        AuditAction.LOGOUT: N_("Logget ud i andre browsere"),
        AuditAction.EMAIL_REQUESTED: N_("Ny e-mail bedt om"),
        AuditAction.INVITE: N_("Invitation sendt igen"),
    },
    AuditEntity: {
        AuditEntity.ACTION: N_("Handling"),
        AuditEntity.CASE: N_("Sag"),
        AuditEntity.CONTACT: N_("Kontakt"),
        AuditEntity.ANSWER: N_("Svar"),
        AuditEntity.ASSESSMENT: N_("Selvevaluering"),
        AuditEntity.CATALOGUE_VERSION: N_("Katalogversion"),
        AuditEntity.CYCLE: N_("Runde"),
        AuditEntity.EVIDENCE: N_("Dokumentation"),
        AuditEntity.INJUNCTION: N_("Påbud og skærpet tilsyn"),
        AuditEntity.ORGANISATION: N_("Organisation"),
        AuditEntity.REFLECTION: N_("Refleksion"),
        AuditEntity.INSPECTION: N_("Tilsynsrapport"),
        AuditEntity.INSPECTION_REPORT: N_("Tilsynsrapportens PDF"),
        AuditEntity.SECTOR_REFERENCE: N_("Sektorreference"),
        AuditEntity.USER: N_("Bruger"),
    },
}


def label_of(enum: type[LabelledEnum], value: str) -> str:
    """The label of a stored code, or the code itself when this version does not know it."""
    try:
        return enum(value).label
    except ValueError:
        return value

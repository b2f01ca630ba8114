"""The catalogue file format: Pydantic models that are the YAML format and its JSON Schema.

These models check the shape of one file. The meaning across nodes and files (numbering,
unique ids, a complete scale, resolvable references) is checked by
`app.services.catalogue.validation`, which is the way to read catalogue files.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from types import NoneType, UnionType
from typing import (
    Annotated,
    Any,
    Generic,
    Literal,
    NamedTuple,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, RootModel, StringConstraints

from app.models.vocabulary import ServiceType

ID_PATTERN = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
VERSION_PATTERN = r"^[0-9A-Za-z]+(?:[._-][0-9A-Za-z]+)*$"
REF_PATTERN = r"^[0-9]+\.[0-9a-z]+$"

# Stripping makes the content hash blind to YAML block-scalar trailing newlines.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
CatalogueKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=80)]
Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN, max_length=40)]
IndicatorRef = Annotated[str, StringConstraints(pattern=REF_PATTERN, max_length=20)]
Number = Annotated[int, Field(ge=1)]
ServiceTypes = Annotated[list[ServiceType], Field(min_length=1)]


class Relation(StrEnum):
    """How a source node relates to a target node, read as "source is <relation> of target"."""

    EQUAL = "equal"
    SUBSET = "subset"
    SUPERSET = "superset"
    INTERSECT = "intersect"


class Status(StrEnum):
    """Whether the wording is the owner's official text or a working draft in our words."""

    DRAFT = "draft"
    OFFICIAL = "official"


class _Format(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


T = TypeVar("T", bound=_Format)


class Translations(_Format, Generic[T]):
    """Translations of a node's Danish texts, per language code."""

    en: T
    """English: the same text fields as the Danish node."""


# Each translatable node extends its *Text model, so its text fields are declared once and
# `translations.en` has exactly the same fields as the Danish node.


class SourceText(_Format):
    title: Text
    """Title of the source (a law, a web page, a report)."""
    note: Text
    """What was taken from the source, and how far it is verified."""


class Source(SourceText):
    """Where the content comes from. Give a url, a citation or both."""

    url: HttpUrl | None = None
    citation: Text | None = None
    """Bibliographic reference, for sources without a stable web address."""
    translations: Translations[SourceText]


class ScaleStepText(_Format):
    label: Text
    description: Text | None = None


class ScaleStep(ScaleStepText):
    """One step of the scale, for example 5: i meget høj grad opfyldt."""

    value: int
    translations: Translations[ScaleStepText]


class ScaleText(_Format):
    not_applicable_label: Text | None = None
    """Label of the "not relevant" answer, required when it is allowed."""


class Scale(ScaleText):
    """The answer scale: every whole number from min to max has a labelled step."""

    min: int
    max: int
    threshold: int
    """A requirement scoring below the threshold is a gap."""
    not_applicable_allowed: bool
    """Whether an indicator may be answered "not relevant"; such answers never count as low."""
    steps: list[ScaleStep] = Field(min_length=2)
    translations: Translations[ScaleText] | None = None

    @property
    def values(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    def label_for(self, value: int) -> str:
        return next(step.label for step in self.steps if step.value == value)

    def is_gap(self, score: float) -> bool:
        return score < self.threshold


class MappingText(_Format):
    rationale: Text
    """Why the relation holds, in a sentence or two."""


class Mapping(MappingText):
    """A link from this node to a node of the reference framework."""

    to: NodeId
    """Id of a node (theme, criterion or indicator) in the reference framework."""
    relation: Relation
    translations: Translations[MappingText]


class SupersessionMapping(MappingText):
    """How a node of the superseded version relates to a node of this version."""

    from_: NodeId = Field(alias="from")
    """Id in the superseded version."""
    to: NodeId
    """Id in this version."""
    relation: Relation
    translations: Translations[MappingText]


class Supersession(_Format):
    """The version this one replaces. Ids present in both versions and not mapped are equal."""

    key: CatalogueKey | None = None
    """Catalogue key of the superseded version; defaults to this catalogue's key."""
    version: Version
    mappings: list[SupersessionMapping] = []
    """Nodes that split, merge or change meaning (and so got new ids)."""
    removed: list[NodeId] = []
    """Ids of the superseded version that map to nothing in this version."""


class FrameworkRef(_Format):
    """The version of a reference framework that requirement mappings point into."""

    key: CatalogueKey
    version: Version


class IndicatorText(_Format):
    text: Text
    """The statement, in Danish; its English twin goes under translations.en."""


class Indicator(IndicatorText):
    """A statement to score (assessment) or to read (reference)."""

    id: NodeId
    """Permanent id: never changed, never reused for another meaning."""
    ref: IndicatorRef
    """Display number such as 1.a; may change between versions."""
    applies_to: ServiceTypes | None = None
    """Service types the indicator applies to; omitted: those of its parent."""
    verified: bool = True
    """False when the wording is not checked against the official source."""
    translations: Translations[IndicatorText]


class RequirementText(_Format):
    title: Text
    description: Text
    """What the member commits to, in a sentence or two."""
    guidance_questions: list[Text] = []
    """Questions for reflection while answering."""
    evidence_examples: list[Text] = []
    """Examples of documentation that shows the requirement is met."""
    unmapped_rationale: Text | None = None
    """Why the requirement maps to nothing in the reference framework."""


class Requirement(RequirementText):
    """A requirement (fordring): its score is the mean of its scored indicators."""

    id: NodeId
    """Permanent id: never changed, never reused for another meaning."""
    number: Number
    """Display number, 1..n in file order."""
    applies_to: ServiceTypes | None = None
    """Service types the requirement applies to; omitted: those of the catalogue."""
    verified: bool = True
    """False when the meaning is not checked against the official wording."""
    indicators: list[Indicator] = Field(min_length=1)
    mappings: list[Mapping] = []
    """Links into the reference framework; when empty, give unmapped_rationale."""
    translations: Translations[RequirementText]


class NodeText(_Format):
    title: Text
    description: Text | None = None


class Criterion(NodeText):
    """A criterion of a reference framework, numbered 1..n across all themes."""

    id: NodeId
    number: Number
    verified: bool = True
    indicators: list[Indicator] = Field(min_length=1)
    translations: Translations[NodeText]


class Theme(NodeText):
    """A theme of a reference framework, numbered 1..n."""

    id: NodeId
    number: Number
    verified: bool = True
    criteria: list[Criterion] = Field(min_length=1)
    translations: Translations[NodeText]


class ReferenceNode(NamedTuple):
    id: str
    level: Literal["theme", "criterion", "indicator"]
    ref: str
    title: str


class SupersessionLink(NamedTuple):
    from_id: str
    to_id: str
    relation: Relation


class _Catalogue(NodeText):
    key: CatalogueKey
    """Name of the catalogue's folder; the same in every version."""
    version: Version
    """Name of the file without .yaml; write it in quotes, for example "2023"."""
    status: Status
    published_on: date
    sources: list[Source] = Field(min_length=1)
    applies_to: ServiceTypes | None = None
    """Service types the catalogue applies to; omitted: all."""
    supersedes: Supersession | None = None
    translations: Translations[NodeText]

    def content_hash(self) -> str:
        """Sha256 of the canonical JSON of the content, blind to YAML layout and comments."""
        content = self.model_dump(mode="json", by_alias=True)
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def node_ids(self) -> set[str]:
        raise NotImplementedError

    def supersession_links(self, previous: "_Catalogue") -> list[SupersessionLink]:
        """How nodes of the superseded version carry over: the mappings, plus `equal` for
        every id present in both versions and not mapped."""
        if self.supersedes is None:
            return []
        mapped = {m.from_ for m in self.supersedes.mappings}
        kept = sorted((previous.node_ids() & self.node_ids()) - mapped)
        return [SupersessionLink(m.from_, m.to, m.relation) for m in self.supersedes.mappings] + [
            SupersessionLink(node_id, node_id, Relation.EQUAL) for node_id in kept
        ]


class AssessmentCatalogue(_Catalogue):
    """A catalogue that members score themselves against."""

    kind: Literal["assessment"]
    reference_framework: FrameworkRef | None = None
    scale: Scale
    requirements: list[Requirement] = Field(min_length=1)

    def iter_requirements(self) -> Iterator[Requirement]:
        yield from self.requirements

    def iter_indicators(self) -> Iterator[Indicator]:
        for requirement in self.requirements:
            yield from requirement.indicators

    def node_ids(self) -> set[str]:
        return {node.id for node in [*self.iter_requirements(), *self.iter_indicators()]}

    def service_types_of(self, requirement: Requirement, indicator: Indicator) -> set[ServiceType]:
        """The service types an indicator applies to, inheriting from requirement and catalogue."""
        for declared in (indicator.applies_to, requirement.applies_to, self.applies_to):
            if declared is not None:
                return set(declared)
        return set(ServiceType)

    def indicators_for(self, service_type: ServiceType) -> list[Indicator]:
        """The indicators in scope for a department of this service type."""
        return [
            indicator
            for requirement in self.requirements
            for indicator in requirement.indicators
            if service_type in self.service_types_of(requirement, indicator)
        ]


class ReferenceFramework(_Catalogue):
    """A framework such as Socialtilsynet's quality model: read and mapped to, never scored."""

    kind: Literal["reference"]
    themes: list[Theme] = Field(min_length=1)

    def iter_nodes(self) -> Iterator[ReferenceNode]:
        for theme in self.themes:
            yield ReferenceNode(theme.id, "theme", str(theme.number), theme.title)
            for criterion in theme.criteria:
                number = str(criterion.number)
                yield ReferenceNode(criterion.id, "criterion", number, criterion.title)
                for indicator in criterion.indicators:
                    yield ReferenceNode(indicator.id, "indicator", indicator.ref, indicator.text)

    def node_ids(self) -> set[str]:
        return {node.id for node in self.iter_nodes()}


Catalogue = AssessmentCatalogue | ReferenceFramework
CATALOGUE_KINDS: dict[str, type[AssessmentCatalogue] | type[ReferenceFramework]] = {
    "assessment": AssessmentCatalogue,
    "reference": ReferenceFramework,
}


class CatalogueDocument(RootModel[Annotated[Catalogue, Field(discriminator="kind")]]):
    """One catalogue version: the whole content of catalogue/<key>/<version>.yaml."""


def text_fields(model: type[BaseModel]) -> dict[str, bool]:
    """The translatable fields of a node model, each with whether it is required."""
    translations = model.model_fields.get("translations")
    if translations is None:
        return {}
    english, _ = field_model(field_model(translations.annotation)[0].model_fields["en"].annotation)
    return {name: field.is_required() for name, field in english.model_fields.items()}


def field_model(annotation: Any) -> tuple[Any, bool]:
    """The model class behind a field annotation (or None), and whether it is a list of them."""
    if get_origin(annotation) in (Union, UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not NoneType)
    many = get_origin(annotation) is list
    if many:
        (annotation,) = get_args(annotation)
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return (annotation if is_model else None), many


def catalogue_json_schema() -> dict:
    """JSON Schema of a catalogue file, for editors' validation as you type."""
    schema = CatalogueDocument.model_json_schema()
    # Draft-07 is what YAML editors (yaml-language-server) support best.
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


def catalogue_json_schema_text() -> str:
    """The schema exactly as committed in catalogue/schema.json."""
    return json.dumps(catalogue_json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(catalogue_json_schema_text(), end="")

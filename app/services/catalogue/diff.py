"""What changed between two catalogue versions: requirements and indicators, by permanent id."""

from dataclasses import dataclass, field

from app.services.catalogue.format import AssessmentCatalogue, Catalogue, ReferenceFramework


@dataclass(frozen=True)
class NodeChange:
    id: str
    level: str  # "requirement", "indicator", "theme", "criterion"
    ref: str
    title: str
    old_title: str | None = None
    renamed_from: str | None = None  # the old id, when a supersession mapping links them
    relation: str | None = None


@dataclass
class CatalogueDiff:
    added: list[NodeChange] = field(default_factory=list)
    removed: list[NodeChange] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)
    mapped: list[NodeChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.mapped)


def _nodes(model: Catalogue) -> dict[str, tuple[str, str, str]]:
    """id -> (level, display ref, text) for every node of a version, in file order."""
    nodes: dict[str, tuple[str, str, str]] = {}
    if isinstance(model, AssessmentCatalogue):
        for requirement in model.requirements:
            text = f"{requirement.title}\n{requirement.description}"
            nodes[requirement.id] = ("requirement", str(requirement.number), text)
            for indicator in requirement.indicators:
                nodes[indicator.id] = ("indicator", indicator.ref, indicator.text)
    elif isinstance(model, ReferenceFramework):
        for node in model.iter_nodes():
            nodes[node.id] = (node.level, node.ref, node.title)
    return nodes


def _title(text: str) -> str:
    return text.split("\n", 1)[0]


def diff_versions(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Nodes added, removed and changed from `old` to `new`.

    When `new` supersedes `old` with explicit mappings, a mapped pair is reported as
    mapped (with its relation) rather than as one removal and one addition.
    """
    before, after = _nodes(old), _nodes(new)
    explicit = {}
    if new.supersedes is not None and new.supersedes.version == old.version:
        explicit = {m.to: m for m in new.supersedes.mappings}
    diff = CatalogueDiff()
    mapped_old = {m.from_ for m in explicit.values()}
    for node_id, (level, ref, text) in after.items():
        if node_id in explicit:
            mapping = explicit[node_id]
            old_text = before.get(mapping.from_, ("", "", ""))[2]
            diff.mapped.append(NodeChange(node_id, level, ref, _title(text), _title(old_text),
                                          mapping.from_, mapping.relation.value))
        elif node_id not in before:
            diff.added.append(NodeChange(node_id, level, ref, _title(text)))
        elif before[node_id][1:] != (ref, text):
            old_text = before[node_id][2]
            diff.changed.append(NodeChange(node_id, level, ref, _title(text),
                                           _title(old_text) if old_text != text else None))
    for node_id, (level, ref, text) in before.items():
        if node_id not in after and node_id not in mapped_old:
            diff.removed.append(NodeChange(node_id, level, ref, _title(text)))
    return diff

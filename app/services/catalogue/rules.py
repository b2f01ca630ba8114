"""Rules on the meaning of one catalogue file: unique ids, numbering, scale, translations.

The rules read the plain YAML data guided by the format models, not a parsed model, so
they still run, and report, when another part of the same file fails the format.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.models.vocabulary import ServiceType
from app.services.catalogue.format import (
    CATALOGUE_KINDS,
    Scale,
    Source,
    field_model,
    text_fields,
)
from app.services.catalogue.yaml_lines import Loc, dotted

Finding = tuple[Loc, str]
Node = tuple[Loc, type[BaseModel], dict]


def root_model(data: Any) -> type[BaseModel] | None:
    """The format model of a file's data, chosen by its kind."""
    kind = data.get("kind") if isinstance(data, dict) else None
    return CATALOGUE_KINDS.get(kind) if isinstance(kind, str) else None


def walk(model: type[BaseModel], data: Any, loc: Loc = ()) -> Iterator[Node]:
    """Every mapping in data that a format model describes, with that model, in file order."""
    if not isinstance(data, dict):
        return
    yield loc, model, data
    for name, field in model.model_fields.items():
        key = field.alias or name
        child, many = field_model(field.annotation)
        value = data.get(key)
        if child is None:
            continue
        if not many:
            yield from walk(child, value, (*loc, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(child, item, (*loc, key, index))


def model_at(model: type[BaseModel] | None, loc: Loc) -> type[BaseModel] | None:
    """The format model that describes the mapping at loc."""
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        model = field_model(field.annotation)[0] if field else None
    return model


def node_ids(data: Any) -> dict[str, Loc]:
    """The permanent ids of a file's nodes, each with where it is first given."""
    model = root_model(data)
    ids: dict[str, Loc] = {}
    for loc, node_model, node in walk(model, data) if model else ():
        if "id" in node_model.model_fields and isinstance(node.get("id"), str):
            ids.setdefault(node["id"], (*loc, "id"))
    return ids


def file_findings(data: Any) -> list[Finding]:
    """Everything wrong with the meaning of one file's data, in no particular order."""
    model = root_model(data)
    if model is None:
        return []
    nodes = list(walk(model, data))
    findings = [*_duplicate_ids(nodes), *_translations(nodes), *_service_types(nodes)]
    for loc, node_model, node in nodes:
        if node_model is Scale:
            findings += _scale(loc, node)
        elif node_model is Source and not node.get("url") and not node.get("citation"):
            findings.append((loc, "give a url or a citation, so the source can be found"))
    if "requirements" in data:
        requirements = list_items(data, "requirements", ())
        findings += _numbering(requirements, "requirements")
        findings += _indicator_refs(requirements)
        findings += _mappings(data, requirements)
    if "themes" in data:
        themes = list_items(data, "themes", ())
        criteria = [item for loc, theme in themes for item in list_items(theme, "criteria", loc)]
        findings += _numbering(themes, "themes")
        findings += _numbering(criteria, "criteria (across all themes)")
        findings += _indicator_refs(criteria)
    findings += _supersession(data, node_ids(data))
    return findings


def path_findings(path: Path, data: Any) -> list[Finding]:
    """The file must live at <catalogue root>/<key>/<version>.yaml."""
    if not isinstance(data, dict):
        return []
    findings = []
    key, version = data.get("key"), data.get("version")
    if isinstance(key, str) and path.parent.name != key:
        message = f"key '{key}' does not match the folder '{path.parent.name}'"
        findings.append((("key",), f"{message}: a catalogue lives in a folder named after its key"))
    if isinstance(version, str) and path.stem != version:
        message = f"version '{version}' does not match the file name '{path.name}'"
        findings.append((("version",), f"{message}: name the file {version}.yaml"))
    return findings


def list_items(data: Any, key: str, loc: Loc = ()) -> list[tuple[Loc, dict]]:
    """The mappings in the list data[key], each with its loc."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [((*loc, key, i), item) for i, item in enumerate(value) if isinstance(item, dict)]


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def _duplicate_ids(nodes: list[Node]) -> Iterator[Finding]:
    seen: dict[str, Loc] = {}
    for loc, model, node in nodes:
        node_id = node.get("id") if "id" in model.model_fields else None
        if not isinstance(node_id, str):
            continue
        if node_id in seen:
            yield (*loc, "id"), f"id '{node_id}' is already used by {dotted(seen[node_id])}"
        seen.setdefault(node_id, loc)


def _translations(nodes: list[Node]) -> Iterator[Finding]:
    for loc, model, node in nodes:
        fields = text_fields(model)
        translations = node.get("translations")
        if fields and translations is None:
            # Only optional translations can be absent here; the format reports the others.
            translations = {} if model.model_fields["translations"].is_required() else {"en": {}}
        english = translations.get("en") if isinstance(translations, dict) else None
        if not isinstance(english, dict):
            continue
        where = (*loc, "translations", "en")
        # Required English fields are reported by the format; these are the optional ones.
        for name in (name for name, required in fields.items() if not required):
            danish, translated = node.get(name), english.get(name)
            if danish is not None and translated is None:
                yield (*where, name), f"missing English translation of {name}"
            elif danish is None and translated is not None:
                yield (*where, name), f"English {name} given, but no Danish {name}"
            elif _lengths_differ(danish, translated):
                counts = f"{len(translated)} items in English, {len(danish)} in Danish"
                yield (*where, name), f"{counts}: translate each item once"


def _lengths_differ(danish: Any, english: Any) -> bool:
    both_lists = isinstance(danish, list) and isinstance(english, list)
    return both_lists and len(danish) != len(english)


def _service_types(nodes: list[Node]) -> Iterator[Finding]:
    # Nodes come parent first, so a node's nearest declaring ancestor is already known.
    declared: dict[Loc, set[str]] = {}
    known = {member.value for member in ServiceType}
    for loc, model, node in nodes:
        values = node.get("applies_to") if "applies_to" in model.model_fields else None
        if not isinstance(values, list):
            continue
        names = [value for value in values if isinstance(value, str)]
        for index, name in enumerate(names):
            if name in names[:index]:
                yield (*loc, "applies_to", index), f"service type '{name}' is listed twice"
        inherited = next(
            (declared[loc[:n]] for n in range(len(loc) - 1, -1, -1) if loc[:n] in declared), None
        )
        outside = [name for name in names if name in known and inherited and name not in inherited]
        if outside:
            allowed = ", ".join(sorted(inherited or ()))
            message = f"{', '.join(outside)} not among the service types of its parent ({allowed})"
            yield (*loc, "applies_to"), message
        declared[loc] = {name for name in names if name in known}


def _scale(loc: Loc, scale: dict) -> Iterator[Finding]:
    low, high = _int(scale.get("min")), _int(scale.get("max"))
    if low is None or high is None:
        return
    if low >= high:
        yield (*loc, "max"), f"max ({high}) must be greater than min ({low})"
        return
    labelled: dict[int, Loc] = {}
    for step_loc, step in list_items(scale, "steps", loc):
        value = _int(step.get("value"))
        if value is None:
            continue
        if not low <= value <= high:
            yield (*step_loc, "value"), f"value {value} is outside the scale {low}..{high}"
        elif value in labelled:
            yield (
                (*step_loc, "value"),
                f"value {value} is already labelled by {dotted(labelled[value])}",
            )
        labelled.setdefault(value, step_loc)
    missing = [str(value) for value in range(low, high + 1) if value not in labelled]
    if missing and isinstance(scale.get("steps"), list):
        message = f"no step for {', '.join(missing)}: every whole number from {low} to {high}"
        yield (*loc, "steps"), f"{message} needs a labelled step"
    threshold = _int(scale.get("threshold"))
    if threshold is not None and not low <= threshold <= high:
        yield (*loc, "threshold"), f"threshold {threshold} is outside the scale {low}..{high}"
    allowed, label = scale.get("not_applicable_allowed"), scale.get("not_applicable_label")
    if allowed is True and label is None:
        yield (*loc, "not_applicable_label"), "give a label when not_applicable_allowed is true"
    if allowed is False and label is not None:
        yield (
            (*loc, "not_applicable_label"),
            "a label is given, but not_applicable_allowed is false",
        )


def _numbering(items: list[tuple[Loc, dict]], what: str) -> Iterator[Finding]:
    seen: dict[int, Loc] = {}
    for expected, (loc, item) in enumerate(items, start=1):
        number = _int(item.get("number"))
        if number is None:
            continue
        if number in seen:
            yield (*loc, "number"), f"number {number} is already used by {dotted(seen[number])}"
        elif number != expected:
            yield (*loc, "number"), f"expected {expected}: {what} are numbered 1..n in file order"
        seen.setdefault(number, loc)


def _indicator_refs(parents: list[tuple[Loc, dict]]) -> Iterator[Finding]:
    seen: dict[str, Loc] = {}
    for parent_loc, parent in parents:
        number = _int(parent.get("number"))
        for loc, indicator in list_items(parent, "indicators", parent_loc):
            ref = indicator.get("ref")
            if not isinstance(ref, str):
                continue
            if ref in seen:
                yield (*loc, "ref"), f"ref '{ref}' is already used by {dotted(seen[ref])}"
            elif number is not None and not ref.startswith(f"{number}."):
                yield (
                    (*loc, "ref"),
                    f"ref '{ref}' should start with '{number}.', its parent's number",
                )
            seen.setdefault(ref, loc)


def _mappings(data: dict, requirements: list[tuple[Loc, dict]]) -> Iterator[Finding]:
    has_framework = data.get("reference_framework") is not None
    for loc, requirement in requirements:
        mappings = requirement.get("mappings") or []
        rationale = requirement.get("unmapped_rationale")
        if mappings and not has_framework:
            yield (*loc, "mappings"), "mappings need a reference_framework at the top of the file"
        elif has_framework and not mappings and rationale is None:
            message = "no mappings: map the requirement into the reference framework"
            yield (*loc, "mappings"), f"{message} or say why not in unmapped_rationale"
        elif mappings and rationale is not None:
            yield (*loc, "unmapped_rationale"), "give mappings or unmapped_rationale, not both"
        targets = [m.get("to") for m in mappings if isinstance(m, dict)]
        for index, target in enumerate(targets):
            if isinstance(target, str) and target in targets[:index]:
                yield (*loc, "mappings", index, "to"), f"'{target}' is mapped to twice"


def _supersession(data: dict, ids: dict[str, Loc]) -> Iterator[Finding]:
    supersedes = data.get("supersedes")
    if not isinstance(supersedes, dict):
        return
    loc: Loc = ("supersedes",)
    mapped_from: set[str] = set()
    for mapping_loc, mapping in list_items(supersedes, "mappings", loc):
        target, source = mapping.get("to"), mapping.get("from")
        if isinstance(source, str):
            mapped_from.add(source)
        if isinstance(target, str) and target not in ids:
            yield (*mapping_loc, "to"), f"'{target}' is not an id in this file"
    removed = supersedes.get("removed")
    for index, node_id in enumerate(removed if isinstance(removed, list) else []):
        where = (*loc, "removed", index)
        if not isinstance(node_id, str):
            continue
        if node_id in ids:
            yield where, f"'{node_id}' is listed as removed but is still in this version"
        elif node_id in mapped_from:
            yield where, f"'{node_id}' is listed as removed but is also mapped"
        elif node_id in removed[:index]:
            yield where, f"'{node_id}' is listed as removed twice"

"""Rules across catalogue files: references into other versions resolve, ids are never reused."""

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.services.catalogue.rules import Finding, list_items, node_ids
from app.services.catalogue.yaml_lines import Loc


@dataclass(frozen=True)
class CatalogueEntry:
    """What other files need to know about one catalogue file, read from its plain data."""

    path: Path
    data: dict
    ids: dict[str, Loc]

    @classmethod
    def of(cls, path: Path, data: Any) -> "CatalogueEntry | None":
        if not isinstance(data, dict):
            return None
        return cls(path=path, data=data, ids=node_ids(data))

    def _text(self, name: str) -> str | None:
        value = self.data.get(name)
        return value if isinstance(value, str) else None

    @property
    def key(self) -> str | None:
        return self._text("key")

    @property
    def version(self) -> str | None:
        return self._text("version")

    @property
    def kind(self) -> str | None:
        return self._text("kind")

    @property
    def published_on(self) -> date | None:
        value = self.data.get("published_on")
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None  # the format reports it
        return value if isinstance(value, date) else None

    @property
    def name(self) -> str:
        return f"{self.key} {self.version}"


class CatalogueIndex:
    """Catalogue files by key and version; earlier entries win when two claim the same one."""

    def __init__(self, entries: list[CatalogueEntry]) -> None:
        self.entries = [entry for entry in entries if entry.key and entry.version]

    def find(self, key: str, version: str) -> CatalogueEntry | None:
        return next((e for e in self.entries if (e.key, e.version) == (key, version)), None)

    def versions(self, key: str) -> list[CatalogueEntry]:
        """One entry per version of a catalogue, oldest first."""
        first: dict[str, CatalogueEntry] = {}
        for entry in self.entries:
            if entry.key == key:
                first.setdefault(entry.version or "", entry)
        return sorted(first.values(), key=lambda e: (e.published_on or date.min, e.version))

    def same_version_in_same_root(self, entry: CatalogueEntry) -> list[CatalogueEntry]:
        return [
            other
            for other in self.entries
            if (other.key, other.version) == (entry.key, entry.version)
            and other.path.resolve() != entry.path.resolve()
            and other.path.resolve().parent.parent == entry.path.resolve().parent.parent
        ]


def cross_file_findings(entry: CatalogueEntry, index: CatalogueIndex) -> list[Finding]:
    """Everything wrong with how one file relates to the other catalogue files."""
    if not entry.key or not entry.version:
        return []
    return [
        *_duplicates(entry, index),
        *_framework(entry, index),
        *_supersession(entry, index),
        *_lineage(entry, index),
    ]


def _duplicates(entry: CatalogueEntry, index: CatalogueIndex) -> Iterator[Finding]:
    for other in index.same_version_in_same_root(entry):
        yield ("version",), f"{entry.name} is also defined in {other.path}"


def _framework(entry: CatalogueEntry, index: CatalogueIndex) -> Iterator[Finding]:
    reference = entry.data.get("reference_framework")
    if not isinstance(reference, dict):
        return
    key, version = reference.get("key"), reference.get("version")
    if not isinstance(key, str) or not isinstance(version, str):
        return
    framework = index.find(key, version)
    if framework is None:
        yield ("reference_framework",), f"no catalogue file for {key} {version}"
        return
    if framework.kind != "reference":
        yield ("reference_framework",), f"{key} {version} is not a reference framework"
        return
    for loc, requirement in list_items(entry.data, "requirements"):
        for mapping_loc, mapping in list_items(requirement, "mappings", loc):
            target = mapping.get("to")
            if isinstance(target, str) and target not in framework.ids:
                message = f"'{target}' is not an id in {framework.name}"
                yield (*mapping_loc, "to"), message + _suggestion(target, framework.ids)


def _supersession(entry: CatalogueEntry, index: CatalogueIndex) -> Iterator[Finding]:
    supersedes = entry.data.get("supersedes")
    if not isinstance(supersedes, dict) or not isinstance(supersedes.get("version"), str):
        return
    key = supersedes.get("key") if isinstance(supersedes.get("key"), str) else entry.key
    version = supersedes["version"]
    previous = index.find(key, version)
    if previous is None or previous.path.resolve() == entry.path.resolve():
        yield ("supersedes", "version"), f"no other catalogue file for {key} {version}"
        return
    if previous.kind != entry.kind:
        yield ("supersedes",), f"{previous.name} is a {previous.kind} catalogue, not {entry.kind}"
    if entry.published_on and previous.published_on and previous.published_on >= entry.published_on:
        since = previous.published_on.isoformat()
        yield ("published_on",), f"must be later than that of {previous.name} ({since})"
    mapped: set[str] = set()
    for loc, mapping in list_items(supersedes, "mappings", ("supersedes",)):
        source = mapping.get("from")
        if not isinstance(source, str):
            continue
        mapped.add(source)
        if source not in previous.ids:
            message = f"'{source}' is not an id in {previous.name}"
            yield (*loc, "from"), message + _suggestion(source, previous.ids)
    removed = supersedes.get("removed")
    removed = removed if isinstance(removed, list) else []
    for position, node_id in enumerate(removed):
        if isinstance(node_id, str) and node_id not in previous.ids:
            message = f"'{node_id}' is not an id in {previous.name}"
            yield ("supersedes", "removed", position), message
    for node_id in previous.ids:
        if node_id not in entry.ids and node_id not in mapped and node_id not in removed:
            message = f"'{node_id}' of {previous.name} is missing from this version"
            yield ("supersedes",), f"{message}: map it under mappings or list it under removed"


def _lineage(entry: CatalogueEntry, index: CatalogueIndex) -> Iterator[Finding]:
    versions = index.versions(entry.key or "")
    position = next((i for i, e in enumerate(versions) if e.version == entry.version), 0)
    if position == 0:
        return
    if "supersedes" not in entry.data:
        message = f"{versions[position - 1].name} is older: say which version this one supersedes"
        yield ("supersedes",), message
    previous, earlier = versions[position - 1], versions[: position - 1]
    for node_id, loc in entry.ids.items():
        if node_id in previous.ids:
            continue
        reused_from = next((e for e in earlier if node_id in e.ids), None)
        if reused_from is not None:
            message = f"id '{node_id}' of {reused_from.name} was dropped in {previous.name}"
            yield loc, f"{message} and must not be reused: give this node a new id"


def _suggestion(value: str, candidates: dict[str, Loc]) -> str:
    close = difflib.get_close_matches(value, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""

"""Validating catalogue files: every problem at once, one `FILE:LINE: FIELD: message` each."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.config import PROJECT_ROOT
from app.services.catalogue.format import (
    CATALOGUE_KINDS,
    ID_PATTERN,
    KEY_PATTERN,
    REF_PATTERN,
    VERSION_PATTERN,
    Catalogue,
    CatalogueDocument,
)
from app.services.catalogue.references import CatalogueEntry, CatalogueIndex, cross_file_findings
from app.services.catalogue.rules import Finding, file_findings, model_at, path_findings
from app.services.catalogue.yaml_lines import (
    DOCUMENT,
    Loc,
    YamlDocument,
    YamlSyntaxError,
    dotted,
    duplicate_keys,
    read_yaml,
)

# The repository's own catalogue: references from files elsewhere (test fixtures, a draft
# in a home folder) still resolve against the published reference frameworks.
REPO_CATALOGUE_ROOT = PROJECT_ROOT / "catalogue"

PATTERN_HINTS = {
    ID_PATTERN: "ids are lowercase a-z and digits, joined by '.', '-' or '_'",
    KEY_PATTERN: "keys are lowercase a-z and digits, joined by '-'",
    VERSION_PATTERN: "versions are letters and digits, joined by '.', '-' or '_'",
    REF_PATTERN: "refs are the parent's number, a dot and a letter, such as 1.a",
}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class ValidatedFile:
    """One file's problems, and its model when it has none."""

    path: Path
    model: Catalogue | None
    problems: list[Problem]
    document: YamlDocument | None = field(default=None, repr=False)


@dataclass
class CatalogueCheck:
    """The result of validating several files together, references across them included."""

    files: list[ValidatedFile]

    @property
    def problems(self) -> list[Problem]:
        return [problem for file in self.files for problem in file.problems]

    @property
    def models(self) -> list[Catalogue]:
        return [file.model for file in self.files if file.model is not None]


def discover_catalogue_files(root: Path | str) -> list[Path]:
    """The YAML files of a catalogue root (<root>/<key>/<version>.yaml) or of one key folder."""
    root = Path(root)
    return sorted({*root.glob("*.yaml"), *root.glob("*/*.yaml")})


def validate_file(path: Path | str) -> ValidatedFile:
    """Check one file on its own: syntax, format, meaning, and its place in the folders."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return _unreadable(path, 1, "the file is not UTF-8 text")
    except OSError as error:
        return _unreadable(path, 1, f"cannot read the file: {error.strerror}")
    try:
        document = read_yaml(text)
    except YamlSyntaxError as error:
        return _unreadable(path, error.line, error.message)
    data = document.data
    if not isinstance(data, dict):
        found = "nothing" if data is None else _describe(data)
        message = f"expected a mapping of catalogue fields (field: value lines), found {found}"
        return _unreadable(path, document.line_of(()), message)
    model, findings = _parse(data)
    findings += duplicate_keys(document.root)
    findings += file_findings(data)
    findings += path_findings(path, data)
    problems = _problems(path, document, findings)
    return ValidatedFile(path, None if problems else model, problems, document)


def validate_catalogue(
    paths: Iterable[Path | str], *, catalogue_root: Path | None = None
) -> CatalogueCheck:
    """Check files together; references also resolve against the catalogue roots around them.

    A directory stands for its catalogue files. Besides the given files, references resolve
    against every file in each given file's catalogue root (the folder above its key
    folder) and in `catalogue_root` (default: the repository's catalogue folder).
    """
    files = _unique([f for p in map(Path, paths) for f in _expand(p)])
    results = [validate_file(path) for path in files]
    given = {path.resolve() for path in files}
    own_roots = [path.parent.parent for path in files]
    roots = _unique([*own_roots, catalogue_root or REPO_CATALOGUE_ROOT])
    context = [
        _entry(path)
        for root in roots
        if root.is_dir()
        for path in discover_catalogue_files(root)
        if path.resolve() not in given
    ]
    entries = [_entry_of(result) for result in results]
    index = CatalogueIndex([entry for entry in [*entries, *context] if entry is not None])
    for result, entry in zip(results, entries, strict=True):
        if entry is None or result.document is None:
            continue
        extra = _problems(result.path, result.document, cross_file_findings(entry, index))
        if extra:
            result.problems = sorted({*result.problems, *extra})
            result.model = None
    return CatalogueCheck(results)


def validate_paths(
    paths: Iterable[Path | str], *, catalogue_root: Path | None = None
) -> list[Problem]:
    """Every problem in the given files and folders, cross-file references included."""
    return validate_catalogue(paths, catalogue_root=catalogue_root).problems


def _expand(path: Path) -> list[Path]:
    return discover_catalogue_files(path) if path.is_dir() else [path]


def _unique(paths: list[Path]) -> list[Path]:
    seen: dict[Path, Path] = {}
    for path in paths:
        seen.setdefault(path.resolve(), path)
    return list(seen.values())


def _entry(path: Path) -> CatalogueEntry | None:
    try:
        return CatalogueEntry.of(path, read_yaml(path.read_text(encoding="utf-8")).data)
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return None  # a broken neighbour is reported when it is validated itself


def _entry_of(result: ValidatedFile) -> CatalogueEntry | None:
    return CatalogueEntry.of(result.path, result.document.data) if result.document else None


def _unreadable(path: Path, line: int, message: str) -> ValidatedFile:
    return ValidatedFile(path, None, [Problem(str(path), line, DOCUMENT, message)])


def _problems(path: Path, document: YamlDocument, findings: list[Finding]) -> list[Problem]:
    problems = {
        Problem(str(path), document.line_of(loc), dotted(loc), message) for loc, message in findings
    }
    return sorted(problems, key=lambda p: (p.line, p.field, p.message))


def _parse(data: dict) -> tuple[Catalogue | None, list[Finding]]:
    try:
        return CatalogueDocument.model_validate(data).root, []
    except ValidationError as error:
        kind = data.get("kind")
        model = CATALOGUE_KINDS.get(kind) if isinstance(kind, str) else None
        findings = []
        for detail in error.errors(include_url=False):
            loc = tuple(detail["loc"])
            if model is not None and loc[:1] == (kind,):
                loc = loc[1:]  # the discriminated union puts the kind in front
            if detail["type"].startswith("union_tag"):
                loc = ("kind",)
            findings.append((loc, _message(detail, model, loc)))
        return None, findings


def _message(detail: Any, model: type[BaseModel] | None, loc: Loc) -> str:
    kind, value, context = detail["type"], detail.get("input"), detail.get("ctx") or {}
    found = _describe(value)
    name = str(loc[-1]) if loc else ""
    if kind == "missing" and "translations" in loc:
        if loc[-1] in ("translations", "en"):
            return "missing English translation: add translations: {en: {...}}"
        return f"missing English translation of {name}"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'" + _did_you_mean(name, model_at(model, loc[:-1]))
    messages = {
        "missing": "required field is missing",
        "union_tag_not_found": "required field is missing: 'assessment' or 'reference'",
        "union_tag_invalid": f"unknown kind '{context.get('tag')}': 'assessment' or 'reference'",
        "enum": f"unknown value {value!r}: expected {context.get('expected')}",
        "literal_error": f"unknown value {value!r}: expected {context.get('expected')}",
        "string_type": f"expected text, found {found}" + _quote_hint(value),
        "string_pattern_mismatch": f"{value!r} is not valid: "
        + PATTERN_HINTS.get(context.get("pattern"), f"must match {context.get('pattern')}"),
        "string_too_short": "must not be empty",
        "too_short": f"needs at least {context.get('min_length')} item(s)",
        "int_type": f"expected a whole number, found {found}",
        "int_parsing": f"expected a whole number, found {found}",
        "int_from_float": f"expected a whole number, found {value!r}",
        "greater_than_equal": f"must be at least {context.get('ge')}",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
        "list_type": f"expected a list, found {found}",
        "model_type": f"expected a mapping (field: value lines), found {found}",
        "model_attributes_type": f"expected a mapping (field: value lines), found {found}",
    }
    if kind in messages:
        return messages[kind]
    if kind.startswith("date"):
        return f"expected a date such as 2023-05-01, found {value!r}"
    if kind.startswith("url"):
        return f"expected a web address starting with https://, found {value!r}"
    return detail["msg"]


def _did_you_mean(name: str, model: type[BaseModel] | None) -> str:
    known = [f.alias or n for n, f in model.model_fields.items()] if model else []
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | date):
        return ""
    return f': put it in quotes, like "{value}"'


def _describe(value: Any) -> str:
    names = [
        (type(None), "an empty value"),
        (bool, "true/false"),
        (int | float, f"the number {value}"),
        (str, "text"),
        (list, "a list"),
        (dict, "a mapping"),
        (date, "a date"),
    ]
    return next((label for kind, label in names if isinstance(value, kind)), type(value).__name__)

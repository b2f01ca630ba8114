"""Catalogue validation: each kind of problem is reported as FILE:LINE: FIELD: message."""

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml

from app.services.catalogue.format import AssessmentCatalogue
from app.services.catalogue.validation import (
    Problem,
    discover_catalogue_files,
    validate_catalogue,
    validate_file,
    validate_paths,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalogue"
REPO_CATALOGUE = Path(__file__).parents[2] / "catalogue"
MINIMAL = yaml.safe_load((FIXTURES / "valid-minimal" / "2024.yaml").read_text(encoding="utf-8"))


def only_problem(fixture: str) -> str:
    """The one problem the fixture file has, as printed."""
    problems = validate_paths([FIXTURES / fixture])
    assert len(problems) == 1, problems
    return str(problems[0])


def printed(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def where(fixture: str, line: int, field: str) -> str:
    return f"{FIXTURES / fixture}:{line}: {field}: "


def write_catalogue(
    root: Path, data: Any, *, key: str | None = None, version: str = "2024"
) -> Path:
    key = key or (data["key"] if isinstance(data, dict) else "some-key")
    path = root / key / f"{version}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def validate_data(data: Any) -> tuple[Path, list[Problem]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_catalogue(Path(tmp), data, key="valid-minimal")
        return path, validate_paths([path])


def minimal(**changes: Any) -> dict:
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


# Shipped content and well-formed files


def test_every_shipped_catalogue_file_is_valid():
    assert printed(validate_paths([REPO_CATALOGUE])) == []


def test_a_shipped_file_validated_alone_resolves_its_reference_framework():
    path = REPO_CATALOGUE / "los-etisk-forventningskatalog" / "2023.yaml"
    assert printed(validate_paths([path])) == []


def test_a_minimal_file_is_valid_and_parsed_into_its_model():
    result = validate_file(FIXTURES / "valid-minimal" / "2024.yaml")
    assert result.problems == []
    assert isinstance(result.model, AssessmentCatalogue)
    assert result.model.key == "valid-minimal"


def test_a_problem_prints_as_file_line_field_and_message():
    problem = Problem("catalogue/x/2024.yaml", 7, "requirements[2].title", "must not be empty")
    assert str(problem) == "catalogue/x/2024.yaml:7: requirements[2].title: must not be empty"


def test_a_file_with_a_problem_has_no_model():
    result = validate_file(FIXTURES / "duplicate-id" / "2024.yaml")
    assert result.problems
    assert result.model is None


def test_a_directory_stands_for_the_yaml_files_in_it():
    files = discover_catalogue_files(REPO_CATALOGUE)
    assert REPO_CATALOGUE / "socialtilsyn-kvalitetsmodel" / "2025.yaml" in files
    assert all(path.suffix == ".yaml" for path in files)


def test_a_missing_file_is_a_problem_and_not_an_exception(tmp_path):
    missing = tmp_path / "nowhere" / "2024.yaml"
    assert printed(validate_paths([missing])) == [
        f"{missing}:1: (document): cannot read the file: No such file or directory"
    ]


# One fixture per kind of problem


def test_a_yaml_syntax_error_is_reported_where_the_unclosed_quote_opens():
    assert only_problem("yaml-syntax").startswith(where("yaml-syntax/2024.yaml", 36, "(document)"))


def test_a_file_that_is_not_a_mapping_is_reported_at_its_first_item():
    problem = only_problem("not-a-mapping")
    assert problem.startswith(where("not-a-mapping/2024.yaml", 2, "(document)"))
    assert "found a list" in problem


def test_an_unknown_field_is_reported_at_its_key_with_a_suggestion():
    field = "requirements[1].indicators[0].tekst"
    assert only_problem("unknown-field") == (
        where("unknown-field/2024.yaml", 43, field) + "unknown field 'tekst' (did you mean 'text'?)"
    )


def test_a_missing_field_is_reported_at_the_line_of_its_parent_mapping():
    field = "requirements[0].indicators[0].text"
    assert only_problem("missing-field") == (
        where("missing-field/2024.yaml", 30, field) + "required field is missing"
    )


def test_a_value_of_the_wrong_type_is_reported_at_its_key():
    assert only_problem("wrong-type") == (
        where("wrong-type/2024.yaml", 17, "scale.threshold") + "expected a whole number, found text"
    )


def test_a_duplicate_id_is_reported_at_its_second_use():
    field = "requirements[1].indicators[0].id"
    problem = only_problem("duplicate-id")
    assert problem.startswith(where("duplicate-id/2024.yaml", 40, field))
    assert "'fx.krav-1.a' is already used by requirements[0].indicators[0]" in problem


def test_a_requirement_number_used_twice_is_reported():
    problem = only_problem("duplicate-number")
    assert problem.startswith(where("duplicate-number/2024.yaml", 35, "requirements[1].number"))
    assert "number 1 is already used" in problem


def test_a_gap_in_the_requirement_numbers_is_reported():
    problem = only_problem("non-contiguous-numbers")
    assert problem.startswith(
        where("non-contiguous-numbers/2024.yaml", 35, "requirements[1].number")
    )
    assert "expected 2" in problem


def test_an_indicator_ref_used_twice_is_reported():
    field = "requirements[0].indicators[1].ref"
    problem = only_problem("duplicate-indicator-ref")
    assert problem.startswith(where("duplicate-indicator-ref/2024.yaml", 35, field))


def test_a_scale_value_without_a_labelled_step_is_reported():
    problem = only_problem("incomplete-scale")
    assert problem.startswith(where("incomplete-scale/2024.yaml", 19, "scale.steps"))
    assert "no step for 2" in problem


def test_a_threshold_outside_the_scale_is_reported():
    assert only_problem("threshold-outside-scale") == (
        where("threshold-outside-scale/2024.yaml", 17, "scale.threshold")
        + "threshold 4 is outside the scale 1..3"
    )


def test_a_mapping_to_an_id_the_reference_framework_lacks_is_reported():
    field = "requirements[0].mappings[0].to"
    problem = only_problem("unknown-mapping-target")
    assert problem.startswith(where("unknown-mapping-target/2024.yaml", 31, field))
    assert "not an id in socialtilsyn-kvalitetsmodel 2017" in problem
    assert "did you mean 'km.tema.sundhed-trivsel'?" in problem


def test_a_reference_framework_version_without_a_file_is_reported():
    problem = only_problem("unknown-framework-version")
    assert problem == (
        where("unknown-framework-version/2024.yaml", 14, "reference_framework")
        + "no catalogue file for socialtilsyn-kvalitetsmodel 1999"
    )


def test_an_unknown_service_type_is_reported():
    field = "requirements[1].indicators[0].applies_to[1]"
    problem = only_problem("unknown-service-type")
    assert problem.startswith(where("unknown-service-type/2024.yaml", 43, field))
    assert "unknown value 'boarding_school'" in problem


def test_a_missing_english_translation_is_reported():
    field = "requirements[1].translations.en.guidance_questions"
    assert only_problem("missing-translation") == (
        where("missing-translation/2024.yaml", 40, field)
        + "missing English translation of guidance_questions"
    )


def test_a_file_name_that_differs_from_the_version_is_reported():
    problem = only_problem("file-name-mismatch/2025.yaml")
    assert problem.startswith(where("file-name-mismatch/2025.yaml", 4, "version"))
    assert "name the file 2024.yaml" in problem


def test_a_folder_name_that_differs_from_the_key_is_reported():
    problem = only_problem("folder-mismatch")
    assert problem.startswith(where("folder-mismatch/2024.yaml", 3, "key"))
    assert "does not match the folder 'folder-mismatch'" in problem


def test_a_key_given_twice_in_one_mapping_is_reported_at_the_second():
    problem = only_problem("duplicate-yaml-key")
    assert problem.startswith(where("duplicate-yaml-key/2024.yaml", 28, "requirements[0].title"))


def test_a_supersession_mapping_from_an_id_the_old_version_lacks_is_reported():
    problems = printed(validate_paths([FIXTURES / "superseded-framework" / "2018.yaml"]))
    field = "supersedes.mappings[0].from"
    assert any(p.startswith(where("superseded-framework/2018.yaml", 18, field)) for p in problems)


def test_a_supersession_mapping_to_an_id_this_version_lacks_is_reported():
    problems = printed(validate_paths([FIXTURES / "superseded-framework" / "2018.yaml"]))
    field = "supersedes.mappings[1].to"
    assert any(p.startswith(where("superseded-framework/2018.yaml", 24, field)) for p in problems)


def test_an_old_id_neither_kept_mapped_nor_removed_is_reported():
    problems = printed(validate_paths([FIXTURES / "superseded-framework" / "2018.yaml"]))
    expected = where("superseded-framework/2018.yaml", 15, "supersedes")
    assert any(p.startswith(expected) and "'fx.indikator-a2'" in p for p in problems)


def test_every_problem_in_a_file_is_reported_at_once():
    fixture = "several-problems/2024.yaml"
    problems = validate_paths([FIXTURES / fixture])
    assert [(p.line, p.field) for p in problems] == [
        (17, "scale.threshold"),
        (19, "scale.steps"),
        (23, "requirements[0].title"),
        (25, "requirements[0].titel"),
        (39, "requirements[1].translations.en.guidance_questions"),
        (41, "requirements[1].indicators[0].id"),
    ]


# Rules checked on files built in the test


def test_an_unknown_kind_is_reported_at_kind():
    path, problems = validate_data(minimal(kind="checklist"))
    assert printed(problems) == [
        f"{path}:1: kind: unknown kind 'checklist': 'assessment' or 'reference'"
    ]


def test_a_version_written_as_a_number_gets_a_hint_to_quote_it(tmp_path):
    path = write_catalogue(tmp_path, minimal(version=2024), key="valid-minimal")
    assert printed(validate_paths([path])) == [
        f'{path}:3: version: expected text, found the number 2024: put it in quotes, like "2024"'
    ]


def test_an_impossible_date_is_reported_at_its_line(tmp_path):
    path = tmp_path / "valid-minimal" / "2024.yaml"
    path.parent.mkdir()
    text = (FIXTURES / "valid-minimal" / "2024.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("2024-01-01", "2024-02-30"), encoding="utf-8")
    assert printed(validate_paths([path])) == [
        f"{path}:7: (document): unreadable value: day is out of range for month"
    ]


def test_an_indicator_may_not_apply_to_more_than_its_requirement():
    data = minimal()
    data["requirements"][0]["applies_to"] = ["doegntilbud"]
    data["requirements"][0]["indicators"][0]["applies_to"] = ["doegntilbud", "forsorgshjem"]
    _, problems = validate_data(data)
    assert [(p.field, p.message) for p in problems] == [
        (
            "requirements[0].indicators[0].applies_to",
            "forsorgshjem not among the service types of its parent (doegntilbud)",
        )
    ]


def test_a_requirement_without_mappings_must_say_why_when_a_framework_is_named():
    data = minimal(reference_framework={"key": "socialtilsyn-kvalitetsmodel", "version": "2017"})
    _, problems = validate_data(data)
    assert [p.field for p in problems] == ["requirements[0].mappings", "requirements[1].mappings"]


def test_two_files_claiming_the_same_version_are_reported(tmp_path):
    write_catalogue(tmp_path, minimal(key="twin"), key="twin")
    copy_path = write_catalogue(tmp_path, minimal(key="twin"), key="twin", version="2025")
    expected = f"{copy_path}:3: version: twin 2024 is also defined in"
    assert any(problem.startswith(expected) for problem in printed(validate_paths([tmp_path])))


def test_a_newer_version_must_say_which_version_it_supersedes(tmp_path):
    write_catalogue(tmp_path, minimal(key="series"))
    newer = write_catalogue(
        tmp_path, minimal(key="series", version="2025", published_on="2025-01-01"), version="2025"
    )
    problems = [p for p in validate_paths([tmp_path]) if p.file == str(newer)]
    assert [(p.field, p.message) for p in problems] == [
        ("supersedes", "series 2024 is older: say which version this one supersedes")
    ]


def test_an_id_dropped_in_one_version_must_not_come_back_later(tmp_path):
    first = minimal(key="series")
    second = copy.deepcopy(first) | {"version": "2025", "published_on": "2025-01-01"}
    second["requirements"][1]["indicators"][0]["id"] = "fx.krav-2.b"
    second["supersedes"] = {"version": "2024", "removed": ["fx.krav-2.a"]}
    third = copy.deepcopy(first) | {"version": "2026", "published_on": "2026-01-01"}
    third["supersedes"] = {"version": "2025", "removed": ["fx.krav-2.b"]}
    write_catalogue(tmp_path, first)
    write_catalogue(tmp_path, second, version="2025")
    last = write_catalogue(tmp_path, third, version="2026")
    problems = validate_paths([tmp_path])
    assert [(p.file, p.field) for p in problems] == [
        (str(last), "requirements[1].indicators[0].id")
    ]
    assert "must not be reused" in problems[0].message


def test_validating_a_whole_folder_keeps_every_files_own_problems():
    check = validate_catalogue([FIXTURES])
    by_file = {Path(p.file).parent.name for p in check.problems}
    assert "valid-minimal" not in by_file
    assert {"duplicate-id", "yaml-syntax", "superseded-framework"} <= by_file

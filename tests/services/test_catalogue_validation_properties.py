"""Properties of catalogue validation, checked on many generated variants of a valid file."""

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.catalogue.validation import Problem, validate_paths

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalogue"
MINIMAL = yaml.safe_load((FIXTURES / "valid-minimal" / "2024.yaml").read_text(encoding="utf-8"))
OLD_FRAMEWORK = FIXTURES / "superseded-framework" / "2017.yaml"
# Damaged variants of an assessment catalogue and of a superseding reference framework.
BASES = {
    relative: yaml.safe_load((FIXTURES / relative).read_text(encoding="utf-8"))
    for relative in ("valid-minimal/2024.yaml", "superseded-framework/2018.yaml")
}


def validate_data(
    data: Any, relative: str = "valid-minimal/2024.yaml"
) -> tuple[Path, list[Problem]]:
    """Problems of data written at catalogue/<relative> in a fresh catalogue folder.

    The folder also holds the framework superseded-framework/2018.yaml supersedes.
    """
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "superseded-framework" / "2017.yaml"
        old.parent.mkdir()
        old.write_text(OLD_FRAMEWORK.read_text(encoding="utf-8"), encoding="utf-8")
        path = Path(tmp) / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path, validate_paths([path])


def mapping_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths to every mapping in plain data."""
    if isinstance(value, list):
        return [found for i, item in enumerate(value) for found in mapping_paths(item, (*path, i))]
    if not isinstance(value, dict):
        return []
    return [path] + [found for k, v in value.items() for found in mapping_paths(v, (*path, k))]


def at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def dotted_path(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(mapping_paths(MINIMAL)))
def test_an_unknown_field_anywhere_is_reported_at_its_own_line(path):
    data = copy.deepcopy(MINIMAL)
    at(data, path)["zz_unknown"] = "x"
    _, problems = validate_data(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "zz_unknown:" in row)
    assert [(p.line, p.field) for p in problems] == [(line, dotted_path((*path, "zz_unknown")))]


scalars = st.none() | st.booleans() | st.integers(-3, 9) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(BASES)), st.sampled_from(["replace", "delete", "add"]), values, st.data()
)
def test_the_validator_reports_and_never_raises_on_a_damaged_file(relative, action, value, data):
    damaged = copy.deepcopy(BASES[relative])
    target = at(damaged, data.draw(st.sampled_from(mapping_paths(damaged))))
    key = data.draw(st.sampled_from(sorted(target)))
    if action == "replace":
        target[key] = value
    elif action == "delete":
        del target[key]
    else:
        target[data.draw(st.text(min_size=1, max_size=6))] = value
    _, problems = validate_data(damaged, relative)
    lines = yaml.safe_dump(damaged, allow_unicode=True, sort_keys=False).count("\n")
    assert all(1 <= p.line <= lines and p.field and p.message for p in problems)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=4))
def test_requirement_numbers_pass_only_when_they_run_from_one_in_file_order(numbers):
    data = copy.deepcopy(MINIMAL)
    template = data["requirements"][0]
    data["requirements"] = []
    for position, number in enumerate(numbers):
        requirement = copy.deepcopy(template)
        requirement["id"] = f"fx.krav-{position}"
        requirement["number"] = number
        indicator = requirement["indicators"][0]
        indicator["id"], indicator["ref"] = f"fx.krav-{position}.a", f"{number}.{'abcd'[position]}"
        data["requirements"].append(requirement)
    _, problems = validate_data(data)
    numbering = [p for p in problems if p.field.endswith(".number")]
    assert (not numbering) == (numbers == list(range(1, len(numbers) + 1)))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 3), st.integers(4, 7), st.sets(st.integers(0, 7), min_size=2))
def test_a_scale_passes_only_when_every_value_from_min_to_max_has_one_step(low, high, labelled):
    steps = [
        {
            "value": value,
            "label": f"trin {value}",
            "translations": {"en": {"label": f"step {value}"}},
        }
        for value in sorted(labelled)
    ]
    data = copy.deepcopy(MINIMAL)
    data["scale"].update(min=low, max=high, threshold=low, steps=steps)
    _, problems = validate_data(data)
    scale_problems = [p for p in problems if p.field.startswith("scale")]
    assert (not scale_problems) == (labelled == set(range(low, high + 1)))

"""The catalogue format: its JSON Schema, its models and the helpers the loader relies on."""

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.models.vocabulary import ServiceType
from app.services.catalogue.format import (
    AssessmentCatalogue,
    CatalogueDocument,
    Relation,
    Requirement,
    SupersessionLink,
    catalogue_json_schema,
    catalogue_json_schema_text,
    text_fields,
)
from app.services.catalogue.validation import validate_catalogue

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalogue"
REPO_CATALOGUE = Path(__file__).parents[2] / "catalogue"
MINIMAL_TEXT = (FIXTURES / "valid-minimal" / "2024.yaml").read_text(encoding="utf-8")
MINIMAL = yaml.safe_load(MINIMAL_TEXT)


def parse(data: dict) -> AssessmentCatalogue:
    model = CatalogueDocument.model_validate(data).root
    assert isinstance(model, AssessmentCatalogue)
    return model


def shipped(key: str, version: str):
    check = validate_catalogue([REPO_CATALOGUE])
    return next(m for m in check.models if (m.key, m.version) == (key, version))


# The JSON Schema


def test_the_committed_schema_file_matches_the_models():
    committed = (REPO_CATALOGUE / "schema.json").read_text(encoding="utf-8")
    assert committed == catalogue_json_schema_text(), (
        "catalogue/schema.json is stale: run "
        "python -m app.services.catalogue.format > catalogue/schema.json"
    )


def test_the_schema_declares_draft_07_which_yaml_editors_support():
    assert catalogue_json_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_the_schema_offers_both_catalogue_kinds_chosen_by_kind():
    schema = catalogue_json_schema()
    assert schema["discriminator"]["propertyName"] == "kind"
    assert set(schema["discriminator"]["mapping"]) == {"assessment", "reference"}


def test_the_schema_forbids_unknown_fields_in_every_object():
    objects = [d for d in catalogue_json_schema()["$defs"].values() if d.get("type") == "object"]
    assert objects
    assert all(d["additionalProperties"] is False for d in objects)


def test_the_schema_lists_the_service_types_of_the_vocabulary():
    service_types = catalogue_json_schema()["$defs"]["ServiceType"]["enum"]
    assert service_types == [member.value for member in ServiceType]


def test_the_schema_text_is_indented_sorted_json_with_a_trailing_newline():
    text = catalogue_json_schema_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


# The models


def test_the_models_reject_an_unknown_field():
    data = copy.deepcopy(MINIMAL)
    data["requirements"][0]["colour"] = "red"
    with pytest.raises(ValidationError, match="colour"):
        parse(data)


def test_a_text_is_stripped_of_surrounding_whitespace():
    data = copy.deepcopy(MINIMAL)
    data["requirements"][0]["title"] = "  Første krav\n"
    assert parse(data).requirements[0].title == "Første krav"


def test_text_fields_are_the_fields_translated_under_translations_en():
    assert text_fields(Requirement) == {
        "title": True,
        "description": True,
        "guidance_questions": False,
        "evidence_examples": False,
        "unmapped_rationale": False,
    }


def test_supersession_mappings_read_from_with_its_yaml_name():
    from_2025 = shipped("socialtilsyn-kvalitetsmodel", "2025").supersedes
    assert from_2025 is not None
    assert from_2025.version == "2017"
    assert "km.tema.uddannelse-beskaeftigelse" in from_2025.removed


# The content hash


def test_the_content_hash_changes_when_a_text_changes():
    changed = copy.deepcopy(MINIMAL)
    changed["requirements"][0]["title"] = "Et andet krav"
    assert parse(changed).content_hash() != parse(MINIMAL).content_hash()


def test_the_content_hash_is_the_same_whether_a_default_is_written_or_left_out():
    explicit = copy.deepcopy(MINIMAL)
    explicit["requirements"][0]["verified"] = True
    assert parse(explicit).content_hash() == parse(MINIMAL).content_hash()


@settings(max_examples=40, deadline=None)
@given(
    flow=st.booleans(),
    indent=st.integers(2, 6),
    width=st.integers(40, 200),
    comment=st.text(alphabet="abc æøå-", max_size=20),
)
def test_the_content_hash_ignores_yaml_layout_and_comments(flow, indent, width, comment):
    text = yaml.safe_dump(
        MINIMAL,
        default_flow_style=flow,
        indent=indent,
        width=width,
        allow_unicode=True,
        sort_keys=False,
    )
    relaid = yaml.safe_load(f"# {comment}\n{text}\n# {comment}\n")
    assert parse(relaid).content_hash() == parse(MINIMAL).content_hash()


# Helpers for the loader


def test_requirements_and_indicators_come_in_file_order():
    model = parse(MINIMAL)
    assert [r.id for r in model.iter_requirements()] == ["fx.krav-1", "fx.krav-2"]
    assert [i.id for i in model.iter_indicators()] == ["fx.krav-1.a", "fx.krav-2.a"]
    assert model.node_ids() == {"fx.krav-1", "fx.krav-1.a", "fx.krav-2", "fx.krav-2.a"}


def test_reference_nodes_come_as_theme_criterion_indicator_with_their_refs():
    nodes = list(shipped("socialtilsyn-kvalitetsmodel", "2017").iter_nodes())
    assert [(n.level, n.ref) for n in nodes[:3]] == [
        ("theme", "1"),
        ("criterion", "1"),
        ("indicator", "1.a"),
    ]
    assert nodes[0].id == "km.tema.uddannelse-beskaeftigelse"
    assert nodes[0].title == "Uddannelse og beskæftigelse"


def test_an_indicator_without_applies_to_inherits_the_service_types_of_its_requirement():
    data = copy.deepcopy(MINIMAL)
    data["requirements"][0]["applies_to"] = ["kostskole"]
    model = parse(data)
    requirement = model.requirements[0]
    assert model.service_types_of(requirement, requirement.indicators[0]) == {ServiceType.KOSTSKOLE}


def test_a_catalogue_without_applies_to_applies_to_every_service_type():
    model = parse(MINIMAL)
    requirement = model.requirements[0]
    assert model.service_types_of(requirement, requirement.indicators[0]) == set(ServiceType)


def test_indicators_for_a_service_type_leave_out_those_that_do_not_apply():
    data = copy.deepcopy(MINIMAL)
    data["requirements"][1]["indicators"][0]["applies_to"] = ["forsorgshjem"]
    model = parse(data)
    assert [i.id for i in model.indicators_for(ServiceType.KOSTSKOLE)] == ["fx.krav-1.a"]
    assert len(model.indicators_for(ServiceType.FORSORGSHJEM)) == 2


def test_supersession_links_are_the_mappings_plus_equal_for_every_kept_id():
    old = shipped("socialtilsyn-kvalitetsmodel", "2017")
    new = shipped("socialtilsyn-kvalitetsmodel", "2025")
    links = new.supersession_links(old)
    assert SupersessionLink("km.tema.kompetencer", "km.tema.kompetencer", Relation.EQUAL) in links
    assert all(link.from_id != "km.tema.uddannelse-beskaeftigelse" for link in links)
    assert len(links) == len(old.node_ids() & new.node_ids())


def test_a_catalogue_that_supersedes_nothing_has_no_supersession_links():
    model = parse(MINIMAL)
    assert model.supersession_links(parse(MINIMAL)) == []


def test_a_score_below_the_threshold_is_a_gap_and_one_at_it_is_not():
    scale = parse(MINIMAL).scale
    assert scale.is_gap(1.99)
    assert not scale.is_gap(2)


def test_a_scale_label_is_found_by_its_value():
    scale = parse(MINIMAL).scale
    assert scale.values == [1, 2, 3]
    assert scale.label_for(2) == "middel"

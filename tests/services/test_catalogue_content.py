"""The shipped catalogue content: what the domain says it must contain."""

from pathlib import Path

from app.services.catalogue.format import AssessmentCatalogue, ReferenceFramework, Status
from app.services.catalogue.validation import discover_catalogue_files, validate_catalogue

REPO_CATALOGUE = Path(__file__).parents[2] / "catalogue"
MODELS = {(m.key, m.version): m for m in validate_catalogue([REPO_CATALOGUE]).models}
LOS = MODELS[("los-etisk-forventningskatalog", "2023")]
MODEL_2017 = MODELS[("socialtilsyn-kvalitetsmodel", "2017")]
MODEL_2025 = MODELS[("socialtilsyn-kvalitetsmodel", "2025")]


def test_every_shipped_file_loads_into_a_model():
    assert len(MODELS) == len(discover_catalogue_files(REPO_CATALOGUE)) == 3


def test_every_shipped_file_starts_with_the_schema_comment_for_editors():
    for path in discover_catalogue_files(REPO_CATALOGUE):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../schema.json", path


def test_the_los_catalogue_is_an_assessment_marked_as_a_draft_with_its_sources():
    assert isinstance(LOS, AssessmentCatalogue)
    assert LOS.status is Status.DRAFT
    assert LOS.sources
    assert LOS.version == "2023"


def test_the_los_catalogue_has_ten_requirements_numbered_one_to_ten():
    assert [r.number for r in LOS.requirements] == list(range(1, 11))


def test_every_los_requirement_has_two_to_five_indicators():
    assert all(2 <= len(r.indicators) <= 5 for r in LOS.requirements)


def test_every_los_requirement_has_guidance_questions_and_examples_of_evidence():
    assert all(r.guidance_questions and r.evidence_examples for r in LOS.requirements)


def test_the_los_scale_runs_from_one_to_five_with_the_supervision_labels():
    assert {step.value: step.label for step in LOS.scale.steps} == {
        5: "i meget høj grad opfyldt",
        4: "i høj grad opfyldt",
        3: "i middel grad opfyldt",
        2: "i lav grad opfyldt",
        1: "i meget lav grad opfyldt",
    }


def test_the_los_scale_allows_not_relevant_and_has_threshold_three():
    assert LOS.scale.not_applicable_allowed
    assert LOS.scale.not_applicable_label == "Ikke relevant"
    assert LOS.scale.threshold == 3


def test_the_los_catalogue_maps_into_the_2017_quality_model():
    assert LOS.reference_framework is not None
    framework = (LOS.reference_framework.key, LOS.reference_framework.version)
    assert framework == ("socialtilsyn-kvalitetsmodel", "2017")


def test_los_requirements_one_to_seven_map_to_the_seven_themes_in_order():
    themes = [theme.id for theme in MODEL_2017.themes]
    for requirement, theme in zip(LOS.requirements[:7], themes, strict=True):
        assert requirement.mappings[0].to == theme


def test_los_requirements_eight_to_ten_map_to_nothing_and_say_why():
    for requirement in LOS.requirements[7:]:
        assert requirement.mappings == []
        assert requirement.unmapped_rationale


def test_the_2017_model_has_seven_themes_and_criteria_numbered_one_to_eleven():
    assert isinstance(MODEL_2017, ReferenceFramework)
    assert [t.number for t in MODEL_2017.themes] == list(range(1, 8))
    criteria = [c.number for t in MODEL_2017.themes for c in t.criteria]
    assert criteria == list(range(1, 12))


def test_the_2017_model_has_about_thirty_indicators_lettered_under_their_criterion():
    indicators = [n for n in MODEL_2017.iter_nodes() if n.level == "indicator"]
    assert 29 <= len(indicators) <= 30
    refs = {n.ref for n in indicators}
    assert {"2.a", "2.d", "4.b", "6.b", "7.a", "11.c"} <= refs


def test_indicators_that_do_not_apply_to_every_service_type_say_so():
    limited = {
        i.ref
        for t in MODEL_2017.themes
        for c in t.criteria
        for i in c.indicators
        if i.applies_to is not None
    }
    assert {"2.b", "2.d", "6.a", "6.b", "11.c"} <= limited


def test_unverified_model_wording_is_marked():
    unverified = [node for node in MODEL_2017.themes[0].criteria if not node.verified]
    assert unverified


def test_the_2025_model_supersedes_2017_and_drops_the_two_themes():
    assert MODEL_2025.supersedes is not None
    assert MODEL_2025.supersedes.version == "2017"
    dropped = {"km.tema.uddannelse-beskaeftigelse", "km.tema.selvstaendighed-relationer"}
    assert dropped <= set(MODEL_2025.supersedes.removed)
    assert not dropped & MODEL_2025.node_ids()


def test_unchanged_nodes_keep_their_ids_from_2017_to_2025():
    assert MODEL_2017.node_ids() - set(MODEL_2025.supersedes.removed) == MODEL_2025.node_ids()


def test_under_the_2025_model_los_requirements_one_and_two_reach_no_theme():
    themes_2025 = {t.id for t in MODEL_2025.themes}
    for requirement in LOS.requirements[:2]:
        assert not {m.to for m in requirement.mappings} & themes_2025

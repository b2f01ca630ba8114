"""Turning Pydantic validation errors of service inputs into the domain's Invalid error."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.i18n import N_
from app.services.errors import FieldError, Invalid

Model = TypeVar("Model", bound=BaseModel)

# Pydantic's error types, said in Danish; anything unlisted falls back to a general text.
_MESSAGES = {
    "missing": N_("Skal udfyldes."),
    "string_too_short": N_("Skal udfyldes."),
    "string_too_long": N_("Teksten er for lang (højst %(max_length)s tegn)."),
    "string_pattern_mismatch": N_("Har ikke den rigtige form."),
    "int_parsing": N_("Skal være et helt tal."),
    "int_type": N_("Skal være et helt tal."),
    "int_from_float": N_("Skal være et helt tal."),
    "bool_parsing": N_("Skal være ja eller nej."),
    "bool_type": N_("Skal være ja eller nej."),
    "string_type": N_("Skal være tekst."),
    "greater_than_equal": N_("Skal være mindst %(ge)s."),
    "less_than_equal": N_("Må højst være %(le)s."),
    "enum": N_("Vælg en af mulighederne."),
    "literal_error": N_("Vælg en af mulighederne."),
    "value_error": N_("Ugyldig værdi."),
    "date_from_datetime_parsing": N_("Skal være en dato."),
    "date_parsing": N_("Skal være en dato."),
    "date_type": N_("Skal være en dato."),
    "float_parsing": N_("Skal være et tal."),
    "float_type": N_("Skal være et tal."),
    "list_type": N_("Skal være en liste."),
    "dict_type": N_("Skal være et JSON-objekt."),
    "model_attributes_type": N_("Skal være et JSON-objekt."),
    "json_invalid": N_("Er ikke gyldig JSON."),
    "extra_forbidden": N_("Feltet kendes ikke."),
    "too_long": N_("Er for lang."),
}
_GENERAL = N_("Ugyldig værdi.")


def field_errors(errors: list[dict]) -> list[FieldError]:
    """Pydantic's (or FastAPI's request) errors as FieldErrors with Danish msgids.

    The API's request validation and the services' own parsing both come here, so a form
    post and an API call get the same words for the same mistake.
    """
    result = []
    for error in errors:
        field = ".".join(str(part) for part in error["loc"]) or "__root__"
        message = _MESSAGES.get(error["type"], _GENERAL)
        context = error.get("ctx") or {}
        if error["type"] == "value_error" and "error" in context:
            # Validators in our input models raise ValueError with a Danish msgid.
            message = str(context["error"])
        params = {k: _plain(v) for k, v in context.items() if isinstance(v, int | float | str)}
        result.append(FieldError(field, message, params))
    return result


def _plain(value: int | float | str) -> int | float | str:
    """A whole-number bound as an integer: "5", not "5.0" with an English decimal point."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_input(model: type[Model], data: dict | BaseModel,
                message: str = N_("Ikke gemt. Ret felterne markeret nedenfor.")) -> Model:
    """Validates raw input into `model`, or raises Invalid naming each field."""
    try:
        if isinstance(data, BaseModel):
            data = data.model_dump()
        return model.model_validate(data)
    except ValidationError as exc:
        raise Invalid(message, field_errors(exc.errors())) from None



"""Field types the input models share: text a database can store, ids and versions it can hold.

Bounding them here keeps hostile input a 422 at the field on both databases, instead of an
`OverflowError` in SQLite or an out-of-range error in PostgreSQL.
"""

from typing import Annotated

from pydantic import Field
from pydantic_core import core_schema

from app.i18n import N_

# PostgreSQL's `integer`: the id and version columns are no wider.
MAX_ROW_ID = 2**31 - 1


NUL_TEXT = N_("Teksten indeholder et tegn, der ikke kan gemmes (NUL).")


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text, SQLite keeps it; neither is anything a person typed.
    if "\x00" in value:
        raise ValueError(NUL_TEXT)
    return value


def _no_nul_or_none(value: str | None) -> str | None:
    return None if value is None else _no_nul(value)


NO_NUL_PATTERN = "^[^\\u0000]*$"


def _with_pattern(schema: dict) -> dict:
    if schema.get("type") == "string":
        schema.setdefault("pattern", NO_NUL_PATTERN)
    for branch in schema.get("anyOf", []):
        _with_pattern(branch)
    return schema


class _NoNul:
    """Refuses NUL after the type and its length (a `Field(max_length=…)` keeps its own
    error and message), and says so in the JSON schema, so a client knows before asking."""

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_after_validator_function(_no_nul_or_none, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        return _with_pattern(handler(schema))


NoNul = _NoNul()
Text = Annotated[str, NoNul]
OptionalText = Annotated[str | None, NoNul]
RowId = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]  # 0 is no row: a 404, not a 422
Version = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]

"""Field types the input models share: text a database can store, ids and versions it can hold.

Bounding them here keeps hostile input a 422 at the field on both databases, instead of an
`OverflowError` in SQLite or an out-of-range error in PostgreSQL.
"""

from typing import Annotated

from pydantic import AfterValidator, Field

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


# After the type and its length: a `Field(max_length=…)` keeps its own error and message.
NoNul = AfterValidator(_no_nul_or_none)
Text = Annotated[str, NoNul]
OptionalText = Annotated[str | None, NoNul]
RowId = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]  # 0 is no row: a 404, not a 422
Version = Annotated[int, Field(ge=0, le=MAX_ROW_ID)]

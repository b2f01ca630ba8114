"""Reading a posted form, and showing a service's refusal of it.

Every form page does the same three things: read the text fields, hand them to the
service, and on a refusal show each field's message beside that field. The status code
comes from the error itself: 422 for something to fix, 409 for something that changed
meanwhile (or can no longer be changed).
"""

from collections.abc import Iterable, Mapping
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from app.services.errors import DomainError


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def text_of(form: FormData, name: str) -> str:
    """The field's text; "" when it is missing or a file."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def texts_of(form: FormData, names: Iterable[str]) -> dict[str, str]:
    return {name: text_of(form, name) for name in names}


def field_errors(exc: DomainError | None, *,
                 aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Form field name -> translated message, the first message per field.

    A service names a field by its input's path ("answers.1.a.score"); a form names it by
    the last part. `aliases` maps a service name to the form's where they differ (the
    answer form's one radio group stands for both "score" and "not_applicable").
    """
    errors: dict[str, str] = {}
    for error in exc.errors if exc else ():
        name = error.field.split(".")[-1]
        errors.setdefault((aliases or {}).get(name, name), error.text())
    return errors


def refusal_status(exc: DomainError) -> int:
    """422 to fix a field, 409 for a conflict, as the service decided."""
    return exc.status_code

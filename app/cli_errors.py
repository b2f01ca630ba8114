"""The one place where the `etik` command turns a user's mistake into one line on stderr.

A bad setting, an unreachable database, a missing file or a domain rule ends the command
with exit code 1 and a line that says what is wrong, instead of a traceback. Usage errors
(a bad option) stay Typer's, with exit code 2. Anything else is a bug and still shows its
traceback.
"""

import errno
from pathlib import Path

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from app.config import SettingError, Settings, get_settings
from app.services.backup.format import BackupError
from app.services.errors import DomainError, FieldError

USER_ERRORS = (ValidationError, OperationalError, OSError, SettingError, DomainError,
               BackupError)


class UserErrorsGroup(TyperGroup):
    """The root command group: every subcommand runs inside its `invoke`."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # a closed pipe (`etik … | head`); Typer ends quietly on it
            typer.echo(describe(exc), err=True)
            raise typer.Exit(1) from None


def describe(exc: Exception) -> str:
    """One line, in plain words, naming the setting or argument that is wrong."""
    if isinstance(exc, ValidationError):
        return _invalid_values(exc)
    if isinstance(exc, OperationalError):
        return _database_problem(exc)
    if isinstance(exc, DomainError):
        return " ".join([exc.text(), "; ".join(map(_field_problem, exc.errors))]).strip()
    if isinstance(exc, OSError):
        if exc.filename is not None and exc.strerror:
            return f"{exc.filename}: {exc.strerror}"
        return exc.strerror or str(exc)
    return str(exc)


def _field_problem(error: FieldError) -> str:
    # "__root__" is the whole input rather than one field: the text alone says it.
    return error.text() if error.field == "__root__" else f"{error.field}: {error.text()}"


def _invalid_values(exc: ValidationError) -> str:
    is_settings = exc.title == Settings.__name__
    problems = []
    for error in exc.errors(include_url=False):
        message = error["msg"].removeprefix("Value error, ")
        name = ".".join(str(part) for part in error["loc"])
        if is_settings and name:
            name = f"{Settings.model_config['env_prefix']}{name.upper()}"
        problems.append(f"{name}: {message}" if name else message)
    what = "setting (environment or .env)" if is_settings else "value"
    return f"Invalid {what}: {'; '.join(problems)}"


def _database_problem(exc: OperationalError) -> str:
    url = make_url(get_settings().resolved_database_url())
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    hint = ""
    if url.get_backend_name() == "sqlite" and "unable to open" in reason and url.database:
        hint = f" (does the folder {Path(url.database).parent} exist, and may etik write there?)"
    elif "no such table" in reason:
        hint = " (has `etik db upgrade` run on this database?)"
    return (f"Database error (ETIK_DATABASE_URL={url.render_as_string(hide_password=True)}): "
            f"{reason}{hint}")

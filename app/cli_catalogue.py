"""`etik catalogue validate` and `etik catalogue load`."""

from pathlib import Path
from typing import Annotated

import typer

from app.config import get_settings
from app.db import create_db_engine, session_scope

catalogue_cli = typer.Typer(help="Catalogues: validate and publish", no_args_is_help=True)


@catalogue_cli.command("validate")
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders")] = None,
) -> None:
    """Check catalogue files; prints FILE:LINE: FIELD: message per problem, exit 1 if any."""
    from app.services.catalogue.validation import validate_paths

    root = get_settings().catalogue_dir
    problems = validate_paths(paths or [root], catalogue_root=root)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        raise typer.Exit(1)
    typer.echo("All catalogue files are valid.", err=True)


@catalogue_cli.command("load")
def load() -> None:
    """Store every catalogue version under catalogue/ that is not stored yet."""
    from app.services.catalogue.loading import LoadOutcome, load_catalogues

    settings = get_settings()
    engine = create_db_engine(settings.resolved_database_url())
    with session_scope(engine) as session:
        report = load_catalogues(session=session, root=settings.catalogue_dir)
    for problem in report.problems:
        typer.echo(str(problem), err=True)
    for version in report.versions:
        if version.outcome is LoadOutcome.CHANGED:
            typer.echo(
                f"{version.path}: {version.key} {version.version} is already loaded and its "
                "content has changed since. A loaded version never changes: publish the change "
                "as a new version (a new file with a new version name).", err=True)
        else:
            typer.echo(f"{version.key} {version.version}: {version.outcome.value}")
    if not report.ok:
        typer.echo("Nothing was loaded.", err=True)
        raise typer.Exit(1)

"""The `etik` command line."""

import getpass
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config

from app.cli_catalogue import catalogue_cli
from app.cli_errors import UserErrorsGroup
from app.config import PROJECT_ROOT, get_settings
from app.db import create_db_engine, session_scope
from app.models.vocabulary import Role

# UserErrorsGroup turns a user's mistake in any subcommand into one line on stderr.
cli = typer.Typer(cls=UserErrorsGroup, help="etik – LOS' etiske selvevaluering",
                  no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="Database migrations", no_args_is_help=True)
user_cli = typer.Typer(help="Users", no_args_is_help=True)
members_cli = typer.Typer(help="Member organisations", no_args_is_help=True)
inspections_cli = typer.Typer(help="Socialtilsynet's inspections of members",
                              no_args_is_help=True)
notices_cli = typer.Typer(help="Notice emails", no_args_is_help=True)
retention_cli = typer.Typer(help="Retention of personal data", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
cli.add_typer(members_cli, name="members")
cli.add_typer(inspections_cli, name="inspections")
cli.add_typer(catalogue_cli, name="catalogue")
cli.add_typer(notices_cli, name="notices")
cli.add_typer(retention_cli, name="retention")


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = database_url or get_settings().resolved_database_url()
    return config


def _engine():
    return create_db_engine(get_settings().resolved_database_url())


def fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
) -> None:
    """Serve the app with uvicorn."""
    import uvicorn

    settings = get_settings()  # refuse to start on bad settings before forking workers
    if not settings.is_production and "base_url" not in settings.model_fields_set:
        # Links in mails point at the port actually served (`make run PORT=8101`).
        os.environ["ETIK_BASE_URL"] = f"http://127.0.0.1:{port}"
        get_settings.cache_clear()
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=False, access_log=False)  # the app reads them: ETIK_TRUSTED_PROXIES


@db_cli.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" removes every table)."""
    command.downgrade(alembic_config(), revision)


@cli.command()
def demo(
    members: Annotated[int, typer.Option(min=1, max=100_000)] = 40,
    years: Annotated[int, typer.Option(min=1, max=10)] = 3,
    seed: int = 2026,
    reset: Annotated[bool, typer.Option(help="Empty the database first")] = False,
    if_empty: Annotated[bool, typer.Option(help="Do nothing when demo data exists")] = False,
) -> None:
    """Load deterministic demo data (never in production)."""
    from app.services.demo import DemoAlreadyLoaded, DemoRefused, demo_is_loaded, load_demo

    settings = get_settings()
    if settings.is_production:
        fail("Demo data is refused when ETIK_ENV=production.")
    if reset:
        command.downgrade(alembic_config(), "base")
        command.upgrade(alembic_config(), "head")
    engine = _engine()
    with session_scope(engine) as session:
        if if_empty and demo_is_loaded(session):
            typer.echo("Demo data is already loaded.")
            _print_logins(settings.demo_password, members)
            return
        try:
            summary = load_demo(session=session, password=settings.demo_password,
                                members=members, years=years, seed=seed,
                                catalogue_dir=settings.catalogue_dir,
                                production=settings.is_production)
        except DemoAlreadyLoaded:
            fail("Demo data is already loaded; use --reset to start again.")
        except DemoRefused:
            fail("Demo data is refused when ETIK_ENV=production.")
    states = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in
                       sorted(summary.states.items()))
    typer.echo(f"Loaded {summary.organisations} demo organisations and cycles "
               f"{', '.join(map(str, summary.cycles))} (this year: {states}).")
    _print_logins(settings.demo_password, members)


def _print_logins(password: str, members: int) -> None:
    typer.echo(
        "\nDemo logins (password: " + password + "):\n"
        "  admin@example.org     administrator\n"
        "  advisor@example.org   LOS-konsulent\n"
        "  board@example.org     bestyrelsesmedlem\n"
        f"  member1@example.org … member{members}@example.org   medlemmer, hver leder af sit "
        "tilbud (inviterer kolleger)\n"
        "  kollega1@example.org  kollega hos member1, ikke leder\n"
    )


@user_cli.command("add")
def user_add(
    email: str,
    role: Annotated[Role, typer.Option(help="The user's role")],
    org: Annotated[str | None, typer.Option(help="CVR of the member's organisation")] = None,
    name: Annotated[str | None, typer.Option(help="Full name (default: the email)")] = None,
) -> None:
    """Create a user; the password is read from standard input."""
    from app.services.users import create_user_with_password

    settings = get_settings()  # a bad setting is reported before the password is asked for
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    with session_scope(_engine()) as session:
        # A dict, not UserInput: the service validates it after finding the organisation.
        user = create_user_with_password(
            session=session, settings=settings, user=None, password=password,
            data={"email": email, "name": name or email, "role": role},
            organisation_cvr=org,
        )
    typer.echo(f"Created {user.email} ({user.role}).")


@members_cli.command("import")
def members_import(
    file: Annotated[Path, typer.Argument(help="CSV file; the format is on the admin import page")],
    dry_run: Annotated[bool, typer.Option(help="Only check the file; write nothing")] = False,
    invite: Annotated[bool, typer.Option(help="Email each new contact an invitation")] = True,
) -> None:
    """Import organisations and their contacts: all rows or none; LINE N: FIELD: reason."""
    from app.services.member_import import (
        ImportRefused,
        check_members_csv,
        import_members_csv,
    )

    content = file.read_bytes()
    settings = get_settings()
    with session_scope(_engine()) as session:
        try:
            if dry_run:
                check = check_members_csv(session=session, content=content)
                if not check.ok:
                    raise ImportRefused(check.problems)
                typer.echo(f"The file is valid: {len(check.rows)} organisations and "
                           f"{check.contact_count} users would be imported.")
                return
            summary = import_members_csv(session=session, settings=settings, content=content,
                                         invite=invite)
        except ImportRefused as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            # Only the problem lines go to stderr, so scripts can read them as they are.
            count = len(exc.problems)
            typer.echo(f"Nothing was imported ({count} problem{'' if count == 1 else 's'}).")
            raise typer.Exit(1) from None
    typer.echo(f"Imported {summary.organisations} organisations and {summary.users} users; "
               f"{summary.invited} invitations sent.")
    if summary.invited and not settings.smtp_host:
        typer.echo("No SMTP server is set: the invitation links are on /admin/outbox.")


@inspections_cli.command("import")
def inspections_import(
    file: Annotated[Path, typer.Argument(help="CSV file; the format is on the admin import page")],
    dry_run: Annotated[bool, typer.Option(help="Only check the file; write nothing")] = False,
) -> None:
    """Import inspection scores of several members: all rows or none; LINE N: FIELD: reason."""
    from app.clock import today
    from app.services.inspection_import import (
        ImportRefused,
        check_inspections_csv,
        import_inspections_csv,
    )

    content = file.read_bytes()
    with session_scope(_engine()) as session:
        try:
            if dry_run:
                check = check_inspections_csv(session=session, content=content, today=today())
                if not check.ok:
                    raise ImportRefused(check.problems)
                typer.echo(f"The file is valid: {len(check.rows)} inspections of "
                           f"{check.member_count} members would be imported.")
                return
            summary = import_inspections_csv(session=session, content=content, today=today())
        except ImportRefused as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            count = len(exc.problems)
            typer.echo(f"Nothing was imported ({count} problem{'' if count == 1 else 's'}).")
            raise typer.Exit(1) from None
    typer.echo(f"Imported {summary.inspections} inspections of {summary.members} members, "
               f"with {summary.sanctions} sanctions.")


@cli.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (gzip-compressed)")],
) -> None:
    """Write a consistent copy of the whole database and its evidence files to FILE, also
    while the app runs."""
    from app.services.backup.database import backup_database

    summary = backup_database(engine=_engine(), path=file,
                              evidence_dir=get_settings().var_dir / "evidence")
    typer.echo(" ".join(filter(None, [f"Backed up {summary.describe()} to {file}.",
                                      summary.warning])))


@cli.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `etik backup`")],
) -> None:
    """Load a backup into an empty database at the backup's revision, and its evidence files
    into the evidence folder, which must not hold them yet: all or nothing."""
    from app.services.backup.database import restore_database

    summary = restore_database(engine=_engine(), path=file,
                               evidence_dir=get_settings().var_dir / "evidence")
    typer.echo(" ".join(filter(None, [f"Restored {summary.describe()} from {file}.",
                                      summary.warning])))


@notices_cli.command("send")
def notices_send() -> None:
    """Send the notices that are due: owners of newly assigned actions and of actions due
    soon, members not yet submitted before the deadline, and each advisor's daily digest.
    Safe to run every hour: nothing goes out twice."""
    from app.clock import today
    from app.services.advisor.notices import send_due_notices

    with session_scope(_engine()) as session:
        summary = send_due_notices(session=session, settings=get_settings(), today=today())
    sent = summary.sent
    typer.echo(f"Sent {summary.total} notices: {sent['assigned']} assigned, "
               f"{sent['due_soon']} due soon, {sent['deadline']} deadline reminders, "
               f"{sent['digest']} digests.")


@retention_cli.command("apply")
def retention_apply(
    dry_run: Annotated[bool, typer.Option(help="Only list what would be removed")] = False,
) -> None:
    """Remove evidence files and inspection reports' PDFs uploaded more than
    ETIK_EVIDENCE_RETENTION_DAYS ago; the rows stay, marked as removed, and each removal is
    audited. Safe to run daily from cron: a file already removed is skipped."""
    from app.services.retention import apply_retention

    settings = get_settings()
    with session_scope(_engine()) as session:
        run = apply_retention(session=session, settings=settings, dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for item in run.files:
        typer.echo(f"{verb} evidence {item.evidence_id} (organisation {item.organisation_id},"
                   f" uploaded {item.uploaded_at.date().isoformat()}): {item.filename}")
    for report in run.reports:
        typer.echo(f"{verb} the report of inspection {report.inspection_id} (organisation "
                   f"{report.organisation_id}, uploaded {report.uploaded_at.date().isoformat()})"
                   f": {report.filename}")
    typer.echo(f"{verb} {len(run.files)} evidence file{'' if len(run.files) == 1 else 's'}"
               f" and {len(run.reports)} inspection report{'' if len(run.reports) == 1 else 's'}"
               f" ({run.size_bytes} bytes) uploaded before {run.cutoff.date().isoformat()}"
               f" ({settings.evidence_retention_days} days).")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()


"""Page rendering: one template per page, its block alone for HTMX requests."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.starlette import Jinja2Blocks
from markupsafe import Markup

from app import i18n
from app.auth.cookies import ANONYMOUS_COOKIE, csrf_token, new_anonymous_seed, set_signed_cookie
from app.web.navigation import navigation_for

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Blocks(env=_environment)


def _template_gettext(message: str, **variables: Any) -> Markup:
    """`_()` and `{% trans %}` in templates, as Jinja's newstyle gettext does it for an
    autoescaped template (every one here): the translation is markup, the variables are
    escaped into it, and it is always a format string. Jinja's own takes two more context
    calls each time (~4 % of the results page, which has some two hundred)."""
    text = i18n.translations(i18n.current_language.get()).gettext(message)
    return Markup(text) % variables  # noqa: S704  (our msgids, trusted as Jinja's own are)


def _template_ngettext(singular: str, plural: str, n: int, **variables: Any) -> Markup:
    """`ngettext()` in templates, as Jinja's newstyle one, with `%(num)s` written in the
    language's digit grouping (22.419 medlemmer, 22,419 members)."""
    variables.setdefault("num", i18n.format_number(n, 0))
    text = i18n.translations(i18n.current_language.get()).ngettext(singular, plural, n)
    return Markup(text) % variables  # noqa: S704  (our msgids, trusted as Jinja's own are)


# Newstyle, so a `{% trans %}` block compiles to a call that formats once; the callables
# Jinja installs are then replaced by ours, called directly.
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _template_gettext, _template_ngettext, newstyle=True)
templates.env.globals.update({"_": _template_gettext, "gettext": _template_gettext,
                              "ngettext": _template_ngettext})
templates.env.globals.update(
    format_day=i18n.format_day,
    format_moment=i18n.format_moment,
    format_number=i18n.format_number,
    format_fixed=i18n.format_fixed,
    format_score=i18n.format_score,
    tr=i18n.localised,
)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The whole page, or only `block` when htmx asked for it."""
    settings = request.app.state.settings
    anonymous_seed = None
    user = getattr(request.state, "user", None)
    if user is None and not request.cookies.get(ANONYMOUS_COOKIE):
        anonymous_seed = new_anonymous_seed()
        request.scope.setdefault("state", {})["anonymous_seed"] = anonymous_seed
    page = {
        "user": user,
        "nav": navigation_for(user, request.url.path),
        "csrf_token": csrf_token(request, settings),
        "language": i18n.current_language.get(),
        "current_path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(
        request,
        template,
        page,
        status_code=status_code,
        block_name=block if block and is_htmx(request) else None,
    )
    if anonymous_seed:
        set_signed_cookie(response, settings, ANONYMOUS_COOKIE, anonymous_seed)
    return response

# Imported late: labels need nothing from here, but keep the globals in one place.
from app.models.vocabulary import (  # noqa: E402
    OPEN_ACTION_STATUSES,
    ActionStatus,
    AssessmentStatus,
    AuditAction,
    AuditEntity,
    Authority,
    CaseStatus,
    ContactKind,
    CycleStatus,
    EvidenceKind,
    InjunctionKind,
    ProviderGroup,
    RoundStatus,
    SanctionKind,
    VisitKind,
    label_of,
)
from app.web.labels import region_label, role_label, service_type_label  # noqa: E402

templates.env.globals.update(
    # The code lists, so templates compare with names instead of bare strings.
    AssessmentStatus=AssessmentStatus,
    ActionStatus=ActionStatus,
    AuditAction=AuditAction,
    AuditEntity=AuditEntity,
    label_of=label_of,
    CycleStatus=CycleStatus,
    EvidenceKind=EvidenceKind,
    InjunctionKind=InjunctionKind,
    ProviderGroup=ProviderGroup,
    Authority=Authority,
    VisitKind=VisitKind,
    SanctionKind=SanctionKind,
    RoundStatus=RoundStatus,
    CaseStatus=CaseStatus,
    ContactKind=ContactKind,
    OPEN_ACTION_STATUSES=OPEN_ACTION_STATUSES,
    service_type_label=service_type_label,
    region_label=region_label,
    role_label=role_label,
)
templates.env.filters.update(service_type=service_type_label, region=region_label, role=role_label,
                             label=lambda value, enum: label_of(enum, value))

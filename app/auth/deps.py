"""FastAPI dependencies: the database session, the current user, and one guard per role.

Authorization lives here and nowhere else: routes declare the guard they need.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.auth.cookies import (
    CSRF_FIELD,
    CSRF_HEADER,
    csrf_token_is_valid,
    session_token,
)
from app.config import Settings
from app.i18n import N_
from app.models import User
from app.models.vocabulary import Role
from app.services.credentials import user_for_api_token, user_for_browser_session
from app.services.errors import DomainError, ErrorCode, Forbidden

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginRequired(Exception):
    """A page needs a logged-in person: the web face answers with the login page."""


class ApiUnauthorized(DomainError):
    code = ErrorCode.UNAUTHENTICATED
    status_code = 401


class CsrfFailed(DomainError):
    code = ErrorCode.CSRF_FAILED
    status_code = 403


# Dependencies that do no I/O are `async def`: FastAPI then calls them on the event loop
# instead of handing each to the thread pool and back (measured: about 0.1 ms of CPU per
# dependency and request, and a wait for the GIL under load).
async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    # On the event loop: opening a session does no I/O, and closing it only hands its
    # connection back to the pool (a rollback). A sync dependency costs two trips through
    # the thread pool, ~13 % of the action plan page's CPU.
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session)]


def _remember(request: Request, session: Session, user: User | None) -> User | None:
    if user is not None:
        # Detached, so a service's rollback cannot expire the person the error page names.
        session.expunge(user)
    request.state.user = user
    # The request log names the user by id only, never by email.
    request.scope.setdefault("state", {})["user_id"] = user.id if user else None
    return user


def optional_web_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    token = session_token(request, settings)
    user = user_for_browser_session(session=session, token=token) if token else None
    return _remember(request, session, user)


def _logged_in(user: User | None) -> User:
    if user is None:
        raise LoginRequired()
    return user


async def web_user(user: Annotated[User | None, Depends(optional_web_user)]) -> User:
    return _logged_in(user)


_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/token")


def api_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    user = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        user = user_for_api_token(session=session, token=credentials.credentials)
    if user is None:
        raise ApiUnauthorized(N_("Log ind med et gyldigt token."))
    return _remember(request, session, user)


def _role_guard(base, roles: tuple[Role, ...]):
    async def guard(user: Annotated[User, Depends(base)]) -> User:
        if user.role not in roles:
            raise Forbidden(N_("Du har ikke adgang til denne side."))
        return user

    return guard


def web_role(*roles: Role):
    return _role_guard(web_user, roles)


def api_role(*roles: Role):
    return _role_guard(api_user, roles)


async def csrf_protect(request: Request, settings: SettingsDep) -> None:
    """Every state-changing browser request carries the token bound to its session.

    The JSON API is exempt: it authenticates with bearer tokens, never with cookies.
    """
    if request.method in SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            given = (await request.form()).get(CSRF_FIELD)
    if not csrf_token_is_valid(request, settings, given if isinstance(given, str) else None):
        raise CsrfFailed(N_("Siden var forældet. Indlæs den igen, og prøv en gang til."))


def docs_reader(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """Anyone logged in, in a browser or with a bearer token: who may read the API docs."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        user = user_for_api_token(session=session, token=credentials.credentials)
        if user is not None:
            return _remember(request, session, user)
    return _logged_in(optional_web_user(request, session, settings))


WebUser = Annotated[User, Depends(web_user)]
OptionalWebUser = Annotated[User | None, Depends(optional_web_user)]
ApiUser = Annotated[User, Depends(api_user)]
WebAdmin = Annotated[User, Depends(web_role(Role.ADMIN))]
WebAdvisor = Annotated[User, Depends(web_role(Role.ADVISOR, Role.ADMIN))]
WebMember = Annotated[User, Depends(web_role(Role.MEMBER))]
ApiAdvisor = Annotated[User, Depends(api_role(Role.ADVISOR, Role.ADMIN))]
ApiMember = Annotated[User, Depends(api_role(Role.MEMBER))]

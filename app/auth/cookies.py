"""The browser session cookie and the CSRF token bound to it."""

import hashlib
import hmac
import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.config import Settings

SESSION_COOKIE = "etik_session"
LANGUAGE_COOKIE = "etik_lang"  # read by app.middleware.LanguageMiddleware
# Visitors who are not logged in get a random seed, so the login form has a CSRF token too.
ANONYMOUS_COOKIE = "etik_anon"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def _serializer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.resolved_secret_key(), salt=f"etik-{purpose}")


def read_signed_cookie(request: Request, settings: Settings, name: str) -> str | None:
    raw = request.cookies.get(name)
    if not raw:
        return None
    max_age = settings.session_max_age_hours * 3600
    try:
        return _serializer(settings, name).loads(raw, max_age=max_age)
    except BadSignature:
        return None


def set_signed_cookie(response: Response, settings: Settings, name: str, value: str) -> None:
    response.set_cookie(
        name,
        _serializer(settings, name).dumps(value),
        max_age=settings.session_max_age_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
        path="/",
    )


def set_language_cookie(response: Response, settings: Settings, language: str) -> None:
    """The chosen language, a year long; like every cookie of ours `Secure` in production."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax",
                        httponly=True, secure=settings.is_production, path="/")


def session_token(request: Request, settings: Settings) -> str | None:
    return read_signed_cookie(request, settings, SESSION_COOKIE)


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    set_signed_cookie(response, settings, SESSION_COOKIE, token)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def new_anonymous_seed() -> str:
    return secrets.token_urlsafe(24)


def csrf_binding(request: Request, settings: Settings) -> str:
    """What the CSRF token is bound to: the session, or the visitor's anonymous seed."""
    return (
        session_token(request, settings)
        or read_signed_cookie(request, settings, ANONYMOUS_COOKIE)
        or request.scope.get("state", {}).get("anonymous_seed", "")
    )


def csrf_token_for(binding: str, settings: Settings) -> str:
    key = settings.resolved_secret_key().encode()
    return hmac.new(key, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request, settings: Settings) -> str:
    return csrf_token_for(csrf_binding(request, settings), settings)


def csrf_token_is_valid(request: Request, settings: Settings, given: str | None) -> bool:
    binding = csrf_binding(request, settings)
    if not binding or not given:
        return False
    return hmac.compare_digest(csrf_token_for(binding, settings), given)

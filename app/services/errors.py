"""Domain errors raised by services and mapped once, in app.main, to HTML or JSON."""

from dataclasses import dataclass, field
from enum import StrEnum

from app.i18n import gettext


class ErrorCode(StrEnum):
    """The stable `code` of every error answer; README's API section documents each one."""

    INVALID = "invalid"  # 422: a field or the request body is wrong
    UNAUTHENTICATED = "unauthenticated"  # 401: no valid token or login
    BAD_CREDENTIALS = "bad_credentials"  # 401: wrong email or password
    FORBIDDEN = "forbidden"  # 403: the role may not do this
    CSRF_FAILED = "csrf_failed"  # 403: a browser form without its session's token
    NOT_FOUND = "not_found"  # 404: missing, or not the caller's; also an unknown path
    METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
    CONFLICT = "conflict"  # 409: changed since the caller saw it, or no longer editable
    LINK_INVALID = "link_invalid"  # 410: an invitation or reset link that no longer works
    PAYLOAD_TOO_LARGE = "payload_too_large"  # 413
    THROTTLED = "throttled"  # 429: too many attempts
    BAD_REQUEST = "bad_request"  # 400: a request the server cannot read at all
    INTERNAL_ERROR = "internal_error"  # 500: a bug of ours; the log has it


@dataclass
class FieldError:
    """A problem with one input; `message` is a Danish msgid, translated when shown."""

    field: str
    message: str
    params: dict = field(default_factory=dict)
    # Where the value sits, when a part holds dots itself (an indicator key in "answers").
    path: tuple[str, ...] | None = None

    @property
    def loc(self) -> tuple[str, ...]:
        return self.path or tuple(self.field.split("."))

    def text(self) -> str:
        return gettext(self.message, **self.params)


@dataclass
class DomainError(Exception):
    message: str
    errors: list[FieldError] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    # Extra JSON members of the API answer, e.g. the saved answer that won a conflict.
    data: dict = field(default_factory=dict)

    code = ErrorCode.INVALID
    status_code = 400

    def text(self) -> str:
        return gettext(self.message, **self.params)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """Missing, or not the caller's: both answer the same so nothing leaks."""

    code = ErrorCode.NOT_FOUND
    status_code = 404


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN
    status_code = 403


class Invalid(DomainError):
    code = ErrorCode.INVALID
    status_code = 422


class Conflict(DomainError):
    code = ErrorCode.CONFLICT
    status_code = 409


class BadCredentials(DomainError):
    code = ErrorCode.BAD_CREDENTIALS
    status_code = 401


class Throttled(DomainError):
    code = ErrorCode.THROTTLED
    status_code = 429


class LinkInvalid(DomainError):
    """An invitation or reset link that is unknown, expired or already used."""

    code = ErrorCode.LINK_INVALID
    status_code = 410

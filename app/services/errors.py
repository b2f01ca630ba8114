"""Domain errors raised by services and mapped once, in app.main, to HTML or JSON."""

from dataclasses import dataclass, field
from enum import StrEnum

from app.i18n import gettext


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    CONFLICT = "conflict"
    BAD_CREDENTIALS = "bad_credentials"
    THROTTLED = "throttled"
    LINK_INVALID = "link_invalid"


@dataclass
class FieldError:
    """A problem with one input; `message` is a Danish msgid, translated when shown."""

    field: str
    message: str
    params: dict = field(default_factory=dict)

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

"""People who log in, and the credentials that stand for them (sessions, tokens, links)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import metadata  # noqa: F401  (naming convention before any table)
from app.models.base import optional_timestamp_field, timestamp_field
from app.models.vocabulary import Role


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased, so the unique index makes email unique case-insensitively.
    email: str = Field(max_length=254, unique=True)
    name: str = Field(max_length=200)
    role: Role = Field(sa_type=sa.String(20))
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="RESTRICT"
    )
    password_hash: str | None = Field(default=None, max_length=255)
    active: bool = True
    # A member's leader: invites and removes colleagues of its own organisation
    # (services.colleagues). Always false for other roles.
    member_admin: bool = False
    last_login_at: datetime | None = optional_timestamp_field()
    created_at: datetime = timestamp_field()


class UserSession(SQLModel, table=True):
    """A browser login; the cookie carries the signed token, the database only its hash."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    # Shown on the person's account page, so they recognise their own logins: the time is
    # renewed at most every few minutes (credentials.LAST_SEEN_EVERY), not on every request.
    last_seen_at: datetime | None = optional_timestamp_field()
    user_agent: str = Field(default="", max_length=300)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()


class LoginAttempt(SQLModel, table=True):
    """Failed logins, counted per email and per client address to throttle guessing."""

    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    attempted_at: datetime = timestamp_field(index=True)


class OneTimeLink(SQLModel, table=True):
    """Invitation, password-reset and email-change links: signed, expiring, and single-use."""

    __tablename__ = "one_time_link"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=20)  # services.links.LinkPurpose
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = optional_timestamp_field()
    # The address an email-change link confirms; the user's email changes only when it is used.
    new_email: str | None = Field(default=None, max_length=254)

"""Settings: the only place that reads the environment (ETIK_* variables and `.env`)."""

import ipaddress
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(Exception):
    """A setting that passed validation but cannot be used here; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ETIK_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///var/etik.db"
    secret_key: str = ""
    demo_password: str = "demo-pass-2026"
    var_dir: Path = PROJECT_ROOT / "var"
    catalogue_dir: Path = PROJECT_ROOT / "catalogue"
    base_url: str = "http://127.0.0.1:8000"

    # Sessions and tokens
    session_max_age_hours: int = 12
    api_token_ttl_minutes: int = 60
    invitation_ttl_hours: int = 72
    password_reset_ttl_minutes: int = 60
    # A new email address is confirmed by a link sent to it, valid this long
    email_change_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    password_min_length: int = 10

    # Throttling of failed logins, counted in the database so it holds across processes
    login_failure_limit: int = 5
    login_failure_ip_limit: int = 30
    login_failure_window_minutes: int = 15

    # Password-reset requests: per account (silently, so the answer never tells whether the
    # account exists) and per client address, in a sliding window
    password_reset_limit: int = 3
    password_reset_ip_limit: int = 20
    password_reset_window_minutes: int = 60

    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses
    # or networks, comma-separated (e.g. "127.0.0.1" or "172.16.0.0/12"). Empty: none, so
    # the client address is the connection's and a client cannot choose its own.
    trusted_proxies: str = ""

    # In production the API's documentation (/docs, /openapi.json) needs a login; set to
    # true to publish it to anyone.
    public_api_docs: bool = False

    # Request limits
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 10 * 1024 * 1024
    # `etik retention apply` removes evidence files uploaded more than this many days ago
    # (the row and its title stay). Five years by default.
    evidence_retention_days: int = Field(default=1825, ge=1, le=36_500)

    # Email; without a host, development writes mail to the outbox page
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "etik@los.dk"

    # The board sees a group only when it has at least this many respondents.
    anonymity_minimum: int = 5
    # Advisors' flag rules (services/advisor/flags.py): an indicator at or below this is low,
    # a fall of this much is a decline, and this close to the deadline with less than this
    # share answered a submission is missing.
    flag_low_indicator: int = Field(default=2, ge=1, le=5)
    flag_decline: float = Field(default=1.0, gt=0, le=4)
    flag_deadline_days: int = Field(default=14, ge=0, le=365)
    flag_min_progress: float = Field(default=0.5, ge=0, le=1)
    # self_above_official: a theme's self-assessment this far above Socialtilsynet's score.
    flag_self_above_official: float = Field(default=1.0, gt=0, le=4)
    # `etik notices send` reminds an action's owner this many days before it is due.
    notice_due_days: int = Field(default=3, ge=0, le=60)
    # ...and reminds members that have not submitted this many days before the deadline.
    reminder_days: list[int] = Field(default=[14, 3])
    # A reminder sent by hand from a round's page goes to a user at most once in this many
    # minutes, so a second click (or a colleague's) sends nothing twice.
    reminder_resend_minutes: int = Field(default=60, ge=1, le=10080)

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _reminder_days_from_text(cls, value):
        # ETIK_REMINDER_DAYS=14,3 (pydantic-settings would want JSON for a list).
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        return value

    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @field_validator("database_url")
    @classmethod
    def _database_url_parses(cls, value: str) -> str:
        try:
            make_url(value).get_dialect()
        except ArgumentError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {item!r}") from None
        return value

    def trusted_proxy_list(self) -> list[str]:
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @model_validator(mode="after")
    def _production_needs_secret(self) -> "Settings":
        if self.is_production and not self.secret_key:
            raise ValueError("ETIK_SECRET_KEY must be set when ETIK_ENV=production")
        return self

    def resolved_secret_key(self) -> str:
        """The signing key; in development generated once into var/secret_key."""
        if self.secret_key:
            return self.secret_key
        key_file = self.var_dir / "secret_key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def resolved_database_url(self) -> str:
        """Relative SQLite paths are taken from the project root, so every command agrees."""
        prefix = "sqlite:///"
        url = self.database_url
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            path = PROJECT_ROOT / url[len(prefix):]
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise SettingError(f"ETIK_DATABASE_URL: cannot create the folder {path.parent}"
                                   f" for the SQLite database: {exc.strerror}") from exc
            return prefix + str(path)
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()

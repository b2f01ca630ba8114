"""Table models; importing this package registers every table on the metadata."""

from app.models.mail import OutboxMessage
from app.models.organisations import Organisation
from app.models.users import ApiToken, LoginAttempt, OneTimeLink, User, UserSession

__all__ = ["ApiToken", "LoginAttempt", "OneTimeLink", "Organisation", "OutboxMessage", "User",
           "UserSession"]

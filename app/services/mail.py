"""Sending email: through SMTP when configured, otherwise into the outbox table.

Every message is kept in the outbox either way, so admins can see what was sent and when.
"""

import logging
import smtplib
from email.message import EmailMessage

from sqlmodel import Session, col, select

from app.config import Settings
from app.models import OutboxMessage
from app.models.base import utcnow

log = logging.getLogger("etik.mail")


def send_mail(*, session: Session, settings: Settings, recipient: str, subject: str,
              body: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    if settings.smtp_host:
        try:
            _deliver(settings, message)
            message.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            # The link is still valid; the admin sees the failure in the outbox and can resend.
            message.error = f"{type(exc).__name__}: {exc}"[:1000]
            log.warning('{"event": "mail_failed", "error": "%s"}', type(exc).__name__)
    session.add(message)
    session.commit()
    return message


def _deliver(settings: Settings, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(email)


def recent_messages(*, session: Session, limit: int = 100, offset: int = 0
                    ) -> list[OutboxMessage]:
    return list(session.exec(
        select(OutboxMessage)
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .offset(offset).limit(limit)
    ))

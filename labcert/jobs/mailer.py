"""Send one stored notification: over SMTP (Flask-Mail), or to the log without a server."""

from __future__ import annotations

import hashlib
import logging
import smtplib

from flask import current_app
from flask_mail import Mail, Message

from labcert.models import MailMessage, utcnow
from labcert.services import mail_queue

log = logging.getLogger("labcert.mail")
mail = Mail()
MAX_ATTEMPTS = 8
TRANSIENT = (smtplib.SMTPException, OSError)


class MailBusy(Exception):
    """Another worker holds the message's claim; try again after `wait` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"claimed by another worker for {wait:.0f} s more")
        self.wait = wait


def message_id(message: MailMessage) -> str:
    """Return a Message-ID fixed by the message's key, so a resend can be told apart."""
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    return f"<{digest}@labcert>"


def send(message: MailMessage) -> None:
    """Hand the message to the mail server, or write it to the log if none is configured."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info("mail (no LABCERT_MAIL_SERVER; see /dev/outbox) to %s: %s\n%s",
                 message.to_address, message.subject, message.body_text)
        return
    outgoing = Message(subject=message.subject, recipients=[message.to_address],
                       body=message.body_text, html=message.body_html,
                       sender=config["MAIL_DEFAULT_SENDER"])
    outgoing.msgId = message_id(message)
    mail.send(outgoing)


def deliver(mail_id: int) -> str:
    """Claim, send and mark one message; raise MailBusy or a transient error to retry."""
    lease = current_app.config["JOBS_MAIL_LEASE_SECONDS"]
    claim = mail_queue.claim(mail_id, utcnow(), lease)
    if claim.state == "done":
        return "done"
    if claim.state == "busy":
        raise MailBusy(claim.wait)
    message = claim.message
    assert message is not None
    try:
        send(message)
    except TRANSIENT as error:
        mail_queue.mark_failed(message, f"{type(error).__name__}: {error}",
                               final=message.attempts >= MAX_ATTEMPTS)
        raise
    mail_queue.mark_sent(message, utcnow())
    return "sent"

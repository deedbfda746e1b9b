"""Outgoing mail goes through the outbox and Celery.

`QueuedEmailBackend` is the EMAIL_BACKEND: it writes each message, as JSON, to the outbox
(`ogp_platform.outbox`) in the current transaction, and queues its delivery once the transaction
commits (a sign-up that rolls back sends nothing; one that commits always has its email, even
when the broker cannot take the task: the outbox's sweeper queues it again). The worker hands the
message to the delivery backend (OGP_EMAIL_DELIVERY_BACKEND: SMTP in production, the console by
default). A slow or unreachable mail server therefore never holds up a request, and failed
deliveries are tried again.
"""

import base64

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend


def message_to_dict(message: EmailMessage) -> dict:
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        # On one line, whatever the sender built it from: names people typed (a member's, an
        # organisation's) may hold line breaks, which a mail header must not (Django would
        # refuse to send it, and a header could be smuggled in).
        "subject": " ".join(str(message.subject).split()),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def message_from_dict(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data.get("cc"),
        bcc=data.get("bcc"),
        reply_to=data.get("reply_to"),
        headers=data.get("headers"),
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data.get("attachments", []):
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def deliver(data: dict) -> None:
    """Send one serialised message through the delivery backend, now."""
    connection = get_connection(settings.OGP_EMAIL_DELIVERY_BACKEND)
    connection.send_messages([message_from_dict(data)])


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from ogp_platform.outbox.services import outbound_email_queue

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbound_email_queue(message)
            count += 1
        return count

"""Outgoing mail goes through Celery.

`QueuedEmailBackend` is the EMAIL_BACKEND: it turns each message into JSON and queues
`ogp_platform.tasks.send_email` once the current transaction commits (a sign-up that rolls back
sends nothing). The worker hands the message to the delivery backend (OGP_EMAIL_DELIVERY_BACKEND:
SMTP in production, the console by default). A slow or unreachable mail server therefore never
holds up a request, and SMTP errors are retried by the task.
"""

import base64

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def message_to_dict(message: EmailMessage) -> dict:
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
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
        from ogp_platform.tasks import send_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            data = message_to_dict(message)
            transaction.on_commit(lambda data=data: send_email.delay(data))
            count += 1
        return count

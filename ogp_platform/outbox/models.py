from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One email to send, written in the transaction of whatever decided to send it (a sign-up,
    an invitation, a notification marked sent): it exists exactly when that transaction
    committed. `message` is `ogp_platform.mail.message_to_dict`'s JSON, with a Message-ID fixed
    at that moment. Delivery (`services.outbound_email_send`) claims the row with a conditional
    UPDATE: `claimed_until` is a lease (held by the task `claimed_by`), or the time before which a
    failed attempt is not tried again; `sent_at` is set once the mail server accepted the
    message."""

    message = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # The Celery task id that holds the claim: the broker's redelivery of that same task (its
    # worker died) may take it over before the lease ends.
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["created_at", "pk"]
        indexes = [
            # What the sweeper reads every minute: the unsent rows, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="outbox_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)}"

    @property
    def subject(self) -> str:
        return self.message.get("subject", "")

    @property
    def recipients(self) -> list[str]:
        return [
            *self.message.get("to", []),
            *self.message.get("cc", []),
            *self.message.get("bcc", []),
        ]

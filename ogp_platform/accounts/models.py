from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_platform.text import one_line, validate_single_line

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the platform. The email address is the login."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        blank=True,
        help_text=_("Shown publicly next to what you write. You may use a pseudonym."),
        validators=[validate_single_line],
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person deleted their account: the row stays as an anonymous tombstone, so
    # that what they wrote in consultations (and the history) keeps an author.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The unique index above is case-sensitive; addresses are not.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name()

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_full_name(self):
        """The name shown publicly. Never derived from the email address, which stays private.
        Every page, email and export that names a person goes through here, so a deleted
        account reads "Deleted participant" everywhere. A name saved before names were checked
        (`ogp_platform.text`) comes out as one line without invisible characters, so that it
        cannot start a line of an email or reorder the words around it."""
        if self.is_deleted:
            return gettext("Deleted participant")
        return one_line(self.display_name) or _("Participant %(number)s") % {"number": self.pk}

    def get_short_name(self):
        return self.get_full_name()

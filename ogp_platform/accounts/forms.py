from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupProfileForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        help_text=_(
            "Shown publicly next to what you write in consultations. You may use a pseudonym."
        ),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        language = get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.save(update_fields=["display_name", "preferred_language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ogp_platform.text import validate_single_line

from .models import User


class SignupProfileForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        help_text=_(
            "Shown publicly next to what you write in consultations. You may use a pseudonym."
        ),
        validators=[validate_single_line],
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


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password again (or, for an account without one, the
    email address): a session left open on a shared computer is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]
            self.fields["email"] = forms.EmailField(
                label=_("Your email address"),
                help_text=_("Type the address you sign in with."),
                widget=forms.EmailInput(attrs={"autocomplete": "off"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("This is not the address you sign in with."), code="wrong_email"
            )
        return email

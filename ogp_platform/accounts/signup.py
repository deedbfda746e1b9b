"""allauth's sign-up form, made to take the same time whether or not the address is taken.

With enumeration prevention on, allauth answers a taken address with the same page as a new one
and mails the address's owner instead. But only the new address has its password hashed, which
is nearly all the work of a sign-up (about 0.4 s with Django's PBKDF2): the answer came back
seven times faster for a taken address, which told who has an account. The taken path now
hashes the password it was given too, and throws the hash away.

(Kept apart from `forms.py`: allauth builds its sign-up form on top of the project's
ACCOUNT_SIGNUP_FORM_CLASS, which lives there, so that module cannot import allauth's forms.)
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

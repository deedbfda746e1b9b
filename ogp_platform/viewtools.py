"""Small tools every view module uses: permission checks that send anonymous visitors to sign
in, service errors shown on forms, safe redirects back, and one-form pages."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


class LoginRequired(Exception):
    pass


def require(request, allowed: bool) -> None:
    """Anonymous visitors are sent to sign in; signed-in users without the right get a 403."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


def guarded(view):
    """Turns LoginRequired into a redirect to the sign-in page that comes back here."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def redirect_back(request, default: str):
    """Redirect to the form's `next` (same site only) or to the default URL."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(target)


def form_page(
    request,
    form,
    *,
    title,
    submit,
    cancel_url,
    breadcrumbs=(),
    intro="",
    template="components/form_page.html",
    **context,
):
    """Render a page whose main content is one form."""
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "submit_label": submit,
            "cancel_url": cancel_url,
            "breadcrumbs": list(breadcrumbs),
            "intro": intro,
            **context,
        },
    )

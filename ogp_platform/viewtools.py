"""Small tools every view module uses: permission checks that send anonymous visitors to sign
in, service errors shown on forms, safe redirects back, and one-form pages."""

import re
import unicodedata
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render


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


def _is_local_path(value: str) -> bool:
    """A path of this site, as a browser reads it: one leading slash, then no second slash or
    backslash (`//host` and `/\\host` name another host), no scheme or host, and no backslash,
    control, format or space character anywhere (browsers drop tabs and newlines and turn
    backslashes into slashes, so what was checked would not be what they follow)."""
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        return False
    if any(
        char == "\\" or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs")
        for char in value
    ):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


def local_path(value, default: str, *, path_only: bool = False) -> str:
    """`value` if it is a path of this site (see `_is_local_path`), else `default`. Every `next`
    a view follows or renders goes through here. With `path_only`, the query and fragment are
    cut off first: what is checked is exactly what is returned."""
    candidate = value if isinstance(value, str) else ""
    if path_only:
        candidate = re.split(r"[?#]", candidate, maxsplit=1)[0]
    return candidate if candidate and _is_local_path(candidate) else default


def requested_next(request, default: str, *, path_only: bool = False) -> str:
    """The `next` a form or link sent (POST first, then the query string), if it is a path of
    this site, else `default` (`path_only` as for `local_path`)."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(value, default, path_only=path_only)


def with_next(data, next_value: str):
    """A form's data with its `next` replaced by the checked one, so that a form shown again
    (with its errors) carries only what was checked; None (a form not sent) stays None."""
    if data is None:
        return None
    data = data.copy()
    data["next"] = next_value
    return data


def redirect_back(request, default: str):
    """Redirect to the form's `next` (a path of this site only) or to the default URL."""
    return redirect(local_path(request.POST.get("next", ""), default))


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

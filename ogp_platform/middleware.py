import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .viewtools import local_path

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers /healthz before host validation and HTTPS redirection.

    Container and load-balancer probes call the process by its internal address (127.0.0.1,
    a pod IP), which is not, and should not be, in ALLOWED_HOSTS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class UserLanguageMiddleware:
    """Serves a signed-in user in their preferred language.

    An explicit choice in the language switcher (the language cookie) wins, so the switcher works
    the same for everyone; the preference applies when the browser has made no choice yet, e.g.
    on a new device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.preferred_language
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    The platform runs no inline script and no inline style (a test reads every template to
    keep it so), loads nothing from another origin, and is never framed: the policy says
    exactly that, so injected markup could neither run nor phone home. The Django admin's own
    templates set a few inline styles, so its pages also allow inline style attributes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY
        )
        self.admin_policy = self.policy.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path_info.startswith(self.admin_prefix)
            response["Content-Security-Policy"] = self.admin_policy if admin else self.policy
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """Answers a clean 503 page, with Retry-After, while the database cannot be reached.

    A restarting or failing-over PostgreSQL makes every query raise OperationalError (or
    InterfaceError on a connection it cut); without this, each request would end as a 500 with
    a traceback and an error report. The page is rendered without a request context (no
    session, user or navigation lookups), so it needs no database. The next request after the
    database is back opens a new connection (CONN_HEALTH_CHECKS), so the web processes recover
    by themselves.

    It sits right after AuthenticationMiddleware: the session and the user are loaded lazily, so
    it loads them here, where an error can still be answered; errors in views and templates
    reach `process_exception`.
    """

    RETRY_AFTER_SECONDS = 30
    ERRORS = (OperationalError, InterfaceError)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self._load_user(request)
        except self.ERRORS as error:
            return self.unavailable(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, self.ERRORS):
            return self.unavailable(request, exception)
        return None

    @staticmethod
    def _load_user(request) -> bool:
        return request.user.is_authenticated

    def unavailable(self, request, error) -> HttpResponse:
        logger.error(
            "Database unavailable, answered 503 to %s %s: %s: %s",
            request.method,
            request.path,
            type(error).__name__,
            str(error).strip(),
        )
        # Offer to load the page again (a page of this site only); a form is not sent again.
        retry_path = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        retry_path = local_path(retry_path, "")
        page = loader.get_template("503.html").render({"request": None, "retry_path": retry_path})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response

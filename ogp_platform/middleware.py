from django.conf import settings
from django.utils import translation


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

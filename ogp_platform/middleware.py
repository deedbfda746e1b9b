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

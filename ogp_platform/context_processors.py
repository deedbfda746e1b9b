from . import navigation as module_navigation
from .members import policies


def navigation(request):
    """What the header shows depends on the platform role, decided by the policies."""
    user = getattr(request, "user", None)
    return {
        "nav_is_ogp_admin": bool(user is not None and policies.is_ogp_admin(user)),
        "nav_is_moderator": bool(user is not None and policies.is_moderator(user)),
        # The links the modules register (ogp_platform.navigation).
        "nav_modules": module_navigation.links_for(request),
    }

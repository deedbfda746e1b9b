"""What every app's services share."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse the write unless the policy allows it. Services check their policy themselves,
    whoever calls them (a view, a task, a command), so a missed check in a view refuses anyway."""
    if not allowed:
        raise PermissionDenied

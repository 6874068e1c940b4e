"""Tells the database who is acting, so the audit triggers can record it.

For a signed-in user's unsafe request (POST, PUT, PATCH, DELETE) the session's actor is set to
``user:<id>`` once, before the view, and put back afterwards (connections are persistent).
Safe requests cost no query. API token requests are named by core.audit.drf, inside the
block this middleware opens.
"""

from .actor import acting_as

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in UNSAFE_METHODS:
            return self.get_response(request)
        user = getattr(request, "user", None)
        actor = f"user:{user.pk}" if user is not None and user.is_authenticated else None
        with acting_as(actor):
            return self.get_response(request)

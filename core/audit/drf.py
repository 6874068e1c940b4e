"""Names the API caller as the audit actor once DRF has authenticated them.

DRF authenticates in the view, after the middleware has run, so a request made with an API
token reaches the middleware anonymous. API views mix this in (the shared base viewset
should): on unsafe methods the actor becomes ``token:<id>`` for a token, ``user:<id>`` for a
session, and is put back when the response is done.
"""

from rest_framework.permissions import SAFE_METHODS

from .actor import actor_scope, set_actor


def actor_for_request(request) -> str | None:
    """``token:<id>`` for an API token (its principal carries ``token_id``), ``user:<id>``
    for a signed-in user, else None."""
    user = request.user
    token_id = getattr(user, "token_id", None)
    if token_id is not None:
        return f"token:{token_id}"
    if user is not None and user.is_authenticated and user.pk is not None:
        return f"user:{user.pk}"
    return None


class AuditActorMixin:
    def dispatch(self, request, *args, **kwargs):
        with actor_scope():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            set_actor(actor_for_request(request))

"""Django's ``AuthenticationMiddleware``, handing the backend the account the session was read
with (council.sessions) so that who is signed in is asked of the database once a request."""

from __future__ import annotations

from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from .backends import session_account


def get_user(request):
    """``django.contrib.auth.middleware.get_user``: Django's ``auth.get_user`` decides (the
    session's backend, its password-change hash, the account being active)."""
    if not hasattr(request, "_cached_user"):
        with session_account(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))

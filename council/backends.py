"""Signing in and loading the signed-in account.

Every page and API call asks who the viewer is: their account, and through ``council.roles``
their officer or member record. Django's ``ModelBackend`` loads the account alone, and the
first ``officer_of``/``member_of`` then costs a query each, on every request. This backend
loads the account with both records (and its council) in one query; a person with neither
record gets the reverse relation cached as missing, so ``officer_of`` still answers None
without asking the database (bench/lists.py: a query and about a millisecond a request).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# The rows loaded beside the account: ``council.roles`` reads the first two on most requests,
# scoping reads the council.
PERSON_RELATED = ("officer", "member", "council")


class PersonBackend(ModelBackend):
    """``ModelBackend`` (passwords, permissions, ``is_active``) whose ``get_user`` joins the
    account's officer, member and council records."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(*PERSON_RELATED).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

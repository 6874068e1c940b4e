"""Shared fixtures. The real PostgreSQL and Redis are started by tests/harness.py.

Organisation fixtures build on ``tests/factories.py``. A module may define a fixture of the
same name (``council``, ``client``) to shadow one of these.
"""

from __future__ import annotations

import copy
import uuid

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_rendered_forms():
    """Rendered filter forms and each person's last check of their options are kept in the
    process's memory (core.forms.render_cached), keyed by ids that repeat from test to test."""
    from django.core.cache import caches

    from core.forms import RENDERED_FORMS_CACHE

    caches[RENDERED_FORMS_CACHE].clear()


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Each test counts in its own part of the shared Redis cache: token rate limits and
    failed sign-ins (keyed by token id and email address, which repeat across tests and
    xdist workers) never carry over from another test."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def council(db):
    return factories.CouncilFactory(slug="city", name="City Council")


@pytest.fixture
def other_council(db):
    return factories.CouncilFactory(slug="elsewhere", name="Elsewhere District Council")


@pytest.fixture
def api_client():
    """An unauthenticated ``APIClient``."""
    return APIClient()


@pytest.fixture
def client_as(db, council):
    """``client_as(role, council=None)``: an APIClient signed in as a new person holding
    ``role`` (``factories.PERSON_ROLES``) in ``council`` (default: the ``council`` fixture).
    The client's ``.user`` is the account."""

    def make(role: str, in_council=None) -> APIClient:
        user = factories.person(role, in_council or council)
        client = APIClient()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def token_client(db, council):
    """``token_client(scopes, council=None, **issue_kwargs)``: an APIClient sending
    ``Authorization: Token <key>`` for a new token. The client's ``.token`` is the ApiToken
    and ``.key`` its key."""

    def make(scopes, in_council=None, **kwargs) -> APIClient:
        token, key = factories.api_token(in_council or council, scopes, **kwargs)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.token, client.key = token, key
        return client

    return make

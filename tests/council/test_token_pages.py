"""The API tokens page (issue 7): council administrators issue, see and revoke tokens."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from council.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/council/api-tokens/"


def signed_in(role, council):
    client = Client()
    client.force_login(factories.person(role, council))
    return client


def test_an_administrator_issues_a_token_whose_key_is_shown_once_and_works(council):
    admin = signed_in("administrator", council)
    response = admin.post(
        PAGE,
        {"name": "HR sync", "scopes": ["officers:write", "events:read"], "expires_in_days": 30},
    )
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.encode() in response.content
    token = ApiToken.objects.get(council=council, name="HR sync")
    assert token.scopes == ["officers:write", "events:read"] and token.expires_at is not None
    assert key.encode() not in admin.get(PAGE).content  # never again
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/officers/").status_code == 200


def test_a_token_form_without_scopes_shows_the_error(council):
    response = signed_in("administrator", council).post(PAGE, {"name": "x"})
    assert response.status_code == 200
    assert "Select at least one thing the token may do" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_a_token(council):
    token, _key = factories.api_token(council, ["*"], name="Old")
    admin = signed_in("administrator", council)
    response = admin.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_councils_token_cannot_be_revoked(council, other_council):
    token, _key = factories.api_token(other_council, ["*"])
    response = signed_in("administrator", council).post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", ["officer", "hr", "casework", "monitoring_officer", "member"])
def test_only_administrators_see_the_tokens_page(council, role):
    assert signed_in(role, council).get(PAGE).status_code == 404


def test_the_tokens_page_costs_the_same_queries_at_any_length(council, django_assert_num_queries):
    admin = signed_in("administrator", council)
    admin.get(PAGE)
    for _ in range(10):
        factories.api_token(council, ["*"])
    # Session, account, officer and member records (roles, navigation), the tokens with who
    # issued them, the unread notifications badge: none per token.
    with django_assert_num_queries(6):
        admin.get(PAGE)

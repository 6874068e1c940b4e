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


def test_revoking_asks_first_naming_the_token_its_scopes_and_last_use(council):
    token, _key = factories.api_token(council, ["officers:write", "events:read"], name="HR sync")
    response = signed_in("administrator", council).get(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Are you sure you want to revoke the token HR sync?" in page
    assert "Officers: read and change" in page and "Events: read" in page
    assert "Never" in page  # last used
    assert "its next request to the Councilcase API is refused" in page
    assert "Yes, revoke the token" in page
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET never revokes


def test_the_tokens_page_links_to_the_confirmation_instead_of_revoking(council):
    token, _key = factories.api_token(council, ["*"], name="Old")
    page = signed_in("administrator", council).get(PAGE).content.decode()
    assert f'href="{PAGE}{token.pk}/revoke/"' in page
    assert f'action="{PAGE}{token.pk}/revoke/"' not in page


def test_an_administrator_revokes_a_token_from_the_confirmation(council):
    token, _key = factories.api_token(council, ["*"], name="Old")
    admin = signed_in("administrator", council)
    response = admin.post(f"{PAGE}{token.pk}/revoke/", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The token Old has been revoked and no longer works" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_already_revoked_is_said_to_be_so(council, method):
    token, _key = factories.api_token(council, ["*"], name="Old")
    admin = signed_in("administrator", council)
    admin.post(f"{PAGE}{token.pk}/revoke/")
    token.refresh_from_db()
    first_revoked_at = token.revoked_at
    response = getattr(admin, method)(f"{PAGE}{token.pk}/revoke/", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The token Old was already revoked on" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at == first_revoked_at


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_councils_token_is_not_found(council, other_council, method):
    token, _key = factories.api_token(other_council, ["*"])
    admin = signed_in("administrator", council)
    assert getattr(admin, method)(f"{PAGE}{token.pk}/revoke/").status_code == 404
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
    # The audit actor, the session with the account, its officer and member records and
    # unread notifications (council.sessions), the tokens with who issued them: none per
    # token.
    with django_assert_num_queries(3):
        admin.get(PAGE)

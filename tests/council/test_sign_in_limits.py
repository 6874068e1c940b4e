"""Failed sign-ins lock the account for a while (django-axes; DESIGN.md, Security
decisions): counted per email address whatever its case, a readable page with 429 and
Retry-After, other accounts unaffected, a success resetting the count."""

import pytest
from django.conf import settings
from django.urls import reverse

from council import services
from tests import factories

PASSWORD = "a-long-enough-password-1"


@pytest.fixture
def account(council):
    user = factories.person("officer", council)
    services.set_password(user=user, by="test", password=PASSWORD)
    return user


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_an_account_is_locked_after_too_many_failures_even_with_the_right_password(client, account):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = account.email.upper() if attempt % 2 else f" {account.email} "
        answer = sign_in(client, email, "wrong")
        assert answer.status_code in (200, 429)
    locked = sign_in(client, account.email, PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    page = locked.content.decode()
    assert "Too many attempts to sign in" in page
    assert "_auth_user_id" not in client.session


def test_other_accounts_can_still_sign_in(client, council, account):
    other = factories.person("officer", council)
    services.set_password(user=other, by="test", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, account.email, "wrong")
    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, account.email, "wrong").status_code == 200
    assert sign_in(client, account.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, account.email, "wrong").status_code == 200
    assert sign_in(client, account.email, PASSWORD).status_code == 302


def test_a_failure_shows_the_usual_error_until_the_limit(client, account):
    answer = sign_in(client, account.email, "wrong")
    assert answer.status_code == 200
    assert "Enter a correct email address and password" in answer.content.decode()

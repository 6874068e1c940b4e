"""``/api/v1/notifications/`` (API.md, Notifications): each person's own, newest first."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.notifications.services import notify
from tests import factories


@pytest.fixture
def directorate(council):
    return factories.DirectorateFactory(council=council, name="Highways")


def tell(user, directorate, key, kind="assigned"):
    (pk,) = notify(
        recipients=[user],
        kind=kind,
        subject=f"Item {key}",
        resource=directorate,
        dedupe_key_base=f"test:{key}",
    )
    return pk


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_lists_only_the_callers_own_newest_first(council, directorate):
    mine = factories.person("officer", council)
    theirs = factories.person("officer", council)
    first = tell(mine, directorate, "a")
    tell(theirs, directorate, "b")
    second = tell(mine, directorate, "c", kind="reminder")
    response = signed_in(mine).get(reverse("notification-list"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [second, first]
    assert results[0] == {
        "id": second,
        "kind": "reminder",
        "subject": "Item c",
        "resource": {"type": "directorate", "id": directorate.pk},
        "created_at": results[0]["created_at"],
        "read_at": None,
    }


def test_list_is_cursor_paginated_at_a_constant_query_count(
    council, directorate, django_assert_num_queries
):
    user = factories.person("officer", council)
    client = signed_in(user)
    for n in range(3):
        tell(user, directorate, n)
    with django_assert_num_queries(2):  # the session with the account, the page
        client.get(reverse("notification-list"), {"page_size": 2})
    for n in range(3, 30):
        tell(user, directorate, n)
    with django_assert_num_queries(2):
        response = client.get(reverse("notification-list"), {"page_size": 2})
    body = response.json()
    assert len(body["results"]) == 2 and body["next"]


def test_marking_read_sets_read_at_once(council, directorate):
    user = factories.person("member", council)
    pk = tell(user, directorate, "x")
    client = signed_in(user)
    response = client.post(reverse("notification-read", args=[pk]))
    assert response.status_code == 200
    read_at = response.json()["read_at"]
    assert read_at is not None
    again = client.post(reverse("notification-read", args=[pk]))
    assert again.json()["read_at"] == read_at


def test_someone_elses_notification_is_not_found(council, directorate):
    owner = factories.person("officer", council)
    pk = tell(owner, directorate, "x")
    other = signed_in(factories.person("monitoring_officer", council))
    assert other.get(reverse("notification-detail", args=[pk])).status_code == 404
    assert other.post(reverse("notification-read", args=[pk])).status_code == 404


def test_api_tokens_are_refused(token_client):
    client = token_client(["*"])
    assert client.get(reverse("notification-list")).status_code == 403


def test_anonymous_is_refused(api_client, db):
    assert api_client.get(reverse("notification-list")).status_code == 401

"""``GET /api/v1/councils/{slug}/working-days/`` (API.md, Councils) through the API client."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from rest_framework.test import APIClient, force_authenticate

from core.api.principal import TokenPrincipal
from council.api.calendar_views import WorkingDaysView
from council.calendar import invalidate
from council.models import ClosureDay, Council, User


@pytest.fixture(autouse=True)
def _fresh_council_calendars():
    invalidate()
    yield
    invalidate()


def make_council(slug, nation="england", **fields):
    return Council.objects.create(
        slug=slug, name=f"{slug.title()} Council", nation=nation, **fields
    )


@pytest.fixture
def council(db):
    return make_council("city")


@pytest.fixture
def client(council):
    user = User.objects.create_user(email="officer@city.example", password="pw", council=council)
    api = APIClient()
    api.force_login(user)
    return api


def url(slug="city"):
    return reverse("council-working-days", kwargs={"slug": slug})


@pytest.mark.parametrize(
    ("nation", "days", "due_date"),
    [
        ("england", 3, "2026-12-23"),
        ("england", 10, "2027-01-06"),
        ("wales", 10, "2027-01-06"),
        ("northern_ireland", 10, "2027-01-06"),
        ("scotland", 3, "2026-12-23"),
        ("scotland", 10, "2027-01-07"),
    ],
)
def test_answers_the_design_example_for_each_nation(db, nation, days, due_date):
    council = make_council(nation.replace("_", "-"), nation=nation)
    user = User.objects.create_user(email=f"{nation}@example.org", password="pw", council=council)
    api = APIClient()
    api.force_login(user)
    response = api.get(url(council.slug), {"received_at": "2026-12-18T10:00:00Z", "days": days})
    assert response.status_code == 200, response.json()
    assert response.json() == {"receipt_day": "2026-12-18", "due_date": due_date}


def test_receipt_after_the_cutoff_counts_from_the_next_working_day(client):
    response = client.get(url(), {"received_at": "2026-12-18T17:00:00+00:00", "days": 3})
    assert response.json() == {"receipt_day": "2026-12-21", "due_date": "2026-12-24"}


def test_timestamp_offset_is_honoured_across_summer_time(client):
    # 16:30 UTC on Monday 30 March 2026 is 17:30 BST: after the cut-off.
    response = client.get(url(), {"received_at": "2026-03-30T16:30:00Z", "days": 1})
    assert response.json() == {"receipt_day": "2026-03-31", "due_date": "2026-04-01"}


def test_timestamp_without_offset_is_london_local_time(client):
    # 16:30 on Monday 30 March 2026 in London is before the cut-off (15:30 UTC).
    response = client.get(url(), {"received_at": "2026-03-30T16:30", "days": 1})
    assert response.json() == {"receipt_day": "2026-03-30", "due_date": "2026-03-31"}


def test_offset_whose_plus_was_decoded_as_a_space_is_still_read(client):
    response = client.get(url() + "?received_at=2026-03-30T16:30:00+01:00&days=1")
    assert response.status_code == 200, response.json()
    assert response.json()["receipt_day"] == "2026-03-30"


def test_start_is_taken_as_the_receipt_day(client):
    response = client.get(url(), {"start": "2026-12-18", "days": 10})
    assert response.json() == {"receipt_day": "2026-12-18", "due_date": "2027-01-06"}


def test_zero_days_is_due_on_the_receipt_day(client):
    response = client.get(url(), {"received_at": "2026-12-19T10:00:00Z", "days": 0})
    assert response.json() == {"receipt_day": "2026-12-21", "due_date": "2026-12-21"}


def test_closure_days_of_the_council_count(client, council):
    ClosureDay.objects.create(council=council, date=datetime.date(2026, 12, 24))
    response = client.get(url(), {"start": "2026-12-18", "days": 4})
    assert response.json()["due_date"] == "2026-12-29"


def test_ico_convention_council_counts_from_the_date_of_receipt(db):
    council = make_council("foi", deadline_convention="ico")
    user = User.objects.create_user(email="foi@example.org", password="pw", council=council)
    api = APIClient()
    api.force_login(user)
    response = api.get(url("foi"), {"received_at": "2026-12-19T10:00:00Z", "days": 3})
    assert response.json() == {"receipt_day": "2026-12-19", "due_date": "2026-12-23"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": 3}, "received_at"),
        ({"received_at": "2026-12-18T10:00:00Z", "start": "2026-12-18", "days": 3}, "start"),
        ({"received_at": "yesterday", "days": 3}, "received_at"),
        ({"received_at": "2026-12-18", "days": 3}, "received_at"),
        ({"received_at": "2026-13-18T10:00:00Z", "days": 3}, "received_at"),
        ({"start": "18/12/2026", "days": 3}, "start"),
        ({"start": "2026-12-18"}, "days"),
        ({"start": "2026-12-18", "days": "three"}, "days"),
        ({"start": "2026-12-18", "days": -1}, "days"),
        ({"start": "2026-12-18", "days": 1001}, "days"),
        ({"start": "1999-12-31", "days": 3}, "start"),
        ({"received_at": "2150-01-01T10:00:00Z", "days": 3}, "received_at"),
        ({"start": "2100-12-20", "days": 10}, "days"),
    ],
    ids=[
        "neither-received-at-nor-start",
        "both-received-at-and-start",
        "unparsable-timestamp",
        "timestamp-without-time",
        "impossible-timestamp",
        "start-not-iso",
        "days-missing",
        "days-not-a-number",
        "days-negative",
        "days-too-many",
        "start-before-2000",
        "received-after-2100",
        "due-after-2100",
    ],
)
def test_bad_parameters_answer_400_with_field_errors(client, params, field):
    response = client.get(url(), params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert field in body["errors"]
    assert all(isinstance(message, str) for message in body["errors"][field])


def test_another_councils_slug_answers_404(client):
    make_council("elsewhere")
    response = client.get(url("elsewhere"), {"start": "2026-12-18", "days": 3})
    assert response.status_code == 404


def test_unknown_slug_answers_404(client):
    response = client.get(url("nowhere"), {"start": "2026-12-18", "days": 3})
    assert response.status_code == 404


def test_another_councils_slug_answers_404_even_with_bad_parameters(client):
    make_council("elsewhere")
    assert client.get(url("elsewhere"), {"days": -5}).status_code == 404


def test_user_without_a_council_sees_none(db, council):
    user = User.objects.create_user(email="nobody@example.org", password="pw")
    api = APIClient()
    api.force_login(user)
    assert api.get(url(), {"start": "2026-12-18", "days": 3}).status_code == 404


def test_superuser_sees_every_council(db, council):
    make_council("elsewhere")
    admin = User.objects.create_superuser(email="admin@example.org", password="pw")
    api = APIClient()
    api.force_login(admin)
    response = api.get(url("elsewhere"), {"start": "2026-12-18", "days": 3})
    assert response.status_code == 200


def token_request(rf, slug, *, council, scopes):
    request = rf.get(url(slug), {"start": "2026-12-18", "days": 3})
    principal = TokenPrincipal(token_id=1, council_id=council.pk, scopes=frozenset(scopes))
    force_authenticate(request, user=principal, token=SimpleNamespace(council_id=council.pk))
    return WorkingDaysView.as_view()(request, slug=slug)


def test_api_token_sees_only_its_own_council(council, rf):
    make_council("elsewhere")
    assert token_request(rf, "city", council=council, scopes={"councils:read"}).status_code == 200
    response = token_request(rf, "elsewhere", council=council, scopes={"councils:read"})
    assert response.status_code == 404


def test_api_token_needs_the_councils_read_scope(council, rf):
    response = token_request(rf, "city", council=council, scopes={"enquiries:read"})
    assert response.status_code == 403


def test_the_token_council_wins_over_a_superuser_account(council, rf):
    make_council("elsewhere")
    admin = User.objects.create_superuser(email="admin@example.org", password="pw")
    request = rf.get(url("elsewhere"), {"start": "2026-12-18", "days": 3})
    force_authenticate(request, user=admin, token=SimpleNamespace(council_id=council.pk))
    assert WorkingDaysView.as_view()(request, slug="elsewhere").status_code == 404


def test_unauthenticated_caller_is_refused(council):
    response = APIClient().get(url(), {"start": "2026-12-18", "days": 3})
    assert response.status_code in (401, 403)


def test_answer_costs_one_query_for_the_council_once_the_calendar_is_cached(
    client, django_assert_num_queries
):
    params = {"received_at": "2026-12-18T10:00:00Z", "days": 3}
    client.get(url(), params)
    # The session with the account and its council: the calendar comes from the cache.
    with django_assert_num_queries(2):
        assert client.get(url(), params).status_code == 200

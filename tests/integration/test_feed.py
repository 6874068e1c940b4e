"""The change feed, ``GET /api/v1/events/`` (API.md, Change feed; core.events).

These tests commit for real (``transactional_db``): the feed serves only what committed
transactions wrote, and never a change a transaction still running could put before a cursor.
"""

import base64
import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from council import services
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

FEED = "/api/v1/events/"


@pytest.fixture
def council(transactional_db):
    return factories.CouncilFactory(slug="feed-city", name="Feed City Council")


@pytest.fixture
def other_council(transactional_db):
    return factories.CouncilFactory(slug="feed-elsewhere", name="Feed Elsewhere Council")


def settle(timeout: float = 60.0) -> None:
    """Wait until no transaction still running anywhere in the cluster is older than this
    database's last change. The feed's horizon is cluster-wide: the other test workers' open
    transactions (each test runs in one) hold it back for a moment, as any long transaction
    would in production. Waiting on a state, not on a time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(transaction_id) FROM core_auditevent")
        (last,) = cursor.fetchone()
        deadline = time.monotonic() + timeout
        while last is not None and time.monotonic() < deadline:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            if cursor.fetchone()[0] > last:
                return
            time.sleep(0.02)


def read(client, after=None, *, wait=True, **params):
    if wait:
        settle()
    if after:
        params["after"] = after
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def mine(page, resource=None):
    return [
        (event["resource"], event["id"], event["action"])
        for event in page["results"]
        if resource is None or event["resource"] == resource
    ]


def test_the_feed_lists_changes_oldest_first_as_resource_id_and_action(council, token_client):
    client = token_client(["events:read", "officers:read", "enquiries:read"])
    officer, _ = services.upsert_officer(
        council=council, by="test", employee_number="F1", full_name="Ann Able"
    )
    services.upsert_officer(council=council, by="test", employee_number="F1", job_title="Head")
    enquiry = factories.enquiry(council)
    from complaints import services as complaints_services

    complaints_services.acknowledge_enquiry(enquiry=enquiry, by="test")
    page = read(client)
    assert mine(page, "officers") == [
        ("officers", officer.pk, "created"),
        ("officers", officer.pk, "updated"),
    ]
    assert mine(page, "enquiries") == [
        ("enquiries", enquiry.pk, "created"),
        ("enquiries", enquiry.pk, "status_changed"),
    ]
    assert page["cursor"] == page["results"][-1]["cursor"]
    assert page["previous"] is None


def test_an_event_carries_no_field_of_the_record(council, token_client):
    client = token_client(["*"])
    services.upsert_officer(
        council=council, by="test", employee_number="F2", full_name="Personal Name"
    )
    page = read(client)
    assert page["results"]
    for event in page["results"]:
        assert set(event) == {"cursor", "at", "resource", "id", "action"}
    assert "Personal Name" not in str(page)


def test_a_token_sees_only_the_resources_its_scopes_let_it_read(council, token_client):
    services.create_ward(council=council, by="test", name="North")
    services.upsert_officer(council=council, by="test", employee_number="F3", full_name="Bo")
    page = read(token_client(["events:read", "wards:read"]))
    assert {event["resource"] for event in page["results"]} == {"wards"}
    assert read(token_client(["events:read"]))["results"] == []


def test_a_token_never_sees_another_councils_events(council, other_council, token_client):
    services.create_ward(council=other_council, by="test", name="Theirs")
    ours = services.create_ward(council=council, by="test", name="Ours")
    page = read(token_client(["*"]))
    assert mine(page, "wards") == [("wards", ours.pk, "created")]


def test_a_token_without_the_events_scope_is_refused(council, token_client):
    response = token_client(["officers:read"]).get(FEED)
    assert response.status_code == 403
    assert response.json()["detail"] == "This token needs the events:read scope."


def test_reading_after_a_cursor_gives_only_later_events_a_page_at_a_time(council, token_client):
    client = token_client(["events:read", "wards:read"])
    wards = [services.create_ward(council=council, by="test", name=f"W{n}") for n in range(5)]
    first = read(client, page_size=2)
    assert [event["id"] for event in first["results"]] == [wards[0].pk, wards[1].pk]
    assert f"after={first['cursor']}" in first["next"]
    second = read(client, after=first["cursor"], page_size=2)
    third = read(client, after=second["cursor"], page_size=2)
    assert [event["id"] for event in second["results"] + third["results"]] == [
        ward.pk for ward in wards[2:]
    ]
    empty = read(client, after=third["cursor"])
    assert empty["results"] == [] and empty["cursor"] == third["cursor"]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", base64.urlsafe_b64encode(b"1:x").decode(), "MTox" + "=" * 9, "é"],
)
def test_a_cursor_the_feed_did_not_hand_out_answers_400(council, token_client, cursor):
    response = token_client(["*"]).get(FEED, {"after": cursor})
    assert response.status_code == 400
    assert "after" in response.json()["errors"]


def test_the_feed_loses_no_event_when_transactions_commit_out_of_order(council, token_client):
    """T1 writes first but commits last: a feed by id would hand out T2's event, then a cursor
    past T1's, which would never be served. This feed holds T2's back until T1 has ended."""
    client = token_client(["events:read", "wards:read"])
    start = read(client)["cursor"]
    t1_wrote, t1_may_commit = threading.Event(), threading.Event()
    failures = []

    def slow_transaction():
        try:
            with transaction.atomic():
                services.create_ward(council=council, by="test", name="Slow")
                t1_wrote.set()
                assert t1_may_commit.wait(timeout=30)
        except Exception as error:  # reported by the main thread
            failures.append(error)
            t1_wrote.set()
        finally:
            connection.close()

    t1 = threading.Thread(target=slow_transaction)
    t1.start()
    try:
        assert t1_wrote.wait(timeout=30)
        quick = services.create_ward(council=council, by="test", name="Quick")  # T2, committed
        while_t1_runs = read(client, after=start, wait=False)
        assert while_t1_runs["results"] == []  # held back: T1 could still land before it
    finally:
        t1_may_commit.set()
        t1.join(timeout=30)
    assert not failures
    after_t1 = read(client, after=while_t1_runs["cursor"])
    slow = council.wards.get(name="Slow")
    assert mine(after_t1, "wards") == [
        ("wards", slow.pk, "created"),
        ("wards", quick.pk, "created"),
    ]


def test_council_administrators_read_the_organisation_but_not_case_events(council, client_as):
    services.create_ward(council=council, by="test", name="North")
    factories.enquiry(council)
    page = read(client_as("administrator"))
    resources = {event["resource"] for event in page["results"]}
    assert "wards" in resources and "members" in resources
    assert "enquiries" not in resources


@pytest.mark.parametrize("role", ["officer", "member", "casework", "hr", "monitoring_officer"])
def test_other_people_may_not_read_the_feed(council, client_as, role):
    assert client_as(role).get(FEED).status_code == 403


def test_anonymous_callers_get_401(council):
    assert APIClient().get(FEED).status_code == 401


def test_a_feed_page_costs_the_same_queries_however_many_events(
    council, token_client, django_assert_num_queries
):
    client = token_client(["*"])
    client.get(FEED)  # records the token's use, once a minute
    for n in range(3):
        services.create_ward(council=council, by="test", name=f"Q{n}")
    # The token, the page.
    settle()
    with django_assert_num_queries(2):
        few = client.get(FEED).json()
    for n in range(30):
        services.create_ward(council=council, by="test", name=f"R{n}")
    settle()
    with django_assert_num_queries(2):
        many = client.get(FEED).json()
    assert len(many["results"]) > len(few["results"])


def test_confidential_resources_are_not_in_the_feed():
    from core.events.resources import resource_of_table

    tables = resource_of_table()
    assert "complaints_enquiry" in tables
    assert not {"complaints_complaint", "relationships_declaration"} & set(tables)


def test_a_declaration_is_not_in_the_feed_even_for_a_token_of_every_scope(council, token_client):
    officer, _ = services.upsert_officer(
        council=council, by="test", employee_number="F9", full_name="Dee Clare"
    )
    client = token_client(["*"])
    start = read(client)["cursor"]
    factories.declaration(officer, factories.MemberFactory(council=council))
    assert mine(read(client, after=start), "declarations") == []
    assert all(event["resource"] != "declarations" for event in read(client)["results"])

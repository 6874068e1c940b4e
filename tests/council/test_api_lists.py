"""Every list: cursor pagination without COUNT(*), and a query count that does not grow with
the number of rows (STYLE.md, Querysets; API.md, Conventions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

# Queries per list request after authentication: session (2: session, user) or token (1).
LIST_QUERIES = {
    "councils": 2,  # councils, their closure days
    "wards": 1,
    "political-groups": 1,
    "directorates": 1,
    "members": 1,
    "officers": 1,
    "committees": 2,  # committees, their memberships
}


def populate(council, rows):
    for _ in range(rows):
        factories.MemberFactory(council=council)  # and its ward
        factories.OfficerFactory(council=council)
        factories.PoliticalGroupFactory(council=council)
        factories.DirectorateFactory(council=council)
        factories.CommitteeMembershipFactory(committee=factories.CommitteeFactory(council=council))
        factories.CouncilFactory()


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("resource", sorted(LIST_QUERIES))
def test_list_query_count_is_pinned_for_a_session(
    council, client_as, django_assert_num_queries, resource, rows
):
    populate(council, rows)
    client = client_as("superuser")  # sees every council: the longest lists
    with django_assert_num_queries(1 + LIST_QUERIES[resource]):  # + the session and account
        response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(rows, 5)


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("resource", sorted(LIST_QUERIES))
def test_list_query_count_is_pinned_for_a_token(
    council, token_client, django_assert_num_queries, resource, rows
):
    populate(council, rows)
    client = token_client(["*"])
    client.get("/api/v1/")  # records the token's first use
    with django_assert_num_queries(1 + LIST_QUERIES[resource]):
        response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200


def test_lists_are_cursor_paginated_without_counting(council, client_as):
    for name in ("Able", "Baker", "Carter", "Dunn", "Evans"):
        factories.MemberFactory(council=council, full_name=name)
    client = client_as("administrator")
    seen, url = [], "/api/v1/members/?page_size=2"
    with CaptureQueriesContext(connection) as queries:
        while url:
            page = client.get(url).json()
            assert set(page) == {"next", "previous", "results"}
            seen += [row["full_name"] for row in page["results"]]
            url = page["next"]
    assert seen == ["Able", "Baker", "Carter", "Dunn", "Evans"]
    # No page counts the list (Django's COUNT is "__count"; the account's own statement
    # counts only the person's unread notifications).
    assert not any('"__count"' in q["sql"] for q in queries.captured_queries)


def test_the_previous_link_walks_back(council, client_as):
    for name in ("Able", "Baker", "Carter"):
        factories.MemberFactory(council=council, full_name=name)
    client = client_as("administrator")
    second = client.get(client.get("/api/v1/members/?page_size=2").json()["next"]).json()
    assert [row["full_name"] for row in second["results"]] == ["Carter"]
    first = client.get(second["previous"]).json()
    assert [row["full_name"] for row in first["results"]] == ["Able", "Baker"]
    assert first["previous"] is None


def test_a_bad_cursor_answers_400_naming_the_cursor(council, client_as):
    response = client_as("officer").get("/api/v1/members/?cursor=nonsense")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]

"""Who sees which enquiries (complaints.permissions): a member their own; an officer those
assigned to them, to officers they manage and to their directorate; directors their
directorate's; the casework team, the Monitoring Officer and the Chief Executive all of their
council's; nobody another council's. What may not be seen answers 404."""

from __future__ import annotations

import pytest

from complaints import selectors
from council.choices import Team
from council.models import User
from tests import factories

from .conftest import client_for, member, officer

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries/"


@pytest.fixture
def enquiries(org, log):
    """``highways``: org.member's, about highways, assigned to org.officer (managed by
    org.manager); ``parks``: org.other_member's, about parks, unassigned; ``unfiled``:
    org.other_member's, no directorate, assigned to org.outsider (in parks)."""
    return {
        "highways": log(),
        "parks": log(member=org.other_member, directorate=org.parks, assigned_officer=None),
        "unfiled": log(member=org.other_member, directorate=None, assigned_officer=org.outsider),
    }


def viewer(org, who):
    records = {"officer", "manager", "director", "colleague", "outsider"}
    if who in records:
        return getattr(org, who).user
    if who in ("member", "other_member"):
        return getattr(org, who).user
    return getattr(org, who)


ALL = {"highways", "parks", "unfiled"}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("casework", ALL),
        ("monitoring_officer", ALL),
        ("chief_executive", ALL),
        ("member", {"highways"}),
        ("other_member", {"parks", "unfiled"}),
        ("officer", {"highways"}),  # assigned, and in highways
        ("colleague", {"highways"}),  # in highways
        ("director", {"highways"}),  # directs highways
        ("manager", {"highways", "parks"}),  # manages the assignee; in parks
        ("outsider", {"parks", "unfiled"}),  # in parks; assigned
    ],
)
def test_each_role_sees_exactly_its_enquiries(org, enquiries, who, sees):
    client = client_for(viewer(org, who))
    listed = {row["reference"] for row in client.get(URL).json()["results"]}
    assert listed == {enquiries[name].reference for name in sees}
    for name, enquiry in enquiries.items():
        expected = 200 if name in sees else 404
        assert client.get(f"{URL}{enquiry.pk}/").status_code == expected, name
        assert client.get(f"{URL}{enquiry.pk}/timeline/").status_code == expected, name


def test_a_director_named_on_another_directorate_sees_its_enquiries(org, enquiries):
    org.parks.director = org.director
    org.parks.save()
    client = client_for(org.director.user)
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    assert listed == {enquiries["highways"].pk, enquiries["parks"].pk}


def test_another_councils_casework_team_sees_nothing(org, enquiries, other_council):
    theirs = officer(other_council, teams=[Team.CASEWORK]).user
    client = client_for(theirs)
    assert client.get(URL).json()["results"] == []
    for enquiry in enquiries.values():
        assert client.get(f"{URL}{enquiry.pk}/").status_code == 404
        assert client.post(f"{URL}{enquiry.pk}/acknowledge/").status_code == 404


def test_another_councils_member_sees_nothing(org, enquiries, other_council):
    client = client_for(member(other_council).user)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{enquiries['highways'].pk}/").status_code == 404


def test_a_token_with_enquiries_read_sees_its_councils_enquiries(enquiries, token_client):
    listed = {row["id"] for row in token_client(["enquiries:read"]).get(URL).json()["results"]}
    assert listed == {enquiry.pk for enquiry in enquiries.values()}


def test_a_token_without_the_scope_is_refused(enquiries, token_client):
    assert token_client(["members:read"]).get(URL).status_code == 403


def test_another_councils_token_sees_nothing(enquiries, other_council, token_client):
    client = token_client(["enquiries:read"], other_council)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{enquiries['parks'].pk}/").status_code == 404


def test_a_superuser_sees_every_council(org, enquiries, other_council, client_as):
    elsewhere = factories.enquiry(other_council)
    listed = {row["id"] for row in client_as("superuser").get(URL).json()["results"]}
    assert listed == {e.pk for e in enquiries.values()} | {elsewhere.pk}


def test_an_account_with_no_member_or_officer_record_sees_nothing(org, enquiries):
    client = client_for(factories.UserFactory(council=org.council))
    assert client.get(URL).json()["results"] == []
    assert client.post(URL, {}).status_code == 403


def test_a_leaver_sees_nothing_they_saw_as_an_officer(org, enquiries):
    org.officer.active = False
    org.officer.save()
    assert client_for(org.officer.user).get(URL).json()["results"] == []


def test_anonymous_callers_are_refused(api_client, enquiries):
    assert api_client.get(URL).status_code == 401


def test_the_selector_asks_who_the_viewer_is_once_not_per_row(
    org, enquiries, log, django_assert_num_queries
):
    for _ in range(10):
        log()
    viewer = User.objects.get(pk=org.manager.user.pk)  # as a request loads it
    with django_assert_num_queries(3):  # officer record, member record, the enquiries
        rows = list(selectors.enquiries_for(viewer))
        shown = [
            (row.member.full_name, row.directorate, row.assigned_officer, row.council.slug)
            for row in rows
        ]
    assert len(shown) == 12

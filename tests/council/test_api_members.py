"""``/api/v1/members/`` (API.md, Members; People and accounts)."""

import datetime

import pytest

from council.models import Member, User
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/"


def detail(member):
    return f"{URL}{member.pk}/"


@pytest.fixture
def ward(council):
    return factories.WardFactory(council=council, name="Abbey")


@pytest.fixture
def group(council):
    return factories.PoliticalGroupFactory(council=council, name="Independents")


def test_an_administrator_adds_a_member_and_their_account_is_linked(
    council, client_as, ward, group
):
    response = client_as("administrator").post(
        URL,
        {
            "full_name": "Cllr Dee Hay",
            "email": "Dee.Hay@City.example",
            "kind": "councillor",
            "ward": ward.pk,
            "political_group": group.pk,
            "term_start": "2026-05-07",
            "term_end": "2030-05-02",
            "roles": ["portfolio_holder"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id": body["id"],
        "council": "city",
        "full_name": "Cllr Dee Hay",
        "email": "Dee.Hay@City.example",
        "kind": "councillor",
        "ward": ward.pk,
        "political_group": group.pk,
        "term_start": "2026-05-07",
        "term_end": "2030-05-02",
        "roles": ["portfolio_holder"],
        "version": 1,
    }
    assert response["ETag"] == '"1"'
    member = Member.objects.get(pk=body["id"])
    assert member.user == User.objects.get(email__iexact="dee.hay@city.example")
    assert not member.user.has_usable_password()


@pytest.mark.parametrize(
    "role", ["member", "officer", "casework", "hr", "administrator", "monitoring_officer"]
)
def test_everyone_in_the_council_reads_the_members(council, client_as, role):
    factories.MemberFactory(council=council, full_name="Cllr A")
    response = client_as(role).get(URL)
    assert response.status_code == 200
    assert "Cllr A" in [row["full_name"] for row in response.json()["results"]]


@pytest.mark.parametrize("role", ["member", "officer", "casework", "hr", "monitoring_officer"])
def test_only_administrators_change_members(council, client_as, role):
    member = factories.MemberFactory(council=council)
    client = client_as(role)
    assert client.post(URL, {"full_name": "New"}).status_code == 403
    assert client.patch(detail(member), {"full_name": "Renamed"}).status_code == 403
    assert not Member.objects.filter(full_name__in=["New", "Renamed"]).exists()


def test_another_councils_member_is_not_found(council, other_council, client_as):
    theirs = factories.MemberFactory(council=other_council)
    client = client_as("administrator")
    assert client.get(detail(theirs)).status_code == 404
    assert client.patch(detail(theirs), {"full_name": "x"}).status_code == 404
    assert theirs.pk not in [row["id"] for row in client.get(URL).json()["results"]]


def test_a_ward_of_another_council_is_refused_like_one_that_does_not_exist(
    council, other_council, client_as
):
    theirs = factories.WardFactory(council=other_council)
    client = client_as("administrator")
    foreign = client.post(URL, {"full_name": "X", "ward": theirs.pk})
    missing = client.post(URL, {"full_name": "X", "ward": 999999})
    assert foreign.status_code == missing.status_code == 400
    not_found = f'Invalid pk "{theirs.pk}" - object does not exist.'
    assert foreign.json()["errors"]["ward"] == [not_found]
    assert not Member.objects.filter(full_name="X").exists()


def test_bad_input_names_each_field_and_writes_nothing(council, client_as):
    response = client_as("administrator").post(
        URL, {"email": "not-an-email", "kind": "mayor", "roles": ["emperor"]}
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"full_name", "email", "kind", "roles.0"}
    assert body["detail"]
    assert not Member.objects.exists()
    assert not User.objects.filter(email="not-an-email").exists()


def test_a_term_must_end_after_it_starts(council, client_as):
    response = client_as("administrator").post(
        URL, {"full_name": "X", "term_start": "2026-05-07", "term_end": "2026-05-01"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["term_end"]


def test_an_email_of_a_person_at_another_council_is_refused(council, other_council, client_as):
    factories.UserFactory(email="taken@example.org", council=other_council)
    response = client_as("administrator").post(
        URL, {"full_name": "X", "email": "taken@example.org"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]
    assert not Member.objects.filter(full_name="X").exists()


def test_patch_changes_the_member_and_the_version(council, client_as, ward):
    member = factories.MemberFactory(council=council, ward=ward)
    other_ward = factories.WardFactory(council=council)
    response = client_as("administrator").patch(
        detail(member), {"ward": other_ward.pk, "roles": ["committee_chair"]}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ward"] == other_ward.pk
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'


def test_a_stale_if_match_answers_412(council, client_as):
    member = factories.MemberFactory(council=council, full_name="Before")
    client = client_as("administrator")
    client.patch(detail(member), {"full_name": "First"})
    response = client.patch(detail(member), {"full_name": "Second"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    member.refresh_from_db()
    assert member.full_name == "First"


def test_a_garbage_if_match_answers_400(council, client_as):
    member = factories.MemberFactory(council=council)
    response = client_as("administrator").patch(
        detail(member), {"full_name": "x"}, HTTP_IF_MATCH="W/banana"
    )
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]


def test_a_weak_if_match_is_accepted(council, client_as):
    member = factories.MemberFactory(council=council)
    response = client_as("administrator").patch(
        detail(member), {"full_name": "x"}, HTTP_IF_MATCH='W/"1"'
    )
    assert response.status_code == 200


def test_members_filter_by_ward_group_kind_and_role(council, client_as, ward, group):
    match = factories.MemberFactory(
        council=council, ward=ward, political_group=group, kind="councillor", roles=["leader"]
    )
    factories.MemberFactory(council=council, kind="parish")
    factories.MemberFactory(council=council, ward=ward, roles=["mayor"])
    client = client_as("officer")

    def ids(**query):
        return [row["id"] for row in client.get(URL, query).json()["results"]]

    assert ids(ward=ward.pk, political_group=group.pk) == [match.pk]
    assert ids(role="leader") == [match.pk]
    assert match.pk in ids(kind="councillor")
    assert match.pk not in ids(kind="parish")
    assert client.get(URL, {"kind": "emperor"}).status_code == 400


def test_a_superuser_adds_a_member_to_a_named_council(council, client_as):
    response = client_as("superuser").post(URL, {"full_name": "X", "council": "city"})
    assert response.status_code == 201
    assert Member.objects.get(full_name="X").council == council


def test_a_superuser_must_name_the_council(council, client_as):
    response = client_as("superuser").post(URL, {"full_name": "X"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["council"]


def test_a_member_cannot_move_to_another_council(council, other_council, client_as):
    member = factories.MemberFactory(council=council)
    response = client_as("superuser").patch(detail(member), {"council": "elsewhere"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.council == council


def test_term_dates_are_iso_dates(council, client_as):
    member = factories.MemberFactory(council=council, term_start=datetime.date(2026, 5, 7))
    assert client_as("officer").get(detail(member)).json()["term_start"] == "2026-05-07"

"""``/api/v1/officers/`` and the HR sync's ``PUT .../by-employee-number/{n}/`` (API.md,
Officers): idempotent, line managers by employee number, leavers lose sign-in."""

import pytest
from rest_framework.test import APIClient

from council.models import Officer, User
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/officers/"


def by_number(number):
    return f"{URL}by-employee-number/{number}/"


def detail(officer):
    return f"{URL}{officer.pk}/"


@pytest.fixture
def hr_sync(token_client):
    return token_client(["officers:write"])


BODY = {
    "full_name": "Ann Able",
    "email": "ann.able@city.example",
    "job_title": "Highways officer",
    "seniority": "officer",
    "teams": ["casework"],
}


def test_put_by_employee_number_creates_then_is_a_no_op(council, hr_sync):
    first = hr_sync.put(by_number("E100"), BODY)
    assert first.status_code == 201, first.json()
    assert first["ETag"] == '"1"'
    second = hr_sync.put(by_number("E100"), BODY)
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["ETag"] == '"1"'  # nothing changed: same version
    assert Officer.objects.filter(council=council, employee_number="E100").count() == 1


def test_put_by_employee_number_updates_and_makes_a_new_version(council, hr_sync):
    hr_sync.put(by_number("E100"), BODY)
    response = hr_sync.put(by_number("E100"), {**BODY, "job_title": "Team leader"})
    assert response.status_code == 200
    assert response.json()["job_title"] == "Team leader"
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'


def test_put_keeps_fields_the_body_leaves_out(council, hr_sync):
    hr_sync.put(by_number("E100"), BODY)
    response = hr_sync.put(by_number("E100"), {"full_name": "Ann Able-Smith"})
    assert response.json()["job_title"] == "Highways officer"
    assert response.json()["teams"] == ["casework"]


def test_the_officer_has_the_contract_fields(council, hr_sync):
    directorate = factories.DirectorateFactory(council=council)
    hr_sync.put(by_number("M1"), {"full_name": "Manager"})
    response = hr_sync.put(
        by_number("E100"),
        {
            **BODY,
            "directorate": directorate.pk,
            "line_manager": "M1",
            "statutory_role": "deputy_monitoring_officer",
            "politically_restricted": True,
        },
    )
    body = response.json()
    assert body == {
        "id": body["id"],
        "council": "city",
        "employee_number": "E100",
        "full_name": "Ann Able",
        "email": "ann.able@city.example",
        "job_title": "Highways officer",
        "directorate": directorate.pk,
        "line_manager": "M1",
        "seniority": "officer",
        "statutory_role": "deputy_monitoring_officer",
        "teams": ["casework"],
        "politically_restricted": True,
        "active": True,
        "version": 1,
    }


def test_an_unknown_line_manager_answers_400_naming_the_field_and_writes_nothing(council, hr_sync):
    response = hr_sync.put(by_number("E100"), {**BODY, "line_manager": "E999"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line_manager"]
    assert "E999" in response.json()["errors"]["line_manager"][0]
    assert not Officer.objects.filter(employee_number="E100").exists()
    assert not User.objects.filter(email="ann.able@city.example").exists()


def test_a_line_manager_of_another_council_is_unknown(council, other_council, hr_sync):
    factories.OfficerFactory(council=other_council, employee_number="M9")
    response = hr_sync.put(by_number("E100"), {**BODY, "line_manager": "M9"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line_manager"]


def test_the_line_manager_can_be_cleared(council, hr_sync):
    hr_sync.put(by_number("M1"), {"full_name": "Manager"})
    hr_sync.put(by_number("E100"), {**BODY, "line_manager": "M1"})
    response = hr_sync.put(by_number("E100"), {"full_name": "Ann Able", "line_manager": None})
    assert response.json()["line_manager"] is None


def test_an_officer_cannot_manage_themselves(council, hr_sync):
    hr_sync.put(by_number("E100"), BODY)
    response = hr_sync.put(by_number("E100"), {**BODY, "line_manager": "E100"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line_manager"]


def test_a_body_naming_another_employee_number_is_refused(council, hr_sync):
    response = hr_sync.put(by_number("E100"), {**BODY, "employee_number": "E200"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["employee_number"]
    assert not Officer.objects.exists()


def test_put_with_a_stale_if_match_answers_412(council, hr_sync):
    hr_sync.put(by_number("E100"), BODY)
    hr_sync.put(by_number("E100"), {**BODY, "job_title": "Changed"})
    response = hr_sync.put(by_number("E100"), {**BODY, "job_title": "Again"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert Officer.objects.get(employee_number="E100").job_title == "Changed"


def test_a_leaver_loses_sign_in(council, hr_sync):
    hr_sync.put(by_number("E100"), BODY)
    user = User.objects.get(email="ann.able@city.example")
    assert user.is_active
    session = APIClient()
    session.force_login(user)
    assert session.get(URL).status_code == 200

    response = hr_sync.put(by_number("E100"), {**BODY, "active": False})
    assert response.status_code == 200
    assert response.json()["active"] is False
    user.refresh_from_db()
    assert not user.is_active
    assert session.get(URL).status_code in (401, 403)


def test_a_returner_can_sign_in_again(council, hr_sync):
    hr_sync.put(by_number("E100"), {**BODY, "active": False})
    hr_sync.put(by_number("E100"), {**BODY, "active": True})
    assert User.objects.get(email="ann.able@city.example").is_active


def test_two_active_holders_of_a_single_statutory_post_are_refused(council, hr_sync):
    hr_sync.put(by_number("E1"), {"full_name": "A", "statutory_role": "monitoring_officer"})
    response = hr_sync.put(
        by_number("E2"), {"full_name": "B", "statutory_role": "monitoring_officer"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["statutory_role"]
    assert not Officer.objects.filter(employee_number="E2").exists()


@pytest.mark.parametrize("role", ["hr", "administrator", "superuser"])
def test_hr_and_administrators_change_officers(council, client_as, role):
    body = {**BODY, "council": "city"} if role == "superuser" else BODY
    response = client_as(role).put(by_number("E100"), body)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("role", ["member", "officer", "casework", "monitoring_officer"])
def test_others_read_officers_but_cannot_change_them(council, client_as, role):
    client = client_as(role)
    assert client.get(URL).status_code == 200
    assert client.put(by_number("E100"), BODY).status_code == 403
    assert client.post(URL, {**BODY, "employee_number": "E100"}).status_code == 403
    assert not Officer.objects.filter(employee_number="E100").exists()


def test_hr_cannot_change_members(council, client_as):
    assert client_as("hr").post("/api/v1/members/", {"full_name": "X"}).status_code == 403


def test_post_creates_and_refuses_a_taken_employee_number(council, client_as):
    client = client_as("hr")
    response = client.post(URL, {**BODY, "employee_number": "E100"})
    assert response.status_code == 201
    again = client.post(URL, {**BODY, "employee_number": "E100", "email": ""})
    assert again.status_code == 400
    assert list(again.json()["errors"]) == ["employee_number"]


def test_patch_changes_an_officer_but_not_their_employee_number(council, client_as):
    officer = factories.OfficerFactory(council=council, employee_number="E1")
    client = client_as("hr")
    response = client.patch(detail(officer), {"job_title": "Lead"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert (response.json()["job_title"], response.json()["version"]) == ("Lead", 2)
    refused = client.patch(detail(officer), {"employee_number": "E2"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["employee_number"]


def test_another_councils_officer_is_not_found(council, other_council, client_as):
    theirs = factories.OfficerFactory(council=other_council)
    client = client_as("hr")
    assert client.get(detail(theirs)).status_code == 404
    assert client.patch(detail(theirs), {"job_title": "x"}).status_code == 404


def test_officers_filter_by_directorate_active_team_and_employee_number(council, client_as):
    place = factories.DirectorateFactory(council=council)
    match = factories.OfficerFactory(
        council=council, directorate=place, teams=["hr"], employee_number="E1"
    )
    factories.OfficerFactory(council=council, directorate=place, active=False)
    factories.OfficerFactory(council=council, teams=["casework"], line_manager=match)
    client = client_as("officer")

    def ids(**query):
        return {row["id"] for row in client.get(URL, query).json()["results"]}

    assert ids(directorate=place.pk, active="true") == {match.pk}
    assert ids(team="hr") == {match.pk}
    assert ids(employee_number="E1") == {match.pk}
    assert len(ids(line_manager="E1")) == 1
    assert client.get(URL, {"team": "astronauts"}).status_code == 400

"""``/api/v1/declarations/`` (API.md, Declarations): declaring, the workflow, who sees what."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.notifications.models import Notification
from council.models import Council
from relationships.models import Declaration
from relationships.parties import External
from tests import factories

from .conftest import TODAY, client_for, party

LIST = reverse("declaration-list")


def detail(declaration) -> str:
    return reverse("declaration-detail", args=[declaration.pk])


def act(declaration, name: str) -> str:
    return reverse(f"declaration-{name}", args=[declaration.pk])


def send_declarations_to_chief_executive(council):
    Council.objects.filter(pk=council.pk).update(declarations_go_to="chief_executive")
    council.refresh_from_db()


def body(counterpart, **fields) -> dict:
    return {
        "counterpart": counterpart,
        "kind": "family",
        "description": "My sister.",
        "started_on": "2020-01-01",
        **fields,
    }


# Declaring ---------------------------------------------------------------------------------


def test_an_officer_declares_their_own_relationship(people):
    response = client_for(people.officer).post(LIST, body(party(people.member)), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["declarant"] == {"type": "officer", "id": people.officer.pk}
    assert data["counterpart"] == {"type": "member", "id": people.member.pk}
    assert data["status"] == "submitted"
    assert data["declared_to"] == "monitoring_officer"
    assert response["ETag"] == '"1"'


def test_a_member_declares_a_constituent_by_name(people):
    response = client_for(people.member).post(
        LIST,
        body(
            {"type": "external", "name": "Pat Resident", "email": "pat@example.org"},
            kind="constituent",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["counterpart"] == {
        "type": "external",
        "name": "Pat Resident",
        "email": "pat@example.org",
    }


def test_declared_to_defaults_to_the_councils_setting(people):
    send_declarations_to_chief_executive(people.council)
    response = client_for(people.officer).post(LIST, body(party(people.member)), format="json")
    assert response.json()["declared_to"] == "chief_executive"


def test_organisation_memberships_always_go_to_the_monitoring_officer(people):
    send_declarations_to_chief_executive(people.council)
    response = client_for(people.officer).post(
        LIST,
        body({"type": "external", "name": "The Lodge"}, kind="organisation_membership"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["declared_to"] == "monitoring_officer"


def test_an_organisation_membership_declared_to_the_chief_executive_is_refused(people):
    response = client_for(people.officer).post(
        LIST,
        body(
            {"type": "external", "name": "The Lodge"},
            kind="organisation_membership",
            declared_to="chief_executive",
        ),
        format="json",
    )
    assert response.status_code == 400
    assert "declared_to" in response.json()["errors"]


def test_submitting_tells_the_recipient_without_content(people):
    response = client_for(people.officer).post(LIST, body(party(people.member)), format="json")
    (notification,) = Notification.objects.filter(recipient=people.monitoring_officer.user)
    assert notification.resource_type == "declaration"
    assert notification.kind == "declaration"
    assert notification.resource_id == response.json()["id"]
    assert people.member.full_name not in notification.subject
    assert "sister" not in notification.subject


def test_the_monitoring_officer_records_a_declaration_on_someones_behalf(people):
    response = client_for(people.monitoring_officer).post(
        LIST, body(party(people.member), declarant=party(people.officer)), format="json"
    )
    assert response.status_code == 201
    assert response.json()["declarant"] == party(people.officer)
    declaration = Declaration.objects.get()
    assert declaration.recorded_by == people.monitoring_officer.user


def test_nobody_else_declares_on_someone_elses_behalf(people):
    response = client_for(people.director).post(
        LIST, body(party(people.member), declarant=party(people.officer)), format="json"
    )
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_bad_input_names_each_field_and_writes_nothing(people):
    response = client_for(people.officer).post(
        LIST,
        {"counterpart": {"type": "alien"}, "kind": "rivalry", "started_on": "yesterday"},
        format="json",
    )
    assert response.status_code == 400
    assert {"counterpart", "kind", "started_on"} <= set(response.json()["errors"])
    assert not Declaration.objects.exists()


def test_a_relationship_cannot_end_before_it_starts(people):
    response = client_for(people.officer).post(
        LIST, body(party(people.member), ended_on="2019-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "ended_on" in response.json()["errors"]


def test_nobody_declares_a_relationship_with_themselves(people):
    response = client_for(people.officer).post(LIST, body(party(people.officer)), format="json")
    assert response.status_code == 400
    assert "counterpart" in response.json()["errors"]


def test_a_counterpart_of_another_council_is_not_found(people, other_council):
    elsewhere = factories.MemberFactory(council=other_council)
    response = client_for(people.officer).post(LIST, body(party(elsewhere)), format="json")
    missing = client_for(people.officer).post(
        LIST, body({"type": "member", "id": 10**9}), format="json"
    )
    assert response.status_code == missing.status_code == 400
    assert response.json()["errors"] == missing.json()["errors"]


def test_api_tokens_may_not_use_the_register(people, token_client):
    client = token_client(["*"])
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, body(party(people.member)), format="json").status_code == 403


# The workflow ------------------------------------------------------------------------------


@pytest.fixture
def declared(people):
    return factories.declaration(people.officer, people.member)


def test_the_monitoring_officer_acknowledges_then_gives_advice(people, declared):
    client = client_for(people.monitoring_officer)
    response = client.post(act(declared, "acknowledge"))
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    response = client.post(
        act(declared, "advice"), {"advice": "Do not handle each other's casework."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "advice_given"
    assert response.json()["advice"] == "Do not handle each other's casework."


def test_advice_tells_both_parties(people, declared):
    client_for(people.monitoring_officer).post(
        act(declared, "advice"), {"advice": "Keep apart."}, format="json"
    )
    told = set(
        Notification.objects.filter(resource_type="declaration", kind="advice_given").values_list(
            "recipient", flat=True
        )
    )
    assert told == {people.officer.user_id, people.member.user_id}


def test_advice_is_required(people, declared):
    response = client_for(people.monitoring_officer).post(
        act(declared, "advice"), {"advice": " "}, format="json"
    )
    assert response.status_code == 400
    assert "advice" in response.json()["errors"]


def test_acknowledging_twice_is_an_invalid_transition(people, declared):
    client = client_for(people.monitoring_officer)
    client.post(act(declared, "acknowledge"))
    response = client.post(act(declared, "acknowledge"))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_an_ended_declaration_cannot_be_advised(people, declared):
    client_for(people.officer).post(act(declared, "end"), {}, format="json")
    response = client_for(people.monitoring_officer).post(
        act(declared, "advice"), {"advice": "Too late."}, format="json"
    )
    assert response.status_code == 409


def test_the_declarant_ends_their_declaration_today_by_default(people, declared):
    response = client_for(people.officer).post(act(declared, "end"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    assert response.json()["ended_on"] == TODAY.isoformat()


def test_the_declarant_may_not_advise_themselves(people, declared):
    response = client_for(people.officer).post(
        act(declared, "advice"), {"advice": "All fine."}, format="json"
    )
    assert response.status_code == 403


def test_the_declarant_corrects_the_description(people, declared):
    response = client_for(people.officer).patch(
        detail(declared), {"description": "My sister-in-law."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == "My sister-in-law."
    assert response.json()["version"] == 2


def test_a_stale_if_match_changes_nothing(people, declared):
    response = client_for(people.officer).patch(
        detail(declared), {"description": "Changed"}, format="json", headers={"If-Match": '"0"'}
    )
    assert response.status_code == 412
    declared.refresh_from_db()
    assert declared.description == "My brother-in-law."


# Who sees what -----------------------------------------------------------------------------


def ids(client, url=LIST, **query) -> set[int]:
    response = client.get(url, query)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_the_declarant_sees_their_own_only(people, declared):
    other = factories.declaration(people.colleague, people.other_member)
    assert ids(client_for(people.officer)) == {declared.pk}
    assert client_for(people.officer).get(detail(other)).status_code == 404


def test_the_monitoring_officer_sees_the_whole_register(people, declared):
    send_declarations_to_chief_executive(people.council)
    to_chief = factories.declaration(people.colleague, people.other_member)
    assert ids(client_for(people.monitoring_officer)) == {declared.pk, to_chief.pk}


def test_the_chief_executive_sees_only_what_was_declared_to_them(people, declared):
    to_chief = factories.declaration(
        people.colleague, people.other_member, declared_to="chief_executive"
    )
    lodge = factories.declaration(
        people.director, External("The Lodge"), kind="organisation_membership"
    )
    assert ids(client_for(people.chief_executive)) == {to_chief.pk}
    assert client_for(people.chief_executive).get(detail(lodge)).status_code == 404
    assert client_for(people.chief_executive).get(detail(declared)).status_code == 404


@pytest.mark.parametrize("who", ["casework", "manager", "director", "administrator", "colleague"])
def test_other_officers_see_no_declarations(people, declared, who):
    client = client_for(getattr(people, who))
    assert ids(client) == set()
    assert client.get(detail(declared)).status_code == 404


def test_the_counterpart_sees_nothing_until_advice_is_given(people, declared):
    assert client_for(people.member).get(detail(declared)).status_code == 404
    client_for(people.monitoring_officer).post(
        act(declared, "advice"), {"advice": "Keep apart."}, format="json"
    )
    response = client_for(people.member).get(detail(declared))
    assert response.status_code == 200
    assert response.json()["advice"] == "Keep apart."
    assert response.json()["description"] == ""  # the declarant's words stay with the recipient


def test_a_superuser_sees_no_declarations(people, declared):
    client = client_for(factories.SuperuserFactory())
    assert ids(client) == set()


def test_the_register_filters_by_kind_status_person_and_date(people, declared):
    ended = factories.declaration(
        people.colleague,
        people.other_member,
        kind="business",
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2021, 1, 1),
    )
    client = client_for(people.monitoring_officer)
    assert ids(client, kind="business") == {ended.pk}
    assert ids(client, status="submitted") == {declared.pk, ended.pk}
    assert ids(client, person=f"member:{people.member.pk}") == {declared.pk}
    assert ids(client, person=f"officer:{people.colleague.pk}") == {ended.pk}
    assert ids(client, active_on="2020-06-01") == {ended.pk}
    assert ids(client, active_on=TODAY.isoformat()) == {declared.pk}


def test_a_bad_person_filter_is_a_field_error(people):
    response = client_for(people.monitoring_officer).get(LIST, {"person": "someone"})
    assert response.status_code == 400
    assert "person" in response.json()["errors"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_at_any_length(people, count, django_assert_num_queries):
    officers = factories.OfficerFactory.create_batch(count, council=people.council)
    for officer in officers:
        factories.declaration(officer, people.member)
    client = client_for(people.monitoring_officer)
    # the session with the account and its officer record (council.sessions), the page
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count

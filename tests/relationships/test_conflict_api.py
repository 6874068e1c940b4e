"""``GET /api/v1/conflicts/`` (API.md, Declarations; DESIGN.md, Security decisions): not an
oracle — only those who assign or route work may ask, only about their council's people, and
every question is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relationships.models import ConflictQuestion
from tests import factories

from .conftest import client_for

URL = reverse("conflict-check")


def ask(client, a, b, **query):
    return client.get(URL, {"a": ref(a), "b": ref(b), **query})


def ref(record) -> str:
    return f"{record._meta.model_name}:{record.pk}"


@pytest.fixture
def declared(people):
    return factories.declaration(people.officer, people.member)


@pytest.mark.parametrize(
    "who", ["casework", "manager", "director", "monitoring_officer", "chief_executive"]
)
def test_those_who_assign_or_route_work_may_ask(people, declared, who):
    response = ask(client_for(getattr(people, who)), people.member, people.officer)
    assert response.status_code == 200
    assert response.json()["conflict"] is True


def test_the_answer_is_false_without_a_declaration(people, declared):
    response = ask(client_for(people.casework), people.member, people.colleague)
    assert response.json() == {"conflict": False}


def test_the_date_asked_about_counts(people, declared):
    response = ask(client_for(people.casework), people.member, people.officer, on="1990-01-01")
    assert response.json() == {"conflict": False}


@pytest.mark.parametrize("who", ["officer", "colleague", "member", "administrator"])
def test_members_and_other_officers_may_not_ask(people, declared, who):
    response = ask(client_for(getattr(people, who)), people.member, people.officer)
    assert response.status_code == 403
    assert "conflict" not in response.json()


def test_a_token_needs_the_conflicts_read_scope(people, declared, token_client):
    assert ask(token_client(["conflicts:read"]), people.member, people.officer).json() == {
        "conflict": True
    }
    assert ask(token_client(["enquiries:read"]), people.member, people.officer).status_code == 403


def test_only_the_register_keepers_learn_which_declaration_causes_it(people, declared):
    keeper = ask(client_for(people.monitoring_officer), people.member, people.officer).json()
    assert keeper == {"conflict": True, "declarations": [declared.pk]}
    caseworker = ask(client_for(people.casework), people.member, people.officer).json()
    assert caseworker == {"conflict": True}


def test_someone_of_another_council_is_not_found_like_someone_who_does_not_exist(
    people, other_council
):
    elsewhere = factories.OfficerFactory(council=other_council)
    client = client_for(people.casework)
    foreign = client.get(URL, {"a": ref(people.member), "b": ref(elsewhere)})
    missing = client.get(URL, {"a": ref(people.member), "b": "officer:999999999"})
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()


def test_bad_parameters_are_field_errors(people):
    response = client_for(people.casework).get(URL, {"a": "constituent:1", "on": "soon"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"a", "b", "on"}


def test_every_question_is_recorded(people, declared):
    client = client_for(people.casework)
    ask(client, people.member, people.officer)
    ask(client, people.officer, people.colleague, on="2020-02-02")
    questions = list(ConflictQuestion.objects.order_by("id").values())
    assert [
        (q["asked_by_id"], q["a_type"], q["a_id"], q["b_type"], q["b_id"], q["answer"])
        for q in questions
    ] == [
        (people.casework.user_id, "member", people.member.pk, "officer", people.officer.pk, True),
        (
            people.casework.user_id,
            "officer",
            people.officer.pk,
            "officer",
            people.colleague.pk,
            False,
        ),
    ]
    assert questions[1]["on"].isoformat() == "2020-02-02"


def test_a_refused_question_records_nothing(people, declared):
    ask(client_for(people.officer), people.member, people.officer)
    assert not ConflictQuestion.objects.exists()

"""The declaration pages: declare, my declarations, the register (search, filters, CSV) and a
declaration's page where the Monitoring Officer records advice."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from relationships.models import Declaration
from relationships.parties import External
from tests import factories


def browser(record) -> Client:
    client = Client()
    client.force_login(record.user)
    return client


def test_an_officer_declares_a_relationship_with_a_member(people):
    client = browser(people.officer)
    assert client.get(reverse("declare")).status_code == 200
    response = client.post(
        reverse("declare"),
        {
            "counterpart_type": "member",
            "counterpart_member": people.member.pk,
            "kind": "family",
            "description": "My cousin.",
            "started_on_0": "1",
            "started_on_1": "2",
            "started_on_2": "2015",
        },
    )
    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("declaration", args=[declaration.pk])
    assert declaration.declarant_officer == people.officer
    assert declaration.counterpart_member == people.member


def test_a_declaration_without_its_counterpart_says_what_to_do(people):
    response = browser(people.officer).post(
        reverse("declare"), {"counterpart_type": "external", "kind": "business"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter their name, or the organisation" in content
    assert "Describe the relationship" in content
    assert not Declaration.objects.exists()


def test_my_declarations_lists_only_mine(people):
    mine = factories.declaration(people.officer, people.member)
    factories.declaration(people.colleague, people.member, kind="friendship")
    response = browser(people.officer).get(reverse("my-declarations"))
    assert list(response.context["declarations"]) == [mine]


def test_the_register_is_not_found_for_anyone_but_its_keepers(people):
    for record in (people.officer, people.director, people.administrator, people.member):
        assert browser(record).get(reverse("declaration-register")).status_code == 404
        assert browser(record).get(reverse("declaration-register-csv")).status_code == 404
    assert (
        browser(people.monitoring_officer).get(reverse("declaration-register")).status_code == 200
    )
    assert browser(people.chief_executive).get(reverse("declaration-register")).status_code == 200


def test_the_register_searches_by_name_and_filters_by_kind(people):
    family = factories.declaration(people.officer, people.member)
    lodge = factories.declaration(
        people.colleague, External("Lodge of the Seven Oaks"), kind="organisation_membership"
    )
    client = browser(people.monitoring_officer)
    found = client.get(reverse("declaration-register"), {"q": "seven oaks"}).context["page"]
    assert list(found.object_list) == [lodge]
    found = client.get(reverse("declaration-register"), {"kind": "family"}).context["page"]
    assert list(found.object_list) == [family]


@pytest.mark.parametrize("count", [2, 20])
def test_the_register_page_costs_the_same_queries_at_any_length(
    people, count, django_assert_num_queries
):
    for officer in factories.OfficerFactory.create_batch(count, council=people.council):
        factories.declaration(officer, people.member)
    client = browser(people.monitoring_officer)
    # the session with the account, its officer record and unread notifications, the people
    # to filter by (members, officers), count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("declaration-register"))
    assert len(response.context["page"].object_list) == count


def test_the_register_downloads_as_csv_with_formulas_defused(people):
    factories.declaration(
        people.member, External("=HYPERLINK(1)"), kind="constituent", description="A neighbour"
    )
    response = browser(people.monitoring_officer).get(reverse("declaration-register-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["counterpart"] == "'=HYPERLINK(1)"
    assert rows[0]["description"] == "A neighbour"
    assert rows[0]["kind"] == "constituent"


def test_the_monitoring_officer_records_advice_on_the_declaration_page(people):
    declaration = factories.declaration(people.officer, people.member)
    client = browser(people.monitoring_officer)
    page = client.get(reverse("declaration", args=[declaration.pk]))
    assert "Record advice" in page.content.decode()
    response = client.post(
        reverse("declaration-action", args=[declaration.pk, "advise"]),
        {"advise-advice": "Do not work on each other's cases.", "advise-version": 1},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == "advice_given"
    assert declaration.advice == "Do not work on each other's cases."


def test_a_stale_advice_form_is_refused_with_a_readable_error(people):
    declaration = factories.declaration(people.officer, people.member)
    response = browser(people.monitoring_officer).post(
        reverse("declaration-action", args=[declaration.pk, "advise"]),
        {"advise-advice": "Keep apart.", "advise-version": 0},
    )
    assert response.status_code == 409
    assert "has changed since you opened it" in response.content.decode()


def test_the_declarant_sees_no_advice_form_on_their_own_declaration(people):
    declaration = factories.declaration(people.officer, people.member)
    content = browser(people.officer).get(reverse("declaration", args=[declaration.pk])).content
    assert b"Record advice" not in content
    assert b"End declaration" in content


def test_the_home_page_links_to_declaring_and_to_the_register(people):
    officer_home = browser(people.officer).get(reverse("home")).content.decode()
    assert reverse("declare") in officer_home
    assert reverse("declaration-register") not in officer_home
    keeper_home = browser(people.monitoring_officer).get(reverse("home")).content.decode()
    assert reverse("declaration-register") in keeper_home

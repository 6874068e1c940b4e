"""Where the system picks a person, the conflict check is asked (DESIGN.md, Declared
relationships): assigning an enquiry (refused, or overridden with a reason by someone allowed),
the assign form's officer picker, a member raising an enquiry about a constituent they
declared, and seating a panel convened about an officer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from complaints.models import EnquiryEvent
from core.models import AuditEvent
from council import services as council_services
from council.choices import Seniority, Team
from relationships.parties import External
from tests import factories

from .conftest import client_for, officer


@pytest.fixture
def enquiry(people):
    return factories.enquiry(
        people.council,
        member=people.member,
        constituent={"name": "Pat Resident", "email": "pat@example.org"},
    )


@pytest.fixture
def casework_manager(people):
    return officer(people.council, teams=[Team.CASEWORK], seniority=Seniority.MANAGER)


def assign(client, enquiry, officer, **body):
    return client.post(
        reverse("enquiry-assign", args=[enquiry.pk]),
        {"officer": officer.pk, **body},
        format="json",
    )


def test_assigning_an_officer_related_to_the_member_is_refused_neutrally(people, enquiry):
    factories.declaration(people.officer, people.member, description="My brother")
    response = assign(client_for(people.casework), enquiry, people.officer)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict_of_interest"
    assert "brother" not in response.content.decode()
    assert "family" not in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.assigned_officer is None


def test_assigning_an_officer_related_to_the_constituent_is_refused(people, enquiry):
    factories.declaration(people.officer, External("PAT RESIDENT"), kind="friendship")
    assert assign(client_for(people.casework), enquiry, people.officer).status_code == 409


def test_an_unrelated_officer_is_assigned(people, enquiry):
    factories.declaration(people.officer, people.member)
    assert assign(client_for(people.casework), enquiry, people.colleague).status_code == 200


def test_a_caseworker_cannot_override(people, enquiry):
    factories.declaration(people.officer, people.member)
    response = assign(
        client_for(people.casework), enquiry, people.officer, override_reason="Nobody else"
    )
    assert response.status_code == 409
    assert "may override" in response.json()["detail"]


def test_a_casework_manager_overrides_with_a_reason_kept_on_the_timeline_and_trail(
    people, enquiry, casework_manager
):
    factories.declaration(people.officer, people.member)
    response = assign(
        client_for(casework_manager),
        enquiry,
        people.officer,
        override_reason="The only housing specialist on duty.",
    )
    assert response.status_code == 200
    assert response.json()["assigned_officer"] == people.officer.pk
    event = EnquiryEvent.objects.get(enquiry=enquiry, action="assigned")
    assert event.note == "The only housing specialist on duty."
    assert event.detail["conflict_overridden"] is True
    trail = AuditEvent.objects.get(table_name="complaints_enquiryevent", row_pk=str(event.pk))
    assert trail.actor == f"user:{casework_manager.user_id}"
    assert trail.changes["note"] == "set"  # recorded, its words redacted


def test_only_the_register_keepers_read_the_override_reason(people, enquiry, casework_manager):
    factories.declaration(people.officer, people.member)
    assign(client_for(casework_manager), enquiry, people.officer, override_reason="Reason X")
    url = reverse("enquiry-timeline", args=[enquiry.pk])
    notes = {
        who: [e["note"] for e in client_for(getattr(people, who)).get(url).json()["results"]]
        for who in ("casework", "monitoring_officer")
    }
    assert "Reason X" not in notes["casework"]
    assert "Reason X" in notes["monitoring_officer"]
    page = Client()
    page.force_login(people.casework.user)
    assert "Reason X" not in page.get(reverse("enquiry", args=[enquiry.pk])).content.decode()


def test_the_picker_marks_who_cannot_take_the_case_without_saying_why(people, enquiry):
    factories.declaration(people.officer, people.member, description="My brother")
    page = Client()
    page.force_login(people.casework.user)
    content = page.get(reverse("enquiry", args=[enquiry.pk])).content.decode()
    assert escape(f"{people.officer} - Cannot take this case") in content
    assert escape(f"{people.colleague} - Cannot take this case") not in content
    assert "brother" not in content and "Family" not in content


def test_the_picker_costs_the_same_queries_for_many_officers(
    people, enquiry, django_assert_num_queries
):
    page = Client()
    page.force_login(people.casework.user)
    url = reverse("enquiry", args=[enquiry.pk])
    page.get(url)
    with CaptureQueriesContext(connection) as few:
        page.get(url)
    factories.OfficerFactory.create_batch(60, council=people.council)
    with django_assert_num_queries(len(few)):
        page.get(url)


def test_a_refused_assignment_on_the_page_offers_the_override_reason(
    people, enquiry, casework_manager
):
    factories.declaration(people.officer, people.member)
    page = Client()
    page.force_login(casework_manager.user)
    url = reverse("enquiry-action", args=[enquiry.pk, "assign"])
    response = page.post(url, {"assign-officer": people.officer.pk, "assign-version": 1})
    assert response.status_code == 409
    assert "Why must this officer take it anyway?" in response.content.decode()
    response = page.post(
        url,
        {
            "assign-officer": people.officer.pk,
            "assign-version": 1,
            "assign-override_reason": "Nobody else speaks Welsh.",
        },
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.assigned_officer == people.officer


def test_a_caseworker_is_not_offered_the_override(people, enquiry):
    factories.declaration(people.officer, people.member)
    page = Client()
    page.force_login(people.casework.user)
    response = page.post(
        reverse("enquiry-action", args=[enquiry.pk, "assign"]),
        {"assign-officer": people.officer.pk, "assign-version": 1},
    )
    assert response.status_code == 409
    assert "Why must this officer take it anyway?" not in response.content.decode()


def test_a_member_raising_an_enquiry_about_a_declared_constituent_is_told_who_can_assist(
    people,
):
    factories.declaration(people.member, External("Pat Resident"), kind="constituent")
    page = Client()
    page.force_login(people.member.user)
    response = page.post(
        reverse("enquiry-raise"),
        {"constituent_name": "pat resident", "subject": "Bins not collected"},
        follow=True,
    )
    content = response.content.decode()
    assert "You have declared a relationship with this constituent" in content
    assert people.ward_colleague.full_name in content
    assert people.other_member.full_name not in content


def test_a_member_without_a_declaration_gets_no_suggestion(people):
    page = Client()
    page.force_login(people.member.user)
    response = page.post(
        reverse("enquiry-raise"),
        {"constituent_name": "Someone Else", "subject": "Bins not collected"},
        follow=True,
    )
    assert "You have declared a relationship" not in response.content.decode()


def test_a_member_related_to_the_officer_a_panel_is_about_cannot_sit_on_it(people):
    factories.declaration(people.officer, people.member, kind="friendship")
    with pytest.raises(ValidationError) as refused:
        council_services.create_committee(
            council=people.council,
            by="test",
            name="Hearing panel",
            kind="hearing_panel",
            convened_about=people.officer,
            members=[(people.member, "member"), (people.other_member, "chair")],
        )
    (message,) = refused.value.message_dict["members"]
    assert str(people.member) in message
    assert "friend" not in message.lower()


def test_a_panel_seats_members_with_no_declared_relationship(people):
    factories.declaration(people.officer, people.member)
    panel = council_services.create_committee(
        council=people.council,
        by="test",
        name="Hearing panel",
        kind="hearing_panel",
        convened_about=people.officer,
        members=[(people.other_member, "chair")],
    )
    with pytest.raises(ValidationError):
        council_services.set_committee_members(
            committee=panel, by="test", members=[(people.member, "member")]
        )
    with pytest.raises(ValidationError):
        council_services.update_committee(
            committee=panel, by="test", members=[(people.member, "member")]
        )


def test_convening_a_panel_about_a_related_officer_checks_the_seated_members(people):
    factories.declaration(people.officer, people.member)
    panel = council_services.create_committee(
        council=people.council, by="test", name="Panel", members=[(people.member, "member")]
    )
    with pytest.raises(ValidationError):
        council_services.update_committee(committee=panel, by="test", convened_about=people.officer)


def test_demo_declarations_cause_conflicts_in_the_demo(db):
    from io import StringIO

    from django.core.management import call_command

    from complaints.models import Enquiry
    from complaints.selectors import assignment_conflict
    from council.models import Officer

    call_command("seed_demo", allow_production=True, stdout=StringIO())
    bins = Enquiry.objects.get(subject="Missed bin collections on Quay Street")
    maya = Officer.objects.get(employee_number="E1012", council=bins.council)
    assert assignment_conflict(bins, maya)

"""The conduct complaint pages: raising a concern, the triage dashboard (with its charts'
data tables), My complaints, the complaint page's actions, and the Monitoring Officer's route
editing. Lists have their query counts pinned."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints.conduct.choices import OwnerRule, RouteKind
from complaints.conduct.models import Complaint, Route, RouteStage
from council import services as council_services

from .conftest import days_ago


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


# Raising a concern ----------------------------------------------------------------------------


def test_a_member_raises_a_concern_about_an_officer(org):
    response = browser(org.councillor.user).post(
        reverse("complaint-raise"),
        {
            "subject": f"officer:{org.officer.pk}",
            "categories": ["discourtesy"],
            "description": "Was rude on the phone.",
            **date_fields("incident_1_date", days_ago(1)),
            "incident_1_description": "Phone call.",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("complaint", args=[complaint.pk])
    assert complaint.complainant_member == org.councillor
    assert complaint.route.kind == RouteKind.MEMBER_ABOUT_OFFICER


def test_raising_without_an_incident_date_shows_the_error(org):
    response = browser(org.officer.user).post(
        reverse("complaint-raise"),
        {"subject": f"member:{org.councillor.pk}", "categories": ["bullying"], "description": "x"},
    )
    assert response.status_code == 200
    assert "Enter the date of incident 1" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_person_raising_is_not_offered_as_the_subject(org):
    page = browser(org.officer.user).get(reverse("complaint-raise")).content.decode()
    assert f"officer:{org.officer.pk}" not in page
    assert f"officer:{org.colleague.pk}" in page


# The dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_shows_new_and_overdue_complaints_and_counts(org, raise_complaint):
    import datetime

    from django.utils import timezone

    fresh = raise_complaint(org.officer, org.councillor, categories=["harassment", "bullying"])
    old = raise_complaint(
        org.councillor,
        org.officer,
        now=timezone.now() - datetime.timedelta(days=40),
        incidents=[],
    )
    page = browser(org.monitoring_officer.user).get(reverse("complaint-dashboard"))
    html = page.content.decode()
    assert fresh.reference in html and old.reference in html
    assert "Overdue stages" in html
    assert "Complaints by kind of behaviour as a table" in html
    assert html.count("Bullying") >= 2  # the chart's label and its table's row


def test_the_dashboard_filters_by_category(org, raise_complaint):
    bullying = raise_complaint(org.officer, org.councillor)
    other = raise_complaint(org.colleague, org.councillor, categories=["discourtesy"])
    html = (
        browser(org.monitoring_officer.user)
        .get(reverse("complaint-dashboard"), {"category": "discourtesy"})
        .content.decode()
    )
    assert other.reference in html and bullying.reference not in html


@pytest.mark.parametrize("count", [1, 6])
def test_the_dashboard_costs_the_same_queries_at_any_length(
    org, raise_complaint, count, django_assert_num_queries
):
    for _ in range(count):
        raise_complaint(org.officer, org.councillor)
    client = browser(org.monitoring_officer.user)
    client.get(reverse("complaint-dashboard"))
    # 6 to read, 1 INSERT recording that each complaint shown was viewed.
    with django_assert_num_queries(7):
        assert client.get(reverse("complaint-dashboard")).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_my_complaints_costs_the_same_queries_at_any_length(
    org, raise_complaint, count, django_assert_num_queries
):
    for _ in range(count):
        raise_complaint(org.officer, org.councillor)
    client = browser(org.manager.user)  # owns every first stage
    client.get(reverse("complaint-mine"))
    with django_assert_num_queries(5):  # 4 to read, 1 INSERT recording the views
        response = client.get(reverse("complaint-mine"))
    assert response.content.decode().count("CMP-") == count


# The complaint page --------------------------------------------------------------------------


def test_the_owner_escalates_from_the_page(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    response = browser(org.manager.user).post(
        reverse("complaint-action", args=[complaint.pk, "escalate"]),
        {"escalate-version": complaint.version, "escalate-reason": "Needs the MO."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.current_stage.owner_officer == org.monitoring_officer


def test_the_complainant_adds_evidence_from_the_page(org, raise_complaint, settings, tmp_path):
    settings.COUNCILCASE_PRIVATE_MEDIA_ROOT = str(tmp_path)
    complaint = raise_complaint(org.officer, org.councillor)
    response = browser(org.officer.user).post(
        reverse("complaint-action", args=[complaint.pk, "attach"]),
        {
            "attach-version": complaint.version,
            "attach-file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nrest"),
        },
    )
    assert response.status_code == 302
    assert complaint.evidence.get().content_type == "image/png"


def test_a_stale_version_on_the_page_is_refused(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    response = browser(org.monitoring_officer.user).post(
        reverse("complaint-action", args=[complaint.pk, "resolve"]),
        {"resolve-version": complaint.version + 5, "resolve-outcome": "no_further_action"},
    )
    assert response.status_code == 409
    assert "has changed since you opened it" in response.content.decode()


def test_the_monitoring_officer_sees_who_looked(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    browser(org.manager.user).get(reverse("complaint", args=[complaint.pk]))
    html = (
        browser(org.monitoring_officer.user)
        .get(reverse("complaint", args=[complaint.pk]))
        .content.decode()
    )
    assert "Who has looked at this complaint" in html
    assert org.manager.full_name in html


def test_the_owner_does_not_see_who_looked(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    html = browser(org.manager.user).get(reverse("complaint", args=[complaint.pk])).content
    assert b"Who has looked at this complaint" not in html


# Routes -------------------------------------------------------------------------------------


def test_a_new_council_gets_its_routes_from_create_council(db):
    council = council_services.create_council(by="test", slug="newtown", name="Newtown")
    assert Route.objects.filter(council=council).count() == len(RouteKind.values)


def test_the_monitoring_officer_changes_a_stage(org):
    stage = RouteStage.objects.get(
        route__council=org.council, route__kind=RouteKind.MEMBER_ABOUT_MEMBER, order=1
    )
    response = browser(org.monitoring_officer.user).post(
        reverse("complaint-route-stage", args=[stage.pk]),
        {
            "name": "The group leader, informally",
            "owner_rule": OwnerRule.SUBJECT_GROUP_WHIP,
            "target_working_days": "7",
            "allowed_outcomes": ["resolved_informally"],
            "version": stage.version,
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.name, stage.owner_rule, stage.target_working_days) == (
        "The group leader, informally",
        OwnerRule.SUBJECT_GROUP_WHIP,
        7,
    )


def test_a_changed_stage_applies_to_stages_opened_afterwards(org, raise_complaint):
    before = raise_complaint(org.independent, org.councillor)
    stage = before.current_stage.route_stage
    from complaints.conduct import services

    services.update_route_stage(
        stage=stage, by=org.monitoring_officer.user, owner_rule=OwnerRule.SUBJECT_GROUP_WHIP
    )
    after = raise_complaint(org.independent, org.councillor)
    assert before.current_stage.owner_member == org.leader
    assert after.current_stage.owner_member == org.whip


def test_a_stage_needs_an_outcome(org):
    stage = RouteStage.objects.filter(route__council=org.council).first()
    response = browser(org.monitoring_officer.user).post(
        reverse("complaint-route-stage", args=[stage.pk]),
        {"name": "x", "owner_rule": stage.owner_rule, "target_working_days": "5"},
    )
    assert response.status_code == 200
    assert "Select at least one outcome" in response.content.decode()


def test_the_monitoring_officer_adds_a_stage(org):
    route = Route.objects.get(council=org.council, kind=RouteKind.MEMBER_ABOUT_CHIEF_EXECUTIVE)
    response = browser(org.monitoring_officer.user).post(
        reverse("complaint-route-add-stage", args=[route.pk]),
        {
            "name": "Hearing panel",
            "owner_rule": OwnerRule.STANDARDS_COMMITTEE_CHAIR,
            "target_working_days": "20",
            "allowed_outcomes": ["upheld", "not_upheld"],
        },
    )
    assert response.status_code == 302
    assert route.stages.order_by("-order").first().name == "Hearing panel"


@pytest.mark.parametrize("persona", ["director", "manager", "councillor", "chief_executive"])
def test_only_the_monitoring_officer_edits_routes(org, persona):
    person = getattr(org, persona)
    stage = RouteStage.objects.filter(route__council=org.council).first()
    client = browser(person.user)
    assert client.get(reverse("complaint-routes")).status_code == 404
    assert client.get(reverse("complaint-route-stage", args=[stage.pk])).status_code == 404


def test_another_councils_stage_is_not_found(org, other_council):
    stage = RouteStage.objects.filter(route__council=other_council).first()
    response = browser(org.monitoring_officer.user).get(
        reverse("complaint-route-stage", args=[stage.pk])
    )
    assert response.status_code == 404

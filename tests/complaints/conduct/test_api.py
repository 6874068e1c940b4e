"""The complaints API (API.md, Complaints): raising, every action, the field contract, 404
for the unseen, 409 for an invalid transition, 412 for a stale If-Match, citations of the
protocol version in force, warnings, evidence, and the view log."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.conduct.choices import HistoryAction
from complaints.conduct.models import ComplaintHistory, ComplaintView
from core.notifications.models import Notification
from protocols import services as protocol_services
from protocols.importer import ParsedClause, ParsedProtocol
from tests import factories

from .conftest import client_for, days_ago

LIST = reverse("complaint-list")


def detail(complaint):
    return reverse("complaint-detail", args=[complaint.pk])


def act(complaint, name):
    return reverse(f"complaint-{name}", args=[complaint.pk])


def ref(person):
    return {"type": person._meta.model_name, "id": person.pk}


@pytest.fixture
def mo(org):
    return client_for(org.monitoring_officer.user)


@pytest.fixture
def complaint(org, raise_complaint):
    """An officer's complaint about a member: first stage owned by the officer's manager."""
    return raise_complaint(org.officer, org.councillor)


# Raising --------------------------------------------------------------------------------------


def test_an_officer_raises_a_concern_about_a_member(org):
    client = client_for(org.officer.user)
    response = client.post(
        LIST,
        {
            "subject": ref(org.councillor),
            "categories": ["bullying", "undue_pressure"],
            "description": "Pressed me to change a report.",
            "incidents": [{"occurred_on": str(days_ago(3)), "description": "In the corridor."}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["complainant"] == ref(org.officer)
    assert data["subject"] == ref(org.councillor)
    assert data["status"] == "open"
    assert data["current_stage"]["name"] == "Informal discussion with the officer's senior manager"
    assert data["current_stage"]["owner"] is None  # the complainant does not see owners
    assert data["reference"].startswith("CMP-")
    assert response["ETag"] == '"1"'


def test_the_api_exposes_the_contracted_fields(mo, complaint):
    data = mo.get(detail(complaint)).json()
    for name in (
        "id",
        "reference",
        "complainant",
        "subject",
        "categories",
        "protected_characteristic",
        "incidents",
        "cited_clauses",
        "route",
        "current_stage",
        "stages",
        "status",
        "outcome",
        "warnings",
        "version",
    ):
        assert name in data
    assert set(data["current_stage"]) == {"name", "owner", "opened_at", "due_date"}
    assert data["incidents"] == [
        {"occurred_on": str(days_ago(7)), "description": "At the meeting."}
    ]


def test_discrimination_needs_its_protected_characteristic(org):
    response = client_for(org.officer.user).post(
        LIST,
        {"subject": ref(org.councillor), "categories": ["discrimination"], "description": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "protected_characteristic" in response.json()["errors"]


def test_a_complaint_about_oneself_is_refused(org):
    response = client_for(org.officer.user).post(
        LIST,
        {"subject": ref(org.officer), "categories": ["other"], "description": "x"},
        format="json",
    )
    assert response.status_code == 400


def test_an_incident_in_the_future_is_refused(org):
    future = datetime.date.today() + datetime.timedelta(days=5)
    response = client_for(org.officer.user).post(
        LIST,
        {
            "subject": ref(org.councillor),
            "categories": ["other"],
            "description": "x",
            "incidents": [{"occurred_on": str(future), "description": "Later."}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "incidents.0.occurred_on" in response.json()["errors"]


def test_a_subject_of_another_council_is_not_found(org, other_council):
    stranger = factories.MemberFactory(council=other_council)
    response = client_for(org.officer.user).post(
        LIST,
        {"subject": ref(stranger), "categories": ["other"], "description": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "subject" in response.json()["errors"]


def test_the_monitoring_officer_is_told_of_every_new_complaint(org, complaint):
    assert Notification.objects.filter(
        recipient=org.monitoring_officer.user, resource_id=complaint.pk, kind="stage_opened"
    ).exists()


def test_notifications_carry_no_content(org, complaint):
    for notification in Notification.objects.filter(resource_id=complaint.pk):
        assert "Shouted" not in notification.subject
        assert notification.subject.count(complaint.reference) == 1


# Escalate --------------------------------------------------------------------------------------


def test_the_stage_owner_escalates_to_the_next_stage(org, complaint):
    owner = client_for(org.manager.user)
    response = owner.post(act(complaint, "escalate"), {"reason": "Not resolved."}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["current_stage"]["name"] == "Monitoring Officer's assessment"
    assert data["current_stage"]["owner"] == ref(org.monitoring_officer)
    assert [stage["outcome"] for stage in data["stages"]] == ["escalated", ""]
    assert ComplaintHistory.objects.filter(
        complaint=complaint, action=HistoryAction.ESCALATED, note="Not resolved."
    ).exists()


def test_the_previous_owner_still_sees_the_complaint_in_full(org, complaint):
    client_for(org.manager.user).post(act(complaint, "escalate"), {"reason": "On."}, format="json")
    response = client_for(org.manager.user).get(detail(complaint))
    assert response.status_code == 200
    assert response.json()["access"] == "full"


def test_the_complainant_may_escalate_when_dissatisfied(org, complaint):
    response = client_for(org.officer.user).post(
        act(complaint, "escalate"), {"reason": "Still happening."}, format="json"
    )
    assert response.status_code == 200


def test_escalating_past_the_last_stage_is_a_conflict(org, complaint, mo):
    for _ in range(3):
        assert (
            mo.post(act(complaint, "escalate"), {"reason": "On."}, format="json").status_code == 200
        )
    response = mo.post(act(complaint, "escalate"), {"reason": "On."}, format="json")
    assert response.status_code == 409


def test_escalate_needs_a_reason(org, complaint, mo):
    assert mo.post(act(complaint, "escalate"), {}, format="json").status_code == 400


def test_a_stale_if_match_is_refused(org, complaint, mo):
    response = mo.post(
        act(complaint, "escalate"), {"reason": "On."}, format="json", headers={"If-Match": '"7"'}
    )
    assert response.status_code == 412


# Reroute -----------------------------------------------------------------------------------------


def test_the_monitoring_officer_reroutes_with_a_reason(org, complaint, mo):
    other = org.council.complaint_routes.get(kind="member_about_member")
    response = mo.post(
        act(complaint, "reroute"), {"route": other.pk, "reason": "Wrong route."}, format="json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["route"] == other.pk
    assert data["stages"][0]["outcome"] == "rerouted"
    assert ComplaintHistory.objects.filter(
        complaint=complaint, action=HistoryAction.REROUTED
    ).exists()


def test_a_stage_owner_may_not_reroute(org, complaint):
    other = org.council.complaint_routes.get(kind="member_about_member")
    response = client_for(org.manager.user).post(
        act(complaint, "reroute"), {"route": other.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_rerouting_to_another_councils_route_is_refused(org, complaint, mo, other_council):
    foreign = other_council.complaint_routes.first()
    response = mo.post(
        act(complaint, "reroute"), {"route": foreign.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400


# Resolve, close, withdraw -------------------------------------------------------------------


def test_the_owner_resolves_with_an_allowed_outcome(org, complaint):
    response = client_for(org.manager.user).post(
        act(complaint, "resolve"), {"outcome": "resolved_informally"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "resolved" and data["outcome"] == "resolved_informally"
    assert data["current_stage"] is None


def test_an_outcome_the_stage_does_not_allow_is_refused(org, complaint):
    response = client_for(org.manager.user).post(
        act(complaint, "resolve"), {"outcome": "upheld"}, format="json"
    )
    assert response.status_code == 400
    assert "outcome" in response.json()["errors"]


def test_resolving_twice_is_a_conflict(org, complaint, mo):
    mo.post(act(complaint, "resolve"), {"outcome": "no_further_action"}, format="json")
    response = mo.post(act(complaint, "resolve"), {"outcome": "no_further_action"}, format="json")
    assert response.status_code == 409


def test_the_monitoring_officer_closes_a_resolved_complaint(org, complaint, mo):
    assert mo.post(act(complaint, "close"), format="json").status_code == 409
    mo.post(act(complaint, "resolve"), {"outcome": "no_further_action"}, format="json")
    response = mo.post(act(complaint, "close"), format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_the_complainant_withdraws(org, complaint):
    response = client_for(org.officer.user).post(
        act(complaint, "withdraw"), {"reason": "Sorted out."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_the_stage_owner_may_not_withdraw(org, complaint):
    response = client_for(org.manager.user).post(act(complaint, "withdraw"), {}, format="json")
    assert response.status_code == 403


# The subject ---------------------------------------------------------------------------------


def test_the_subject_sees_nothing_until_told(org, complaint, mo):
    subject = client_for(org.councillor.user)
    assert subject.get(detail(complaint)).status_code == 404
    assert mo.post(act(complaint, "notify-subject"), format="json").status_code == 200
    data = subject.get(detail(complaint)).json()
    assert data["access"] == "subject"
    assert data["description"] == "" and data["incidents"] == [] and data["warnings"] == []


# Investigators -----------------------------------------------------------------------------


def test_an_assigned_investigator_sees_the_complaint_in_full(org, complaint, mo):
    investigator = client_for(org.outsider.user)
    assert investigator.get(detail(complaint)).status_code == 404
    response = mo.post(
        act(complaint, "assign-investigator"), {"officer": org.outsider.pk}, format="json"
    )
    assert response.status_code == 200
    assert investigator.get(detail(complaint)).json()["access"] == "full"


def test_an_investigator_with_a_declared_relationship_is_refused(org, complaint, mo):
    factories.declaration(org.outsider, org.councillor)
    response = mo.post(
        act(complaint, "assign-investigator"), {"officer": org.outsider.pk}, format="json"
    )
    assert response.status_code == 409
    assert "family" not in response.json()["detail"]


# Citations ----------------------------------------------------------------------------------


def _clauses(number_text: str):
    return ParsedProtocol(
        clauses=[
            ParsedClause(number="15", heading="Complaints", text=number_text, line=1, parent=None)
        ],
        anomalies=[],
    )


@pytest.fixture
def versions(org):
    """Version 1 adopted 400 days ago; version 2 adopted 3 days ago (after the incident a
    week ago): the incident's clause is version 1's."""
    old = protocol_services.import_protocol(
        council=org.council, title="Member/Officer Protocol", by="test", parsed=_clauses("Old.")
    )
    protocol_services.adopt_version(
        version=old, by="test", adopted_on=days_ago(400), approving_body="Full Council"
    )
    new = protocol_services.import_version(
        protocol=old.protocol, by="test", parsed=_clauses("New.")
    )
    protocol_services.adopt_version(
        version=new, by="test", adopted_on=days_ago(3), approving_body="Full Council"
    )
    return old.clauses.get(), new.clauses.get()


def test_a_clause_in_force_on_the_incident_date_is_cited(org, complaint, mo, versions):
    old, _new = versions
    response = mo.post(act(complaint, "cite"), {"clauses": [old.pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["cited_clauses"] == [old.pk]


def test_a_clause_of_another_version_is_refused(org, complaint, mo, versions):
    _old, new = versions
    response = mo.post(act(complaint, "cite"), {"clauses": [new.pk]}, format="json")
    assert response.status_code == 400
    assert "was not in force" in response.json()["errors"]["clauses"][0]


def test_an_unknown_clause_is_refused(org, complaint, mo):
    response = mo.post(act(complaint, "cite"), {"clauses": [999999]}, format="json")
    assert response.status_code == 400


# Warnings ------------------------------------------------------------------------------------


def test_harassment_with_one_incident_warns(org, raise_complaint, mo):
    complaint = raise_complaint(org.officer, org.councillor, categories=["harassment"])
    codes = [w["code"] for w in mo.get(detail(complaint)).json()["warnings"]]
    assert codes == ["harassment_incidents"]


def test_harassment_with_two_incidents_does_not_warn(org, raise_complaint, mo):
    complaint = raise_complaint(
        org.officer,
        org.councillor,
        categories=["harassment"],
        incidents=[
            {"occurred_on": days_ago(9), "description": "First."},
            {"occurred_on": days_ago(2), "description": "Second."},
        ],
    )
    assert mo.get(detail(complaint)).json()["warnings"] == []


def test_a_counter_complaint_by_the_subject_warns_of_victimisation(org, raise_complaint, mo):
    first = raise_complaint(org.officer, org.councillor)
    counter = raise_complaint(org.councillor, org.officer)
    codes = [w["code"] for w in mo.get(detail(counter)).json()["warnings"]]
    assert codes == ["possible_victimisation"]
    assert mo.get(detail(first)).json()["warnings"] == []
    assert ComplaintHistory.objects.filter(
        complaint=counter, action=HistoryAction.VICTIMISATION_ALERT
    ).exists()


def test_a_counter_complaint_after_a_year_does_not_warn(org, raise_complaint, mo):
    import datetime as dt

    from django.utils import timezone

    long_ago = timezone.now() - dt.timedelta(days=500)
    first = raise_complaint(org.officer, org.councillor, now=long_ago, incidents=[])
    mo.post(act(first, "resolve"), {"outcome": "no_further_action"}, format="json")
    from complaints.conduct.models import Complaint

    Complaint.objects.filter(pk=first.pk).update(resolved_at=long_ago)
    counter = raise_complaint(org.councillor, org.officer)
    assert mo.get(detail(counter)).json()["warnings"] == []


# Evidence ------------------------------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path):
    settings.COUNCILCASE_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def test_evidence_is_stored_privately_and_served_to_those_who_may_see(org, complaint, private_root):
    complainant = client_for(org.officer.user)
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = complainant.post(act(complaint, "evidence"), {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    (item,) = response.json()["evidence"]
    assert list(private_root.rglob("*.pdf"))
    assert complainant.get(item["url"]).status_code == 200
    assert client_for(org.outsider.user).get(item["url"]).status_code == 404
    assert client_for(org.monitoring_officer.user).get(item["url"]).status_code == 200


def test_evidence_whose_content_is_not_its_type_is_refused(org, complaint, private_root):
    upload = SimpleUploadedFile("notes.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(org.officer.user).post(
        act(complaint, "evidence"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert not list(private_root.rglob("*.pdf"))


def test_evidence_over_the_size_limit_is_refused(org, complaint, private_root, settings):
    settings.COUNCILCASE_EVIDENCE_MAX_BYTES = 10
    upload = SimpleUploadedFile("notes.txt", b"x" * 11, content_type="text/plain")
    response = client_for(org.officer.user).post(
        act(complaint, "evidence"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400


def test_an_executable_is_refused(org, complaint, private_root):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(org.officer.user).post(
        act(complaint, "evidence"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400


# The view log --------------------------------------------------------------------------------


def test_every_view_is_recorded_and_the_monitoring_officer_sees_who_looked(org, complaint, mo):
    client_for(org.manager.user).get(detail(complaint))
    mo.get(detail(complaint))
    assert ComplaintView.objects.filter(complaint=complaint).count() == 2
    viewers = [row["viewer"] for row in mo.get(act(complaint, "views")).json()]
    assert viewers == [org.monitoring_officer.user.pk, org.manager.user.pk]


def test_the_stage_owner_may_not_see_who_looked(org, complaint):
    assert client_for(org.manager.user).get(act(complaint, "views")).status_code == 403


def test_the_view_log_is_append_only(org, complaint, mo):
    from django.db import IntegrityError, transaction

    mo.get(detail(complaint))
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintView.objects.filter(complaint=complaint).delete()


def test_the_stage_history_is_append_only(org, complaint):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintHistory.objects.filter(complaint=complaint).update(note="rewritten")


# The list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_queries_at_any_length(
    org, raise_complaint, mo, count, django_assert_num_queries
):
    for _ in range(count):
        raise_complaint(org.officer, org.councillor)
    mo.get(LIST)  # warm the session
    with django_assert_num_queries(7):
        response = mo.get(LIST)
    assert len(response.json()["results"]) == count


def test_the_list_filters_by_category_and_status(org, raise_complaint, mo):
    bullying = raise_complaint(org.officer, org.councillor)
    rude = raise_complaint(org.colleague, org.councillor, categories=["discourtesy"])
    ids = [row["id"] for row in mo.get(LIST, {"category": "discourtesy"}).json()["results"]]
    assert ids == [rude.pk]
    ids = [row["id"] for row in mo.get(LIST, {"status": "open"}).json()["results"]]
    assert set(ids) == {bullying.pk, rude.pk}

"""Rules of the complaint services not seen through the API tests: who raises for whom,
the stage without an independent owner, victimisation on escalation, and re-routing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.conduct import services
from complaints.conduct.choices import HistoryAction
from complaints.conduct.models import ComplaintHistory, ComplaintUserObjectPermission
from core.notifications.models import Notification
from tests import factories


def test_the_monitoring_officer_records_a_concern_for_someone_else(org):
    complaint = services.raise_complaint(
        council=org.council,
        by=org.monitoring_officer.user,
        complainant=org.officer,
        subject=org.councillor,
        categories=["bullying"],
        description="Reported to me in person.",
    )
    assert complaint.complainant_officer == org.officer
    assert complaint.raised_by == org.monitoring_officer.user


def test_nobody_else_raises_a_concern_for_someone_else(org):
    with pytest.raises(PermissionDenied):
        services.raise_complaint(
            council=org.council,
            by=org.manager.user,
            complainant=org.officer,
            subject=org.councillor,
            categories=["bullying"],
            description="x",
        )


def test_a_concern_needs_a_description(org):
    with pytest.raises(ValidationError) as refused:
        services.raise_complaint(
            council=org.council,
            by=org.officer.user,
            subject=org.councillor,
            categories=["bullying"],
            description="  ",
        )
    assert "description" in refused.value.message_dict


def test_the_stage_owner_is_granted_sight_of_the_complaint(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    assert ComplaintUserObjectPermission.objects.filter(
        content_object=complaint, user=org.manager.user, permission__codename="view_complaint"
    ).exists()


def test_a_stage_without_an_independent_owner_alerts_the_monitoring_officer(org, other_council):
    # Another council with only a Monitoring Officer, who is the subject's relative.
    mo = factories.person("monitoring_officer", other_council)
    officer = factories.OfficerFactory(
        council=other_council, user=factories.UserFactory(council=other_council)
    )
    member = factories.MemberFactory(council=other_council)
    factories.declaration(mo.officer, member)
    complaint = services.raise_complaint(
        council=other_council,
        by=officer.user,
        subject=member,
        categories=["discourtesy"],
        description="x",
    )
    stage = complaint.current_stage
    assert stage.owner is None
    assert ComplaintHistory.objects.filter(
        complaint=complaint, action=HistoryAction.NO_OWNER
    ).exists()


def test_an_escalation_by_a_counter_complainant_alerts_the_monitoring_officer(org, raise_complaint):
    raise_complaint(org.officer, org.councillor)
    counter = raise_complaint(org.councillor, org.officer)
    services.escalate_complaint(complaint=counter, by=org.councillor.user, reason="Not sorted.")
    alerts = ComplaintHistory.objects.filter(
        complaint=counter, action=HistoryAction.VICTIMISATION_ALERT
    )
    assert alerts.count() == 2  # when raised, and again when escalated
    assert (
        Notification.objects.filter(
            recipient=org.monitoring_officer.user, resource_id=counter.pk, kind="escalated"
        ).count()
        == 2
    )


def test_rerouting_to_the_same_route_is_refused(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    with pytest.raises(ValidationError):
        services.reroute_complaint(
            complaint=complaint, by=org.monitoring_officer.user, route=complaint.route, reason="x"
        )


def test_withdrawing_tells_the_stage_owner(org, raise_complaint):
    complaint = raise_complaint(org.officer, org.councillor)
    services.withdraw_complaint(complaint=complaint, by=org.officer.user)
    assert Notification.objects.filter(
        recipient=org.manager.user, resource_id=complaint.pk, subject__contains="withdrawn"
    ).exists()


def test_references_count_up_per_council_and_year(org, raise_complaint):
    first = raise_complaint(org.officer, org.councillor)
    second = raise_complaint(org.officer, org.councillor)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_a_leavers_stage_passes_to_the_next_person_up(org, raise_complaint):
    from council import services as council_services

    complaint = raise_complaint(org.officer, org.councillor)
    assert complaint.current_stage.owner_officer == org.manager
    council_services.upsert_officer(
        council=org.council, by="test", employee_number=org.manager.employee_number, active=False
    )
    complaint.current_stage.refresh_from_db()
    assert complaint.current_stage.owner_officer == org.director
    assert Notification.objects.filter(
        recipient=org.director.user, resource_id=complaint.pk, kind="stage_opened"
    ).exists()
    entry = ComplaintHistory.objects.filter(
        complaint=complaint, action=HistoryAction.OWNER_SUBSTITUTED
    ).get()
    assert entry.detail["owner_left"] is True

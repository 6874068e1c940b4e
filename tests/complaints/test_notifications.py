"""Who the enquiry services tell (complaints.notifications), in the same transaction."""

from __future__ import annotations

from complaints import services
from core.notifications.models import Notification
from council.choices import Seniority, StatutoryRole, Team

from .conftest import NOW, officer


def told(enquiry, kind):
    return sorted(
        Notification.objects.filter(
            resource_type="enquiry", resource_id=enquiry.pk, kind=kind
        ).values_list("recipient_id", flat=True)
    )


def test_logging_with_an_assignee_tells_them(org, log):
    enquiry = log()
    assert told(enquiry, "assigned") == [org.officer.user_id]
    subject = Notification.objects.get(resource_id=enquiry.pk).subject
    assert subject == f"Enquiry {enquiry.reference} has been assigned to you"


def test_assigning_tells_the_new_assignee_each_time(org, log):
    enquiry = log(assigned_officer=None)
    assert told(enquiry, "assigned") == []
    enquiry = services.assign_enquiry(
        enquiry=enquiry, by=org.casework, officer=org.colleague, now=NOW
    )
    services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.officer, now=NOW)
    services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.colleague, now=NOW)
    assert told(enquiry, "assigned") == sorted(
        [org.colleague.user_id, org.officer.user_id, org.colleague.user_id]
    )


def test_staff_escalation_tells_the_director_and_the_assignee(org, log):
    enquiry = log()
    services.escalate_enquiry(enquiry=enquiry, by=org.casework, reason="Urgent", now=NOW)
    assert told(enquiry, "escalated") == sorted([org.director.user_id, org.officer.user_id])


def test_member_escalation_tells_the_chief_executive(org, log):
    enquiry = log()
    services.escalate_enquiry(enquiry=enquiry, by=org.member.user, reason="Unhappy", now=NOW)
    assert told(enquiry, "escalated") == sorted([org.chief_executive.pk, org.officer.user_id])


def test_member_escalation_to_legal_and_governance_tells_its_director(org, log):
    legal = officer(org.council, teams=[Team.LEGAL], seniority=Seniority.DIRECTOR)
    services.update_service_standards(
        council=org.council,
        by="test",
        dissatisfied_escalation_to="director_of_legal_and_governance",
    )
    enquiry = log()
    services.escalate_enquiry(enquiry=enquiry, by=org.member.user, reason="Unhappy", now=NOW)
    assert told(enquiry, "escalated") == sorted([legal.user_id, org.officer.user_id])


def test_without_a_legal_director_the_monitoring_officer_is_told(org, log):
    services.update_service_standards(
        council=org.council,
        by="test",
        dissatisfied_escalation_to="director_of_legal_and_governance",
    )
    enquiry = log()
    services.escalate_enquiry(enquiry=enquiry, by=org.member.user, reason="Unhappy", now=NOW)
    assert org.monitoring_officer.officer.statutory_role == StatutoryRole.MONITORING_OFFICER
    assert told(enquiry, "escalated") == sorted([org.monitoring_officer.pk, org.officer.user_id])

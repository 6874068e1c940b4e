"""The member is told of each step on their enquiry (complaints.notifications.tell_member and
move_due_dates_and_tell): one notification to the member's account per step, never two."""

from __future__ import annotations

import datetime

import pytest

from complaints import notifications, services
from core.errors import Conflict
from core.notifications.choices import NotificationKind
from core.notifications.models import Notification
from council import services as council_services

from .conftest import NOW


def told(enquiry, kind) -> list[int]:
    return sorted(
        Notification.objects.filter(
            resource_type="enquiry", resource_id=enquiry.pk, kind=kind
        ).values_list("recipient_id", flat=True)
    )


def acknowledge(org, enquiry):
    return services.acknowledge_enquiry(enquiry=enquiry, by=org.casework, now=NOW)


def hold(org, enquiry):
    return services.send_holding_response(
        enquiry=enquiry, by=org.casework, reason="A survey is needed.", now=NOW
    )


def respond(org, enquiry):
    return services.respond_to_enquiry(enquiry=enquiry, by=org.casework, response="Fixed.", now=NOW)


@pytest.mark.parametrize(
    ("act", "kind", "subject"),
    [
        (acknowledge, "acknowledged", "Your enquiry {} has been acknowledged"),
        (hold, "holding_response", "Your enquiry {} has a holding response"),
        (respond, "responded", "Your enquiry {} has been answered"),
    ],
)
def test_acting_on_an_enquiry_tells_its_member_once(org, log, act, kind, subject):
    enquiry = act(org, log())
    assert told(enquiry, kind) == [org.member.user_id]
    notification = Notification.objects.get(resource_id=enquiry.pk, kind=kind)
    assert notification.subject == subject.format(enquiry.reference)
    assert notification.read_at is None
    # The same step again is refused (409), and writes no second notification.
    with pytest.raises(Conflict):
        act(org, enquiry)
    assert told(enquiry, kind) == [org.member.user_id]


def test_telling_the_member_twice_of_the_same_step_writes_one_notification(org, log):
    enquiry = acknowledge(org, log())
    for _ in range(2):
        notifications.tell_member(enquiry, kind=NotificationKind.ACKNOWLEDGED, now=NOW)
    assert told(enquiry, "acknowledged") == [org.member.user_id]


def test_a_member_without_an_account_is_told_nothing(org, log):
    org.member.user = None
    org.member.save(update_fields=["user"])
    enquiry = acknowledge(org, log())
    assert told(enquiry, "acknowledged") == []


def test_the_subject_carries_no_reasons_or_response(org, log):
    respond(org, hold(org, log()))
    subjects = " ".join(Notification.objects.values_list("subject", flat=True))
    assert "survey" not in subjects and "Fixed" not in subjects


def test_moving_due_dates_tells_the_member_and_the_assignee_once(org, log):
    enquiry = log()
    unassigned = log(assigned_officer=None)
    closure = datetime.date(2026, 11, 18)
    council_services.add_closure_day(council=org.council, by="test", date=closure)
    assert told(enquiry, "due_dates_changed") == sorted([org.member.user_id, org.officer.user_id])
    assert told(unassigned, "due_dates_changed") == [org.member.user_id]
    subject = Notification.objects.filter(resource_id=enquiry.pk).values_list("subject").first()
    assert subject == (f"The due dates of enquiry {enquiry.reference} have changed",)
    # Recomputing again with nothing moved tells nobody again.
    services.recompute_due_dates(council=org.council, by="test")
    assert Notification.objects.filter(kind="due_dates_changed").count() == 3
    # Moving them back is a new change: each is told once more.
    council_services.remove_closure_day(council=org.council, by="test", date=closure)
    assert Notification.objects.filter(kind="due_dates_changed").count() == 6


def test_a_calendar_change_that_moves_nothing_tells_nobody(org, log):
    log()
    council_services.add_closure_day(council=org.council, by="test", date=datetime.date(2027, 3, 1))
    assert not Notification.objects.filter(kind="due_dates_changed").exists()

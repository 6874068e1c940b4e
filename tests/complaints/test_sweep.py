"""The deadline sweep (complaints.sweep): reminders, overdue notices, escalation, exactly once,
at a query count that does not grow with the number of due enquiries.

Dates (England, tests/complaints/conftest.py): received Monday 16 November 2026; first
response due Thursday 19 November; full response due Monday 30 November.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from complaints import services, sweep
from complaints.models import Enquiry, EnquiryEvent
from complaints.sweep import sweep_deadlines
from core.notifications.models import Notification
from council.calendar import calendar_for

from .conftest import NOW

UTC = datetime.UTC
WEDNESDAY_18 = datetime.datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # a working day before the 19th
FRIDAY_20 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 1 working day overdue
MONDAY_23 = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 2 working days overdue


SWEEP_KINDS = ("reminder", "overdue", "escalated")


def told(enquiry, kind=None):
    """(kind, recipient) of the sweep's notifications about ``enquiry``. Notices the services
    send (assigned, and the member's acknowledged/holding/responded) are not the sweep's."""
    rows = Notification.objects.filter(
        resource_type="enquiry", resource_id=enquiry.pk, kind__in=SWEEP_KINDS
    )
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("kind", "recipient_id"))


def test_nothing_is_due_two_working_days_before(org, log):
    enquiry = log()
    sweep_deadlines(now=NOW)
    assert told(enquiry, "reminder") == []


def test_reminder_goes_to_the_assignee_one_working_day_before_the_due_date(org, log):
    enquiry = log()
    sweep_deadlines(now=WEDNESDAY_18)
    assert told(enquiry) == [("reminder", org.officer.user_id)]
    notification = Notification.objects.get(resource_id=enquiry.pk, kind="reminder")
    assert notification.dedupe_key == (
        f"enquiry:{enquiry.pk}:reminder:first_response:2026-11-19:user:{org.officer.user_id}"
    )
    assert notification.subject == f"Enquiry {enquiry.reference}: response due 19 Nov 2026"


def test_overdue_notice_goes_to_the_assignee_and_their_line_manager(org, log):
    enquiry = log()
    sweep_deadlines(now=FRIDAY_20)
    assert told(enquiry) == sorted(
        [("overdue", org.officer.user_id), ("overdue", org.manager.user_id)]
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "received"


def test_overdue_with_nobody_assigned_tells_the_directorates_director_once(org, log):
    enquiry = log(assigned_officer=None)
    sweep_deadlines(now=WEDNESDAY_18)
    assert told(enquiry) == []  # no reminder: nobody to remind
    sweep_deadlines(now=FRIDAY_20)
    sweep_deadlines(now=FRIDAY_20 + datetime.timedelta(hours=1))
    assert told(enquiry) == [("overdue", org.director.user_id)]


def test_overdue_enquiry_escalates_to_the_director_after_the_configured_working_days(org, log):
    enquiry = log()
    result = sweep_deadlines(now=MONDAY_23)
    assert result.escalated == 1
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.escalation_level, enquiry.escalated_to) == (
        "escalated",
        1,
        "director",
    )
    assert enquiry.escalated_at == MONDAY_23
    assert enquiry.version == 2
    event = EnquiryEvent.objects.get(enquiry=enquiry, action="escalated")
    assert event.actor == "task:sweep"
    assert event.by is None
    assert event.detail["director"] == org.director.pk
    assert told(enquiry, "escalated") == sorted(
        [("escalated", org.director.user_id), ("escalated", org.officer.user_id)]
    )
    assert told(enquiry, "overdue") == sorted(
        [("overdue", org.officer.user_id), ("overdue", org.manager.user_id)]
    )


def test_escalation_waits_for_the_councils_standard(org, log):
    services.update_service_standards(council=org.council, by="test", escalate_after_overdue_days=3)
    enquiry = log()
    sweep_deadlines(now=MONDAY_23)
    enquiry.refresh_from_db()
    assert enquiry.status == "received"
    sweep_deadlines(now=MONDAY_23 + datetime.timedelta(days=1))
    enquiry.refresh_from_db()
    assert enquiry.status == "escalated"


def test_nothing_for_responded_or_closed_enquiries(org, log):
    responded = log()
    services.respond_to_enquiry(enquiry=responded, by=org.officer.user, response="Done", now=NOW)
    closed = log()
    services.respond_to_enquiry(enquiry=closed, by=org.officer.user, response="Done", now=NOW)
    services.close_enquiry(enquiry=closed, by=org.officer.user, now=NOW)
    result = sweep_deadlines(now=MONDAY_23)
    assert result == type(result)(escalated=0, notifications=0)
    assert told(responded) == told(closed) == []


def test_an_enquiry_already_escalated_by_staff_is_not_escalated_again(org, log):
    enquiry = log()
    services.escalate_enquiry(enquiry=enquiry, by=org.casework, reason="Urgent", now=NOW)
    sweep_deadlines(now=MONDAY_23)
    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 1


def test_running_the_sweep_twice_tells_nobody_twice(org, log):
    enquiries = [log() for _ in range(3)]
    first = sweep_deadlines(now=MONDAY_23)
    before = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    second = sweep_deadlines(now=MONDAY_23 + datetime.timedelta(minutes=5))
    assert first.notifications == 3 * 4 and first.escalated == 3
    assert second.notifications == 0 and second.escalated == 0
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == before
    assert EnquiryEvent.objects.filter(enquiry__in=enquiries, action="escalated").count() == len(
        enquiries
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_tell_each_person_once(org, log):
    enquiries = [log() for _ in range(20)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep_deadlines(now=MONDAY_23))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result.escalated for result in results) == 20
    assert sum(result.notifications for result in results) == 20 * 4
    for enquiry in enquiries:
        assert len(told(enquiry)) == 4  # escalated x2 (director, assignee), overdue x2
        assert EnquiryEvent.objects.filter(enquiry=enquiry, action="escalated").count() == 1


def _clone_due(enquiry, count):
    """``count`` copies of ``enquiry`` (same dates and people), written in bulk."""
    fields = {
        field.attname: getattr(enquiry, field.attname)
        for field in Enquiry._meta.concrete_fields
        if not field.primary_key
    }
    start = Enquiry.objects.count()
    Enquiry.objects.bulk_create(
        [Enquiry(**{**fields, "reference": f"ENQ-TEST-{start + n:07d}"}) for n in range(count)]
    )


def _sweep_queries(now):
    with CaptureQueriesContext(connection) as queries:
        sweep_deadlines(now=now)
    return len(queries), queries


def test_sweep_query_count_does_not_grow_with_due_enquiries(org, log):
    calendar_for(org.council)  # built once per process, not per sweep
    _clone_due(log(), 9)
    ten, _ = _sweep_queries(FRIDAY_20)
    assert Notification.objects.filter(kind="overdue").count() == 10 * 2
    _clone_due(log(), 999)
    thousand, captured = _sweep_queries(FRIDAY_20)
    assert Notification.objects.filter(kind="overdue").count() == 1010 * 2
    assert ten == thousand, [q["sql"][:80] for q in captured]


def test_escalation_query_count_does_not_grow_with_due_enquiries(org, log):
    calendar_for(org.council)
    _clone_due(log(), 9)
    ten, _ = _sweep_queries(MONDAY_23)
    _clone_due(log(), 999)
    thousand, _ = _sweep_queries(MONDAY_23)
    assert Enquiry.objects.filter(status="escalated").count() == 1010
    assert ten == thousand


def test_command_sweeps_as_at_now(org, log, capsys):
    enquiry = log()
    call_command("sweep_deadlines", "--now", "2026-11-23T09:00:00Z")
    enquiry.refresh_from_db()
    assert enquiry.status == "escalated"
    assert "1 enquiries escalated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "problem"),
    [("yesterday", "not an ISO 8601 timestamp"), ("2026-11-23T09:00", "no offset from UTC")],
)
def test_command_rejects_a_bad_now(db, value, problem):
    with pytest.raises(CommandError, match=problem):
        call_command("sweep_deadlines", "--now", value)


def test_command_rejects_an_impossible_date(db):
    with pytest.raises(CommandError, match="not a valid date"):
        call_command("sweep_deadlines", "--now", "2026-02-30T09:00:00Z")


def test_a_sweep_that_dies_midway_leaves_nothing_for_the_next_to_duplicate(org, log, monkeypatch):
    enquiry = log()
    monkeypatch.setattr(sweep, "_REMIND_AND_OVERDUE", "SELECT 1/0")  # dies after escalating
    with pytest.raises(DatabaseError), transaction.atomic():
        sweep_deadlines(now=MONDAY_23)
    enquiry.refresh_from_db()
    assert enquiry.status == "received" and told(enquiry) == []
    monkeypatch.undo()
    sweep_deadlines(now=MONDAY_23)
    sweep_deadlines(now=MONDAY_23)
    enquiry.refresh_from_db()
    assert enquiry.escalation_level == 1
    assert len(told(enquiry)) == 4

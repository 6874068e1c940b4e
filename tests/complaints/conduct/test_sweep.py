"""The complaint stage deadline sweep (complaints.conduct.sweep): the owner is reminded before
the due date and the Monitoring Officer told once it is overdue — exactly once each, however
often it runs — at a query cost that does not grow with the number of complaints."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from complaints.conduct.choices import HistoryAction
from complaints.conduct.models import ComplaintHistory
from complaints.conduct.sweep import sweep_stage_deadlines
from core.notifications.models import Notification
from council.calendar import LONDON, calendar_for

# Monday 16 November 2026, 10:00 in London: the first stage (10 working days) is due on
# Monday 30 November 2026.
RAISED = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
DUE = datetime.date(2026, 11, 30)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), LONDON)


@pytest.fixture
def complaint(org, raise_complaint):
    complaint = raise_complaint(
        org.officer,
        org.councillor,
        now=RAISED,
        incidents=[{"occurred_on": datetime.date(2026, 11, 10), "description": "x"}],
    )
    assert complaint.current_stage.due_date == DUE
    return complaint


def notices(complaint, kind):
    return Notification.objects.filter(
        resource_type="complaint", resource_id=complaint.pk, kind=kind
    )


def test_the_due_date_counts_working_days_from_the_council_calendar(org, complaint):
    calendar = calendar_for(org.council)
    assert calendar.working_days_between(RAISED.date(), complaint.current_stage.due_date) == 10


def test_nothing_is_sent_before_the_reminder_window(complaint):
    result = sweep_stage_deadlines(now=at(datetime.date(2026, 11, 26)))
    assert result.notifications == 0


def test_the_owner_is_reminded_the_working_day_before(org, complaint):
    result = sweep_stage_deadlines(now=at(datetime.date(2026, 11, 27)))  # Friday
    assert result.reminded == 1
    (notice,) = notices(complaint, "reminder")
    assert notice.recipient == org.manager.user
    assert notice.subject == f"Complaint {complaint.reference}: stage due 30 Nov 2026"


def test_the_reminder_is_sent_exactly_once(org, complaint):
    sweep_stage_deadlines(now=at(datetime.date(2026, 11, 27)))
    again = sweep_stage_deadlines(now=at(datetime.date(2026, 11, 27), 15))
    on_the_day = sweep_stage_deadlines(now=at(DUE))
    assert again.notifications == on_the_day.notifications == 0
    assert notices(complaint, "reminder").count() == 1


def test_the_monitoring_officer_is_told_when_overdue_exactly_once(org, complaint):
    first = sweep_stage_deadlines(now=at(datetime.date(2026, 12, 1)))
    second = sweep_stage_deadlines(now=at(datetime.date(2026, 12, 2)))
    assert (first.overdue, second.overdue) == (1, 0)
    (notice,) = notices(complaint, "overdue")
    assert notice.recipient == org.monitoring_officer.user
    assert (
        ComplaintHistory.objects.filter(
            complaint=complaint, action=HistoryAction.OVERDUE, actor="task:sweep"
        ).count()
        == 1
    )


def test_an_overdue_stage_is_not_reminded_late(complaint):
    sweep_stage_deadlines(now=at(datetime.date(2026, 12, 1)))
    assert not notices(complaint, "reminder").exists()


def test_the_deputies_are_told_when_the_monitoring_officer_is_a_party(org, raise_complaint):
    complaint = raise_complaint(org.councillor, org.monitoring_officer, now=RAISED, incidents=[])
    due = complaint.current_stage.due_date
    sweep_stage_deadlines(now=at(due + datetime.timedelta(days=1)))
    recipients = set(notices(complaint, "overdue").values_list("recipient", flat=True))
    assert recipients == {org.deputy.user.pk}


def test_a_resolved_complaint_is_not_swept(org, complaint):
    from complaints.conduct import services

    services.resolve_complaint(
        complaint=complaint, by=org.manager.user, outcome="resolved_informally"
    )
    assert sweep_stage_deadlines(now=at(datetime.date(2026, 12, 1))).notifications == 0


def test_the_escalated_stage_has_its_own_clock(org, complaint):
    from complaints.conduct import services

    sweep_stage_deadlines(now=at(datetime.date(2026, 12, 1)))
    services.escalate_complaint(
        complaint=complaint, by=org.manager.user, reason="On.", now=at(datetime.date(2026, 12, 1))
    )
    complaint.refresh_from_db()
    stage = complaint.current_stage
    assert stage.due_date > DUE
    result = sweep_stage_deadlines(now=at(stage.due_date + datetime.timedelta(days=1)))
    assert result.overdue == 1


@pytest.mark.parametrize("count", [1, 8])
def test_the_sweep_costs_the_same_queries_for_any_number_of_complaints(
    org, raise_complaint, count, django_assert_num_queries
):
    for _ in range(count):
        raise_complaint(org.officer, org.councillor, now=RAISED, incidents=[])
    sweep_stage_deadlines(now=at(datetime.date(2026, 11, 20)))  # warm the calendar cache
    with django_assert_num_queries(6):  # councils, the audit actor, the one statement
        result = sweep_stage_deadlines(now=at(datetime.date(2026, 12, 1)))
    assert result.overdue == count


def test_the_sweep_deadlines_command_runs_the_stage_sweep(complaint):
    out = io.StringIO()
    call_command("sweep_deadlines", now="2026-12-01T09:00:00Z", stdout=out)
    assert "1 overdue" in out.getvalue()

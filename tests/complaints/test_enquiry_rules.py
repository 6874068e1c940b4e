"""The rules of member enquiries, through their services: deadlines from the calendar and the
service standard (city council protocol 10.3.1), the workflow table, the timeline, escalation
(10.3.2), references, and due dates recomputed when the calendar changes."""

from __future__ import annotations

import datetime
import json
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from complaints import selectors, services
from complaints.models import NO_RESPONSE_DUE, Enquiry, EnquiryEvent, ServiceStandard
from core.audit.models import AuditEvent
from core.errors import Conflict, PreconditionFailed
from council import services as council_services
from tests import factories

from .conftest import NOW, RECEIVED

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
D = datetime.date


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# Deadlines ---------------------------------------------------------------------------------


def test_due_dates_follow_the_working_day_calendar(log):
    # DESIGN.md, The working-day calendar: 25 and 28 December and 1 January are bank holidays.
    enquiry = log(received_at=london(2026, 12, 18, 10, 0), now=london(2026, 12, 18, 12, 0))
    assert enquiry.first_response_due == D(2026, 12, 23)
    assert enquiry.full_response_due == D(2027, 1, 6)
    assert enquiry.response_due == D(2026, 12, 23)


def test_received_after_the_cutoff_counts_from_the_next_working_day(log):
    enquiry = log(received_at=london(2026, 12, 18, 17, 30), now=london(2026, 12, 18, 18, 0))
    assert enquiry.first_response_due == D(2026, 12, 24)
    assert enquiry.full_response_due == D(2027, 1, 7)


def test_a_council_gets_the_protocols_default_standard_when_its_first_enquiry_is_logged(log, org):
    assert not ServiceStandard.objects.filter(council=org.council).exists()
    log()
    standard = ServiceStandard.objects.get(council=org.council)
    assert (
        standard.first_response_days,
        standard.full_response_days,
        standard.holding_response_extends,
        standard.escalate_after_overdue_days,
        standard.dissatisfied_escalation_to,
        standard.cited_clause_reference,
    ) == (3, 10, True, 2, "chief_executive", None)


def test_due_dates_come_from_the_councils_service_standard(log, org):
    services.update_service_standards(
        council=org.council,
        by="test",
        first_response_days=5,
        full_response_days=15,
        cited_clause_reference="10.3.1",
    )
    enquiry = log()  # received Monday 16 November 2026
    assert enquiry.first_response_due == D(2026, 11, 23)
    assert enquiry.full_response_due == D(2026, 12, 7)
    assert ServiceStandard.objects.get(council=org.council).cited_clause_reference == "10.3.1"


def test_an_enquiry_keeps_the_standard_it_was_logged_under(log, org):
    enquiry = log()
    services.update_service_standards(council=org.council, by="test", full_response_days=20)
    council_services.add_closure_day(council=org.council, by="test", date=D(2026, 11, 18))
    enquiry.refresh_from_db()
    # One closure day later, still 3 and 10 working days, not 20.
    assert (enquiry.first_response_due, enquiry.full_response_due) == (
        D(2026, 11, 20),
        D(2026, 12, 1),
    )


def test_a_standard_cannot_have_the_full_response_due_before_the_first(org):
    with pytest.raises(ValidationError) as error:
        services.update_service_standards(
            council=org.council, by="test", first_response_days=10, full_response_days=5
        )
    assert "full_response_days" in error.value.message_dict


def test_under_the_3_and_10_standard_only_a_holding_response_moves_the_clock(log, org):
    enquiry = log()
    assert enquiry.response_due == D(2026, 11, 19)
    enquiry = services.acknowledge_enquiry(enquiry=enquiry, by=org.casework, now=NOW)
    assert enquiry.response_due == D(2026, 11, 19)  # still to be answered in 3 days
    enquiry = services.send_holding_response(
        enquiry=enquiry, by=org.casework, reason="Needs a site visit.", now=NOW
    )
    assert enquiry.response_due == D(2026, 11, 30)


def test_a_single_standard_counts_the_answer_on_the_full_clock_once_acknowledged(log, org):
    services.update_service_standards(
        council=org.council, by="test", holding_response_extends=False
    )
    enquiry = log()
    assert enquiry.response_due == D(2026, 11, 19)  # the acknowledgement is due in 3 days
    enquiry = services.acknowledge_enquiry(enquiry=enquiry, by=org.casework, now=NOW)
    assert enquiry.response_due == D(2026, 11, 30)
    enquiry = services.send_holding_response(
        enquiry=enquiry, by=org.casework, reason="Waiting for a contractor.", now=NOW
    )
    assert enquiry.response_due == D(2026, 11, 30)


def test_one_ten_day_standard_is_expressible(log, org):
    services.update_service_standards(
        council=org.council,
        by="test",
        first_response_days=10,
        full_response_days=10,
        holding_response_extends=False,
    )
    enquiry = log()
    assert enquiry.first_response_due == enquiry.full_response_due == D(2026, 11, 30)


def test_an_enquiry_is_overdue_from_midnight_after_its_due_date(log):
    enquiry = log()  # first response due Thursday 19 November 2026
    assert not enquiry.is_overdue_at(london(2026, 11, 19, 23, 59))
    assert enquiry.is_overdue_at(london(2026, 11, 20, 0, 0))


def test_an_answered_enquiry_is_never_overdue(log, org):
    enquiry = services.respond_to_enquiry(enquiry=log(), by=org.casework, response="Done.", now=NOW)
    assert enquiry.response_due == NO_RESPONSE_DUE
    assert not enquiry.is_overdue_at(london(2027, 6, 1, 12, 0))


# The workflow table ------------------------------------------------------------------------

STATUSES = ("received", "acknowledged", "investigating", "responded", "closed", "escalated")
OPEN = set(STATUSES) - {"closed"}
# Stated here independently of choices.ENQUIRY_TRANSITIONS: action -> (allowed from, to).
EXPECTED = {
    "acknowledge": ({"received"}, "acknowledged"),
    "holding_response": ({"received", "acknowledged", "escalated"}, "investigating"),
    "respond": ({"received", "acknowledged", "investigating", "escalated"}, "responded"),
    "escalate": (OPEN, "escalated"),
    "close": ({"responded"}, "closed"),
    "assign": (OPEN, None),
    "update": (OPEN, None),
}


def bring_to(status, log, org):
    enquiry, by = log(), org.casework
    if status in ("acknowledged",):
        enquiry = services.acknowledge_enquiry(enquiry=enquiry, by=by, now=NOW)
    if status == "investigating":
        enquiry = services.send_holding_response(
            enquiry=enquiry, by=by, reason="Needs a site visit.", now=NOW
        )
    if status in ("responded", "closed"):
        enquiry = services.respond_to_enquiry(enquiry=enquiry, by=by, response="Done.", now=NOW)
    if status == "closed":
        enquiry = services.close_enquiry(enquiry=enquiry, by=by, now=NOW)
    if status == "escalated":
        enquiry = services.escalate_enquiry(enquiry=enquiry, by=by, reason="Urgent.", now=NOW)
    assert enquiry.status == status
    return enquiry


def perform(action, enquiry, org, **kwargs):
    by = kwargs.pop("by", org.casework)
    common = {"enquiry": enquiry, "by": by, "now": NOW, **kwargs}
    if action == "acknowledge":
        return services.acknowledge_enquiry(**common)
    if action == "holding_response":
        return services.send_holding_response(reason="Needs a site visit.", **common)
    if action == "respond":
        return services.respond_to_enquiry(response="The hedge has been cut.", **common)
    if action == "escalate":
        return services.escalate_enquiry(reason="No answer yet.", **common)
    if action == "close":
        return services.close_enquiry(**common)
    if action == "assign":
        return services.assign_enquiry(officer=org.colleague, **common)
    if action == "update":
        return services.update_enquiry(subject="Hedge on Mill Lane (corrected)", **common)
    raise AssertionError(action)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_action_is_allowed_exactly_from_the_statuses_the_table_names(log, org, action, status):
    enquiry = bring_to(status, log, org)
    allowed, to_status = EXPECTED[action]
    if status in allowed:
        changed = perform(action, enquiry, org)
        assert changed.status == (to_status or status)
        assert changed.version == enquiry.version + 1
    else:
        with pytest.raises(Conflict) as refused:
            perform(action, enquiry, org)
        assert refused.value.code == "invalid_transition"


def test_a_refused_transition_writes_nothing(log, org):
    enquiry = bring_to("closed", log, org)
    events = EnquiryEvent.objects.filter(enquiry=enquiry).count()
    with pytest.raises(Conflict, match="closed: it cannot be acknowledged"):
        services.acknowledge_enquiry(enquiry=enquiry, by=org.casework, now=NOW)
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.version) == ("closed", 3)
    assert EnquiryEvent.objects.filter(enquiry=enquiry).count() == events


def test_a_stale_version_is_refused_before_anything_is_written(log, org):
    enquiry = log()
    services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.colleague, now=NOW)
    with pytest.raises(PreconditionFailed):
        services.acknowledge_enquiry(enquiry=enquiry, by=org.casework, expected_version=1)
    assert Enquiry.objects.get(pk=enquiry.pk).status == "received"


@pytest.mark.parametrize("reason", ["", "   \n", None])
def test_holding_response_requires_reasons(log, org, reason):
    enquiry = log()
    with pytest.raises(ValidationError) as error:
        services.send_holding_response(enquiry=enquiry, by=org.casework, reason=reason, now=NOW)
    assert list(error.value.message_dict) == ["reason"]
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.holding_response_at, enquiry.version) == ("received", None, 1)


def test_a_response_must_say_something(log, org):
    with pytest.raises(ValidationError) as error:
        services.respond_to_enquiry(enquiry=log(), by=org.casework, response=" ", now=NOW)
    assert list(error.value.message_dict) == ["response"]


# Logging -----------------------------------------------------------------------------------


def test_received_at_in_the_future_is_refused_and_nothing_is_written(log, org):
    with pytest.raises(ValidationError) as error:
        log(received_at=NOW + datetime.timedelta(minutes=1))
    assert list(error.value.message_dict) == ["received_at"]
    assert not Enquiry.objects.exists()
    assert not EnquiryEvent.objects.exists()
    assert not ServiceStandard.objects.exists()


def test_a_received_at_without_a_time_zone_is_refused(log):
    with pytest.raises(ValidationError) as error:
        log(received_at=datetime.datetime(2026, 11, 16, 10, 0))
    assert list(error.value.message_dict) == ["received_at"]
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("field", ["member", "directorate", "assigned_officer"])
def test_records_of_another_council_are_refused(log, other_council, field):
    theirs = {
        "member": factories.MemberFactory,
        "directorate": factories.DirectorateFactory,
        "assigned_officer": factories.OfficerFactory,
    }[field](council=other_council)
    with pytest.raises(ValidationError) as error:
        log(**{field: theirs})
    assert list(error.value.message_dict) == [field]
    assert not Enquiry.objects.exists()


def test_a_leaver_cannot_be_assigned(log, org):
    org.colleague.active = False
    org.colleague.save()
    with pytest.raises(ValidationError) as error:
        log(assigned_officer=org.colleague)
    assert list(error.value.message_dict) == ["assigned_officer"]
    enquiry = log()
    with pytest.raises(ValidationError) as error:
        services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.colleague)
    assert list(error.value.message_dict) == ["officer"]


def test_logging_records_the_enquiry_and_who_logged_it(log, org):
    enquiry = log(constituent={"name": "Pat Resident", "phone": "01632 960000"})
    assert enquiry.logged_by == org.casework
    assert (enquiry.status, enquiry.escalation_level, enquiry.version) == ("received", 0, 1)
    assert (enquiry.constituent_name, enquiry.constituent_phone) == ("Pat Resident", "01632 960000")
    (event,) = enquiry.events.all()
    assert (event.action, event.by, event.actor, event.at) == (
        "logged",
        org.casework,
        f"user:{org.casework.pk}",
        NOW,
    )
    assert event.detail["first_response_due"] == "2026-11-19"


def test_an_unknown_constituent_field_is_refused(log):
    with pytest.raises(ValidationError) as error:
        log(constituent={"name": "Pat", "nino": "QQ123456C"})
    assert list(error.value.message_dict) == ["constituent.nino"]


# References --------------------------------------------------------------------------------


def test_references_count_per_council_and_year(log, org, other_council):
    first, second = log(), log()
    theirs = factories.enquiry(other_council, received_at=RECEIVED, now=NOW)
    assert (first.reference, second.reference) == ("ENQ-2026-000001", "ENQ-2026-000002")
    assert theirs.reference == "ENQ-2026-000001"
    assert log(now=london(2027, 1, 4, 9, 0)).reference == "ENQ-2027-000001"


def test_a_rolled_back_enquiry_gives_its_reference_back(log, org):
    with pytest.raises(Conflict), transaction.atomic():
        log()
        raise Conflict("roll back")
    assert log().reference == "ENQ-2026-000001"


@pytest.mark.django_db(transaction=True)
def test_references_are_unique_when_enquiries_are_logged_at_once(council):
    members = factories.MemberFactory.create_batch(2, council=council)
    logging = 8
    start = threading.Barrier(logging)
    references, failures = [], []

    def log_one(index):
        try:
            start.wait()
            enquiry = factories.enquiry(
                council, member=members[index % 2], received_at=RECEIVED, now=NOW
            )
            references.append(enquiry.reference)
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=log_one, args=(i,)) for i in range(logging)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(references) == [f"ENQ-2026-{n:06d}" for n in range(1, logging + 1)]


# The timeline ------------------------------------------------------------------------------


def test_every_action_lands_on_the_timeline_with_who_and_when(log, org):
    enquiry = log()
    steps = [
        (services.assign_enquiry, {"officer": org.colleague}, org.casework),
        (services.acknowledge_enquiry, {}, org.colleague.user),
        (services.send_holding_response, {"reason": "Needs a survey."}, org.colleague.user),
        (services.update_enquiry, {"constituent": {"phone": "01632 960001"}}, org.casework),
        (services.escalate_enquiry, {"reason": "Member chasing."}, org.director.user),
        (services.respond_to_enquiry, {"response": "Surveyed and cut back."}, org.casework),
        (services.close_enquiry, {}, org.casework),
    ]
    for minutes, (service, kwargs, by) in enumerate(steps, start=1):
        enquiry = service(
            enquiry=enquiry, by=by, now=NOW + datetime.timedelta(minutes=minutes), **kwargs
        )
    timeline = list(selectors.timeline_for(enquiry))
    assert [(event.action, event.by) for event in timeline] == [
        ("logged", org.casework),
        ("assigned", org.casework),
        ("acknowledged", org.colleague.user),
        ("holding_response", org.colleague.user),
        ("updated", org.casework),
        ("escalated", org.director.user),
        ("responded", org.casework),
        ("closed", org.casework),
    ]
    assert [event.at for event in timeline] == [
        NOW + datetime.timedelta(minutes=n) for n in range(len(timeline))
    ]
    assert timeline[3].note == "Needs a survey."
    assert timeline[4].detail == {"fields": ["constituent.phone"]}
    assert timeline[6].detail == {"due": "2026-11-30", "in_time": True}
    assert enquiry.version == len(timeline)


def test_a_process_acting_is_named_on_the_timeline(log):
    enquiry = services.escalate_enquiry(
        enquiry=log(), by="task:sweep", reason="Overdue by 2 working days.", now=NOW
    )
    event = enquiry.events.last()
    assert (event.by, event.actor) == (None, "task:sweep")


def test_a_response_records_whether_it_was_in_time(log, org):
    late = services.respond_to_enquiry(
        enquiry=log(), by=org.casework, response="Done.", now=london(2026, 11, 20, 9, 0)
    )
    in_time = services.respond_to_enquiry(
        enquiry=log(), by=org.casework, response="Done.", now=london(2026, 11, 19, 16, 0)
    )
    assert late.events.last().detail == {"due": "2026-11-19", "in_time": False}
    assert in_time.events.last().detail == {"due": "2026-11-19", "in_time": True}


# Assignment --------------------------------------------------------------------------------


def test_assigning_to_the_current_assignee_changes_nothing(log, org):
    enquiry = log()
    same = services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.officer)
    assert same.version == 1
    assert enquiry.events.count() == 1


def test_a_declared_conflict_refuses_the_assignment_without_details(log, org, monkeypatch):
    monkeypatch.setattr(selectors, "assignment_conflict", lambda enquiry, officer: True)
    enquiry = log(assigned_officer=None)
    with pytest.raises(Conflict) as refused:
        services.assign_enquiry(enquiry=enquiry, by=org.casework, officer=org.colleague)
    assert refused.value.code == "conflict_of_interest"
    with pytest.raises(Conflict):  # the casework team may not override
        services.assign_enquiry(
            enquiry=enquiry, by=org.casework, officer=org.colleague, override_reason="Only one."
        )
    assigned = services.assign_enquiry(
        enquiry=enquiry, by=org.director.user, officer=org.colleague, override_reason="Only one."
    )
    assert assigned.assigned_officer == org.colleague
    event = assigned.events.last()
    assert (event.note, event.detail["conflict_overridden"]) == ("Only one.", True)


def test_logging_with_a_conflicted_assignee_is_refused(log, monkeypatch):
    monkeypatch.setattr(selectors, "assignment_conflict", lambda enquiry, officer: True)
    with pytest.raises(Conflict):
        log()
    assert not Enquiry.objects.exists()


# Escalation --------------------------------------------------------------------------------


def test_staff_escalate_first_to_the_director_of_the_service(log, org):
    enquiry = services.escalate_enquiry(enquiry=log(), by=org.casework, reason="Overdue.", now=NOW)
    assert (enquiry.status, enquiry.escalation_level, enquiry.escalated_to) == (
        "escalated",
        1,
        "director",
    )
    assert enquiry.events.last().detail == {
        "to": "director",
        "director": org.director.pk,
        "level": 1,
        "by_member": False,
    }
    again = services.escalate_enquiry(enquiry=enquiry, by=org.casework, reason="Still overdue.")
    assert (again.escalation_level, again.escalated_to) == (2, "chief_executive")


def test_a_dissatisfied_member_escalates_as_the_service_standard_says(log, org):
    services.update_service_standards(
        council=org.council,
        by="test",
        dissatisfied_escalation_to="director_of_legal_and_governance",
    )
    enquiry = services.respond_to_enquiry(
        enquiry=log(), by=org.casework, response="Nothing can be done.", now=NOW
    )
    escalated = services.escalate_enquiry(
        enquiry=enquiry, by=org.member.user, reason="I am not satisfied.", now=NOW
    )
    assert (escalated.status, escalated.escalated_to, escalated.escalation_level) == (
        "escalated",
        "director_of_legal_and_governance",
        1,
    )
    assert escalated.events.last().detail["by_member"] is True
    # Answered once: no working-day clock runs for the escalation (10.3.2 sets none).
    assert escalated.response_due == NO_RESPONSE_DUE


def test_escalation_keeps_the_running_clock(log, org):
    enquiry = services.escalate_enquiry(enquiry=log(), by=org.casework, reason="Late.", now=NOW)
    assert enquiry.response_due == D(2026, 11, 19)


# Who may act -------------------------------------------------------------------------------


def test_a_member_raises_their_own_enquiry_through_the_portal(log, org):
    own = log(by=org.member.user, channel="portal", assigned_officer=None)
    assert own.logged_by == org.member.user
    with pytest.raises(PermissionDenied):
        log(by=org.member.user, member=org.other_member, channel="portal", assigned_officer=None)
    with pytest.raises(ValidationError) as error:
        log(by=org.member.user, channel="email", assigned_officer=org.officer)
    assert set(error.value.message_dict) == {"channel", "assigned_officer"}


@pytest.mark.parametrize(
    ("who", "action", "allowed"),
    [
        ("officer", "respond", True),
        ("colleague", "acknowledge", False),
        ("manager", "assign", True),
        ("manager", "respond", False),
        ("director", "escalate", True),
        ("director", "close", False),
        ("member", "escalate", True),
        ("member", "acknowledge", False),
        ("other_member", "escalate", False),
        ("outsider", "escalate", False),
        ("monitoring_officer", "acknowledge", False),
    ],
)
def test_who_may_act_on_an_enquiry(log, org, who, action, allowed):
    enquiry = log()
    record = getattr(org, who)
    by = record if who == "monitoring_officer" else record.user
    if allowed:
        perform(action, enquiry, org, by=by)
    else:
        with pytest.raises(PermissionDenied):
            perform(action, enquiry, org, by=by)
        assert Enquiry.objects.get(pk=enquiry.pk).version == 1


# The calendar changes ----------------------------------------------------------------------


def test_adding_a_closure_day_moves_open_due_dates_and_records_why(log, org):
    enquiry = log()
    answered = services.respond_to_enquiry(enquiry=log(), by=org.casework, response="Ok.")
    closed = services.close_enquiry(enquiry=answered, by=org.casework)
    council_services.add_closure_day(council=org.council, by=org.casework, date=D(2026, 11, 18))
    enquiry.refresh_from_db()
    assert (enquiry.first_response_due, enquiry.full_response_due, enquiry.response_due) == (
        D(2026, 11, 20),
        D(2026, 12, 1),
        D(2026, 11, 20),
    )
    assert enquiry.version == 2
    event = enquiry.events.last()
    assert (event.action, event.by) == ("due_dates_recomputed", org.casework)
    assert event.detail["first_response_due"] == {"from": "2026-11-19", "to": "2026-11-20"}
    assert event.detail["full_response_due"] == {"from": "2026-11-30", "to": "2026-12-01"}
    closed.refresh_from_db()
    assert closed.first_response_due == D(2026, 11, 19)
    assert not closed.events.filter(action="due_dates_recomputed").exists()


def test_removing_the_closure_day_moves_them_back(log, org):
    council_services.add_closure_day(council=org.council, by="test", date=D(2026, 11, 18))
    enquiry = log()
    assert enquiry.first_response_due == D(2026, 11, 20)
    council_services.remove_closure_day(council=org.council, by="test", date=D(2026, 11, 18))
    enquiry.refresh_from_db()
    assert enquiry.first_response_due == D(2026, 11, 19)


def test_a_closure_day_after_the_due_dates_changes_nothing(log, org):
    enquiry = log()
    council_services.add_closure_day(council=org.council, by="test", date=D(2027, 3, 1))
    enquiry.refresh_from_db()
    assert enquiry.version == 1
    assert not enquiry.events.filter(action="due_dates_recomputed").exists()


def test_changing_the_councils_nation_recomputes_with_its_bank_holidays(log, org):
    # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland.
    enquiry = log()
    council_services.update_council(council=org.council, by="test", nation="scotland")
    enquiry.refresh_from_db()
    assert enquiry.full_response_due == D(2026, 12, 1)


def test_a_holding_response_clock_moves_with_the_full_response(log, org):
    enquiry = services.send_holding_response(
        enquiry=log(), by=org.casework, reason="Survey needed.", now=NOW
    )
    council_services.add_closure_day(council=org.council, by="test", date=D(2026, 11, 27))
    enquiry.refresh_from_db()
    assert enquiry.response_due == enquiry.full_response_due == D(2026, 12, 1)


@pytest.mark.parametrize("enquiries", [3, 30])
def test_recomputing_costs_the_same_queries_for_any_number_of_enquiries(
    org, log, django_assert_num_queries, enquiries
):
    for _ in range(enquiries):
        log()
    council = org.council
    with django_assert_num_queries(RECOMPUTE_QUERIES):
        council_services.add_closure_day(council=council, by="test", date=D(2026, 11, 18))
    assert EnquiryEvent.objects.filter(action="due_dates_recomputed").count() == enquiries


# add_closure_day's own (savepoint, actor, lock, exists, insert, new version and its re-read)
# and the recompute's: savepoint, actor, lock, the open enquiries, the new calendar's closure
# days, one UPDATE, one INSERT of timeline entries, then putting back actor and savepoints.
RECOMPUTE_QUERIES = 17


# The database backs the rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        (
            {"holding_response_at": NOW, "holding_reason": " "},
            "enquiry_holding_response_has_reasons",
        ),
        ({"status": "pending"}, "enquiry_status_valid"),
        ({"status": "investigating"}, "enquiry_investigating_after_holding_response"),
        ({"status": "escalated"}, "enquiry_escalated_has_level"),
        ({"status": "closed"}, "enquiry_closed_when_closed_at"),
        ({"response_due": D(2030, 1, 1)}, "enquiry_response_due_is_a_clock"),
    ],
)
def test_the_database_refuses_an_inconsistent_enquiry(log, change, constraint):
    enquiry = log()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(**change)


def test_the_escalation_level_cannot_be_negative(log):
    enquiry = log()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(escalation_level=-1)


# The audit trail ---------------------------------------------------------------------------


def test_the_audit_trail_records_the_constituent_changed_without_their_details(log, org):
    enquiry = log(constituent={"name": "Pat Secret", "email": "pat.secret@example.org"})
    services.update_enquiry(
        enquiry=enquiry, by=org.casework, constituent={"address": "1 Hidden Row"}
    )
    services.send_holding_response(enquiry=enquiry, by=org.casework, reason="Pat is unwell.")
    events = AuditEvent.objects.filter(table_name__startswith="complaints_enquiry")
    everything = json.dumps([event.changes for event in events])
    for secret in ("Pat Secret", "pat.secret@example.org", "1 Hidden Row", "Pat is unwell"):
        assert secret not in everything
    update = events.filter(table_name="complaints_enquiry", action="update").order_by("id")[0]
    assert update.changes["constituent_address"] == "changed"
    assert update.actor == f"user:{org.casework.pk}"

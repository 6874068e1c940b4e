"""``/api/v1/enquiries/`` (API.md, Enquiries): logging, the actions and their answers (400,
403, 409, 412), the timeline, filters, the default order and pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Enquiry, EnquiryEvent
from tests import factories

from .conftest import RECEIVED, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries/"


def detail(enquiry):
    return f"{URL}{enquiry.pk}/"


def act(enquiry, action):
    return f"{URL}{enquiry.pk}/{action}/"


@pytest.fixture
def casework(org):
    return client_for(org.casework)


@pytest.fixture
def body(org):
    return {
        "member": org.member.pk,
        "constituent": {
            "name": "Pat Resident",
            "email": "pat@example.org",
            "phone": "01632 960000",
            "address": "4 Mill Lane",
        },
        "subject": "Overgrown hedge on Mill Lane",
        "description": "The hedge blocks the pavement.",
        "directorate": org.highways.pk,
        "assigned_officer": org.officer.pk,
        "channel": "phone",
        "received_at": "2026-11-16T10:00:00Z",
    }


# Logging -----------------------------------------------------------------------------------


def test_the_casework_team_logs_an_enquiry_with_the_contract_fields(org, casework, body):
    response = casework.post(URL, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data == {
        "id": data["id"],
        "reference": "ENQ-2026-000001",
        "council": "city",
        "member": org.member.pk,
        "constituent": body["constituent"],
        "subject": "Overgrown hedge on Mill Lane",
        "description": "The hedge blocks the pavement.",
        "directorate": org.highways.pk,
        "assigned_officer": org.officer.pk,
        "channel": "phone",
        "received_at": "2026-11-16T10:00:00Z",
        "status": "received",
        "first_response_due": "2026-11-19",
        "full_response_due": "2026-11-30",
        "response_due": "2026-11-19",
        "acknowledged_at": None,
        "holding_response_at": None,
        "holding_reason": "",
        "responded_at": None,
        "response": "",
        "closed_at": None,
        "is_overdue": True,
        "escalation_level": 0,
        "escalated_at": None,
        "escalated_to": "",
        "version": 1,
    }
    assert response["ETag"] == '"1"'
    assert Enquiry.objects.get().logged_by == org.casework


def test_received_at_defaults_to_now(org, casework, body):
    del body["received_at"]
    before = timezone.now()
    response = casework.post(URL, body)
    assert response.status_code == 201
    received = datetime.datetime.fromisoformat(response.json()["received_at"])
    assert before <= received <= timezone.now()
    assert response.json()["is_overdue"] is False


def test_the_design_example_through_the_api(org, body, monkeypatch):
    later = datetime.datetime(2027, 1, 10, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: later)
    casework = client_for(org.casework)  # signed in "now", so the session is current
    response = casework.post(URL, {**body, "received_at": "2026-12-18T10:00:00+00:00"})
    assert response.status_code == 201, response.json()
    assert (response.json()["first_response_due"], response.json()["full_response_due"]) == (
        "2026-12-23",
        "2027-01-06",
    )
    assert response.json()["reference"] == "ENQ-2027-000001"


def test_received_at_in_the_future_answers_400_naming_the_field_and_writes_nothing(casework, body):
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    response = casework.post(URL, {**body, "received_at": future})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["received_at"]
    assert not Enquiry.objects.exists()
    assert not EnquiryEvent.objects.exists()


def test_a_received_at_without_an_offset_answers_400(casework, body):
    response = casework.post(URL, {**body, "received_at": "2026-11-16T10:00:00"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["received_at"]
    assert "offset" in response.json()["errors"]["received_at"][0]


def test_a_member_of_another_council_is_not_found(other_council, casework, body):
    theirs = factories.MemberFactory(council=other_council)
    response = casework.post(URL, {**body, "member": theirs.pk})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["member"]


def test_a_member_raises_their_own_enquiry_through_the_portal(org, body):
    client = client_for(org.member.user)
    own = {**body, "channel": "portal"}
    del own["assigned_officer"]
    response = client.post(URL, own)
    assert response.status_code == 201, response.json()
    assert Enquiry.objects.get().logged_by == org.member.user
    assert client.post(URL, {**own, "member": org.other_member.pk}).status_code == 403
    by_email = client.post(URL, {**own, "channel": "email"})
    assert by_email.status_code == 400
    assert list(by_email.json()["errors"]) == ["channel"]
    assert Enquiry.objects.count() == 1


def test_an_officer_who_logs_an_enquiry_can_follow_it(org, body):
    del body["assigned_officer"]
    client = client_for(org.outsider.user)  # parks; the enquiry is about highways
    response = client.post(URL, body)
    assert response.status_code == 201
    assert client.get(f"{URL}{response.json()['id']}/").status_code == 200


# Actions -----------------------------------------------------------------------------------


def test_an_officer_acknowledges_holds_responds_and_closes(org, log):
    enquiry = log()
    client = client_for(org.officer.user)
    steps = [
        ("acknowledge", {}, "acknowledged"),
        ("holding-response", {"reason": "A site visit is needed."}, "investigating"),
        ("respond", {"response": "The hedge has been cut back."}, "responded"),
        ("close", {}, "closed"),
    ]
    for version, (action, data, status) in enumerate(steps, start=2):
        response = client.post(act(enquiry, action), data)
        assert response.status_code == 200, response.json()
        assert (response.json()["status"], response.json()["version"]) == (status, version)
        assert response["ETag"] == f'"{version}"'
    final = response.json()
    assert final["holding_reason"] == "A site visit is needed."
    assert final["response"] == "The hedge has been cut back."
    assert final["response_due"] is None
    assert None not in (final["acknowledged_at"], final["holding_response_at"], final["closed_at"])

    timeline = client.get(act(enquiry, "timeline")).json()
    assert set(timeline) == {"next", "previous", "results"}
    assert [(row["action"], row["by"]) for row in timeline["results"]] == [
        ("logged", org.casework.pk),
        ("acknowledged", org.officer.user.pk),
        ("holding_response", org.officer.user.pk),
        ("responded", org.officer.user.pk),
        ("closed", org.officer.user.pk),
    ]
    holding = timeline["results"][2]
    assert holding["note"] == "A site visit is needed."
    assert holding["actor"] == f"user:{org.officer.user.pk}"
    assert holding["by_name"] == org.officer.user.full_name


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_holding_response_without_reasons_answers_400(log, casework, reason):
    enquiry = log()
    response = casework.post(
        act(enquiry, "holding-response"), {} if reason is None else {"reason": reason}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.version) == ("received", 1)


def test_an_invalid_transition_answers_409_and_changes_nothing(log, casework):
    enquiry = log()
    response = casework.post(act(enquiry, "close"))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert "received" in response.json()["detail"]
    assert Enquiry.objects.get(pk=enquiry.pk).version == 1


def test_a_stale_if_match_on_an_action_answers_412_and_changes_nothing(org, log, casework):
    enquiry = log()
    casework.post(act(enquiry, "assign"), {"officer": org.colleague.pk})
    stale = casework.post(act(enquiry, "acknowledge"), HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    assert stale.json()["current_version"] == 2
    assert Enquiry.objects.get(pk=enquiry.pk).status == "received"
    fresh = casework.post(act(enquiry, "acknowledge"), HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200
    assert fresh["ETag"] == '"3"'


def test_assigning_checks_the_officer(org, other_council, log, casework):
    enquiry = log()
    theirs = factories.OfficerFactory(council=other_council)
    assert casework.post(act(enquiry, "assign"), {"officer": theirs.pk}).status_code == 400
    org.colleague.active = False
    org.colleague.save()
    leaver = casework.post(act(enquiry, "assign"), {"officer": org.colleague.pk})
    assert leaver.status_code == 400
    assert list(leaver.json()["errors"]) == ["officer"]
    moved = casework.post(act(enquiry, "assign"), {"officer": org.outsider.pk})
    assert moved.json()["assigned_officer"] == org.outsider.pk


def test_a_declared_conflict_answers_409_unless_overridden(org, log, casework, monkeypatch):
    monkeypatch.setattr(selectors, "assignment_conflict", lambda enquiry, officer: True)
    enquiry = log(assigned_officer=None)
    refused = casework.post(act(enquiry, "assign"), {"officer": org.colleague.pk})
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict_of_interest"
    director = client_for(org.director.user)
    overridden = director.post(
        act(enquiry, "assign"), {"officer": org.colleague.pk, "override_reason": "Only expert."}
    )
    assert overridden.status_code == 200
    # The override's reason is for those who may see a conflict's details.
    notes = {
        who: client_for(user).get(act(enquiry, "timeline")).json()["results"][-1]["note"]
        for who, user in (("director", org.director.user), ("mo", org.monitoring_officer))
    }
    assert notes == {"director": "", "mo": "Only expert."}


def test_a_dissatisfied_member_escalates_their_own_enquiry(org, log):
    enquiry = services.respond_to_enquiry(enquiry=log(), by=org.casework, response="No.")
    client = client_for(org.member.user)
    response = client.post(act(enquiry, "escalate"), {"reason": "I remain dissatisfied."})
    assert response.status_code == 200
    assert (
        response.json()["status"],
        response.json()["escalated_to"],
        response.json()["escalation_level"],
    ) == ("escalated", "chief_executive", 1)
    assert client.post(act(enquiry, "respond"), {"response": "x"}).status_code == 403


def test_whoever_may_see_but_not_act_gets_403_whatever_they_send(org, log):
    enquiry = log()
    client = client_for(org.monitoring_officer)
    assert client.get(detail(enquiry)).status_code == 200
    assert client.post(act(enquiry, "holding-response"), {}).status_code == 403
    assert client.post(act(enquiry, "acknowledge")).status_code == 403
    assert client.patch(detail(enquiry), {"subject": "x"}).status_code == 403


def test_a_token_with_the_write_scope_works_enquiries(org, log, token_client):
    enquiry = log()
    client = token_client(["enquiries:write"])
    response = client.post(act(enquiry, "acknowledge"))
    assert response.status_code == 200
    event = enquiry.events.last()
    assert (event.by, event.actor) == (None, f"token:{client.token.pk}")
    assert token_client(["enquiries:read"]).post(act(enquiry, "close")).status_code == 403


# Correcting details ------------------------------------------------------------------------


def test_the_casework_team_corrects_the_details(org, log, casework):
    enquiry = log()
    response = casework.patch(
        detail(enquiry),
        {"subject": "Hedge, Mill Lane", "constituent": {"phone": "01632 960001"}},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    assert response.json()["subject"] == "Hedge, Mill Lane"
    assert response.json()["constituent"]["phone"] == "01632 960001"
    assert response.json()["constituent"]["name"] == "Pat Resident"
    assert enquiry.events.last().detail == {"fields": ["subject", "constituent.phone"]}


def test_what_fixes_the_deadlines_cannot_be_patched(org, log, casework):
    enquiry = log()
    response = casework.patch(
        detail(enquiry),
        {"member": org.other_member.pk, "received_at": "2026-11-17T10:00:00Z", "channel": "phone"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"member", "received_at", "channel"}
    unchanged = casework.patch(detail(enquiry), {"member": org.member.pk, "channel": "email"})
    assert unchanged.status_code == 200
    assert unchanged.json()["version"] == 1


def test_a_closed_enquiry_cannot_be_patched(org, log, casework):
    enquiry = services.respond_to_enquiry(enquiry=log(), by=org.casework, response="Done.")
    services.close_enquiry(enquiry=enquiry, by=org.casework)
    assert casework.patch(detail(enquiry), {"subject": "x"}).status_code == 409


def test_put_is_not_offered(log, casework):
    assert casework.put(detail(log()), {}).status_code == 405


# Lists -------------------------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_list_puts_the_most_urgent_first_and_answered_enquiries_last(org, log, casework):
    answered = services.respond_to_enquiry(enquiry=log(), by=org.casework, response="Done.")
    later = log(received_at=RECEIVED + datetime.timedelta(days=4), now=None)
    held = services.send_holding_response(enquiry=log(), by=org.casework, reason="Survey.")
    oldest = log(received_at=RECEIVED - datetime.timedelta(days=7))
    new = log()
    # Due 2026: oldest 12 Nov, new 19 Nov, later 25 Nov, held 30 Nov; answered: none.
    expected = [oldest.pk, new.pk, later.pk, held.pk, answered.pk]
    assert ids(casework.get(URL)) == expected
    walked, url = [], f"{URL}?page_size=2"
    while url:
        page = casework.get(url).json()
        walked += [row["id"] for row in page["results"]]
        url = page["next"]
    assert walked == expected


def walk(client, url, link="next"):
    """Every row of a list, following ``link`` from ``url`` to the end."""
    walked = []
    while url:
        page = client.get(url).json()
        walked += [row["id"] for row in page["results"]]
        url = page[link]
    return walked


def test_pages_through_a_long_run_of_one_due_date_neither_repeat_nor_drop(org, log, casework):
    # 23 enquiries due the same day, paged 5 at a time: DRF's offset cursor repeats rows here.
    same_day = [log().pk for _ in range(23)]
    assert walk(casework, f"{URL}?page_size=5") == sorted(same_day)
    last = casework.get(f"{URL}?page_size=5").json()
    while last["next"]:
        last = casework.get(last["next"]).json()
    backwards = [row["id"] for row in last["results"]] + walk(
        casework, last["previous"], "previous"
    )
    assert sorted(backwards) == sorted(same_day) and len(backwards) == len(same_day)


def test_a_page_of_the_list_is_unchanged_by_rows_logged_before_it(org, log, casework):
    first = [log().pk for _ in range(6)]
    page = casework.get(f"{URL}?page_size=3").json()
    log(received_at=RECEIVED - datetime.timedelta(days=7))  # now the most urgent
    assert ids(casework.get(page["next"])) == first[3:]


def test_the_list_filters(org, log, casework):
    mine = log()
    parks = log(member=org.other_member, directorate=org.parks, assigned_officer=org.outsider)
    fresh = log(received_at=timezone.now() - datetime.timedelta(minutes=5), now=None)
    acknowledged = services.acknowledge_enquiry(enquiry=log(), by=org.casework)
    cases = {
        "status=acknowledged": [acknowledged],
        f"member={org.other_member.pk}": [parks],
        f"assigned_officer={org.outsider.pk}": [parks],
        f"directorate={org.parks.pk}": [parks],
        "overdue=true": [mine, parks, acknowledged],
        "overdue=false": [fresh],
        "due_before=2026-11-20": [mine, parks, acknowledged],
        f"directorate={org.highways.pk}&overdue=false": [fresh],
    }
    for query, expected in cases.items():
        assert sorted(ids(casework.get(f"{URL}?{query}"))) == sorted(e.pk for e in expected), query


def test_a_bad_filter_answers_400(casework):
    assert casework.get(f"{URL}?status=pending").status_code == 400
    assert casework.get(f"{URL}?due_before=tomorrow").status_code == 400


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


# The session with the account and its officer and member records (council.sessions), then
# one page query.
CASEWORK_LIST_QUERIES = 2
OFFICER_LIST_QUERIES = 2


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_the_same_queries_for_any_number_of_rows(org, log, rows):
    for index in range(rows):
        log(member=org.member if index % 2 else org.other_member)
    casework_count, response = count_queries(client_for(org.casework), URL)
    assert len(response.json()["results"]) == rows
    assert casework_count == CASEWORK_LIST_QUERIES
    officer_count, response = count_queries(client_for(org.officer.user), URL)
    assert len(response.json()["results"]) == rows
    assert officer_count == OFFICER_LIST_QUERIES


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_costs_the_same_queries_for_a_token(org, log, token_client, rows):
    for _ in range(rows):
        log()
    client = token_client(["enquiries:read"])
    client.get(URL)  # records the token's first use
    count, response = count_queries(client, URL)
    assert len(response.json()["results"]) == rows
    assert count == 2  # the token, the page


@pytest.mark.parametrize("steps", [1, 20])
def test_the_timeline_costs_the_same_queries_however_long_it_is(org, log, steps):
    enquiry = log()
    for _ in range(steps):
        enquiry = services.update_enquiry(
            enquiry=enquiry, by=org.casework, subject=f"Subject {enquiry.version}"
        )
    count, response = count_queries(client_for(org.casework), act(enquiry, "timeline"))
    assert len(response.json()["results"]) == steps + 1
    assert count == 3  # the session with the account, the enquiry, the page of events

"""The member enquiry pages through the Django test client: who sees which page and which
enquiry (404 for the rest), each form's errors with nothing written, the actions' refusals
as readable errors, the queue's filters and keyset pages, and pinned query counts."""

import datetime
import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.choices import EnquiryStatus
from complaints.models import Enquiry
from complaints.selectors import overdue_filter
from core.forms import RENDERED_FORMS_CACHE
from council.management.commands.seed_demo import demo_email
from council.models import Council, Member, Officer, User
from tests import factories
from tests.pages import content, pagination_href

DASH = "\N{EN DASH}"
STALE = "This enquiry has changed since you opened it"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    return Council.objects.get(slug="demo")


def sign_in(client, local_part):
    user = User.objects.get(email=demo_email(local_part))
    client.force_login(user)
    return user


def enquiry(subject) -> Enquiry:
    return Enquiry.objects.get(subject=subject)


def url(name, *args) -> str:
    return reverse(name, args=args)


def action_url(enquiry, action) -> str:
    return reverse("enquiry-action", args=[enquiry.pk, action])


STREETLIGHT = "Streetlight out on Abbey Walk"  # Jane Whitfield's, Place, Dan Hughes, received
FLY_TIPPING = "Fly-tipping behind Abbey shops"  # Place, Maya Patel, acknowledged
COUNCIL_TAX = "Council tax refund not received"  # Resources, unassigned
BINS = "Missed bin collections on Quay Street"  # Place, escalated to the director
HEDGE = "Overgrown hedge on Mill Lane"  # Jane Whitfield's, closed
DRAIN = "Blocked drain at Abbey Green"  # Jane Whitfield's, responded then escalated by her


# Who sees which page -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    pk = enquiry(STREETLIGHT).pk
    for page in (
        url("enquiry-queue"),
        url("enquiry-log"),
        url("my-casework"),
        url("enquiry-raise"),
        url("enquiry-escalations"),
        url("enquiry", pk),
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("local_part", "queue", "mine", "escalations"),
    [
        ("caseworker", 200, 404, 404),
        ("officer", 200, 404, 404),
        ("director.place", 200, 404, 200),
        ("monitoring.officer", 200, 404, 200),
        ("councillor", 404, 200, 404),
    ],
)
def test_each_page_is_for_the_roles_that_use_it(client, demo, local_part, queue, mine, escalations):
    sign_in(client, local_part)
    assert client.get(url("enquiry-queue")).status_code == queue
    assert client.get(url("enquiry-log")).status_code == queue
    assert client.get(url("my-casework")).status_code == mine
    assert client.get(url("enquiry-raise")).status_code == mine
    assert client.get(url("enquiry-escalations")).status_code == escalations


def test_navigation_links_to_the_enquiry_pages_by_role(client, demo):
    sign_in(client, "director.place")
    page = content(client.get(url("home")))
    assert f'href="{url("enquiry-queue")}"' in page
    assert f'href="{url("enquiry-escalations")}"' in page
    assert f'href="{url("my-casework")}"' not in page
    sign_in(client, "councillor")
    page = content(client.get(url("home")))
    assert f'href="{url("my-casework")}"' in page
    assert f'href="{url("enquiry-queue")}"' not in page


def test_an_officer_sees_their_directorates_enquiries_and_no_others(client, demo):
    sign_in(client, "officer")  # Dan Hughes, Place
    page = content(client.get(url("enquiry-queue")))
    assert STREETLIGHT in page and FLY_TIPPING in page
    assert COUNCIL_TAX not in page
    assert client.get(url("enquiry", enquiry(STREETLIGHT).pk)).status_code == 200
    assert client.get(url("enquiry", enquiry(COUNCIL_TAX).pk)).status_code == 404
    response = client.post(action_url(enquiry(COUNCIL_TAX), "acknowledge"), {})
    assert response.status_code == 404


def test_a_member_sees_only_their_own_enquiries(client, demo):
    sign_in(client, "councillor")  # Jane Whitfield
    page = content(client.get(url("my-casework")))
    assert STREETLIGHT in page and HEDGE in page
    assert FLY_TIPPING not in page
    assert client.get(url("enquiry", enquiry(STREETLIGHT).pk)).status_code == 200
    assert client.get(url("enquiry", enquiry(FLY_TIPPING).pk)).status_code == 404


def test_another_councils_enquiry_is_not_found(client, demo):
    elsewhere = factories.CouncilFactory(slug="elsewhere")
    theirs = factories.enquiry(elsewhere, subject="Elsewhere's own enquiry")
    sign_in(client, "caseworker")
    assert client.get(url("enquiry", theirs.pk)).status_code == 404
    assert client.get(url("enquiry", 999_999)).status_code == 404
    assert "Elsewhere" not in content(client.get(url("enquiry-queue")))


def test_director_sees_the_escalations_of_their_directorate(client, demo):
    sign_in(client, "director.place")
    page = content(client.get(url("enquiry-escalations")))
    assert BINS in page and DRAIN in page
    assert STREETLIGHT not in page
    sign_in(client, "monitoring.officer")  # directs Legal and Governance: nothing escalated
    assert "No escalated enquiries" in content(client.get(url("enquiry-escalations")))
    sign_in(client, "chief.executive")  # a dissatisfied member's escalation comes here
    page = content(client.get(url("enquiry-escalations")))
    assert DRAIN in page and BINS not in page


# The queue ---------------------------------------------------------------------------------


def test_queue_is_ordered_by_due_date_and_marks_overdue_and_due_today(client, demo):
    today = timezone.localdate()
    due_today = Enquiry.objects.filter(council=demo).first()
    Enquiry.objects.filter(pk=due_today.pk).update(
        first_response_due=today, response_due=today
    )  # the test's clock: no service moves a due date to today
    sign_in(client, "caseworker")
    page = content(client.get(url("enquiry-queue")))
    references = [
        e.reference for e in Enquiry.objects.filter(council=demo).order_by("response_due", "id")
    ]
    positions = [page.index(reference) for reference in references]
    assert positions == sorted(positions)
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Due today</strong>' in page


def test_the_enquiry_page_shows_its_due_date_as_the_lists_do(client, demo):
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    shown = enquiry(STREETLIGHT)
    Enquiry.objects.filter(pk=shown.pk).update(
        first_response_due=overdue, response_due=overdue
    )  # the test's clock, as in the queue's test
    sign_in(client, "caseworker")
    page = content(client.get(url("enquiry", shown.pk)))
    assert f"{overdue.day} {overdue:%b %Y}" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    services.respond_to_enquiry(
        enquiry=enquiry(STREETLIGHT),
        by=User.objects.get(email=demo_email("caseworker")),
        response="Repaired.",
    )
    assert "No response due" in content(client.get(url("enquiry", shown.pk)))


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"status": "escalated"}, [BINS, DRAIN], [STREETLIGHT]),
        ({"overdue": "on"}, [STREETLIGHT, BINS], [COUNCIL_TAX, HEDGE]),
        ({"directorate": "Resources"}, [COUNCIL_TAX], [STREETLIGHT]),
        ({"assignee": "E1012"}, [FLY_TIPPING, BINS], [STREETLIGHT, COUNCIL_TAX]),
    ],
)
def test_queue_filters(client, demo, params, shown, hidden):
    if "directorate" in params:
        params = {"directorate": demo.directorates.get(name=params["directorate"]).pk}
    if "assignee" in params:
        params = {"assignee": Officer.objects.get(employee_number=params["assignee"]).pk}
    sign_in(client, "caseworker")
    page = content(client.get(url("enquiry-queue"), params))
    for subject in shown:
        assert subject in page
    for subject in hidden:
        assert subject not in page


def test_queue_filter_rejects_an_unknown_choice(client, demo):
    sign_in(client, "caseworker")
    page = content(client.get(url("enquiry-queue"), {"status": "lost"}))
    assert "govuk-error-summary" in page
    assert 'href="#id_status">Select a status from the list</a>' in page


def log_many(council, count):
    member = Member.objects.filter(council=council).first()
    received = timezone.now() - datetime.timedelta(days=1)
    for number in range(count):
        factories.enquiry(
            council, member=member, subject=f"Extra enquiry {number:03}", received_at=received
        )


def test_queue_pages_by_keyset_and_keeps_the_filters(client, demo):
    log_many(demo, 30)
    sign_in(client, "caseworker")
    first = content(client.get(url("enquiry-queue"), {"status": "received"}))
    assert "govuk-pagination__next" in first
    assert "govuk-pagination__prev" not in first
    next_href = pagination_href(first, "next")
    assert "status=received" in next_href and "cursor=" in next_href
    second = content(client.get(url("enquiry-queue") + next_href))
    assert "govuk-pagination__prev" in second
    received = list(
        Enquiry.objects.filter(council=demo, status="received").order_by("response_due", "id")
    )
    assert received[24].reference in first and received[24].reference not in second
    assert received[25].reference in second
    back = content(client.get(url("enquiry-queue") + pagination_href(second, "prev")))
    assert received[0].reference in back and received[24].reference in back


# Query counts: the session with the account, its officer and member records and its unread
# notifications (council.sessions), and one query for the page (no COUNT of enquiries); the
# first time, also the digest of the filter form's options (checked again after
# RENDERED_FORM_RECHECK_SECONDS) and, to render it, its directorates and officers. The same
# for 5 and 50 enquiries.

QUEUE_QUERIES = 2
QUEUE_QUERIES_FIRST_TIME = QUEUE_QUERIES + 3


@pytest.mark.parametrize("extra", [5, 50])
@pytest.mark.parametrize("params", [{}, {"status": "received", "overdue": "on"}])
def test_queue_query_count_is_constant(client, demo, django_assert_num_queries, extra, params):
    log_many(demo, extra)
    sign_in(client, "caseworker")
    caches[RENDERED_FORMS_CACHE].clear()
    with django_assert_num_queries(QUEUE_QUERIES_FIRST_TIME):
        assert client.get(url("enquiry-queue"), params).status_code == 200
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(url("enquiry-queue"), params).status_code == 200


@pytest.mark.parametrize(
    ("person", "page"),
    [
        ("caseworker", "enquiry-queue"),
        ("officer", "enquiry-queue"),
        ("councillor", "my-casework"),
        ("director.place", "enquiry-escalations"),
    ],
)
def test_list_pages_find_their_ids_without_joins(client, demo, person, page):
    """A list page's ids are read from the enquiries alone (core.keyset.page): scoping by
    line manager or directorate is a subquery, not a join, and the names are joined to the
    page's ids only. Joined, PostgreSQL took 1.8 s for a page deep among a million answered
    enquiries (bench/lists.py)."""
    sign_in(client, person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(page)).status_code == 200
    (sql,) = [
        q["sql"] for q in captured.captured_queries if 'FROM "complaints_enquiry"' in q["sql"]
    ]
    outer, inner = sql.split(' IN (SELECT U0."id" AS "pk"', 1)
    assert "JOIN" in outer and "JOIN" not in inner and "LIMIT 26" in inner


def test_the_queue_filter_shows_an_officer_renamed_since_it_was_last_shown(client, demo, settings):
    """The rendered filter form is kept per process, under a digest of its options: a change
    to them, however written (here an UPDATE no signal sees), shows on the next page once
    the person's last check is RENDERED_FORM_RECHECK_SECONDS old (here: at once)."""
    settings.RENDERED_FORM_RECHECK_SECONDS = 0
    sign_in(client, "caseworker")
    client.get(url("enquiry-queue"))
    officer = Officer.objects.filter(council=demo, active=True).order_by("id").first()
    Officer.objects.filter(pk=officer.pk).update(full_name="Zebedee Renamed-Officer")
    page = client.get(url("enquiry-queue")).content.decode()
    assert "Zebedee Renamed-Officer" in page


@pytest.mark.parametrize("extra", [5, 50])
def test_my_casework_and_escalations_query_counts_are_constant(
    client, demo, django_assert_num_queries, extra
):
    log_many(demo, extra)
    sign_in(client, "councillor")
    # the session with the account, its records and unread count, the page
    with django_assert_num_queries(2):
        assert client.get(url("my-casework")).status_code == 200
    sign_in(client, "director.place")
    with django_assert_num_queries(2):
        assert client.get(url("enquiry-escalations")).status_code == 200


def test_enquiry_page_query_count_is_pinned(client, demo, django_assert_num_queries):
    sign_in(client, "caseworker")
    page = url("enquiry", enquiry(STREETLIGHT).pk)
    client.get(page)  # the council's calendar is cached after its first use
    # the session with the account, its records and unread count, the enquiry, its timeline,
    # the assign form's officers, and for its picker the officers and their declared
    # conflicts (one query for them all)
    with django_assert_num_queries(6):
        assert client.get(page).status_code == 200


# Logging an enquiry ------------------------------------------------------------------------


def log_form(demo, **overrides):
    now = timezone.localtime()
    fields = {
        "member": Member.objects.get(council=demo, full_name="Gareth Lloyd").pk,
        "constituent_name": "Sam Reader",
        "constituent_email": "sam@example.org",
        "constituent_phone": "01632 960000",
        "constituent_address": "1 High Street",
        "subject": "Broken bench in Northgate park",
        "description": "The slats are missing.",
        "directorate": demo.directorates.get(name="Place").pk,
        "channel": "email",
        "received_date_0": str(now.day),
        "received_date_1": str(now.month),
        "received_date_2": str(now.year),
        "received_time": "00:01",
        "assigned_officer": "",
    }
    return {**fields, **overrides}


def test_an_officer_logs_an_enquiry_on_a_members_behalf(client, demo):
    user = sign_in(client, "caseworker")
    response = client.post(url("enquiry-log"), log_form(demo), follow=True)
    logged = enquiry("Broken bench in Northgate park")
    assert response.redirect_chain[-1][0] == url("enquiry", logged.pk)
    assert logged.logged_by == user
    assert logged.member.full_name == "Gareth Lloyd"
    assert (logged.constituent_name, logged.constituent_email) == ("Sam Reader", "sam@example.org")
    assert logged.channel == "email"
    assert timezone.localtime(logged.received_at).time() == datetime.time(0, 1)
    page = content(response)
    assert f"Enquiry {logged.reference} has been logged" in page
    assert "counted from" in page  # the calendar's explanation of the receipt day


@pytest.mark.parametrize(
    ("overrides", "message", "link"),
    [
        ({"member": ""}, "Select the member who raised the enquiry", "id_member"),
        ({"subject": ""}, "Enter what the enquiry is about", "id_subject"),
        ({"channel": ""}, "Select how the enquiry arrived", "id_channel_1"),
        ({"channel": "portal"}, "Select a valid choice.", "id_channel_1"),
        ({"constituent_email": "not-an-email"}, "Enter an email address in the correct", None),
        ({"received_time": "9pm"}, "Enter the time received on the 24-hour clock", None),
        (
            {"received_date_0": "31", "received_date_1": "2"},
            "Date received must be a real date",
            None,
        ),
        (
            {"received_date_2": "2099"},
            "An enquiry cannot be received in the future.",
            "id_received_date_0",
        ),
    ],
)
def test_a_bad_enquiry_shows_the_error_summary_and_writes_nothing(
    client, demo, overrides, message, link
):
    sign_in(client, "caseworker")
    before = Enquiry.objects.count()
    response = client.post(url("enquiry-log"), log_form(demo, **overrides))
    page = content(response)
    assert response.status_code == 200
    assert f"<title>Error: Log an enquiry {DASH} Councilcase</title>" in page
    assert "govuk-error-summary" in page
    assert message in page
    if link:
        assert f'href="#{link}">{message}' in page
    assert Enquiry.objects.count() == before


# The enquiry page and its actions ----------------------------------------------------------


def post_action(client, target, action, **fields):
    target.refresh_from_db()
    prefix = action.replace("-", "_")
    data = {f"{prefix}-version": target.version}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(action_url(target, action), data, follow=True)


def test_enquiry_page_shows_the_summary_timeline_and_actions(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    page = content(client.get(url("enquiry", target.pk)))
    assert f"<title>{target.reference} {DASH} Councilcase</title>" in page
    assert "Jane Whitfield" in page and "Mrs D. Okoro" in page and "Dan Hughes" in page
    assert "so counted from" in page
    assert "Logged" in page and "Ruth Bennett" in page
    for button in ("Acknowledge enquiry", "Send holding response", "Send response"):
        assert button in page
    assert "Close enquiry" not in page  # not allowed from received


def test_the_caseworker_acknowledges_holds_responds_and_closes(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    page = content(post_action(client, target, "acknowledge"))
    assert "The enquiry has been acknowledged" in page
    page = content(post_action(client, target, "holding-response", reason="Parts on order."))
    assert "The holding response has been sent" in page and "Parts on order." in page
    page = content(post_action(client, target, "respond", response="Fixed on Friday."))
    assert "The response has been sent" in page
    page = content(post_action(client, target, "close"))
    assert "The enquiry has been closed" in page
    target.refresh_from_db()
    assert target.status == "closed"
    assert [event.action for event in target.events.all()] == [
        "logged",
        "acknowledged",
        "holding_response",
        "responded",
        "closed",
    ]


def test_a_holding_response_needs_its_reasons(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    response = post_action(client, target, "holding-response", reason="  ")
    page = content(response)
    assert f"<title>Error: {target.reference} {DASH} Councilcase</title>" in page
    assert 'href="#id_holding_response-reason">Enter the reasons for the holding response' in page
    target.refresh_from_db()
    assert target.status == "received" and target.holding_response_at is None


def test_assigning_and_escalating(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    maya = Officer.objects.get(employee_number="E1012")
    assert "The enquiry has been assigned" in content(
        post_action(client, target, "assign", officer=maya.pk)
    )
    page = content(post_action(client, target, "escalate", reason=""))
    assert "Enter why you are escalating the enquiry" in page
    page = content(post_action(client, target, "escalate", reason="No reply from the service."))
    assert "The enquiry has been escalated" in page
    target.refresh_from_db()
    assert (target.assigned_officer, target.status) == (maya, "escalated")


def test_a_stale_version_is_refused_with_a_readable_error(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    seen = target.version
    services.assign_enquiry(
        enquiry=target, by="test", officer=Officer.objects.get(employee_number="E1012")
    )
    response = client.post(action_url(target, "acknowledge"), {"acknowledge-version": seen})
    assert response.status_code == 409
    assert STALE in content(response)
    target.refresh_from_db()
    assert target.status == "received"


def test_an_action_the_status_does_not_allow_is_a_readable_409(client, demo):
    sign_in(client, "caseworker")
    target = enquiry(STREETLIGHT)
    response = client.post(action_url(target, "close"), {"close-version": target.version})
    assert response.status_code == 409
    assert "This enquiry is received: it cannot be closed." in content(response)


def test_an_action_the_viewer_may_not_take_is_a_readable_403(client, demo):
    sign_in(client, "officer")  # Dan Hughes sees Maya Patel's Place enquiry, may not act
    target = enquiry(FLY_TIPPING)
    page = content(client.get(url("enquiry", target.pk)))
    assert "Send response" not in page
    response = client.post(
        action_url(target, "respond"),
        {"respond-version": target.version, "respond-response": "Done."},
    )
    assert response.status_code == 403
    assert "You cannot do this to this enquiry" in content(response)
    target.refresh_from_db()
    assert target.status == "acknowledged"


def test_an_unknown_action_is_not_found(client, demo):
    sign_in(client, "caseworker")
    assert client.post(action_url(enquiry(STREETLIGHT), "reopen"), {}).status_code == 404
    assert client.get(action_url(enquiry(STREETLIGHT), "close")).status_code == 405


# The member's casework ---------------------------------------------------------------------


def test_a_member_raises_an_enquiry_through_the_portal(client, demo):
    sign_in(client, "councillor")
    response = client.post(
        url("enquiry-raise"),
        {"constituent_name": "Lou Park", "subject": "Graffiti on the library wall"},
        follow=True,
    )
    raised = enquiry("Graffiti on the library wall")
    assert raised.channel == "portal" and raised.member.full_name == "Jane Whitfield"
    assert raised.assigned_officer is None
    assert f"Your enquiry {raised.reference} has been raised" in content(response)


def test_raising_an_enquiry_without_a_subject_writes_nothing(client, demo):
    sign_in(client, "councillor")
    before = Enquiry.objects.count()
    page = content(client.post(url("enquiry-raise"), {"subject": ""}))
    assert 'href="#id_subject">Enter what the enquiry is about' in page
    assert Enquiry.objects.count() == before


def test_a_dissatisfied_member_escalates_with_a_reason(client, demo):
    sign_in(client, "councillor")
    target = enquiry(HEDGE)  # closed: nothing to escalate
    assert "Escalate enquiry" not in content(client.get(url("enquiry", target.pk)))
    target = enquiry(STREETLIGHT)
    page = content(client.get(url("enquiry", target.pk)))
    assert "Why are you not satisfied?" in page
    assert "Acknowledge enquiry" not in page
    page = content(post_action(client, target, "escalate", reason=""))
    assert "Enter why you are escalating the enquiry" in page
    page = content(post_action(client, target, "escalate", reason="Still dark at night."))
    assert "The enquiry has been escalated" in page
    target.refresh_from_db()
    assert (target.status, target.escalated_to) == ("escalated", "chief_executive")


# Demo data ---------------------------------------------------------------------------------


def test_demo_has_enquiries_in_every_state_some_overdue_and_loads_once(demo):
    enquiries = Enquiry.objects.filter(council=demo)
    assert set(enquiries.values_list("status", flat=True)) == set(EnquiryStatus.values)
    assert enquiries.filter(overdue_filter()).count() >= 2
    count = enquiries.count()
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    assert Enquiry.objects.filter(council=demo).count() == count

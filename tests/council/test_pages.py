"""The organisation's pages through the Django test client: who may see what, council scoping,
the people directory's search and its pinned query counts, and council settings' writes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from council import services
from council.management.commands.seed_demo import DEMO_PASSWORD, demo_email
from council.models import ClosureDay, Council, Member, Officer, User
from tests.pages import content

BY = "test"
DASH = "\N{EN DASH}"  # page titles are "Page, en dash, Councilcase"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # seed_demo sets eight passwords; the production hasher would take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    return Council.objects.get(slug="demo")


@pytest.fixture
def other_council(db):
    council = services.create_council(by=BY, slug="elsewhere", name="Elsewhere Borough")
    ward = services.create_ward(council=council, by=BY, name="Faraway")
    member = services.create_member(council=council, by=BY, full_name="Zara Outsider", ward=ward)
    officer, _ = services.upsert_officer(
        council=council, by=BY, employee_number="X1", full_name="Xavier Outsider"
    )
    return {"council": council, "member": member, "officer": officer}


def typed_date(day, month, year) -> dict:
    """The closure day form's date input, as typed into its day, month and year boxes."""
    return {"date_0": day, "date_1": month, "date_2": year}


def sign_in(client, local_part):
    user = User.objects.get(email=demo_email(local_part))
    client.force_login(user)
    return user


# Signing in and out ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (reverse("home"), reverse("people"), reverse("council-settings")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_the_right_password_goes_home(client, demo):
    response = client.post(
        reverse("login"),
        {"username": "Monitoring.Officer@demo.councilcase.test", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_with_a_wrong_password_shows_the_error_summary(client, demo):
    response = client.post(
        reverse("login"),
        {"username": demo_email("monitoring.officer"), "password": "not-the-password"},
    )
    page = content(response)
    assert response.status_code == 200
    assert f"<title>Error: Sign in {DASH} Councilcase</title>" in page
    assert "govuk-error-summary" in page
    assert "Enter a correct email address and password" in page
    assert 'href="#id_username"' in page


def test_sign_in_with_nothing_entered_names_each_missing_field(client, db):
    page = content(client.post(reverse("login"), {"username": "", "password": ""}))
    assert 'href="#id_username">Enter your email address</a>' in page
    assert 'href="#id_password">Enter your password</a>' in page


def test_sign_out_is_a_post(client, demo):
    sign_in(client, "officer")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # signed out


# Home pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local_part", "role", "settings_link", "api_link"),
    [
        ("monitoring.officer", "Monitoring Officer", True, False),
        ("chief.executive", "Chief Executive", False, False),
        ("director.place", "Director", False, False),
        ("caseworker", "Casework team", False, False),
        ("officer", "Officer", False, False),
        ("councillor", "Member", False, False),
        ("administrator", "Councilcase administrator", True, True),
    ],
)
def test_home_page_shows_what_each_role_can_do(
    client, demo, local_part, role, settings_link, api_link
):
    user = sign_in(client, local_part)
    page = content(client.get(reverse("home")))
    assert user.full_name in page
    assert f'<dt class="govuk-summary-list__key">{role}</dt>' in page
    assert f'href="{reverse("people")}"' in page
    assert (f'href="{reverse("council-settings")}"' in page) is settings_link
    assert (f'href="{reverse("api-docs")}"' in page) is api_link


@pytest.mark.parametrize(
    ("local_part", "shown"), [("hr", True), ("administrator", True), ("councillor", False)]
)
def test_home_page_links_the_hr_team_and_administrators_to_the_csv_import(
    client, demo, local_part, shown
):
    sign_in(client, local_part)
    page = content(client.get(reverse("home")))
    link = f'<a class="govuk-link" href="{reverse("csv-import")}">Import and export people</a>'
    assert (link in page) is shown


def test_header_has_the_person_and_a_sign_out_form(client, demo):
    sign_in(client, "caseworker")
    page = content(client.get(reverse("home")))
    assert "Ruth Bennett" in page
    assert f'<form method="post" action="{reverse("logout")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


# The people directory ----------------------------------------------------------------------


def test_directory_lists_members_and_officers_of_the_viewers_council_only(
    client, demo, other_council
):
    sign_in(client, "councillor")
    page = content(client.get(reverse("people")))
    assert "Alex Morgan" in page  # an officer
    assert "Rev. Anne Holt" in page  # a member without a sign-in
    assert "Outsider" not in page


def test_directory_search_matches_name_job_title_and_ward(client, demo):
    sign_in(client, "officer")
    by_name = content(client.get(reverse("people"), {"q": "priya"}))
    assert "Priya Shah" in by_name
    assert "Alex Morgan" not in by_name
    by_job_title = content(client.get(reverse("people"), {"q": "highways"}))
    assert "Grace Liu" in by_job_title and "Dan Hughes" in by_job_title
    assert "Maya Patel" not in by_job_title
    by_ward = content(client.get(reverse("people"), {"q": "Abbey"}))
    assert "Jane Whitfield" in by_ward and "Mark Adeyemi" in by_ward
    assert "Susan Doyle" not in by_ward
    every_word = content(client.get(reverse("people"), {"q": "dan highways"}))
    assert "Dan Hughes" in every_word and "Grace Liu" not in every_word


def test_directory_filters_members_or_officers(client, demo):
    sign_in(client, "officer")
    members = content(client.get(reverse("people"), {"kind": "member"}))
    assert "Jane Whitfield" in members and "Alex Morgan" not in members
    officers = content(client.get(reverse("people"), {"kind": "officer"}))
    assert "Alex Morgan" in officers and "Jane Whitfield" not in officers


def test_directory_says_when_nobody_matches(client, demo):
    sign_in(client, "officer")
    page = content(client.get(reverse("people"), {"q": "nobody-by-this-name"}))
    assert "No people found" in page


def test_directory_leaves_out_officers_who_have_left(client, demo):
    services.upsert_officer(
        council=demo, by=BY, employee_number="E1012", full_name="Maya Patel", active=False
    )
    sign_in(client, "officer")
    assert "Maya Patel" not in content(client.get(reverse("people")))


def test_directory_pagination_keeps_the_search(client, demo):
    for number in range(30):
        services.upsert_officer(
            council=demo, by=BY, employee_number=f"P{number:03}", full_name=f"Planner {number:02}"
        )
    sign_in(client, "officer")
    page = content(client.get(reverse("people"), {"q": "planner", "kind": "officer"}))
    assert "30 people found" in page
    assert "govuk-pagination" in page
    assert 'href="?q=planner&amp;kind=officer&amp;page=2"' in page
    second = content(client.get(reverse("people"), {"q": "planner", "kind": "officer", "page": 2}))
    assert "Planner 29" in second and "Planner 00" not in second


def test_directory_rejects_an_overlong_search_with_an_error_summary(client, demo):
    sign_in(client, "officer")
    page = content(client.get(reverse("people"), {"q": "x" * 101}))
    assert "govuk-error-summary" in page
    assert "Search words must be 100 characters or fewer" in page


# Query counts: session, the account with its officer and member records (council.backends;
# roles for the navigation) and the header's unread notifications, then the page's own reads.
# They do not grow with the number of people.

DIRECTORY_QUERIES = 3  # the session with the account (records, unread count), count, page


@pytest.mark.parametrize("extra_people", [0, 80])
@pytest.mark.parametrize("params", [{}, {"page": 2}, {"q": "a"}, {"kind": "member"}])
def test_directory_query_count_is_constant(
    client, demo, django_assert_num_queries, extra_people, params
):
    for number in range(extra_people):
        services.upsert_officer(
            council=demo, by=BY, employee_number=f"Q{number:03}", full_name=f"Extra {number:02}"
        )
    sign_in(client, "officer")
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(reverse("people"), params)
    assert response.status_code == 200


def test_person_pages_query_counts_are_pinned(client, demo, django_assert_num_queries):
    sign_in(client, "officer")
    member = Member.objects.get(full_name="Peter Kowalski")
    officer = Officer.objects.get(full_name="Priya Shah")
    # the session with the account, its records and unread count, the member, their committees
    with django_assert_num_queries(3):
        assert client.get(reverse("member", args=[member.pk])).status_code == 200
    # the session with the account, its records and unread count, the officer, their reports
    with django_assert_num_queries(3):
        assert client.get(reverse("officer", args=[officer.pk])).status_code == 200


# A person's page ---------------------------------------------------------------------------


def test_member_page_shows_ward_group_roles_and_committees(client, demo):
    sign_in(client, "officer")
    member = Member.objects.get(full_name="Peter Kowalski")
    page = content(client.get(reverse("member", args=[member.pk])))
    assert "Harbour" in page
    assert "Riverside Alliance" in page
    assert "Committee chair" in page
    assert "Standards Committee (Chair)" in page


def test_officer_page_shows_job_directorate_manager_statutory_role_and_teams(client, demo):
    sign_in(client, "officer")
    officer = Officer.objects.get(full_name="Priya Shah")
    page = content(client.get(reverse("officer", args=[officer.pk])))
    assert "Director of Legal and Governance" in page
    assert "Legal and Governance" in page
    assert "Alex Morgan" in page  # line manager
    assert "Monitoring officer" in page
    assert "Legal and governance" in page  # team
    assert "Tom Evans" in page  # manages


def test_another_councils_people_are_not_found(client, demo, other_council):
    sign_in(client, "monitoring.officer")
    member_url = reverse("member", args=[other_council["member"].pk])
    officer_url = reverse("officer", args=[other_council["officer"].pk])
    for url in (member_url, officer_url):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in content(response)


# Council settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local_part", "status"),
    [
        ("administrator", 200),
        ("monitoring.officer", 200),
        ("chief.executive", 404),
        ("director.place", 404),
        ("caseworker", 404),
        ("officer", 404),
        ("hr", 404),
        ("councillor", 404),
    ],
)
def test_council_settings_are_for_administrators_and_the_monitoring_officer(
    client, demo, local_part, status
):
    sign_in(client, local_part)
    for url in (reverse("council-settings"), reverse("council-settings-change")):
        assert client.get(url).status_code == status
    response = client.post(reverse("closure-day-add"), typed_date("1", "6", "2027"))
    assert response.status_code == (302 if status == 200 else 404)


def test_council_settings_show_the_calendar(client, demo):
    sign_in(client, "administrator")
    page = content(client.get(reverse("council-settings")))
    assert "Demo City Council" in page
    assert "England" in page
    assert "17:00" in page
    assert "Deemed receipt (the default)" in page
    assert "Tuesday 29 December 2026" in page


def test_adding_a_closure_day_saves_it_and_says_so(client, demo):
    sign_in(client, "administrator")
    response = client.post(
        reverse("closure-day-add"),
        {**typed_date("4", "1", "2027"), "reason": "Stocktake"},
        follow=True,
    )
    page = content(response)
    assert ClosureDay.objects.filter(council=demo, date=datetime.date(2027, 1, 4)).exists()
    assert "4 January 2027 is now a closure day" in page
    assert "Monday 4 January 2027" in page


@pytest.mark.parametrize(
    ("fields", "message", "link"),
    [
        (typed_date("31", "2", "2027"), "Closure date must be a real date", "id_date_0"),
        (typed_date("", "", ""), "Enter the closure date", "id_date_0"),
        (typed_date("3", "", "2027"), "Closure date must include a month", "id_date_1"),
        (typed_date("3", "x", "2027"), "Closure date must be a real date", "id_date_1"),
        (typed_date("3", "1", "27"), "Closure date must be a real date", "id_date_2"),
        (typed_date("3", "1", "2101"), "Closure date must be between 2000 and 2100", "id_date_0"),
        (typed_date("29", "12", "2026"), "29 December 2026 is already a closure day.", "id_date_0"),
    ],
)
def test_a_bad_closure_day_shows_the_error_summary_and_writes_nothing(
    client, demo, fields, message, link
):
    sign_in(client, "monitoring.officer")
    before = list(ClosureDay.objects.values_list("date", flat=True))
    version = Council.objects.get(pk=demo.pk).version
    response = client.post(reverse("closure-day-add"), fields)
    page = content(response)
    assert response.status_code == 200
    assert page.count("govuk-error-summary__list") == 1
    assert f'href="#{link}">{message}</a>' in page
    assert f"<title>Error: Council settings {DASH} Councilcase</title>" in page
    assert list(ClosureDay.objects.values_list("date", flat=True)) == before
    assert Council.objects.get(pk=demo.pk).version == version


def test_removing_a_closure_day(client, demo):
    sign_in(client, "administrator")
    response = client.post(reverse("closure-day-remove"), {"date": "2026-12-30"}, follow=True)
    assert not ClosureDay.objects.filter(council=demo, date=datetime.date(2026, 12, 30)).exists()
    assert "30 December 2026 is no longer a closure day" in content(response)


def test_removing_a_day_that_is_not_a_closure_day_says_so(client, demo):
    sign_in(client, "administrator")
    response = client.post(reverse("closure-day-remove"), {"date": "2027-03-03"}, follow=True)
    assert "3 March 2027 is not a closure day." in content(response)
    assert ClosureDay.objects.filter(council=demo).count() == 3


def test_changing_the_council_settings(client, demo):
    sign_in(client, "monitoring.officer")
    response = client.post(
        reverse("council-settings-change"),
        {
            "name": "Demo City Council",
            "nation": "wales",
            "cutoff_time": "16:30",
            "deadline_convention": "ico",
            "version": demo.version,
        },
        follow=True,
    )
    council = Council.objects.get(pk=demo.pk)
    assert (council.nation, council.cutoff_time, council.deadline_convention) == (
        "wales",
        datetime.time(16, 30),
        "ico",
    )
    assert "The council&#x27;s settings have been saved" in content(response)


def test_changing_settings_from_a_stale_page_changes_nothing(client, demo):
    sign_in(client, "administrator")
    services.update_council(council=demo, by=BY, name="Renamed Meanwhile")
    response = client.post(
        reverse("council-settings-change"),
        {
            "name": "Demo City Council",
            "nation": "england",
            "cutoff_time": "17:00",
            "deadline_convention": "deemed_receipt",
            "version": demo.version,
        },
        follow=True,
    )
    assert Council.objects.get(pk=demo.pk).name == "Renamed Meanwhile"
    assert "Someone else changed the council" in content(response)


def test_a_bad_cutoff_time_shows_the_error_summary(client, demo):
    sign_in(client, "administrator")
    response = client.post(
        reverse("council-settings-change"),
        {
            "name": "",
            "nation": "england",
            "cutoff_time": "5pm",
            "deadline_convention": "deemed_receipt",
            "version": demo.version,
        },
    )
    page = content(response)
    assert 'href="#id_name">Enter the council&#39;s name</a>' in page
    assert 'href="#id_cutoff_time">Enter the cut-off time on the 24-hour clock' in page
    assert Council.objects.get(pk=demo.pk).name == "Demo City Council"


# Error pages -------------------------------------------------------------------------------


def test_unknown_pages_get_the_govuk_404_page(client, demo):
    sign_in(client, "officer")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert f"<title>Page not found {DASH} Councilcase</title>" in content(response)


def test_the_500_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert "Sign out" not in page

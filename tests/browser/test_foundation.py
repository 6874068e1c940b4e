"""The UI foundation in a real browser: signing in, the people directory, council settings and
the error pages, with axe-core run on every page and every state a person sees."""

import re

import pytest
from playwright.sync_api import Page, expect

from council.models import ClosureDay

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def title(page_name: str) -> str:
    return f"{page_name} \N{EN DASH} Councilcase"


def test_monitoring_officer_finds_a_person_in_the_directory(page: Page, axe):
    demo_sign_in(page, "monitoring.officer")
    expect(page).to_have_title(title("Home"))
    # GOV.UK Frontend's JavaScript runs (the module script and its feature detection).
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation).to_contain_text("Signed in as Priya Shah")
    assert_accessible(page, axe)

    navigation.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Search by name, job title or ward").fill("highways")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("caption")).to_contain_text("2 people found")
    expect(results.get_by_role("link", name="Grace Liu")).to_be_visible()
    assert_accessible(page, axe)

    results.get_by_role("link", name="Dan Hughes").click()
    expect(page).to_have_title(title("Dan Hughes"))
    expect(page.get_by_role("heading", level=1, name="Dan Hughes")).to_be_visible()
    expect(page.get_by_role("link", name="Grace Liu")).to_be_visible()  # line manager
    assert_accessible(page, axe)

    navigation.get_by_role("link", name="People").click()
    page.get_by_label("Members").check()
    page.get_by_label("Search by name, job title or ward").fill("kowalski")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("table").get_by_role("link", name="Peter Kowalski").click()
    expect(page.get_by_text("Standards Committee (Chair)")).to_be_visible()
    assert_accessible(page, axe)


def test_administrator_adds_and_removes_closure_days(page: Page, axe):
    demo_sign_in(page, "administrator")
    page.get_by_role("link", name="Council settings").first.click()
    expect(page.get_by_role("heading", level=1, name="Council settings")).to_be_visible()
    assert_accessible(page, axe)

    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill("4")
    date.get_by_label("Month").fill("1")
    date.get_by_label("Year").fill("2027")
    page.get_by_label("Reason (optional)").fill("Stocktake")
    page.get_by_role("button", name="Add closure day").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("4 January 2027 is now a closure day")
    expect(banner).to_be_focused()  # GOV.UK Frontend moves focus to a success banner
    expect(page.get_by_role("row", name=re.compile("Monday 4 January 2027"))).to_contain_text(
        "Stocktake"
    )
    assert_accessible(page, axe)

    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill("31")
    date.get_by_label("Month").fill("2")
    date.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Add closure day").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(title("Error: Council settings"))
    summary.get_by_role("link", name="Closure date must be a real date").click()
    expect(page.get_by_role("group", name="Date").get_by_label("Day")).to_be_focused()
    assert_accessible(page, axe)
    assert ClosureDay.objects.count() == 4  # three from the demo, one added; none from the error

    page.get_by_role("button", name="Remove 29 December 2026").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "29 December 2026 is no longer a closure day"
    )
    expect(page.get_by_role("row", name=re.compile("29 December 2026"))).to_have_count(0)
    assert_accessible(page, axe)


def test_changing_the_council_settings_with_a_mistake(page: Page, axe):
    demo_sign_in(page, "monitoring.officer")
    page.goto("/council/settings/")
    page.get_by_role("link", name="Change the council's settings").click()
    assert_accessible(page, axe)

    page.get_by_label("Daily cut-off time").fill("5pm")
    page.get_by_label("ICO convention").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, axe)

    page.get_by_label("Daily cut-off time").fill("16:30")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_text("16:30")).to_be_visible()
    expect(page.get_by_text("ICO convention", exact=True)).to_be_visible()
    assert_accessible(page, axe)


def test_sign_in_error_state_is_accessible(page: Page, axe):
    page.goto("/")
    expect(page).to_have_title(title("Sign in"))
    assert_accessible(page, axe)

    page.get_by_label("Email address").fill("monitoring.officer@demo.councilcase.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(title("Error: Sign in"))
    assert_accessible(page, axe)


def test_an_officer_gets_the_404_page_for_council_settings(page: Page, axe):
    demo_sign_in(page, "officer")
    expect(page.get_by_role("link", name="Council settings")).to_have_count(0)
    response = page.goto("/council/settings/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    assert_accessible(page, axe)


def test_signing_out(page: Page, axe):
    demo_sign_in(page, "councillor")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have signed out"
    )
    expect(page).to_have_title(title("Sign in"))
    assert_accessible(page, axe)
    page.goto("/people/")
    expect(page).to_have_title(title("Sign in"))

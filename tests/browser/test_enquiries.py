"""Member enquiries in a real browser, with axe-core run on every page and state a person sees:
a caseworker logs an enquiry on a member's behalf, sends a holding response, responds and
closes it; a member raises an enquiry and escalates one they are not satisfied with; a
director reads their escalations."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)
    expect(banner).to_be_focused()


def test_caseworker_logs_holds_responds_and_closes(page: Page, axe):
    demo_sign_in(page, "caseworker")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Enquiries").click()
    expect(page.get_by_role("heading", level=1, name="Enquiries")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Overdue").first).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Only overdue enquiries").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table")).not_to_contain_text("Noise from a late-night takeaway")
    assert_accessible(page, axe)

    page.get_by_role("button", name="Log an enquiry").click()
    expect(page.get_by_role("heading", level=1, name="Log an enquiry")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Log enquiry").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select the member who raised the enquiry")
    expect(summary).to_contain_text("Enter the date received")
    expect(page).to_have_title(re.compile("^Error: Log an enquiry"))
    assert_accessible(page, axe)

    today = timezone.localdate()
    page.get_by_label("Member", exact=True).select_option(label="Cllr Gareth Lloyd")
    page.get_by_label("Name (optional)", exact=True).fill("Sam Reader")
    page.get_by_label("Subject").fill("Broken bench in Northgate park")
    page.get_by_label("Directorate (optional)").select_option(label="Place")
    page.get_by_role("radio", name="Phone").check()
    date = page.get_by_role("group", name="Date received")
    date.get_by_label("Day").fill(str(today.day))
    date.get_by_label("Month").fill(str(today.month))
    date.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time received").fill("00:01")
    page.get_by_role("button", name="Log enquiry").click()
    success(page, "has been logged")
    expect(
        page.get_by_role("heading", level=1, name="Broken bench in Northgate park")
    ).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Send holding response").click()  # no reasons
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reasons for the holding response"
    )
    assert_accessible(page, axe)

    page.get_by_label("Why does the enquiry need more time?").fill("A new bench is on order.")
    page.get_by_role("button", name="Send holding response").click()
    success(page, "The holding response has been sent")
    expect(page.get_by_text("Investigating").first).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Response to the member").fill("The bench will be replaced on Friday.")
    page.get_by_role("button", name="Send response").click()
    success(page, "The response has been sent")
    assert_accessible(page, axe)

    page.get_by_role("button", name="Close enquiry").click()
    success(page, "The enquiry has been closed")
    timeline = page.locator(".app-timeline")
    for entry in ("Logged", "Holding response sent", "Responded", "Closed"):
        expect(timeline.get_by_role("heading", name=entry)).to_be_visible()
    assert_accessible(page, axe)


def test_member_raises_and_escalates(page: Page, axe):
    demo_sign_in(page, "councillor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My casework").click()
    expect(page.get_by_role("heading", level=1, name="My casework")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Raise an enquiry").click()
    page.get_by_role("button", name="Raise enquiry").click()  # no subject
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the enquiry is about")
    assert_accessible(page, axe)

    page.get_by_label("Name (optional)", exact=True).fill("Lou Park")
    page.get_by_label("Subject").fill("Graffiti on the library wall")
    page.get_by_role("button", name="Raise enquiry").click()
    success(page, "has been raised")
    assert_accessible(page, axe)

    page.get_by_role("link", name="My casework").first.click()
    page.get_by_role("row", name=re.compile("Streetlight out on Abbey Walk")).get_by_role(
        "link"
    ).click()
    page.get_by_role("button", name="Escalate enquiry").click()  # no reason
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are escalating the enquiry"
    )
    assert_accessible(page, axe)

    page.get_by_label("Why are you not satisfied?").fill("Still dark at night.")
    page.get_by_role("button", name="Escalate enquiry").click()
    success(page, "The enquiry has been escalated")
    expect(page.get_by_text("Escalated to the Chief Executive")).to_be_visible()
    assert_accessible(page, axe)


def test_director_reads_their_escalations(page: Page, axe):
    demo_sign_in(page, "director.place")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Escalations").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Missed bin collections on Quay Street")
    assert_accessible(page, axe)
    table.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name="Timeline")).to_be_visible()
    assert_accessible(page, axe)

"""Declared relationships in a real browser, with axe-core on every page state: an officer
declares a relationship with a councillor; the Monitoring Officer finds it in the register
and records advice; the Director of Place's assignment of the councillor's enquiry to that
officer is refused without saying why, then overridden with a reason."""

import re

import pytest
from playwright.sync_api import Page, expect

from complaints.models import Enquiry

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)


def switch_to(page: Page, local_part: str) -> None:
    page.context.clear_cookies()
    demo_sign_in(page, local_part)


def test_declare_advise_and_override_an_assignment(page: Page, axe):
    # An officer declares a relationship with a councillor.
    demo_sign_in(page, "officer")
    page.get_by_role("link", name="Declare a relationship").click()
    expect(page.get_by_role("heading", level=1, name="Declare a relationship")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Send declaration").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select who the relationship is with")
    expect(summary).to_contain_text("Describe the relationship")
    expect(page).to_have_title(re.compile("^Error: Declare a relationship"))
    assert_accessible(page, axe)

    page.get_by_role("radio", name="A councillor or other member of the council").check()
    page.get_by_label("If a member: which member?").select_option(label="Cllr Mark Adeyemi")
    page.get_by_role("radio", name="Family").check()
    page.get_by_label("Describe the relationship").fill("Mark is my brother-in-law.")
    started = page.get_by_role("group", name="When did it start?")
    started.get_by_label("Day").fill("14")
    started.get_by_label("Month").fill("7")
    started.get_by_label("Year").fill("2018")
    page.get_by_role("button", name="Send declaration").click()
    success(page, "Your declaration has been sent to the Monitoring Officer")
    expect(page.get_by_text("Mark is my brother-in-law.")).to_be_visible()
    assert_accessible(page, axe)

    # The Monitoring Officer finds it in the register and records advice.
    switch_to(page, "monitoring.officer")
    page.get_by_role("link", name="Keep the register of declarations").click()
    expect(page.get_by_role("heading", level=1, name="Register of declarations")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("textbox", name="Search").fill("Adeyemi")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page, axe)
    page.get_by_role("table").get_by_role("link", name=re.compile("Family")).click()
    expect(page.get_by_text("Mark is my brother-in-law.")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Record advice").click()  # no advice
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the advice")
    assert_accessible(page, axe)
    page.get_by_label("Advice to both parties").fill(
        "Dan should not work on Cllr Adeyemi's enquiries."
    )
    page.get_by_role("button", name="Record advice").click()
    success(page, "Your advice has been recorded")
    expect(page.get_by_text("Advice given").first).to_be_visible()
    assert_accessible(page, axe)

    # The Director of Place tries to give the councillor's enquiry to that officer.
    switch_to(page, "director.place")
    enquiry = Enquiry.objects.get(subject="Fly-tipping behind Abbey shops")
    page.goto(f"/enquiries/{enquiry.pk}/")
    picker = page.get_by_label("Officer", exact=True)
    expect(picker.locator("option", has_text="Dan Hughes")).to_have_text(
        re.compile("Cannot take this case")
    )
    assert_accessible(page, axe)
    picker.select_option(label="Dan Hughes (Highways Officer) - Cannot take this case")
    page.get_by_role("button", name="Assign enquiry").click()
    error = page.locator(".govuk-error-summary")
    expect(error).to_contain_text("declared relationship that conflicts with this enquiry")
    expect(page.locator("main")).not_to_contain_text("brother-in-law")
    reason = page.get_by_label("Why must this officer take it anyway?")
    expect(reason).to_be_visible()
    assert_accessible(page, axe)

    reason.fill("Dan is the only officer who has seen the site.")
    page.get_by_role("button", name="Assign enquiry").click()
    success(page, "The enquiry has been assigned")
    expect(page.get_by_text("Dan Hughes").first).to_be_visible()
    assert_accessible(page, axe)

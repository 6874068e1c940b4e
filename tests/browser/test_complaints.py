"""Conduct complaints in a real browser, with axe-core run on every page and state a person
sees: an officer raises a concern about a councillor; the Monitoring Officer triages it on the
dashboard, cites a protocol clause and escalates it; the officer follows its progress."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from council.management.commands.seed_demo import DEMO_SLUG
from council.models import Council
from protocols import services as protocols
from protocols.importer import ParsedClause, ParsedProtocol

from .conftest import TIMEOUT_MS, assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)
    expect(banner).to_be_focused()


@pytest.fixture
def protocol_in_force():
    """An adopted protocol with clause 15 (complaints between members and officers), in
    force since long before any incident."""
    council = Council.objects.get(slug=DEMO_SLUG)
    version = protocols.import_protocol(
        council=council,
        title="Protocol for conduct complaints (browser test)",
        by="test",
        parsed=ParsedProtocol(
            clauses=[
                ParsedClause(
                    number="15",
                    heading="Complaints",
                    text="Complaints between members and officers.",
                    line=1,
                    parent=None,
                )
            ],
            anomalies=[],
        ),
    )
    protocols.adopt_version(
        version=version,
        by="test",
        adopted_on=timezone.localdate() - datetime.timedelta(days=400),
        approving_body="Full Council",
    )


@pytest.fixture
def other_page(browser, live_server):
    """A second person's browser (a fresh context, no cookies)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_officer_raises_monitoring_officer_triages_and_complainant_follows(
    page: Page, other_page: Page, axe, protocol_in_force
):
    # The officer raises a concern about a councillor, in plain words.
    demo_sign_in(page, "officer")
    page.get_by_role("link", name="Raise a concern about someone's conduct").click()
    expect(
        page.get_by_role("heading", level=1, name="Raise a concern about someone's conduct")
    ).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Send your concern").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select who your concern is about")
    expect(summary).to_contain_text("Enter what happened")
    expect(page).to_have_title(re.compile("^Error: Raise a concern"))
    assert_accessible(page, axe)

    page.get_by_label("Who is your concern about?").select_option(
        label="Cllr Peter Kowalski (member)"
    )
    page.get_by_label("Bullying").check()
    page.get_by_label("What happened?").fill("Shouted at me about the harbour works.")
    day = timezone.localdate() - datetime.timedelta(days=2)
    date = page.get_by_role("group", name="Date of incident 1")
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("What happened on that day", exact=True).fill("At the site visit.")
    page.get_by_role("button", name="Send your concern").click()
    success(page, "Your concern has been sent")
    heading = page.get_by_role("heading", level=1, name=re.compile(r"Complaint CMP-"))
    expect(heading).to_be_visible()
    reference = heading.inner_text().removeprefix("Complaint ").strip()
    expect(
        page.get_by_text("Informal discussion with the officer's senior manager").first
    ).to_be_visible()
    assert_accessible(page, axe)

    # The Monitoring Officer triages it, cites a clause and escalates it.
    demo_sign_in(other_page, "monitoring.officer")
    other_page.get_by_role("link", name="Triage conduct complaints").click()
    expect(other_page.get_by_role("heading", level=1, name="Complaints triage")).to_be_visible()
    new = other_page.get_by_role("region", name="New complaints")
    expect(new).to_contain_text(reference)
    expect(other_page.get_by_text("Complaints by kind of behaviour").first).to_be_visible()
    assert_accessible(other_page, axe)

    other_page.get_by_label("Kind of behaviour").select_option(label="Bullying")
    other_page.get_by_role("button", name="Apply filters").click()
    expect(other_page.get_by_role("region", name="New complaints")).to_contain_text(reference)
    assert_accessible(other_page, axe)

    new = other_page.get_by_role("region", name="New complaints")
    new.get_by_role("link", name=reference).click()
    expect(
        other_page.get_by_role("heading", level=1, name=f"Complaint {reference}")
    ).to_be_visible()
    assert_accessible(other_page, axe)

    other_page.get_by_label("Clause numbers").fill("99")
    other_page.get_by_role("button", name="Cite clauses").click()
    expect(other_page.locator(".govuk-error-summary")).to_contain_text(
        "Clause 99 was not in force on the date of any incident"
    )
    assert_accessible(other_page, axe)

    other_page.get_by_label("Clause numbers").fill("15")
    other_page.get_by_role("button", name="Cite clauses").click()
    success(other_page, "The clauses have been cited")
    cited = other_page.get_by_role("heading", name="Protocol clauses cited", level=2)
    expect(cited.locator("xpath=following-sibling::ul[1]")).to_contain_text("15")
    assert_accessible(other_page, axe)

    other_page.get_by_label("Why should it go to the next stage?").fill(
        "A member's conduct towards an officer needs the Monitoring Officer's assessment."
    )
    other_page.get_by_role("button", name="Escalate").click()
    success(other_page, "The complaint has moved to its next stage")
    history = other_page.locator(".app-timeline")
    for entry in ("Raised", "Protocol clauses cited", "Escalated"):
        expect(history.get_by_role("heading", name=re.compile(entry)).first).to_be_visible()
    assert_accessible(other_page, axe)

    # The officer who raised it sees its progress, not who handles it.
    page.get_by_role("link", name="Complaints").first.click()
    expect(page.get_by_role("heading", level=1, name="My complaints")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("region", name="Concerns you raised").get_by_role(
        "link", name=reference
    ).click()
    stages = page.get_by_role("region", name="Stages")
    expect(stages).to_contain_text("Monitoring Officer's assessment")
    expect(stages).to_contain_text("Escalated to the next stage")
    expect(page.get_by_role("heading", name="History")).to_have_count(0)
    assert_accessible(page, axe)


def test_monitoring_officer_changes_a_route_stage(page: Page, axe):
    demo_sign_in(page, "monitoring.officer")
    page.goto("/complaints/routes/")
    expect(page.get_by_role("heading", level=1, name="Complaint routes")).to_be_visible()
    assert_accessible(page, axe)

    route = page.get_by_role("region", name="Member's complaint about a member")
    route.get_by_role("link", name="Change The group leader").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Change stage 1"))).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Target in working days").fill("0")
    page.get_by_role("button", name="Save stage").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The target must be at least 1 working day"
    )
    assert_accessible(page, axe)

    page.get_by_label("Target in working days").fill("7")
    page.get_by_role("button", name="Save stage").click()
    success(page, "has been saved")
    expect(page.get_by_role("region", name="Member's complaint about a member")).to_contain_text(
        "7"
    )
    assert_accessible(page, axe)


def test_the_demo_complaint_page_shows_its_warning(page: Page, axe):
    demo_sign_in(page, "monitoring.officer")
    page.goto("/complaints/")
    page.get_by_label("Kind of behaviour").select_option(label="Harassment")
    page.get_by_role("button", name="Apply filters").click()
    overdue = page.get_by_role("region", name="Overdue stages")
    overdue.get_by_role("link").first.click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("at least two occasions")
    assert_accessible(page, axe)


def test_subject_told_of_a_complaint_sees_what_they_were_told(page: Page, other_page: Page, axe):
    demo_sign_in(other_page, "monitoring.officer")
    other_page.goto("/complaints/?route=officer_about_member&status=open")
    other_page.get_by_role("region", name="New complaints").get_by_role("link").first.click()
    about = other_page.locator(".govuk-summary-list__row", has_text="About").first
    expect(about).to_contain_text("Jane Whitfield")
    other_page.get_by_role("button", name="Tell the subject about this complaint").click()
    success(other_page, "The subject has been told about the complaint")
    assert_accessible(other_page, axe)

    demo_sign_in(page, "councillor")  # Cllr Jane Whitfield
    page.goto("/complaints/mine/")
    about = page.get_by_role("region", name="Complaints about you")
    expect(about).to_be_visible()
    assert_accessible(page, axe)
    about.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name="What happened")).to_have_count(0)
    expect(page.get_by_role("heading", level=2, name="Stages")).to_be_visible()
    assert_accessible(page, axe)

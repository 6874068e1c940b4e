"""Protocols in a real browser, with axe-core run on every page and state a person sees: the
Monitoring Officer imports a new version of the demo protocol (the preview shows a gap in
its numbering), imports it as a draft, adopts it, compares it with the version it
supersedes and searches the protocols; a councillor reads a clause's permalink."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from protocols.demo import DEMO_DOCUMENT

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

TITLE = "Protocol for Member/Officer Relations"


def success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)
    expect(banner).to_be_focused()


def amended_protocol() -> bytes:
    """The demo protocol with 10.3.1's first-response standard changed and 10.1.5
    misnumbered (a gap in the numbering for the preview to report)."""
    text = DEMO_DOCUMENT.read_text()
    text = text.replace("within 3 working days", "within 5 working days")
    text = text.replace("- 10.1.5 Members", "- 10.1.6 Members")
    return text.encode()


def test_monitoring_officer_imports_adopts_compares_and_searches(page: Page, axe):
    demo_sign_in(page, "monitoring.officer")
    page.get_by_role("link", name="Read the protocols").click()
    expect(page.get_by_role("heading", level=1, name="Protocols")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Import a new version").click()
    expect(page.get_by_role("heading", level=1, name="Import a new version")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Preview the import").click()  # no document
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Upload the protocol's document or paste its text")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page, axe)

    page.get_by_label("Upload the document (optional)").set_input_files(
        files=[
            {"name": "protocol-2026.txt", "mimeType": "text/plain", "buffer": amended_protocol()}
        ]
    )
    page.get_by_label("Label for this version (optional)").fill("2026 edition")
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1, name="Check the import")).to_be_visible()
    anomalies = page.get_by_role("table", name=re.compile("the import asks you to check"))
    expect(anomalies).to_contain_text("Clause 10.1.6 follows 10.1.4: 10.1.5 is missing.")
    assert_accessible(page, axe)

    page.get_by_role("button", name="Import as a draft").click()
    success(page, "2026 edition of Protocol for Member/Officer Relations has been imported")
    expect(page.get_by_role("heading", level=1, name="2026 edition")).to_be_visible()
    expect(page.get_by_text("10.1.5 is missing")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Record adoption").click()  # no date
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of adoption")
    assert_accessible(page, axe)

    today = timezone.localdate()
    adopted = page.get_by_role("group", name="Date adopted")
    adopted.get_by_label("Day").fill(str(today.day))
    adopted.get_by_label("Month").fill(str(today.month))
    adopted.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Adopted by").fill("Full Council")
    page.get_by_role("button", name="Record adoption").click()
    success(page, "2026 edition has been adopted and is in force")
    expect(page.get_by_text("In force", exact=True)).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="Compare").click()
    expect(
        page.get_by_role("heading", name="2026 edition compared with 2025 edition")
    ).to_be_visible()
    changed = page.locator("dl").filter(has_text="10.3.1")
    expect(changed.locator("del")).to_contain_text("3")
    expect(changed.locator("ins")).to_contain_text("5")
    assert_accessible(page, axe)

    page.goto("/protocols/")
    page.get_by_label("Search the protocols").fill("working days")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1, name="Search the protocols")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    first = page.get_by_role("listitem").filter(has_text="10.3.1").first
    expect(first).to_contain_text("2026 edition")
    assert_accessible(page, axe)

    page.get_by_role("link", name="10.3.1").first.click()
    expect(page.get_by_role("heading", level=1, name="10.3.1")).to_be_visible()
    expect(page.get_by_text("within 5 working days")).to_be_visible()
    assert_accessible(page, axe)


def test_councillor_reads_a_clause_and_sees_no_import(page: Page, axe):
    demo_sign_in(page, "councillor")
    expect(page.get_by_role("link", name="Import a protocol document")).to_have_count(0)
    page.get_by_role("link", name="Read the protocols").click()
    page.get_by_role("link", name="2025 edition").click()
    expect(page.get_by_role("heading", level=1, name="2025 edition")).to_be_visible()
    expect(page.get_by_role("button", name="Record adoption")).to_have_count(0)
    assert_accessible(page, axe)

    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name=re.compile(r"^10\.3 ")
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^10.3 "))).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name=re.compile(r"^10\.3\.1")).click()
    expect(page.get_by_text("within 3 working days")).to_be_visible()
    assert_accessible(page, axe)

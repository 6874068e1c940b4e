"""The HR integration's pages (issue 7) in a real browser, with axe-core run on every page and
state a person sees: the council's Councilcase administrator issues an API token with scopes
and an expiry, sees its key once, sees it listed with its last use and revokes it after
confirming; the HR team uploads an officers file, sees the line with a problem, fixes it,
previews the changes and imports them; an administrator does the same with members."""

import datetime
import re
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def success(page: Page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(text)
    expect(banner).to_be_focused()


def error_summary(page: Page, text: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(text)
    expect(page).to_have_title(re.compile("^Error: "))


def api_status(base_url: str, key: str) -> int:
    """The status of an API call made with ``key``, as the HR system would make it."""
    request = urllib.request.Request(
        f"{base_url}/api/v1/officers/", headers={"Authorization": f"Token {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def csv_file(text: str) -> list[dict]:
    return [{"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode()}]


# API tokens ---------------------------------------------------------------------------------


def test_administrator_issues_a_token_sees_its_key_once_and_revokes_it(
    page: Page, axe, live_server
):
    demo_sign_in(page, "administrator")
    page.get_by_role("link", name="issue and revoke their API tokens").click()
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    expect(page.get_by_text("No tokens have been issued.")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("What is this token for?").fill("HR sync")
    page.get_by_role("checkbox", name="Officers: read and change").check()
    page.get_by_role("checkbox", name="Events: read", exact=True).check()
    expiry = page.get_by_label("Stop working after this many days (optional)")
    expiry.fill("ninety")
    page.get_by_role("button", name="Issue token").click()
    error_summary(page, "Enter the number of days as a whole number, like 90")
    expect(expiry).to_have_value("ninety")  # what was typed stays, to be corrected
    expect(page.get_by_role("checkbox", name="Officers: read and change")).to_be_checked()
    assert_accessible(page, axe)

    expiry.fill("90")
    page.get_by_role("button", name="Issue token").click()
    expect(page.get_by_role("heading", level=1, name="Token issued")).to_be_visible()
    expect(page).to_have_title(re.compile("^Token issued"))
    key = page.locator("#new-token-key").inner_text()
    assert key.startswith("cc_")
    expect(page.get_by_text("This is the only time the key is shown.")).to_be_visible()
    until = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%-d %b %Y")
    row = page.get_by_role("row", name=re.compile("HR sync"))
    expect(row).to_contain_text("Officers: read and change")
    expect(row).to_contain_text(f"until {until}")
    expect(row).to_contain_text("Never")
    assert_accessible(page, axe)

    assert api_status(live_server.url, key) == 200  # the HR system uses it

    page.goto("/council/api-tokens/")  # the page again, as a person coming back to it
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    expect(page.get_by_text(key)).to_have_count(0)  # never shown again
    row = page.get_by_role("row", name=re.compile("HR sync"))
    expect(row).not_to_contain_text("Never")
    expect(row).to_contain_text(timezone.localdate().strftime("%-d %b %Y"))
    assert_accessible(page, axe)

    row.get_by_role("link", name="Revoke HR sync").click()  # asks first
    expect(
        page.get_by_role(
            "heading", level=1, name="Are you sure you want to revoke the token HR sync?"
        )
    ).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Officers: read and change")
    assert_accessible(page, axe)
    page.get_by_role("link", name="Cancel").click()  # changes nothing
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    assert api_status(live_server.url, key) == 200

    page.get_by_role("row", name=re.compile("HR sync")).get_by_role(
        "link", name="Revoke HR sync"
    ).click()
    page.get_by_role("button", name="Yes, revoke the token").click()
    success(page, "The token HR sync has been revoked and no longer works")
    expect(page.get_by_role("row", name=re.compile("HR sync"))).to_contain_text("Revoked")
    expect(page.get_by_role("link", name="Revoke HR sync")).to_have_count(0)
    assert_accessible(page, axe)

    assert api_status(live_server.url, key) == 401


# CSV imports --------------------------------------------------------------------------------


def test_hr_fixes_a_bad_line_previews_and_imports_officers(page: Page, axe):
    demo_sign_in(page, "hr")
    page.get_by_role("link", name="Import and export people").click()
    expect(page.get_by_role("heading", level=1, name="Import and export people")).to_be_visible()
    expect(page.get_by_text("Upload a CSV file of officers.")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)  # officers are all HR imports
    expect(page.get_by_role("link", name="Members (CSV)")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Import and export")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, axe)

    page.get_by_role("button", name="Preview the changes").click()  # no file
    error_summary(page, "Select a CSV file")
    assert_accessible(page, axe)

    upload = page.get_by_label("CSV file")
    upload.set_input_files(
        files=csv_file(
            "employee_number,full_name,email,job_title,seniority\n"
            "E9001,Jo Bloggs,jo.bloggs@demo.councilcase.test,Planning officer,officer\n"
            "E9002,Kim Lee,kim.lee@demo.councilcase.test,Planning manager,boss\n"
        )
    )
    page.get_by_role("button", name="Preview the changes").click()
    error_summary(page, "The file has 1 problem: correct it and upload the file again")
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.get_by_role("row", name=re.compile("^3 seniority"))).to_contain_text(
        "Not a valid seniority. Use one of officer, manager"
    )
    assert_accessible(page, axe)

    upload.set_input_files(
        files=csv_file(
            "employee_number,full_name,email,job_title,seniority\n"
            "E9001,Jo Bloggs,jo.bloggs@demo.councilcase.test,Planning officer,officer\n"
            "E9002,Kim Lee,kim.lee@demo.councilcase.test,Planning manager,manager\n"
        )
    )
    page.get_by_role("button", name="Preview the changes").click()
    expect(
        page.get_by_role("heading", level=1, name="Check the changes before importing")
    ).to_be_visible()
    expect(page.get_by_text("Nothing has been changed yet.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Add")).to_contain_text("2")
    assert_accessible(page, axe)

    page.get_by_role("button", name="Import the file").click()
    success(page, "Officers imported: 2 added, 0 changed, 0 unchanged")
    assert_accessible(page, axe)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    page.get_by_label("Search by name, job title or ward").fill("Kim Lee")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Kim Lee")).to_be_visible()


def test_administrator_fixes_a_bad_ward_previews_and_imports_members(page: Page, axe):
    demo_sign_in(page, "administrator")
    page.get_by_role("link", name="Import and export people").click()
    expect(page.get_by_role("link", name="Members (CSV)")).to_be_visible()
    page.get_by_role("radio", name="Members").check()
    page.get_by_label("CSV file").set_input_files(
        files=csv_file("full_name,kind,ward\nCllr Rowan Ash,councillor,Atlantis\n")
    )
    page.get_by_role("button", name="Preview the changes").click()
    error_summary(page, "The file has 1 problem")
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.get_by_role("row", name=re.compile("^2 ward"))).to_contain_text(
        "This council has no ward Atlantis."
    )
    expect(page.get_by_role("radio", name="Members")).to_be_checked()
    assert_accessible(page, axe)

    page.get_by_label("CSV file").set_input_files(
        files=csv_file("full_name,kind,ward\nCllr Rowan Ash,councillor,Abbey\n")
    )
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_text("Importing this file of members would:")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Import the file").click()
    success(page, "Members imported: 1 added")
    assert_accessible(page, axe)

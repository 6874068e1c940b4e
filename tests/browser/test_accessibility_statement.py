"""The accessibility statement and the Content Security Policy in a real browser: the
statement is reachable from the footer without signing in, and pages (GOV.UK Frontend's
JavaScript, the triage charts, Swagger UI) work under the policy with no violation reported."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, demo_sign_in

pytestmark = pytest.mark.browser


def watch_for_csp_violations(page: Page) -> list[str]:
    """Every Content Security Policy violation the page reports, as Chromium logs it."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_anyone_reads_the_accessibility_statement_from_the_footer(page: Page, axe):
    violations = watch_for_csp_violations(page)
    page.goto("/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(
        page.get_by_role("heading", level=1, name="Accessibility statement for Councilcase")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Compliance status")).to_be_visible()
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert_accessible(page, axe)
    assert violations == []


@pytest.mark.usefixtures("demo")
def test_triage_dashboard_charts_draw_under_the_policy(page: Page, axe):
    violations = watch_for_csp_violations(page)
    demo_sign_in(page, "monitoring.officer")
    page.goto("/complaints/")
    expect(page.get_by_role("heading", level=1, name="Complaints triage")).to_be_visible()
    # Each chart's longest bar fills its track: the width attribute applies without a style.
    widths = page.locator(".app-chart__bar").evaluate_all(
        "bars => bars.map(bar => bar.getBoundingClientRect().width)"
    )
    tracks = page.locator(".app-chart__track").evaluate_all(
        "tracks => tracks.map(track => track.getBoundingClientRect().width)"
    )
    assert widths and max(widths) == pytest.approx(max(tracks), abs=1)
    assert_accessible(page, axe)
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert violations == []


def test_swagger_ui_starts_under_the_policy(page: Page):
    violations = watch_for_csp_violations(page)
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("Councilcase API"))).to_be_visible()
    assert violations == []


def test_the_policy_blocks_an_injected_inline_script(page: Page):
    violations = watch_for_csp_violations(page)
    page.goto("/accessibility/")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="document.body.dataset.injected = 'yes'")
    expect(page.locator("body")).not_to_have_attribute("data-injected", "yes")
    assert violations

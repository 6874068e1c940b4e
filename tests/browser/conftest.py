"""Browser journeys: headless Chromium driven by Playwright against pytest-django's live_server.

Cookies. The suite runs with DEBUG off, so the session and CSRF cookies are ``Secure`` and the
live server speaks plain HTTP. The server is kept on ``http://localhost`` (pytest-django's
default address, checked below): Chromium treats localhost as a secure context and stores and
sends ``Secure`` cookies there, so the journeys run with the production cookie settings rather
than with them switched off for the tests.

Data. ``live_server`` needs the transactional database (the server thread cannot see a test's
open transaction), which is emptied after each test, so each journey loads the demo council
again with ``seed_demo`` (the ``demo`` fixture). With a fast password hasher that takes well
under a second; the production hasher would spend seconds on the eight demo passwords and on
every sign-in.

Playwright cannot download its own browser here: Debian's Chromium is used.
"""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from council.management.commands.seed_demo import DEMO_PASSWORD, demo_email

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(live_server, fast_password_hashing):
    """The demo council, committed where the live server can read it."""
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())


@pytest.fixture
def page(browser, live_server) -> Page:
    """A fresh browser context (no cookies) per test, with the live server as base URL."""
    assert live_server.url.startswith("http://localhost:"), (
        "Secure cookies need a secure context: run the live server on localhost"
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    browser_page = context.new_page()
    yield browser_page
    context.close()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page as a person would, and land on their home page."""
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Your Councilcase")).to_be_visible()


def demo_sign_in(page: Page, local_part: str) -> None:
    sign_in(page, demo_email(local_part))


def assert_accessible(page: Page, axe: Axe | None = None) -> None:
    """Run axe-core on the page as it is now; fail listing every WCAG 2.2 AA violation."""
    results = (axe or Axe()).run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    if results.violations_count:
        pytest.fail(f"{page.url}\n{results.generate_report()}", pytrace=False)

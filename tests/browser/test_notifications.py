"""The demo councillor's notifications: the header's badge says how many are unread, the
notifications page lists them, and "Mark as read" lowers the count. axe-clean in each state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from complaints.models import Enquiry
from core.notifications.models import Notification
from core.notifications.services import notify
from council.management.commands.seed_demo import demo_email
from council.models import User

from .conftest import assert_accessible, demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def unread(count: int) -> re.Pattern:
    """The badge's accessible name, "Notifications, 3 unread" (Chromium puts a space around
    the visually hidden comma)."""
    return re.compile(rf"^Notifications\s*,\s*{count} unread$")


def test_councillor_sees_the_badge_opens_notifications_and_marks_one_read(page: Page, axe):
    councillor = User.objects.get(email=demo_email("councillor"))
    Notification.objects.filter(recipient=councillor).delete()
    enquiry = Enquiry.objects.filter(member__user=councillor).order_by("pk").first()
    for number, subject in enumerate(("Your enquiry has news", "Your enquiry has more news")):
        notify(
            recipients=[councillor],
            kind="acknowledged",
            subject=subject,
            resource=enquiry,
            dedupe_key_base=f"browser:{number}",
        )

    demo_sign_in(page, "councillor")
    navigation = page.get_by_role("navigation", name="Menu")
    badge = navigation.get_by_role("link", name=unread(2))
    expect(badge).to_be_visible()
    assert_accessible(page, axe)

    badge.click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(page.get_by_text("Unread", exact=True)).to_have_count(2)
    assert_accessible(page, axe)

    page.get_by_role(
        "button", name=re.compile(r"^Mark as read\s*: Your enquiry has more news$")
    ).click()
    expect(page.get_by_text("“Your enquiry has more news” is marked as read")).to_be_visible()
    expect(navigation.get_by_role("link", name=unread(1))).to_be_visible()
    expect(page.get_by_text("Unread", exact=True)).to_have_count(1)
    assert_accessible(page, axe)

    page.get_by_role("link", name="Your enquiry has news").click()
    expect(page).to_have_url(re.compile(rf"/enquiries/{enquiry.pk}/$"))
    expect(navigation.get_by_role("link", name=re.compile(r"^Notifications$"))).to_be_visible()
    assert_accessible(page, axe)

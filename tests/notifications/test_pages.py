"""The notifications page and the header's badge through the Django test client: the
signed-in person's own notifications, newest first, in keyset pages; opening one and "Mark as
read" mark it read; anyone else's is not found; pinned query counts."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import Enquiry
from core import keyset
from core.notifications.models import Notification
from core.notifications.services import notify
from council.management.commands.seed_demo import demo_email
from council.models import Council, User
from tests.pages import content, pagination_href


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    return Council.objects.get(slug="demo")


def person(local_part) -> User:
    return User.objects.get(email=demo_email(local_part))


def tell(user, count, *, key="test", prefix="Note"):
    """``count`` new notifications for ``user`` about one of the demo enquiries."""
    enquiry = Enquiry.objects.order_by("pk").first()
    for number in range(count):
        notify(
            recipients=[user],
            kind="reminder",
            subject=f"{prefix} {number:03}",
            resource=enquiry,
            dedupe_key_base=f"{key}:{number}",
        )
    return enquiry


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_badge_says_how_many_are_unread_in_words(client, demo):
    user = person("councillor")
    Notification.objects.filter(recipient=user).delete()
    client.force_login(user)
    page = content(client.get(reverse("home")))
    assert f'href="{reverse("notifications")}"' in page
    assert "unread</span></strong>" not in page
    tell(user, 3)
    page = content(client.get(reverse("home")))
    assert (
        'Notifications<span class="govuk-visually-hidden">, </span><strong class="govuk-tag '
        'govuk-tag--red govuk-!-margin-left-1">3<span class="govuk-visually-hidden"> unread' in page
    )


def test_the_list_shows_only_the_viewers_own_newest_first_with_unread_marked(client, demo):
    user, other = person("councillor"), person("caseworker")
    Notification.objects.filter(recipient__in=[user, other]).delete()
    tell(user, 2)
    tell(other, 1, key="other", prefix="Theirs")
    Notification.objects.filter(recipient=user, subject="Note 000").update(read_at=timezone.now())
    client.force_login(user)
    page = content(client.get(reverse("notifications")))
    assert page.index("Note 001") < page.index("Note 000")
    assert len(re.findall(r">\s*Unread\s*<", page)) == len(re.findall(r">\s*Read\s*<", page)) == 1
    assert page.count("Mark as read<") == 1
    opened = Notification.objects.get(recipient=user, subject="Note 001")
    assert f'href="{reverse("notification-open", args=[opened.pk])}"' in page
    assert "Theirs" not in page


def test_opening_one_marks_it_read_and_goes_to_its_enquiry(client, demo):
    user = person("councillor")
    enquiry = tell(user, 1)
    notification = Notification.objects.get(recipient=user, subject="Note 000")
    client.force_login(user)
    response = client.get(reverse("notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiry", args=[enquiry.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_as_read_is_a_post_and_says_so(client, demo):
    user = person("councillor")
    tell(user, 1)
    notification = Notification.objects.get(recipient=user, subject="Note 000")
    client.force_login(user)
    mark = reverse("notification-mark-read", args=[notification.pk])
    assert client.get(mark).status_code == 405
    before = unread(user)
    response = client.post(mark, follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications")
    assert "is marked as read" in content(response)
    assert unread(user) == before - 1
    # Marking it again changes nothing.
    read_at = Notification.objects.get(pk=notification.pk).read_at
    client.post(mark)
    assert Notification.objects.get(pk=notification.pk).read_at == read_at


def test_someone_elses_notification_is_not_found(client, demo):
    tell(person("caseworker"), 1)
    theirs = Notification.objects.get(recipient=person("caseworker"), subject="Note 000")
    client.force_login(person("councillor"))
    assert client.get(reverse("notification-open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification-mark-read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_list_pages_by_keyset(client, demo):
    user = person("councillor")
    Notification.objects.filter(recipient=user).delete()
    tell(user, 30)
    client.force_login(user)
    first = content(client.get(reverse("notifications")))
    assert "Note 029" in first and "Note 005" in first and "Note 004" not in first
    assert "govuk-pagination__prev" not in first
    second = content(client.get(reverse("notifications") + pagination_href(first, "next")))
    assert "Note 004" in second and "Note 000" in second and "Note 005" not in second
    assert "govuk-pagination__next" not in second
    back = content(client.get(reverse("notifications") + pagination_href(second, "prev")))
    assert "Note 029" in back and "Note 005" in back and "Note 004" not in back


def test_a_member_with_none_is_told_so(client, demo):
    user = person("councillor")
    Notification.objects.filter(recipient=user).delete()
    client.force_login(user)
    assert "You have no notifications." in content(client.get(reverse("notifications")))


# Query counts: session, user, the viewer's officer and member records (the navigation's
# roles), the unread count (the badge) and one query for the page (no COUNT of rows). The same
# for 5 and 50 notifications, on the first page and a deep one.


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_constant(client, demo, django_assert_num_queries, count):
    user = person("councillor")
    tell(user, count)
    client.force_login(user)
    deep = Notification.objects.filter(recipient=user).order_by("id")[2]
    cursor = keyset.encode(keyset.Position((deep.pk,)), Notification, ("-id",))
    for params in ({}, {"cursor": cursor}):
        with django_assert_num_queries(2):
            assert client.get(reverse("notifications"), params).status_code == 200

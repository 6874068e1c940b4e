"""Protocol reviews remind the Monitoring Officer (DESIGN.md, Protocols): 30 days before the
review falls due and when it is overdue, exactly once each, however often the daily task
runs."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from core.notifications.models import Notification
from council.choices import StatutoryRole
from protocols import services, tasks
from tests import factories

from .conftest import BY

UTC = datetime.UTC
# The adopted fixture's review falls due on 1 April 2026.
REVIEW_DUE = datetime.date(2026, 4, 1)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(6, 0), UTC)


@pytest.fixture
def monitoring_officer(council):
    return factories.person("monitoring_officer", council)


@pytest.fixture
def deputy(council):
    user = factories.UserFactory(council=council)
    factories.OfficerFactory(
        council=council,
        user=user,
        email=user.email,
        statutory_role=StatutoryRole.DEPUTY_MONITORING_OFFICER,
    )
    return user


def notices():
    return list(Notification.objects.order_by("id").values_list("recipient_id", "kind", "subject"))


def test_nothing_before_the_reminder_window(adopted, monitoring_officer):
    assert services.remind_reviews(now=at(REVIEW_DUE - datetime.timedelta(days=31))) == 0
    assert notices() == []


def test_reminded_once_thirty_days_before_however_often_it_runs(adopted, monitoring_officer):
    day = REVIEW_DUE - datetime.timedelta(days=30)
    assert services.remind_reviews(now=at(day)) == 1
    assert services.remind_reviews(now=at(day)) == 0
    assert services.remind_reviews(now=at(day + datetime.timedelta(days=1))) == 0
    assert notices() == [
        (
            monitoring_officer.pk,
            "reminder",
            "The review of Protocol for Member/Officer Relations (2025 edition) is due on "
            "1 April 2026",
        )
    ]


def test_told_once_when_overdue(adopted, monitoring_officer):
    services.remind_reviews(now=at(REVIEW_DUE - datetime.timedelta(days=10)))
    assert services.remind_reviews(now=at(REVIEW_DUE)) == 0  # due today: not yet overdue
    after = REVIEW_DUE + datetime.timedelta(days=1)
    assert services.remind_reviews(now=at(after)) == 1
    assert services.remind_reviews(now=at(after + datetime.timedelta(days=7))) == 0
    assert [kind for _, kind, _ in notices()] == ["reminder", "overdue"]


def test_deputies_are_reminded_too(adopted, monitoring_officer, deputy):
    services.remind_reviews(now=at(REVIEW_DUE))
    assert {recipient for recipient, _, _ in notices()} == {monitoring_officer.pk, deputy.pk}


def test_a_new_review_date_starts_the_reminders_afresh(adopted, monitoring_officer):
    services.remind_reviews(now=at(REVIEW_DUE + datetime.timedelta(days=1)))
    services.update_version(version=adopted, by=BY, next_review_on=datetime.date(2027, 4, 1))
    assert services.remind_reviews(now=at(datetime.date(2027, 3, 10))) == 1
    assert services.remind_reviews(now=at(datetime.date(2027, 3, 10))) == 0


def test_superseded_and_draft_versions_are_not_reviewed(protocol, draft, monitoring_officer):
    assert services.remind_reviews(now=at(datetime.date(2030, 1, 1))) == 0


def test_another_councils_monitoring_officer_is_not_told(adopted, other_council):
    other = factories.person("monitoring_officer", other_council)
    services.remind_reviews(now=at(REVIEW_DUE))
    assert not Notification.objects.filter(recipient=other).exists()


def test_the_task_runs_the_reminders_twice_without_telling_twice(adopted, monitoring_officer):
    tasks.remind_reviews_task.apply().get()
    first = notices()
    tasks.remind_reviews_task.apply().get()
    assert notices() == first


def test_beat_runs_the_reminders_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-protocol-reviews"]
    assert entry == {"task": "protocols.remind_reviews", "schedule": 86400.0}
    assert settings.CELERY_TIMEZONE == "UTC"


def test_the_reminder_opens_the_version_page(client, adopted, monitoring_officer):
    services.remind_reviews(now=at(REVIEW_DUE - datetime.timedelta(days=30)))
    (notification,) = Notification.objects.filter(recipient=monitoring_officer)
    client.force_login(monitoring_officer)
    opened = client.get(f"/notifications/{notification.pk}/", follow=True)
    assert opened.redirect_chain[-1][0] == (
        f"/protocols/{adopted.protocol_id}/versions/{adopted.pk}/"
    )
    assert opened.status_code == 200

"""Exactly-once delivery through a real Celery worker and a real Redis (issue 3, Proof).

Each test starts its own Redis and worker (tests/celery/conftest.py); e-mails go to files so
they can be counted per recipient.
"""

from __future__ import annotations

import collections
import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import services as complaints_services
from complaints.sweep import sweep_deadlines
from core.notifications.models import Notification
from core.notifications.services import notify
from core.notifications.tasks import deliver_notification, deliver_notifications, relay_outbox
from council.choices import Seniority, Team
from tests import factories
from tests.complaints.conftest import NOW, RECEIVED, member, officer

from .conftest import publish, sent_emails, wait_until

pytestmark = [pytest.mark.celery, pytest.mark.xdist_group("celery")]

MONDAY_23 = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def all_sent():
    return not Notification.objects.filter(email_sent_at__isnull=True).exists()


def expected_emails() -> collections.Counter:
    return collections.Counter(Notification.objects.values_list("recipient__email", flat=True))


@pytest.fixture
def people(transactional_db):
    council = factories.CouncilFactory(slug="city", name="City Council")
    highways = factories.DirectorateFactory(council=council, name="Highways")
    director = officer(council, highways, seniority=Seniority.DIRECTOR)
    highways.director = director
    highways.save()
    manager = officer(council, seniority=Seniority.MANAGER)
    return {
        "council": council,
        "highways": highways,
        "casework": officer(council, teams=[Team.CASEWORK]).user,
        "assignee": officer(council, highways, line_manager=manager),
        "colleague": officer(council, highways),
        "member": member(council),
    }


def log(people, **fields):
    return complaints_services.log_enquiry(
        council=people["council"],
        by=people["casework"],
        member=people["member"],
        subject="Pothole",
        channel="email",
        directorate=people["highways"],
        received_at=RECEIVED,
        now=NOW,
        **fields,
    )


def test_sweep_notifications_are_emailed_once_and_a_second_sweep_sends_nothing(
    people, redis_server, celery_worker, mail_dir
):
    for _ in range(5):
        log(people, assigned_officer=people["assignee"])
    sweep_deadlines(now=MONDAY_23)  # escalates all five; tells director, assignee, manager
    assert Notification.objects.count() == 5 * 5  # assigned, escalated x2, overdue x2
    celery_worker.start()
    wait_until(all_sent)
    assert collections.Counter(sent_emails(mail_dir)) == expected_emails()

    assert sweep_deadlines(now=MONDAY_23 + datetime.timedelta(minutes=5)).notifications == 0
    every = list(Notification.objects.values_list("pk", flat=True))
    for pk in every:  # redelivered messages, one by one and as a chunk
        publish(deliver_notification, pk)
    publish(deliver_notifications, every)
    publish(relay_outbox, older_than=0)
    wait_until(lambda: redis_server_queue_empty(redis_server))
    assert collections.Counter(sent_emails(mail_dir)) == expected_emails()


def redis_server_queue_empty(server) -> bool:
    import redis

    client = redis.Redis.from_url(server.url)
    try:
        return client.llen("celery") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def test_a_worker_killed_mid_delivery_then_restarted_sends_each_once(
    people, redis_server, celery_worker, mail_dir
):
    recipients = [officer(people["council"]) for _ in range(8)]
    with transaction.atomic():  # committed: the ids go to Redis on commit
        for recipient in recipients:
            notify(
                recipients=[recipient],
                kind="reminder",
                subject="Enquiry due",
                resource=people["highways"],
                dedupe_key_base=f"kill-test:{recipient.pk}",
            )
    slow = celery_worker.start(
        DJANGO_EMAIL_BACKEND="tests.celery.slowmail.EmailBackend",
        COUNCILCASE_TEST_SLOW_MAIL_SECONDS="0.5",
    )
    wait_until(lambda: Notification.objects.filter(email_sent_at__isnull=False).count() >= 2)
    slow.kill()
    sent_before_restart = Notification.objects.filter(email_sent_at__isnull=False).count()
    assert sent_before_restart < len(recipients)
    assert len(sent_emails(mail_dir)) == sent_before_restart

    celery_worker.start()
    # The message the killed worker held stays unacknowledged in Redis until its visibility
    # timeout; the relay delivers its row now.
    publish(relay_outbox, older_than=0)
    wait_until(all_sent)
    assert collections.Counter(sent_emails(mail_dir)) == expected_emails()
    assert sorted(sent_emails(mail_dir)) == sorted(r.email for r in recipients)


def test_with_redis_down_assigning_succeeds_and_the_relay_delivers_once_it_is_back(
    people, redis_server, celery_worker, mail_dir
):
    enquiries = [log(people) for _ in range(4)]
    redis_server.stop()
    client = APIClient()
    client.force_login(people["casework"])
    for enquiry in enquiries:
        response = client.post(
            reverse("enquiry-assign", args=[enquiry.pk]),
            {"officer": people["colleague"].pk},
            format="json",
        )
        assert response.status_code == 200, response.content
    assert Notification.objects.filter(kind="assigned").count() == 4
    assert not Notification.objects.filter(email_sent_at__isnull=False).exists()

    redis_server.start()
    celery_worker.start()
    publish(relay_outbox, older_than=0)
    wait_until(all_sent)
    assert sent_emails(mail_dir) == [people["colleague"].email] * 4

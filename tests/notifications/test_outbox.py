"""The outbox (core.notifications.services): written once, e-mailed once, without content,
and a broker outage never fails the change that caused it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core.notifications import services
from core.notifications.models import Notification
from core.notifications.tasks import deliver_notification, deliver_notifications
from tests import factories


@pytest.fixture
def directorate(council):
    return factories.DirectorateFactory(council=council, name="Highways")


@pytest.fixture
def officer(council):
    return factories.person("officer", council)


def tell(recipients, directorate, key="k"):
    return services.notify(
        recipients=recipients,
        kind="reminder",
        subject="Enquiry ENQ-2026-000001: response due 19 Nov 2026",
        resource=directorate,
        dedupe_key_base=f"test:{key}",
    )


def test_notify_writes_one_row_per_recipient_at_most_once(officer, council, directorate):
    other = factories.person("casework", council)
    first = tell([officer, other, officer, None], directorate)
    assert len(first) == 2
    assert tell([officer, other], directorate) == []
    assert sorted(Notification.objects.values_list("dedupe_key", flat=True)) == sorted(
        [f"test:k:user:{officer.pk}", f"test:k:user:{other.pk}"]
    )


def test_notify_accepts_officer_records(council, directorate):
    officer = factories.OfficerFactory(council=council, user=factories.UserFactory(council=council))
    (pk,) = tell([officer], directorate)
    assert Notification.objects.get(pk=pk).recipient_id == officer.user_id


def test_notify_rolls_back_with_the_change(officer, directorate):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell([officer], directorate)
        raise RuntimeError
    assert not Notification.objects.exists()


def test_delivery_sends_one_email_without_content(officer, directorate):
    (pk,) = tell([officer], directorate)
    assert deliver_notification(pk) is True
    assert deliver_notification(pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert deliver_notifications([pk, pk]) == 0  # a redelivered chunk sends nothing again
    assert message.subject == "You have a new item in Councilcase"
    assert "ENQ-" not in message.body and "Highways" not in message.body
    row = Notification.objects.get(pk=pk)
    assert row.email_sent_at is not None and row.email_attempts == 1


def test_failed_send_is_recorded_and_retried_by_the_relay(officer, directorate, monkeypatch):
    (pk,) = tell([officer], directorate)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert services.deliver(notification_id=pk) is False
    row = Notification.objects.get(pk=pk)
    assert (row.email_sent_at, row.email_attempts) == (None, 1)
    assert "SMTP down" in row.email_last_error
    monkeypatch.undo()
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert services.relay_unsent(now=later) == 1
    assert len(mail.outbox) == 1


def test_relay_leaves_fresh_rows_to_their_task(officer, directorate):
    tell([officer], directorate)
    assert services.relay_unsent() == 0
    assert services.relay_unsent(older_than=0) == 1
    assert services.relay_unsent(older_than=0) == 0


def test_broker_failure_on_commit_is_logged_not_raised(
    officer, directorate, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from core.localservices import free_port

    monkeypatch.setattr(
        deliver_notifications.app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0"
    )
    with django_capture_on_commit_callbacks(execute=True):
        (pk,) = tell([officer], directorate)
    assert "the outbox relay will deliver them" in caplog.text
    assert Notification.objects.get(pk=pk).email_sent_at is None


def test_unreachable_redis_fails_fast_and_quietly(officer, directorate, monkeypatch, caplog):
    """A real publish to a port nobody listens on: the caller carries on."""
    from core.localservices import free_port

    monkeypatch.setattr(
        deliver_notifications.app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0"
    )
    started = timezone.now()
    services.enqueue_delivery([1, 2, 3])
    assert (timezone.now() - started).total_seconds() < 3
    assert "Could not enqueue notifications [1, 2, 3]" in caplog.text


def test_a_batch_written_at_one_time_is_delivered_once_by_that_time(council, directorate):
    first, second = factories.person("officer", council), factories.person("officer", council)
    (early,) = tell([first], directorate, key="early")
    (late,) = tell([second], directorate, key="late")
    stamp = timezone.now().replace(microsecond=0)
    Notification.objects.filter(pk=late).update(created_at=stamp)
    assert services.deliver_written_at(created_at=stamp) == 1
    assert services.deliver_written_at(created_at=stamp) == 0
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert Notification.objects.get(pk=early).email_sent_at is None

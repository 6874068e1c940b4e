"""council.sessions: Django's database sessions, read with the signed-in account in one
statement. A live session signs the person in; an expired, unknown or signed-out one does not;
Django's own checks (password changed, account deactivated) still sign the person out."""

import datetime
import importlib

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.utils import timezone

from council.models import Session
from council.sessions import SessionStore
from tests import factories

PAGE = "/accessibility/"


def signed_in_client(client, db):
    user = factories.person("casework", factories.CouncilFactory())
    client.force_login(user)
    return user


def test_a_live_session_is_read_with_its_account_in_one_query(
    client, db, django_assert_num_queries
):
    user = signed_in_client(client, db)
    client.get(PAGE)
    assert Session.objects.get(session_key=client.session.session_key).user_id == user.pk
    store = SessionStore(client.session.session_key)
    with django_assert_num_queries(1):
        assert store.load()[SESSION_KEY] == str(user.pk)
        assert store.account.pk == user.pk
        assert store.account.officer.council_id == user.council_id


def test_a_signed_in_page_asks_the_database_who_is_signed_in_once(
    client, db, django_assert_num_queries
):
    signed_in_client(client, db)
    client.get(PAGE)
    with django_assert_num_queries(1):
        response = client.get(PAGE)
    assert "Sign out" in response.content.decode()


def test_a_session_without_an_account_has_none(db):
    store = SessionStore()
    store["seen"] = True
    store.save()
    assert Session.objects.get(session_key=store.session_key).user_id is None
    loaded = SessionStore(store.session_key)
    assert loaded.load() == {"seen": True} and loaded.account is None


def test_an_expired_session_is_not_read(client, db):
    signed_in_client(client, db)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {} and store.account is None
    assert store.session_key is None  # a fresh key is made on the next save, as Django does
    assert "Sign out" not in client.get(PAGE).content.decode()


def test_an_unknown_key_reads_nothing(db):
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_signing_out_ends_the_session(client, db):
    signed_in_client(client, db)
    key = client.session.session_key
    client.logout()
    assert SessionStore(key).load() == {}


def test_a_password_changed_elsewhere_signs_the_session_out(client, db):
    user = signed_in_client(client, db)
    assert "Sign out" in client.get(PAGE).content.decode()
    user.set_password("a-new-and-long-passphrase")
    user.save()
    assert "Sign out" not in client.get(PAGE).content.decode()


def test_a_deactivated_account_is_signed_out(client, db):
    user = signed_in_client(client, db)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert "Sign out" not in client.get(PAGE).content.decode()


def test_deleting_an_account_ends_its_sessions(client, db):
    user = factories.UserFactory(council=factories.CouncilFactory())
    client.force_login(user)
    key = client.session.session_key
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_live_sessions_are_copied_by_the_migration(db):
    user = factories.UserFactory(council=factories.CouncilFactory())
    old = DjangoSessionStore()
    old[SESSION_KEY] = str(user.pk)
    old.save()
    stale = DjangoSessionStore()
    stale[SESSION_KEY] = str(user.pk)
    stale.set_expiry(-10)
    stale.save()
    migration = importlib.import_module("council.migrations.0006_session")
    migration.copy_live_sessions(apps, None)
    copied = Session.objects.get(session_key=old.session_key)
    assert copied.user_id == user.pk
    assert SessionStore(old.session_key).load()[SESSION_KEY] == str(user.pk)
    assert not Session.objects.filter(session_key=stale.session_key).exists()


def test_expired_sessions_are_cleared_daily(client, db, settings):
    from council.tasks import clear_expired_sessions_task

    signed_in_client(client, db)
    live = client.session.session_key
    stale = SessionStore()
    stale["seen"] = True
    stale.set_expiry(-10)
    stale.save()
    clear_expired_sessions_task()
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry == {"task": "council.clear_expired_sessions", "schedule": 86400.0}


def prepared_statements():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_the_session_statement_is_prepared_once_per_connection(
    client, db, django_assert_num_queries
):
    signed_in_client(client, db)
    client.get(PAGE)
    assert "councilcase_session_account" in prepared_statements()
    with django_assert_num_queries(1) as captured:
        assert "Sign out" in client.get(PAGE).content.decode()
    assert captured.captured_queries[0]["sql"].startswith("EXECUTE councilcase_session_account(")


def test_without_prepared_statements_the_same_statement_is_sent_each_time(
    client, db, settings, django_assert_num_queries
):
    settings.PREPARED_STATEMENTS = False
    user = signed_in_client(client, db)
    with django_assert_num_queries(1) as captured:
        assert "Sign out" in client.get(PAGE).content.decode()
    assert captured.captured_queries[0]["sql"].startswith("SELECT s.")
    assert SessionStore(client.session.session_key).load()[SESSION_KEY] == str(user.pk)

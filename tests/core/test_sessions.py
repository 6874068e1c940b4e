"""core.sessions: Django's database sessions, read by a statement written once per process.
A live session signs the person in; an expired, unknown or signed-out one does not."""

import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore
from tests import factories


def signed_in_client(client, db):
    user = factories.person("casework", factories.CouncilFactory())
    client.force_login(user)
    return user


def test_a_live_session_signs_the_person_in_with_one_read(client, db, django_assert_num_queries):
    signed_in_client(client, db)
    client.get("/accessibility/")
    store = SessionStore(client.session.session_key)
    with django_assert_num_queries(1):
        assert store.load()["_auth_user_id"]


def test_an_expired_session_is_not_read(client, db):
    signed_in_client(client, db)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None  # a fresh key is made on the next save, as Django does
    assert "Sign out" not in client.get("/accessibility/").content.decode()


def test_an_unknown_key_reads_nothing(db):
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_signing_out_ends_the_session(client, db):
    signed_in_client(client, db)
    key = client.session.session_key
    client.logout()
    assert SessionStore(key).load() == {}

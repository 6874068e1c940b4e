"""Django's database sessions, with the signed-in account read in the same statement.

Every signed-in request reads its session and then its account. Here the session's row
(``council.models.Session``: Django's, plus the account's id in a column of its own) is read
by one statement written once per process, joined to the account with its officer, member
and council records and its unread notifications (council.backends): one query where
Django's database sessions and ``ModelBackend`` take two, each built through the ORM on
every request. Everything else (saving, expiry, cycling the key, signing out, clearing
expired sessions) is Django's own. ``SESSION_ENGINE = "council.sessions"``.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import router
from django.utils import timezone

from .backends import statement


class SessionStore(DatabaseSessionStore):
    # The account read with the session (None without one), for PersonBackend.get_user.
    account = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        """The row saved: Django's, with the signed-in account's id (None when nobody is)."""
        session = super().create_model_instance(data)
        session.user_id = _account_id(data.get(SESSION_KEY))
        return session

    def _get_session_from_db(self):
        model = self.model
        found = statement(router.db_for_read(model), by_session=True)
        row = found.fetch([self.session_key, timezone.now()])
        if row is None:
            self.account = None
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
            return None
        self.account = found.account(row)
        return model(
            session_key=self.session_key,
            session_data=row[0],
            expire_date=row[1],
            user_id=None if self.account is None else self.account.pk,
        )


def _account_id(value):
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None

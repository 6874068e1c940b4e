"""Sessions move to council.Session (the account's id beside the data, council.sessions).

Live sessions are copied across with their account's id, so nobody is signed out by the
deploy; Django's own table is left as it was (django.contrib.sessions stays installed for
``clearsessions``, which now clears this table)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def copy_live_sessions(apps, schema_editor):
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("council", "Session")
    User = apps.get_model("council", "User")
    store = SessionStore()
    batch = []
    for old in Old.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        user_id = store.decode(old.session_data).get(SESSION_KEY)
        batch.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=int(user_id) if str(user_id or "").isdigit() else None,
            )
        )
        if len(batch) == 2000:
            _save(New, User, batch)
            batch = []
    _save(New, User, batch)


def _save(New, User, batch):
    known = set(
        User.objects.filter(pk__in={s.user_id for s in batch if s.user_id}).values_list(
            "pk", flat=True
        )
    )
    for session in batch:
        if session.user_id not in known:
            session.user_id = None
    New.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0005_committeemembership_council_required"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_live_sessions, migrations.RunPython.noop),
    ]

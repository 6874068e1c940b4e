"""The Celery application: workers run the deadline sweeps and deliver the notification outbox."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("councilcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

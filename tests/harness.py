"""Starts the real PostgreSQL and Redis the suite runs against, once per run.

Loaded with ``-p tests.harness`` (pyproject addopts) so it runs before pytest-django reads the
settings, which need ``DATABASE_URL`` and ``REDIS_URL``. Under pytest-xdist the controller
starts the servers and the workers inherit their addresses; pytest-django then creates one test
database per worker in the same cluster. Set ``COUNCILCASE_TEST_DATABASE_URL`` and
``COUNCILCASE_TEST_REDIS_URL`` to run against servers of your own instead.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from core.localservices import Postgres, Redis, free_port

_started = []


def _start_services():
    root = Path(tempfile.mkdtemp(prefix="councilcase-test-"))
    os.chmod(root, 0o755)
    database_url = os.environ.get("COUNCILCASE_TEST_DATABASE_URL")
    if not database_url:
        postgres = Postgres(root / "postgres", free_port(), fast=True).start()
        _started.append(postgres)
        database_url = postgres.url
    redis_url = os.environ.get("COUNCILCASE_TEST_REDIS_URL")
    if not redis_url:
        redis = Redis(root / "redis", free_port()).start()
        _started.append(redis)
        redis_url = redis.url
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["COUNCILCASE_TEST_SERVICES_ROOT"] = str(root)
    (root / "static").mkdir()
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(root / "static"))
    atexit.register(_stop_services, root)


def _stop_services(root):
    while _started:
        _started.pop().stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    is_xdist_worker = "PYTEST_XDIST_WORKER" in os.environ
    if not is_xdist_worker and "COUNCILCASE_TEST_SERVICES_ROOT" not in os.environ:
        _start_services()
    os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.environ.setdefault(
        "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return (yield)

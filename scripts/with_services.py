#!/usr/bin/env python
"""Run one command against the local PostgreSQL and Redis (started if needed).

    scripts/with_services.py [--persistent | --production] COMMAND ...

--persistent uses the data of `make run` (under .local/); the default is a throwaway pair of
servers removed afterwards (benchmarks). --production starts nothing and sets production
settings, for `manage.py check --deploy`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.localservices import (  # noqa: E402
    Postgres,
    Redis,
    development_secret_key,
    development_services,
    free_port,
)


def main(argv):
    mode = "throwaway"
    if argv and argv[0] in ("--persistent", "--production"):
        mode = argv.pop(0).lstrip("-")
    if not argv:
        sys.exit(__doc__)
    env = dict(os.environ)
    if mode == "production":
        env.update(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY")
            or "check-deploy-" + "x" * 40 + os.urandom(16).hex(),
            DJANGO_ALLOWED_HOSTS=os.environ.get(
                "DJANGO_ALLOWED_HOSTS", "councilcase.example.gov.uk"
            ),
            DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://councilcase@db/councilcase"),
            REDIS_URL=os.environ.get("REDIS_URL", "redis://redis:6379/0"),
        )
        return subprocess.call(argv, env=env, cwd=ROOT)
    if mode == "persistent":
        local = ROOT / ".local"
        env.setdefault("DJANGO_DEBUG", "true")
        env.setdefault("DJANGO_SECRET_KEY", development_secret_key(local))
        with development_services(local) as urls:
            env.update(urls)
            return subprocess.call(argv, env=env, cwd=ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="councilcase-"))
    tmp.chmod(0o755)
    postgres = Postgres(tmp / "postgres", free_port(), fast=True).start()
    redis = Redis(tmp / "redis", free_port()).start()
    try:
        env.update(
            DATABASE_URL=postgres.url,
            REDIS_URL=redis.url,
            DJANGO_DEBUG="true",
            DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "throwaway-" + os.urandom(24).hex()),
        )
        return subprocess.call(argv, env=env, cwd=ROOT)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

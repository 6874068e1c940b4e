#!/usr/bin/env python
"""`make run`: the demo with everything it needs, in one terminal.

Starts (unless DATABASE_URL / REDIS_URL point elsewhere) a local PostgreSQL and Redis with their
data under .local/, migrates, loads the demo data (idempotent), then runs the web server, a
Celery worker and Celery beat together. Ctrl-C stops every process it started; the next run
reuses the data.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.localservices import development_secret_key, development_services  # noqa: E402

ADDRESS = os.environ.get("COUNCILCASE_ADDRESS", "127.0.0.1:8000")


def main():
    local = ROOT / ".local"
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "true")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    env.setdefault("DJANGO_SECRET_KEY", development_secret_key(local))
    python = sys.executable
    with development_services(local) as urls:
        env.update(urls)

        def manage(*args):
            subprocess.run([python, "manage.py", *args], check=True, env=env, cwd=ROOT)

        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo")
        celery = [python, "-m", "celery", "-A", "config"]
        commands = {
            "web": [python, "manage.py", "runserver", ADDRESS, "--noreload"],
            "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [*celery, "beat", "--loglevel", "INFO"],
        }
        processes = {
            name: subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
            for name, cmd in commands.items()
        }
        print(f"\nCouncilcase is at http://{ADDRESS}/  (API docs: http://{ADDRESS}/api/docs/)")
        print("Press Ctrl-C to stop the web server, worker, beat, PostgreSQL and Redis.\n")
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            print(f"Stopped because {', '.join(failed)} exited", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\nStopping…")
            return 0
        finally:
            # SIGTERM to each main process only: Celery then stops its own pool children
            # (a warm shutdown); the whole group is killed only if it does not stop in time.
            for p in processes.values():
                if p.poll() is None:
                    p.terminate()
            for p in processes.values():
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())

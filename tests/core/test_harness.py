import redis
from django.conf import settings
from django.db import connection


def test_suite_runs_against_real_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()
    assert connection.vendor == "postgresql"
    assert int(version) >= 150000


def test_suite_runs_against_real_redis():
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping() is True
    client.set("councilcase:harness", "ok")
    assert client.get("councilcase:harness") == b"ok"

"""A rate limit per API token (issue 7; API.md, Authentication and scope).

Each token may make ``settings.API_TOKEN_RATE`` requests (``"600/minute"``; the environment's
``COUNCILCASE_API_TOKEN_RATE``) in each fixed window; beyond it the API answers 429 with
``Retry-After`` (seconds to the next window) in the project's error shape. Windows are counted
in the shared cache (Redis, ``CACHES``), keyed by the token's id, so every web process on
every machine counts against the same limit, and the counter is an atomic INCR, so concurrent
requests cannot all slip under it.

Signed-in people are not limited here. This protects the service from a runaway integration;
it is not a security control (DESIGN.md, Security decisions: login limits need their own).
If the cache cannot be reached the request is let through and the failure logged: a Redis
outage must not fail requests (DESIGN.md, Member enquiries).
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger("councilcase.api")

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/minute"`` → ``(600, 60)``: requests allowed and the window in seconds."""
    count, _, period = rate.partition("/")
    seconds = PERIODS.get(period.strip()[:1].lower())
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"A rate is <n>/<second|minute|hour|day>, not {rate!r}.")
    return int(count), seconds


class ApiTokenRateThrottle(BaseThrottle):
    def __init__(self):
        self.retry_after: float | None = None

    def allow_request(self, request, view) -> bool:
        token_id = getattr(request.user, "token_id", None)
        if token_id is None:
            return True
        allowed, period = parse_rate(settings.API_TOKEN_RATE)
        now = time.time()
        window = int(now // period)
        key = f"throttle:token:{token_id}:{period}:{window}"
        try:
            hits = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
        except ValueError:  # the window's key expired between add and incr
            hits = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
        except Exception:  # the cache is down: let the request through
            logger.warning("Could not count API token %s's requests", token_id, exc_info=True)
            return True
        if hits <= allowed:
            return True
        self.retry_after = (window + 1) * period - now
        return False

    def wait(self) -> int | None:
        return None if self.retry_after is None else max(1, math.ceil(self.retry_after))

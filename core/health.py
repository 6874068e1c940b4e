"""A liveness/readiness answer for container health checks and load balancers.

Placed first in MIDDLEWARE so it answers before host validation and the HTTPS redirect: the
checker calls http://127.0.0.1:8000/healthz, which is neither an allowed host nor HTTPS.
"""

from django.db import connection
from django.http import HttpResponse


class HealthCheckMiddleware:
    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != self.path:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # any database failure means "not ready"
            return HttpResponse("database unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")

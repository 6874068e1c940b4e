from django.conf import settings
from django.utils.functional import SimpleLazyObject


def service(request):
    """The service name, and the service navigation for the signed-in person (computed only
    when a template shows it; the role checks it needs cost at most two queries, cached on the
    user for the rest of the request)."""
    return {
        "service_name": settings.SERVICE_NAME,
        "service_navigation": SimpleLazyObject(lambda: _navigation(request)),
    }


def _navigation(request) -> list[dict]:
    # Imported here: core holds no domain rules and must import without the council app.
    from council.views import navigation_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    return navigation_for(user, current_url_name=match.url_name if match else None)

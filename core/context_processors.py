import functools

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html


def service(request):
    """The service name, the service navigation for the signed-in person and their number of
    unread notifications. Both are computed only when a template shows them: the navigation's
    role checks cost at most two queries (cached on the user for the rest of the request), the
    unread count one COUNT, shared by the navigation's badge and any template that asks for
    ``notifications_unread``."""
    unread = functools.cache(lambda: _unread(request))
    return {
        "service_name": settings.SERVICE_NAME,
        "service_navigation": SimpleLazyObject(lambda: _navigation(request, unread)),
        "notifications_unread": unread,
    }


def _unread(request) -> int:
    from core.notifications.selectors import unread_count_for

    return unread_count_for(getattr(request, "user", None))


def _navigation(request, unread) -> list[dict]:
    # Imported here: core holds no domain rules and must import without the council app.
    from council.views import navigation_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else None
    return [
        *navigation_for(user, current_url_name=url_name),
        notifications_item(unread(), current=url_name == "notifications"),
    ]


def notifications_item(unread: int, *, current: bool) -> dict:
    """The navigation's link to the notifications page, with the unread count as a badge whose
    words say what it counts ("Notifications, 3 unread"), not its colour alone."""
    badge = (
        format_html(
            '<span class="govuk-visually-hidden">, </span>'
            '<strong class="govuk-tag govuk-tag--red govuk-!-margin-left-1">{}'
            '<span class="govuk-visually-hidden"> unread</span></strong>',
            unread,
        )
        if unread
        else ""
    )
    return {
        "html": format_html("Notifications{}", badge),
        "href": reverse("notifications"),
        "current": current,
        "active": current,
    }

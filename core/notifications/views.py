"""The signed-in person's notifications page: their own, newest first, unread ones marked;
opening one marks it read and goes to what it is about, and each unread one has a "Mark as
read" button (API.md, Notifications, as a page).

Views are thin: reads through ``selectors.notifications_for`` (anyone else's notification is
not found, 404), marking read through ``services.mark_read``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from core import keyset

from . import selectors, services

NOTIFICATIONS_PER_PAGE = 25

# The page each kind of resource is shown on, by URL name (taking the resource's id).
RESOURCE_PAGES = {
    "enquiry": "enquiry",
    "complaint": "complaint",
    "declaration": "declaration",
    "protocolversion": "protocol-version-by-id",
}


def resource_url(notification) -> str | None:
    """The page of what ``notification`` is about, or None when it has no page yet."""
    url_name = RESOURCE_PAGES.get(notification.resource_type)
    if url_name is None:
        return None
    try:
        return reverse(url_name, args=[notification.resource_id])
    except NoReverseMatch:
        return None


def keyset_page(request, queryset, per_page: int = NOTIFICATIONS_PER_PAGE) -> keyset.LinkedPage:
    """Newest first, paged by keyset on id (core.keyset)."""
    return keyset.page_for_request(request, queryset, ("-id",), per_page)


@login_required
def notification_list(request):
    page = keyset_page(request, selectors.notifications_for(request.user))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": [
                {"notification": notification, "href": resource_url(notification)}
                for notification in page.object_list
            ],
        },
    )


def _own(request, pk: int):
    return get_object_or_404(selectors.notifications_for(request.user), pk=pk)


@login_required
def notification_open(request, pk: int):
    """Mark the notification read and go to what it is about (the list, if it has no page)."""
    notification = services.mark_read(notification=_own(request, pk), by=request.user)
    return redirect(resource_url(notification) or reverse("notifications"))


@login_required
@require_POST
def notification_mark_read(request, pk: int):
    notification = services.mark_read(notification=_own(request, pk), by=request.user)
    messages.success(request, f"“{notification.subject}” is marked as read")
    back = reverse("notifications")
    cursor = request.POST.get(keyset.CURSOR_PARAMETER)
    if cursor:  # back to the page the person was on (an unknown cursor shows the first)
        back += "?" + urlencode({keyset.CURSOR_PARAMETER: cursor})
    return redirect(back)

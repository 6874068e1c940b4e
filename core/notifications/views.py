"""The signed-in person's notifications page: their own, newest first, unread ones marked;
opening one marks it read and goes to what it is about, and each unread one has a "Mark as
read" button (API.md, Notifications, as a page).

Views are thin: reads through ``selectors.notifications_for`` (anyone else's notification is
not found, 404), marking read through ``services.mark_read``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from . import selectors, services

NOTIFICATIONS_PER_PAGE = 25

# The page each kind of resource is shown on, by URL name (taking the resource's id).
RESOURCE_PAGES = {"enquiry": "enquiry"}


def resource_url(notification) -> str | None:
    """The page of what ``notification`` is about, or None when it has no page yet."""
    url_name = RESOURCE_PAGES.get(notification.resource_type)
    if url_name is None:
        return None
    try:
        return reverse(url_name, args=[notification.resource_id])
    except NoReverseMatch:
        return None


@dataclass
class KeysetPage:
    """One page of notifications by id, newest first, found from the row before or after it:
    a deep page costs what the first does, and there is no COUNT(*)."""

    object_list: list
    previous_href: str | None
    next_href: str | None


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def keyset_page(request, queryset, per_page: int = NOTIFICATIONS_PER_PAGE) -> KeysetPage:
    """The page ``?after=<id>`` (older) or ``?before=<id>`` (newer), the first without
    either; ``queryset`` is ordered newest first (``-id``)."""
    after = _cursor(request.GET.get("after"))
    before = None if after else _cursor(request.GET.get("before"))
    if before:
        rows = list(queryset.filter(id__gt=before).order_by("id")[: per_page + 1])
        has_previous = len(rows) > per_page
        rows = rows[:per_page][::-1]
        has_next = True
    else:
        if after:
            queryset = queryset.filter(id__lt=after)
        rows = list(queryset[: per_page + 1])
        has_next = len(rows) > per_page
        rows = rows[:per_page]
        has_previous = after is not None
    base = reverse("notifications")
    return KeysetPage(
        object_list=rows,
        previous_href=f"{base}?before={rows[0].pk}" if has_previous and rows else None,
        next_href=f"{base}?after={rows[-1].pk}" if has_next and rows else None,
    )


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
    after, before = _cursor(request.POST.get("after")), _cursor(request.POST.get("before"))
    if after:
        back += f"?after={after}"
    elif before:
        back += f"?before={before}"
    return redirect(back)

"""Which audited tables the change feed shows, as which API resource: read from the API.

Every ``CouncilScopedReadOnlyViewSet`` routed under the URLconf declares its ``model`` and its
token scope ``scope_resource``; that scope names the resource in the feed and decides which
tokens see its events. A viewset whose resource is read under another resource's scope names
itself with ``feed_resource`` (protocol versions and clauses are read with ``protocols:read``
but are ``protocol-versions`` and ``clauses`` in the API, and an event's ``id`` is an id of
that resource). Tables that are no API resource (accounts, tokens, timelines, a
committee's seats) are not in the feed: their changes show as updates of the records they
belong to where the services bump those (a closure day → its council, seats → the committee).
Confidential resources (conduct complaints, declarations) set ``in_change_feed = False``: even
an id and an action would tell a reader that someone complained or declared something.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class FeedResource:
    resource: str  # the API's name, e.g. "enquiries", "protocol-versions"
    scope: str  # the token scope that reads it, e.g. "enquiries", "protocols"
    table: str  # e.g. "complaints_enquiry"
    to_people: bool  # shown to signed-in feed readers too, not only to tokens


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                yield view


@functools.cache
def feed_resources() -> tuple[FeedResource, ...]:
    """Every resource in the feed, once per table (cached: the URLconf does not change)."""
    from core.api.viewsets import CouncilScopedReadOnlyViewSet

    found: dict[str, FeedResource] = {}
    for view in _views(get_resolver().url_patterns):
        model = getattr(view, "model", None)
        resource = getattr(view, "scope_resource", None)
        if not issubclass(view, CouncilScopedReadOnlyViewSet) or model is None or not resource:
            continue
        if not getattr(view, "in_change_feed", True):
            continue
        table = model._meta.db_table
        found.setdefault(
            table,
            FeedResource(
                resource=getattr(view, "feed_resource", None) or resource,
                scope=resource,
                table=table,
                to_people=bool(getattr(view, "feed_to_people", False)),
            ),
        )
    return tuple(sorted(found.values(), key=lambda entry: entry.table))


def resource_of_table() -> dict[str, str]:
    return {entry.table: entry.resource for entry in feed_resources()}

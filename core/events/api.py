"""``GET /api/v1/events/?after=CURSOR``: the change feed over REST (see ``core.events``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.principal import is_token_principal
from core.api.schema import ErrorSerializer
from core.scoping import sees_all_councils, viewer_council_id

from . import feed
from .resources import feed_resources, resource_of_table


class EventSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="This event's position: ask for `after` it.")
    at = serializers.DateTimeField(help_text="When the change was made.")
    resource = serializers.CharField(help_text="The API resource, e.g. `officers`, `enquiries`.")
    id = serializers.IntegerField(help_text="The record's id in that resource.")
    action = serializers.ChoiceField(
        choices=feed.ACTIONS,
        help_text="`status_changed` is an update that changed the record's status.",
    )


class EventPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    cursor = serializers.CharField(
        allow_null=True,
        help_text="Where the next read starts: the last event's cursor, or the `after` you "
        "gave when there was nothing new. Store it.",
    )
    next = serializers.CharField(help_text="The URL to read next (poll it later if empty).")
    previous = serializers.CharField(allow_null=True, help_text="Always null: a feed only goes on.")


class EventQuerySerializer(serializers.Serializer):
    after = serializers.CharField(
        required=False,
        help_text="A `cursor` from an earlier answer; without it, the feed starts at the "
        "beginning.",
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=feed.MAX_PAGE_SIZE,
        default=feed.DEFAULT_PAGE_SIZE,
        help_text=f"Events per answer (1 to {feed.MAX_PAGE_SIZE}).",
    )

    def validate_after(self, value):
        try:
            return feed.Position.decode(value)
        except feed.BadCursor as error:
            raise serializers.ValidationError(
                "This is not a cursor from this feed: give one from an earlier answer, or "
                "leave `after` out to start at the beginning."
            ) from error


def may_read_feed(user) -> bool:
    """Signed-in people the deployment names (``settings.EVENT_FEED_READERS``) and service
    superusers; tokens are decided by their ``events:read`` scope instead."""
    if sees_all_councils(user):
        return True
    return viewer_council_id(user) is not None and bool(
        import_string(settings.EVENT_FEED_READERS)(user)
    )


def tables_for(viewer) -> list[str]:
    """The audited tables whose events ``viewer`` sees (see ``core.events``)."""
    if is_token_principal(viewer):
        return [r.table for r in feed_resources() if viewer.has_scope(r.scope, write=False)]
    if sees_all_councils(viewer):
        return [r.table for r in feed_resources()]
    return [r.table for r in feed_resources() if r.to_people]


class EventFeedView(APIView):
    """Every create, update and state change the caller may see, oldest first."""

    scope_resource = "events"

    def has_read_permission(self, request) -> bool:
        return is_token_principal(request.user) or may_read_feed(request.user)

    @extend_schema(
        operation_id="events_list",
        summary="The change feed: every change the caller may see, oldest first",
        description=(
            "For integrations that poll. Each event names a record (`resource`, `id`) and "
            "what happened to it (`action`), never its contents: read the record itself for "
            "those. Store the answer's `cursor` and ask for `?after=` it next time; the feed "
            "never serves an event before a cursor it has handed out, so nothing is missed, "
            "though the newest changes may wait until transactions that began before them "
            "have finished. A token sees the events of the resources its scopes let it read; "
            "of signed-in people, the council's Councilcase administrators see the "
            "organisation's records (councils, wards, political groups, directorates, "
            "members, officers, committees). A cursor that this feed did not hand out "
            "answers 400."
        ),
        parameters=[EventQuerySerializer],
        responses={200: EventPageSerializer, 400: ErrorSerializer},
        examples=[
            OpenApiExample(
                "An officer created by the HR sync",
                value={
                    "results": [
                        {
                            "cursor": "NzQ0OjkwMQ",
                            "at": "2026-12-18T10:00:00Z",
                            "resource": "officers",
                            "id": 42,
                            "action": "created",
                        }
                    ],
                    "cursor": "NzQ0OjkwMQ",
                    "next": "https://councilcase.example/api/v1/events/?after=NzQ0OjkwMQ",
                    "previous": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        query = EventQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = query.validated_data.get("after")
        page_size = query.validated_data["page_size"]
        viewer = request.user
        events = feed.events_after(
            after or feed.START,
            tables=tables_for(viewer),
            council_id=viewer_council_id(viewer),
            all_councils=not is_token_principal(viewer) and sees_all_councils(viewer),
            limit=page_size,
        )
        resources = resource_of_table()
        cursor = events[-1].position.encode() if events else (after.encode() if after else None)
        params = {"page_size": page_size} if "page_size" in request.query_params else {}
        if cursor:
            params = {"after": cursor, **params}
        next_url = request.build_absolute_uri(request.path)
        if params:
            next_url = f"{next_url}?{urlencode(params)}"
        page = {
            "results": [
                {
                    "cursor": event.position.encode(),
                    "at": event.at,
                    "resource": resources[event.table],
                    "id": event.record_id,
                    "action": event.action,
                }
                for event in events
            ],
            "cursor": cursor,
            "next": next_url,
            "previous": None,
        }
        return Response(EventPageSerializer(page).data)

"""Base viewsets: a new resource gets scoping, permissions, ETags and errors by declaring itself.

A resource declares its model, its token scope, the selector that scopes it to the viewer, who
may write, its cursor order, and the service calls that write it::

    class WardViewSet(CouncilScopedViewSet):
        model = Ward
        scope_resource = "wards"                 # tokens need wards:read / wards:write
        selector = selectors.wards_for           # viewer -> queryset (council-scoped)
        write_roles = (roles.is_council_administrator,)
        serializer_class = WardSerializer
        cursor_ordering = ("name", "id")

        def create_record(self, *, council, by, data):
            return services.create_ward(council=council, by=by, **data)

        def update_record(self, *, instance, by, expected_version, data):
            return services.update_ward(ward=instance, by=by, **data)

What the base does:
- ``get_queryset`` is the selector applied to ``request.user``: what the viewer may not see is
  not found (404, never 403).
- reads are open to everyone signed in to a council (and superusers); writes to superusers,
  the ``write_roles`` predicates (``council.roles``) and tokens with the write scope
  (``core.api.permissions``). Override ``has_read_permission`` / ``has_write_permission``
  for per-action rules.
- ``perform_create`` / ``perform_update`` call the service hooks (never ``serializer.save``),
  with the council resolved by ``core.scoping.council_for_new_record`` and ``If-Match``
  passed as ``expected_version``; the record is re-read through the selector for the response.
- unsafe requests name the caller (``user:<id>`` / ``token:<id>``) to the audit trail
  (``core.audit.drf.AuditActorMixin``).
- single-object responses carry ``ETag``; a stale ``If-Match`` answers 412
  (``core.api.etags``, ``core.api.exceptions``).
Actions use ``self.get_object()``, ``self.expected_version()`` and ``self.object_response()``.
"""

from __future__ import annotations

from collections.abc import Callable

from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.etags import ETagMixin
from core.api.principal import is_token_principal
from core.audit.drf import AuditActorMixin
from core.scoping import can_see_a_council, council_for_new_record, sees_all_councils


class CouncilScopedReadOnlyViewSet(
    AuditActorMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    model = None
    scope_resource: str | None = None
    selector: Callable | None = None
    write_roles: tuple[Callable[[object], bool], ...] = ()
    cursor_ordering: tuple[str, ...] = ("-id",)
    # The change feed (core.events) shows this resource's events to the signed-in people who
    # may read the feed, not only to tokens with its scope. Only where every person of the
    # council may read every record of it.
    feed_to_people: bool = False
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model")
        if model is not None and "queryset" not in cls.__dict__:
            # For the router's basename and the schema generator only: never evaluated.
            cls.queryset = model._default_manager.none()

    def get_queryset(self):
        selector = type(self).selector
        assert selector is not None, f"{type(self).__name__} must declare a selector"
        return selector(self.request.user)

    # Who may do what: asked by core.api.permissions.ScopedResourcePermission.

    def has_read_permission(self, request) -> bool:
        return can_see_a_council(request.user)

    def has_write_permission(self, request) -> bool:
        user = request.user
        if is_token_principal(user):
            return True  # the token's write scope was checked by the permission class
        return sees_all_councils(user) or any(role(user) for role in self.write_roles)

    # Helpers for actions.

    def object_response(self, instance, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The serialized record (re-read through the selector), with its ETag."""
        serializer = self.get_serializer(self.reload(instance))
        return Response(serializer.data, status=status_code)

    def reload(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class CouncilScopedViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, CouncilScopedReadOnlyViewSet
):
    """List, retrieve, create, update (PUT/PATCH) through services. No delete."""

    def create_record(self, *, council, by, data: dict):
        raise NotImplementedError

    def update_record(self, *, instance, by, expected_version: int | None, data: dict):
        raise NotImplementedError

    def council_for_create(self, requested_slug: str | None):
        return council_for_new_record(self.request.user, requested_slug)

    def council_of(self, instance):
        return instance.council

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        council = self.council_for_create(data.pop("council", None))
        record = self.create_record(council=council, by=self.request.user, data=data)
        serializer.instance = self.reload(record)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        requested = data.pop("council", None)
        if requested is not None and requested != self.council_of(serializer.instance).slug:
            raise ValidationError({"council": ["A record cannot move to another council."]})
        record = self.update_record(
            instance=serializer.instance,
            by=self.request.user,
            expected_version=self.expected_version(),
            data=data,
        )
        serializer.instance = self.reload(record)

"""Serializer fields every council-scoped resource shares."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id, resolved only among the records the caller may see.

    ``selector`` is a function ``viewer -> queryset`` (e.g. ``council.selectors.wards_for``),
    so an id from another council is "not found", exactly like an id that does not exist.
    """

    def __init__(self, *, selector: Callable, model, **kwargs):
        self.selector = selector
        if not kwargs.get("read_only"):
            # A typed empty queryset for the schema generator; lookups use get_queryset().
            kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(getattr(request, "user", None))


@extend_schema_field(
    {
        "type": "string",
        "description": "The slug of the council this record belongs to. Records are created "
        "in the caller's own council; only service superusers may name another.",
    }
)
class CouncilSlugField(serializers.Field):
    """The council a record belongs to, shown by slug. On create, a superuser may name it."""

    plain_representation = True  # shown from the value alone (core.api.serializers)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.slug

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("Give a council slug.")
        return data.strip()

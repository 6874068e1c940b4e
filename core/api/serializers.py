"""Serializer pieces every resource can share.

``PlannedRepresentation`` gives a ModelSerializer the same output as DRF's own
``to_representation`` at a fraction of the cost on long lists. DRF asks every field of every
row for its attribute through a general lookup (dotted sources, callables, defaults); most
fields of a model serializer are a plain attribute of the row or a foreign key shown by id.
The plan sorts the fields once per serializer into those two kinds, read directly, and the
rest (method fields, ``source="*"``, nested or custom fields), left to DRF's own path. On the
enquiry list that was 40% of a page (bench/lists.py); tests hold the output identical.
"""

from __future__ import annotations

import copy
import inspect

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.fields import SkipField

_ID, _ATTRIBUTE, _DRF = "id", "attribute", "drf"


def _as_text(value):
    """``CharField.to_representation`` (``str(value)``) without the call for a string."""
    return value if type(value) is str else str(value)


class PlannedRepresentation:
    """Mix into a serializer before it: ``class S(PlannedRepresentation,
    serializers.ModelSerializer)``; a plain ``Serializer`` nested with ``source="*"`` too.

    Also builds a serializer class's fields once: DRF's ``ModelSerializer`` introspects the
    model for every instance (every request); here each instance gets a copy of the first
    instance's fields, as DRF itself copies declared fields."""

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_fields_prototype")
        if prototype is None:
            prototype = super().get_fields()
            cls._fields_prototype = prototype
        return copy.deepcopy(prototype)

    def _representation_plan(self) -> list[tuple[str, str, str | None, object]]:
        plan = getattr(self, "_planned", None)
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = [self._plan_field(model, field) for field in self._readable_fields]
            self._planned = plan
        return plan

    @staticmethod
    def _plan_field(model, field) -> tuple[str, str, str | None, object]:
        """(name, kind, attribute, how): for an id, the foreign key's column; for an
        attribute, the function that represents its value; else the field, left to DRF."""
        name = field.field_name
        if field.source == "*" or len(field.source_attrs) != 1:
            return name, _DRF, None, field
        attribute = field.source_attrs[0]
        if inspect.isfunction(getattr(model, attribute, None)):
            return name, _DRF, None, field  # a method: DRF calls it
        if (
            type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
            and type(field).get_attribute is relations.RelatedField.get_attribute
            and field.pk_field is None
        ):
            if model is None:
                return name, _DRF, None, field
            try:
                model_field = model._meta.get_field(attribute)
            except FieldDoesNotExist:  # not a model field (e.g. a property)
                return name, _DRF, None, field
            if model_field.many_to_one or model_field.one_to_one:
                return name, _ID, model_field.attname, field
            return name, _DRF, None, field
        if type(field).get_attribute is drf_fields.Field.get_attribute:
            if type(field).to_representation is drf_fields.CharField.to_representation:
                return name, _ATTRIBUTE, attribute, _as_text
            return name, _ATTRIBUTE, attribute, field.to_representation
        return name, _DRF, None, field

    def to_representation(self, instance):
        representation = {}
        for name, kind, attribute, how in self._representation_plan():
            if kind == _ID:
                representation[name] = getattr(instance, attribute)
            elif kind == _ATTRIBUTE:
                value = getattr(instance, attribute)
                representation[name] = None if value is None else how(value)
            else:
                try:
                    value = how.get_attribute(instance)
                except SkipField:
                    continue
                present = value.pk if isinstance(value, relations.PKOnlyObject) else value
                representation[name] = None if present is None else how.to_representation(value)
        return representation

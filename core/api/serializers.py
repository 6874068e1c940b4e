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

import inspect

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.fields import SkipField

_ID, _ATTRIBUTE, _DRF = "id", "attribute", "drf"


class PlannedRepresentation:
    """Mix into a ``ModelSerializer`` before it: ``class S(PlannedRepresentation,
    serializers.ModelSerializer)``."""

    def _representation_plan(self) -> list[tuple[str, str, str | None, object]]:
        plan = getattr(self, "_planned", None)
        if plan is None:
            model = self.Meta.model
            plan = [self._plan_field(model, field) for field in self._readable_fields]
            self._planned = plan
        return plan

    @staticmethod
    def _plan_field(model, field) -> tuple[str, str, str | None, object]:
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
            try:
                model_field = model._meta.get_field(attribute)
            except FieldDoesNotExist:  # not a model field (e.g. a property)
                return name, _DRF, None, field
            if model_field.many_to_one or model_field.one_to_one:
                return name, _ID, model_field.attname, field
            return name, _DRF, None, field
        if type(field).get_attribute is drf_fields.Field.get_attribute:
            return name, _ATTRIBUTE, attribute, field
        return name, _DRF, None, field

    def to_representation(self, instance):
        representation = {}
        for name, kind, attribute, field in self._representation_plan():
            if kind == _ID:
                representation[name] = getattr(instance, attribute)
            elif kind == _ATTRIBUTE:
                value = getattr(instance, attribute)
                representation[name] = None if value is None else field.to_representation(value)
            else:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                present = value.pk if isinstance(value, relations.PKOnlyObject) else value
                representation[name] = None if present is None else field.to_representation(value)
        return representation

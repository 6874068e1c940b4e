"""Serializer pieces every resource can share.

``PlannedRepresentation`` gives a serializer the same output as DRF's own
``to_representation`` at a fraction of the cost on long lists. DRF asks every field of every
row for its attribute through a general lookup (dotted sources, callables, defaults) and then
for its representation, on fields deep-copied for every request. Most fields of a model
serializer are a plain attribute of the row, a foreign key shown by id, a method of the
serializer or a nested serializer of the same row; their representation depends on the value
alone. Once per serializer class the fields are sorted into those kinds and one function is
written for the class that reads each straight from the row (as ``dataclasses`` writes its
``__init__``); the rest (dotted or callable sources, custom fields) are left to DRF's own path,
on the request's own fields. On the enquiry list that was most of the serializing
(bench/lists.py); tests hold the output identical, field for field.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import keyword
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from rest_framework import ISO_8601, relations
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

ID, TEXT, ATTRIBUTE, DATETIME, METHOD, NESTED, DRF = (
    "id",
    "text",
    "attribute",
    "datetime",
    "method",
    "nested",
    "drf",
)

# DRF's fields whose ``to_representation`` reads nothing but the value and the field's own
# options (no request, no parent): safe to call on a field built once per class.
_PLAIN_REPRESENTATIONS = frozenset(
    field_class.to_representation
    for field_class in (
        drf_fields.IntegerField,
        drf_fields.BigIntegerField,
        drf_fields.FloatField,
        drf_fields.DecimalField,
        drf_fields.BooleanField,
        drf_fields.DateField,
        drf_fields.TimeField,
        drf_fields.DateTimeField,
        drf_fields.DurationField,
        drf_fields.ChoiceField,
        drf_fields.UUIDField,
        drf_fields.JSONField,
        drf_fields.ReadOnlyField,
    )
)


def _plain(field) -> bool:
    """Whether ``field``'s representation depends on the value alone. A custom field says so
    with ``plain_representation = True``."""
    return (
        type(field).to_representation in _PLAIN_REPRESENTATIONS
        or getattr(field, "plain_representation", False) is True
    )


def _iso_datetime(field) -> bool:
    """A DateTimeField shown as DRF shows it by default: ISO 8601 in the current time zone."""
    field_class = type(field)
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        field_class.to_representation is drf_fields.DateTimeField.to_representation
        and field_class.enforce_timezone is drf_fields.DateTimeField.enforce_timezone
        and field_class.default_timezone is drf_fields.DateTimeField.default_timezone
        and not hasattr(field, "timezone")
        and isinstance(output_format, str)
        and output_format.lower() == ISO_8601
    )


@dataclass(frozen=True)
class Step:
    """How one field is represented: ``kind`` and what it reads (an attribute of the row, a
    method of the serializer); ``field`` is the class's own copy of the field."""

    name: str
    kind: str
    field: object
    attribute: str = ""


def _is_name(text: str) -> bool:
    """Whether ``text`` can be written as ``object.text`` in the generated code."""
    return text.isidentifier() and not keyword.iskeyword(text)


def _step(model, field) -> Step:
    name = field.field_name
    if isinstance(field, drf_fields.SerializerMethodField):
        if not _is_name(field.method_name):
            return Step(name, DRF, field)
        return Step(name, METHOD, field, field.method_name)
    if field.source == "*":
        if isinstance(field, PlannedRepresentation) and type(field).plain_plan():
            return Step(name, NESTED, field)
        return Step(name, DRF, field)
    if len(field.source_attrs) != 1:
        return Step(name, DRF, field)
    attribute = field.source_attrs[0]
    if inspect.isfunction(getattr(model, attribute, None)):
        return Step(name, DRF, field)  # a method of the row: DRF calls it
    if (
        type(field).to_representation is relations.PrimaryKeyRelatedField.to_representation
        and type(field).get_attribute is relations.RelatedField.get_attribute
        and field.pk_field is None
        and model is not None
    ):
        try:
            model_field = model._meta.get_field(attribute)
        except FieldDoesNotExist:  # not a model field (e.g. a property)
            return Step(name, DRF, field)
        if model_field.many_to_one or model_field.one_to_one:
            return Step(name, ID, field, model_field.attname)
        return Step(name, DRF, field)
    if type(field).get_attribute is not drf_fields.Field.get_attribute:
        return Step(name, DRF, field)
    if type(field).to_representation is drf_fields.CharField.to_representation:
        return Step(name, TEXT, field, attribute)
    if _iso_datetime(field):
        return Step(name, DATETIME, field, attribute)
    if _plain(field):
        return Step(name, ATTRIBUTE, field, attribute)
    return Step(name, DRF, field)


def _read(attribute: str) -> str:
    if _is_name(attribute):
        return f"instance.{attribute}"
    return f"getattr(instance, {attribute!r})"


# The code each kind of step writes: ``r`` is the representation, ``v`` the value, ``h{i}``
# the step's helper (its field's to_representation, a nested class's function, its field).
_CODE = {
    ID: "    r[{key}] = {read}\n",
    TEXT: "    v = {read}\n    r[{key}] = v if v is None or type(v) is str else str(v)\n",
    ATTRIBUTE: "    v = {read}\n    r[{key}] = None if v is None else h{i}(v)\n",
    DATETIME: (
        "    v = {read}\n"
        "    if v is None:\n"
        "        r[{key}] = None\n"
        "    elif tz is not None and type(v) is datetime and v.tzinfo is not None:\n"
        "        try:\n"
        "            s = v.astimezone(tz).isoformat()\n"
        "        except OverflowError:\n"
        "            s = h{i}(v)\n"
        "        r[{key}] = s[:-6] + 'Z' if s.endswith('+00:00') else s\n"
        "    else:\n"
        "        r[{key}] = h{i}(v)\n"
    ),
    METHOD: "    r[{key}] = self.{attribute}(instance)\n",
    NESTED: "    r[{key}] = h{i}(None, instance)\n",
    DRF: (
        "    f = self.fields[{key}]\n"
        "    try:\n"
        "        v = f.get_attribute(instance)\n"
        "    except SkipField:\n"
        "        pass\n"
        "    else:\n"
        "        c = v.pk if isinstance(v, PKOnlyObject) else v\n"
        "        r[{key}] = None if c is None else f.to_representation(v)\n"
    ),
}


_default_timezone = drf_fields.DateTimeField().default_timezone
_UNSET = object()


def _current_timezone(serializer):
    """The time zone a serializer shows timestamps in: the one current when it first showed
    one (DRF asks for every value; the lookup, in asgiref's request-local storage, cost more
    than the rest of a timestamp). A serializer lives within one request; one nested without
    an instance of its own asks each time."""
    if serializer is None:
        return _default_timezone()
    found = serializer.__dict__.get("_representation_timezone", _UNSET)
    if found is _UNSET:
        found = serializer.__dict__["_representation_timezone"] = _default_timezone()
    return found


def _compile(steps: list[Step]):
    """One function ``(serializer, instance) -> dict`` doing every step in order."""
    namespace = {
        "datetime": datetime.datetime,
        "SkipField": SkipField,
        "PKOnlyObject": relations.PKOnlyObject,
    }
    body = []
    for i, step in enumerate(steps):
        if step.kind in (ATTRIBUTE, DATETIME):
            namespace[f"h{i}"] = step.field.to_representation
        elif step.kind == NESTED:
            namespace[f"h{i}"] = type(step.field).representation_plan()[1]
        body.append(
            _CODE[step.kind].format(
                key=repr(step.name), read=_read(step.attribute), attribute=step.attribute, i=i
            )
        )
    head = "def represent(self, instance):\n    r = {}\n"
    if any(step.kind == DATETIME for step in steps):
        namespace["current_timezone"] = _current_timezone
        head += "    tz = current_timezone(self)\n"
    exec(head + "".join(body) + "    return r\n", namespace)  # noqa: S102 - code of our own
    return namespace["represent"]


class PlannedRepresentation:
    """Mix into a serializer before it: ``class S(PlannedRepresentation,
    serializers.ModelSerializer)``; a plain ``Serializer`` nested with ``source="*"`` too.

    Also builds a serializer class's fields once: DRF's ``ModelSerializer`` introspects the
    model for every instance (every request); here each instance that needs its fields (to
    validate input, to describe the schema, or for a field left to DRF) gets a copy of the
    first instance's fields, as DRF itself copies declared fields."""

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_fields_prototype")
        if prototype is None:
            prototype = super().get_fields()
            cls._fields_prototype = prototype
        return copy.deepcopy(prototype)

    @classmethod
    def representation_plan(cls) -> tuple[list[Step], object]:
        """The class's steps and the function written from them, built once."""
        planned = cls.__dict__.get("_planned")
        if planned is None:
            prototype = cls()
            model = getattr(getattr(cls, "Meta", None), "model", None)
            steps = [_step(model, field) for field in prototype._readable_fields]
            planned = (steps, _compile(steps))
            cls._planned = planned
        return planned

    @classmethod
    def plain_plan(cls) -> bool:
        """Whether the class's representation needs no serializer instance (no method and no
        field left to DRF): then it can be nested by ``source="*"`` without its own copy."""
        steps, _represent = cls.representation_plan()
        return all(step.kind not in (METHOD, DRF) for step in steps)

    def to_representation(self, instance):
        return type(self).representation_plan()[1](self, instance)

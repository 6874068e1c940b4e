"""core.api.renderers.JSONRenderer: orjson's speed, DRF's bytes."""

import datetime
import decimal
import uuid

import numpy
import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.api.renderers import JSONRenderer

LONDON = datetime.timezone(datetime.timedelta(hours=1))

VALUES = {
    "text": "Caf\u00e9 \u2013 \u201cquoted\u201d \\ back\\slash \n newline \t tab",
    "separators": "line\u2028paragraph\u2029end",
    "numbers": [0, -1, 2**53, 1.5, True, False, None],
    "utc": datetime.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=datetime.UTC),
    "summer": datetime.datetime(2026, 7, 1, 10, 0, tzinfo=LONDON),
    "naive": datetime.datetime(2026, 7, 1, 10, 0, 0, 500),
    "day": datetime.date(2026, 12, 25),
    "time": datetime.time(17, 0, 0, 250000),
    "money": decimal.Decimal("12.50"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Not found."),
    "duration": datetime.timedelta(days=1, seconds=5),
    "nested": ReturnDict({"rows": ReturnList([{"a": 1}], serializer=None)}, serializer=None),
    "numpy": numpy.array([1, 2, 3]),
    "tuple": (1, "two"),
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_kind_of_value_is_written_as_drf_writes_it(name):
    data = {name: VALUES[name]}
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_a_whole_document_is_the_same_bytes_and_none_is_empty():
    assert JSONRenderer().render(VALUES) == renderers.JSONRenderer().render(VALUES)
    assert JSONRenderer().render(None) == b""


def test_an_unknown_type_is_an_error_not_a_silent_null():
    with pytest.raises(TypeError):
        JSONRenderer().render({"what": object()})


def test_indentation_when_asked_for():
    rendered = JSONRenderer().render({"a": [1]}, "application/json; indent=4")
    assert rendered.decode().splitlines() == ["{", '  "a": [', "    1", "  ]", "}"]
    assert b"\n" not in JSONRenderer().render({"a": [1]}, "application/json")

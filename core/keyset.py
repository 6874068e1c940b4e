"""Keyset ("seek") pages for every list, API and HTML alike.

A page is found from the row before or after it — ``WHERE (due, id) > (:due, :id) ORDER BY
due, id LIMIT n`` — never by counting or skipping rows, so a deep page costs what the first
does and a long run of equal values (a thousand enquiries due on one day) is paged without
repeating or dropping a row. DRF's own CursorPagination positions on the first ordering field
plus an offset, which does both in such runs; ``core.api.pagination`` uses this instead.

An ordering is a tuple of model field names, each optionally prefixed with ``-``, whose last
field is unique (``id``); the fields must be NOT NULL. A cursor is the ordering's values of
one row, encoded as an opaque URL-safe string; a cursor that does not decode is treated as no
cursor (the first page), never an error page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan


@dataclass(frozen=True)
class Position:
    """Where a page starts: just after (``backwards=False``) or just before a row's values."""

    values: tuple
    backwards: bool = False


@dataclass
class Page:
    """One page of rows and the positions of the pages either side (None at an end)."""

    rows: list
    previous: Position | None
    next: Position | None


def _fields(ordering: tuple[str, ...]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in ordering]


def values_of(row: Model, ordering: tuple[str, ...]) -> tuple:
    return tuple(getattr(row, name) for name, _descending in _fields(ordering))


def encode(position: Position, model: type[Model], ordering: tuple[str, ...]) -> str:
    """An opaque, URL-safe cursor for ``position``."""
    values = [
        model._meta.get_field(name).get_prep_value(value)
        for (name, _descending), value in zip(_fields(ordering), position.values, strict=True)
    ]
    payload = json.dumps([values, position.backwards], default=str, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(cursor: str | None, model: type[Model], ordering: tuple[str, ...]) -> Position | None:
    """The position a cursor names, or None if it is missing or not one of ours."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values, backwards = json.loads(raw)
        fields = _fields(ordering)
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        parsed = tuple(
            model._meta.get_field(name).to_python(value)
            for (name, _descending), value in zip(fields, values, strict=True)
        )
    except (binascii.Error, ValueError, TypeError, ValidationError, UnicodeDecodeError):
        return None
    if any(value is None for value in parsed):
        return None
    return Position(parsed, bool(backwards))


def _beyond(ordering: tuple[str, ...], values: tuple, *, backwards: bool) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (strictly before when ``backwards``).

    When every field runs the same way this is one row comparison, ``(a, b) > (x, y)``,
    which PostgreSQL answers from a btree index on ``(a, b)`` by starting the scan at the
    cursor — however long the run of equal ``a`` (Django's own tuple lookups, written for
    composite primary keys, emit it). Mixed directions expand to ``(a > x) OR (a = x AND
    b < y)``, with a leading ``a >= x`` so the scan still starts near the cursor.
    """
    fields = _fields(ordering)
    descending = {direction for _name, direction in fields}
    if len(fields) > 1 and len(descending) == 1:
        lookup = TupleLessThan if descending.pop() != backwards else TupleGreaterThan
        return Q(lookup(Tuple(*(F(name) for name, _ in fields)), tuple(values)))
    alternatives = []
    for depth, (name, is_descending) in enumerate(fields):
        lookup_name = "lt" if is_descending != backwards else "gt"
        equal = {fields[i][0]: values[i] for i in range(depth)}
        alternatives.append(Q(**equal, **{f"{name}__{lookup_name}": values[depth]}))
    first, is_descending = fields[0]
    bound = Q(**{f"{first}__{'lte' if is_descending != backwards else 'gte'}": values[0]})
    return bound & reduce(or_, alternatives)


def _as_it_is(queryset: QuerySet) -> QuerySet:
    return queryset


def _reversed(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in ordering)


def page(
    queryset: QuerySet,
    ordering: tuple[str, ...],
    position: Position | None,
    size: int,
    *,
    rows: Callable[[QuerySet], QuerySet] | None = None,
) -> Page:
    """The ``size`` rows at ``position`` (the first page when None), in ``ordering``, with one
    query: one row more than the page is read to learn whether another page follows.

    ``rows`` turns ``queryset`` into what the page shows when that joins other tables (e.g.
    ``values_list`` of the member's and assignee's names); a ``select_related`` queryset is
    treated the same way. The page's ids are then found in a subquery of ``queryset`` alone
    and the rows joined to those ids only. PostgreSQL estimates a row comparison from its
    first column, so a cursor inside a long run of one value (the thousands of answered
    enquiries, none due) looks like "a row or two"; with joins in the same query it then
    chose to join every remaining row and sort them (1.8 s a page at a million enquiries),
    where the ids alone are an index range read in order. A filter on another table's
    column still joins it in the subquery: keep such filters to subqueries (``pk__in``)."""
    backwards = position is not None and position.backwards
    order = _reversed(ordering) if backwards else ordering
    beyond = (
        queryset.filter(_beyond(ordering, position.values, backwards=backwards))
        if position is not None
        else queryset
    )
    if rows is None and queryset.query.select_related:
        rows = _as_it_is
    if rows is None:
        found = list(beyond.order_by(*order)[: size + 1])
    else:
        ids = beyond.order_by(*order).values("pk")[: size + 1]
        found = list(rows(queryset.filter(pk__in=ids)).order_by(*order))
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
        has_previous, has_next = more, True
    else:
        has_previous, has_next = position is not None, more
    return Page(
        rows=found,
        previous=Position(values_of(found[0], ordering), True) if has_previous and found else None,
        next=Position(values_of(found[-1], ordering)) if has_next and found else None,
    )


@dataclass
class LinkedPage:
    """A page for a template: its rows and the hrefs of the pages either side (None at an
    end), which keep the request's other parameters (the filters)."""

    object_list: list
    previous_href: str | None
    next_href: str | None


CURSOR_PARAMETER = "cursor"


def page_for_request(
    request,
    queryset: QuerySet,
    ordering: tuple[str, ...],
    size: int,
    *,
    rows: Callable[[QuerySet], QuerySet] | None = None,
) -> LinkedPage:
    """The page ``?cursor=`` names (the first page without one) of ``queryset``; ``rows`` as
    for ``page``."""
    model = queryset.model
    position = decode(request.GET.get(CURSOR_PARAMETER), model, ordering)
    found = page(queryset, ordering, position, size, rows=rows)

    def href(position: Position | None) -> str | None:
        if position is None:
            return None
        query = request.GET.copy()
        query[CURSOR_PARAMETER] = encode(position, model, ordering)
        return "?" + query.urlencode()

    return LinkedPage(found.rows, href(found.previous), href(found.next))

"""Cursor pagination for every list (API.md, Conventions): keyset pages, no COUNT(*).

The response is ``{"next": url|null, "previous": url|null, "results": [...]}``. Each viewset
declares its order as ``cursor_ordering`` (e.g. ``("full_name", "id")``), of NOT NULL fields
of the model ending in a unique one. The cursor holds the whole ordering's values of the row
at the edge of the page (``core.keyset``), so pages stay exact through long runs of equal
values — DRF's own CursorPagination positions on the first field plus an offset, which repeats
and drops rows there (a thousand enquiries due on one day) and gives up past 1,000.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from core import keyset


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-id",)
    invalid_cursor_message = _(
        "This cursor is not valid. Follow the next or previous link of a page instead."
    )

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "cursor_ordering", None) or self.ordering
        ordering = (ordering,) if isinstance(ordering, str) else tuple(ordering)
        assert all("__" not in field for field in ordering), (
            "cursor_ordering must name fields of the model itself"
        )
        return ordering

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.model = queryset.model
        self.ordering = self.get_ordering(request, queryset, view)
        self.page_size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        position = keyset.decode(cursor, self.model, self.ordering)
        if cursor and position is None:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        self.found = keyset.page(queryset, self.ordering, position, self.page_size)
        # What DRF's browsable API and response builder read.
        self.has_next = self.found.next is not None
        self.has_previous = self.found.previous is not None
        self.page = self.found.rows
        return self.found.rows

    def _link(self, position):
        if position is None:
            return None
        cursor = keyset.encode(position, self.model, self.ordering)
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.found.next)

    def get_previous_link(self):
        if self.found.previous is None:
            return None
        return self._link(self.found.previous)

    def get_html_context(self):
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}

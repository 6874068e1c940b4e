"""Cursor pagination for every list (API.md, Conventions): no COUNT(*) over unbounded lists.

The response is ``{"next": url|null, "previous": url|null, "results": [...]}``. Each viewset
declares its order as ``cursor_ordering`` (e.g. ``("full_name", "id")``): the first field
positions the cursor and should be nearly unique and unchanging; a trailing ``id`` makes the
order total.
"""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "cursor_ordering", None)
        if ordering:
            ordering = (ordering,) if isinstance(ordering, str) else tuple(ordering)
            assert all("__" not in field for field in ordering), (
                "cursor_ordering must name fields of the model itself"
            )
            return ordering
        return super().get_ordering(request, queryset, view)

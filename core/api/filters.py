"""The filter backend every list uses: django-filter's, skipped when a request names none
of the filterset's parameters.

django-filter builds the filterset, its form and the form's validation on every request,
to change nothing when no filter parameter was sent (a filter applies only to a value):
a sixth of an enquiry list's cost (bench/lists.py). A request that sends any of them goes
through django-filter as before, errors and all.
"""

from __future__ import annotations

import functools

from django_filters.rest_framework import DjangoFilterBackend


@functools.cache
def parameters_of(filterset_class) -> frozenset[str]:
    """The query parameters ``filterset_class`` reads: each filter's name, and for a filter
    whose widget has several parts (a range), the name with each part's suffix."""
    names = set()
    for name, declared in filterset_class.base_filters.items():
        names.add(name)
        widget = declared.extra.get("widget") or declared.field_class.widget
        if isinstance(widget, type):
            widget = widget()
        if hasattr(widget, "suffixed"):  # django-filter's own (range_after, range_min)
            names.update(widget.suffixed(name, suffix) for suffix in widget.suffixes)
        else:  # Django's MultiWidget (name_0, name_1)
            names.update(name + suffix for suffix in getattr(widget, "widgets_names", ()))
    return frozenset(names)


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not parameters_of(filterset_class).intersection(
            request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

"""Filters for the complaint list. No ordering filter: the list has one order, newest
first, and a caller may not sort by fields they cannot see (DESIGN.md, Security decisions)."""

import django_filters as filters

from ..choices import ComplaintCategory, ComplaintStatus, RouteKind
from ..models import Complaint
from ..selectors import overdue_stage_filter


class ComplaintFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ComplaintStatus.choices)
    category = filters.ChoiceFilter(
        choices=ComplaintCategory.choices, method="filter_category", help_text="A category."
    )
    route_kind = filters.ChoiceFilter(field_name="route__kind", choices=RouteKind.choices)
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="true: only complaints whose current stage is overdue."
    )

    class Meta:
        model = Complaint
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__contains=[value])

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_stage_filter()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

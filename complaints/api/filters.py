"""Filters for the enquiry list (API.md, Enquiries).

References filter by id as plain numbers, not model choices: a choice filter would look the id
up in an unscoped table and so tell one council whether another council's id exists. No
ordering filter: the list has one fixed order, most urgent first.
"""

import django_filters as filters

from ..choices import EnquiryStatus
from ..models import Enquiry
from ..selectors import overdue_filter


class EnquiryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EnquiryStatus.choices)
    member = filters.NumberFilter(field_name="member_id", help_text="A member id.")
    assigned_officer = filters.NumberFilter(
        field_name="assigned_officer_id", help_text="An officer id."
    )
    directorate = filters.NumberFilter(field_name="directorate_id", help_text="A directorate id.")
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        help_text="true: only enquiries whose running clock is overdue today; false: the rest.",
    )
    due_before = filters.DateFilter(
        method="filter_due_before",
        help_text="Enquiries whose running clock falls due before this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Enquiry
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_filter()) if value else queryset.exclude(overdue_filter())

    def filter_due_before(self, queryset, name, value):
        return queryset.filter(response_due__lt=value)

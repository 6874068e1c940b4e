"""core.api.filters: django-filter is skipped when a request sends none of a filterset's
parameters, and used as before when it sends any."""

import django_filters

from complaints.api.filters import EnquiryFilter
from complaints.models import Enquiry
from core.api.filters import parameters_of


class RangeFilterSet(django_filters.FilterSet):
    received = django_filters.DateFromToRangeFilter(field_name="received_at")
    cost = django_filters.NumericRangeFilter(field_name="id")

    class Meta:
        model = Enquiry
        fields = ["status"]


def test_the_parameters_of_a_filterset_include_each_part_of_a_range():
    assert parameters_of(RangeFilterSet) == {
        "status",
        "received",
        "received_after",
        "received_before",
        "cost",
        "cost_min",
        "cost_max",
    }


def test_the_enquiry_filters_are_all_parameters():
    assert set(EnquiryFilter.base_filters) <= parameters_of(EnquiryFilter)

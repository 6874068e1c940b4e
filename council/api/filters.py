"""Filters for the organisation's lists.

References filter by id as plain numbers, not model choices: a choice filter would look the id
up in an unscoped table and so tell one council whether another council's id exists. The
querysets are already council-scoped, so a foreign id just matches nothing. No ordering
filter: lists have one fixed cursor order each (DESIGN.md: never ``ordering_fields='__all__'``).
"""

import django_filters as filters

from council.choices import CommitteeKind, MemberKind, MemberRole, Seniority, StatutoryRole, Team
from council.models import Committee, Member, Officer


class MemberFilter(filters.FilterSet):
    ward = filters.NumberFilter(field_name="ward_id", help_text="A ward id.")
    political_group = filters.NumberFilter(
        field_name="political_group_id", help_text="A political group id."
    )
    kind = filters.ChoiceFilter(choices=MemberKind.choices)
    role = filters.ChoiceFilter(
        choices=MemberRole.choices, method="filter_role", help_text="Members holding this role."
    )

    class Meta:
        model = Member
        fields = []

    def filter_role(self, queryset, name, value):
        return queryset.filter(roles__contains=[value])


class OfficerFilter(filters.FilterSet):
    directorate = filters.NumberFilter(field_name="directorate_id", help_text="A directorate id.")
    active = filters.BooleanFilter()
    team = filters.ChoiceFilter(
        choices=Team.choices, method="filter_team", help_text="Officers in this team."
    )
    employee_number = filters.CharFilter()
    line_manager = filters.CharFilter(
        field_name="line_manager__employee_number",
        help_text="Officers managed by the officer with this employee number.",
    )
    seniority = filters.ChoiceFilter(choices=Seniority.choices)
    statutory_role = filters.ChoiceFilter(choices=StatutoryRole.choices)

    class Meta:
        model = Officer
        fields = []

    def filter_team(self, queryset, name, value):
        return queryset.filter(teams__contains=[value])


class CommitteeFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CommitteeKind.choices)
    member = filters.NumberFilter(
        field_name="memberships__member_id", help_text="Committees this member (id) sits on."
    )

    class Meta:
        model = Committee
        fields = []

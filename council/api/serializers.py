"""The organisation's records as API.md names them. Field names are the contract.

Serializers validate shape and resolve references among the records the caller may see; the
rules (who, which council, what may change) are in ``council.services``, which the views call.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import CouncilSlugField, ScopedPrimaryKeyRelatedField
from council import selectors
from council.choices import CommitteeRole, MemberRole, Seniority, StatutoryRole, Team
from council.models import Committee, Council, Directorate, Member, Officer, PoliticalGroup, Ward


class CouncilRecordSerializer(serializers.ModelSerializer):
    # A record that belongs to a council. Uniqueness within the council is the services' (and
    # the database's) to check, so DRF's generated unique-together validators are off.

    council = CouncilSlugField()

    def get_validators(self):
        return []


class ClosureDaysField(serializers.ListField):
    """A council's closure days as a list of dates; written as the complete list."""

    child = serializers.DateField()

    def to_representation(self, data):
        return [self.child.to_representation(day.date) for day in data.all()]


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "17:00"}
)
class ClockTimeField(serializers.TimeField):
    """A local time of day as ``HH:MM`` (not an ISO time with seconds)."""


class CouncilSerializer(serializers.ModelSerializer):
    """A council: its calendar settings (nation, closure days, cut-off) key every deadline."""

    cutoff_time = ClockTimeField(
        format="%H:%M",
        input_formats=["%H:%M"],
        required=False,
        help_text="Local time (Europe/London), HH:MM. Anything received at or after it counts "
        "from the next working day.",
    )
    closure_days = ClosureDaysField(
        required=False,
        help_text="Days the council is closed although they are not bank holidays. Writing "
        "the list replaces it.",
    )

    class Meta:
        model = Council
        fields = [
            "slug",
            "name",
            "nation",
            "cutoff_time",
            "deadline_convention",
            "closure_days",
            "version",
        ]

    def validate_slug(self, value):
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError("A council's slug cannot change.")
        return value

    def validate(self, attrs):
        if self.instance is not None:
            attrs.pop("slug", None)
        return attrs


class WardSerializer(CouncilRecordSerializer):
    """An electoral ward. Wards carry no version: a rename is their only change."""

    class Meta:
        model = Ward
        fields = ["id", "council", "name"]


def _member_reference(**kwargs):
    return ScopedPrimaryKeyRelatedField(
        selector=selectors.members_for, model=Member, allow_null=True, required=False, **kwargs
    )


class PoliticalGroupSerializer(CouncilRecordSerializer):
    """A party group; its leader, deputy leader and whip are member ids."""

    leader = _member_reference()
    deputy_leader = _member_reference()
    whip = _member_reference()

    class Meta:
        model = PoliticalGroup
        fields = ["id", "council", "name", "leader", "deputy_leader", "whip", "version"]


class DirectorateSerializer(CouncilRecordSerializer):
    """A directorate (service); its director is an officer id."""

    director = ScopedPrimaryKeyRelatedField(
        selector=selectors.officers_for, model=Officer, allow_null=True, required=False
    )

    class Meta:
        model = Directorate
        fields = ["id", "council", "name", "director", "version"]


class MemberSerializer(CouncilRecordSerializer):
    """An elected or co-opted member. An email links (or creates) their sign-in account."""

    ward = ScopedPrimaryKeyRelatedField(
        selector=selectors.wards_for, model=Ward, allow_null=True, required=False
    )
    political_group = ScopedPrimaryKeyRelatedField(
        selector=selectors.political_groups_for,
        model=PoliticalGroup,
        allow_null=True,
        required=False,
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=MemberRole.choices), required=False
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "council",
            "full_name",
            "email",
            "kind",
            "ward",
            "political_group",
            "term_start",
            "term_end",
            "roles",
            "version",
        ]


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": "The line manager's employee number (an officer of the same council).",
    }
)
class EmployeeNumberField(serializers.Field):
    """An officer shown and given by employee number; ``council.services`` resolves it."""

    def to_representation(self, officer):
        return officer.employee_number

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or not str(data).strip():
            raise serializers.ValidationError("Give an employee number or null.")
        return str(data).strip()


class OfficerSerializer(CouncilRecordSerializer):
    """A member of staff, identified by employee number; the line manager is given by
    employee number too. An email links (or creates) their sign-in account."""

    directorate = ScopedPrimaryKeyRelatedField(
        selector=selectors.directorates_for, model=Directorate, allow_null=True, required=False
    )
    line_manager = EmployeeNumberField(allow_null=True, required=False)
    statutory_role = serializers.ChoiceField(
        choices=StatutoryRole.choices, allow_null=True, required=False
    )
    teams = serializers.ListField(
        child=serializers.ChoiceField(choices=Team.choices), required=False
    )

    class Meta:
        model = Officer
        fields = [
            "id",
            "council",
            "employee_number",
            "full_name",
            "email",
            "job_title",
            "directorate",
            "line_manager",
            "seniority",
            "statutory_role",
            "teams",
            "politically_restricted",
            "active",
            "version",
        ]
        extra_kwargs = {"employee_number": {"help_text": "Unique in the council."}}


class OfficerUpsertSerializer(OfficerSerializer):
    """The body of ``PUT .../officers/by-employee-number/{employee_number}/``: the employee
    number comes from the path, so the body may leave it out. Fields left out keep their
    values (a new officer needs ``full_name``), so the HR system may send only what changed."""

    class Meta(OfficerSerializer.Meta):
        extra_kwargs = {"employee_number": {"required": False}, "full_name": {"required": False}}


class CommitteeMembershipSerializer(serializers.Serializer):
    """One seat: a member id and their role on the committee."""

    member = ScopedPrimaryKeyRelatedField(selector=selectors.members_for, model=Member)
    role = serializers.ChoiceField(choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)


class CommitteeSerializer(CouncilRecordSerializer):
    """A committee or panel and the members who sit on it. A panel convened about an officer
    (a hearing) may not seat a member who declared a relationship with them (city council
    protocol 4.5): ``council.services`` refuses, naming who but never why."""

    members = CommitteeMembershipSerializer(
        many=True,
        source="memberships",
        required=False,
        help_text="Who sits on it, with their role. Writing the list replaces it.",
    )
    convened_about = ScopedPrimaryKeyRelatedField(
        selector=selectors.officers_for,
        model=Officer,
        allow_null=True,
        required=False,
        help_text="The officer a panel is convened about (a hearing), or null. Members with "
        "a declared relationship with that officer may not sit on it.",
    )

    class Meta:
        model = Committee
        fields = ["id", "council", "name", "kind", "convened_about", "members", "version"]


class OfficerSyncRowSerializer(serializers.Serializer):
    """One officer of the HR system's establishment list. Fields left out keep their values.
    ``directorate`` is an id; ``line_manager`` an employee number, of an officer in the same
    list (in any order) or already in Councilcase."""

    employee_number = serializers.CharField(max_length=40)
    full_name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    directorate = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="A directorate id, or null."
    )
    line_manager = EmployeeNumberField(allow_null=True, required=False)
    seniority = serializers.ChoiceField(choices=Seniority.choices, required=False)
    statutory_role = serializers.ChoiceField(
        choices=StatutoryRole.choices, allow_null=True, required=False
    )
    teams = serializers.ListField(
        child=serializers.ChoiceField(choices=Team.choices), required=False
    )
    politically_restricted = serializers.BooleanField(required=False)
    active = serializers.BooleanField(
        required=False, help_text="false marks a leaver: no sign-in, open work flagged."
    )


class OfficerSyncSerializer(serializers.Serializer):
    """The body of ``POST /api/v1/officers/sync/``."""

    officers = OfficerSyncRowSerializer(many=True, allow_empty=True)
    dry_run = serializers.BooleanField(
        default=False,
        help_text="Check and report what would change, then write nothing.",
    )


class OfficerSyncResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.ListField(child=serializers.CharField(), help_text="Employee numbers.")
    updated = serializers.ListField(child=serializers.CharField(), help_text="Employee numbers.")
    unchanged = serializers.ListField(child=serializers.CharField(), help_text="Employee numbers.")
    leavers = serializers.ListField(
        child=serializers.CharField(),
        help_text="Employee numbers of officers this sync made leavers.",
    )

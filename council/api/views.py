"""The organisation's records over REST (API.md: Councils, Wards, political groups,
directorates, Members, Officers; and committees).

Thin: each viewset declares its model, token scope, selector and who may write, and calls a
service to write. Scoping, permissions, ETags, pagination and errors come from
``core.api.viewsets``. Everyone in a council may read its people directory (it is internal);
council administrators, superusers and tokens with the write scope may change it, and the HR
team may also change officers.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.principal import is_token_principal
from core.api.viewsets import CouncilScopedViewSet
from core.scoping import sees_all_councils
from council import roles, selectors, services
from council.choices import CommitteeRole
from council.models import Committee, Council, Directorate, Member, Officer, PoliticalGroup, Ward

from .filters import CommitteeFilter, MemberFilter, OfficerFilter
from .serializers import (
    CommitteeSerializer,
    CouncilSerializer,
    DirectorateSerializer,
    MemberSerializer,
    OfficerSerializer,
    OfficerSyncResultSerializer,
    OfficerSyncSerializer,
    OfficerUpsertSerializer,
    PoliticalGroupSerializer,
    WardSerializer,
)

ADMINISTRATORS = (roles.is_council_administrator,)


class CouncilViewSet(CouncilScopedViewSet):
    """Councils: each caller sees their own; service superusers see and create all."""

    model = Council
    scope_resource = "councils"
    feed_to_people = True
    selector = selectors.councils_for
    write_roles = ADMINISTRATORS
    serializer_class = CouncilSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    cursor_ordering = ("slug",)

    def has_write_permission(self, request) -> bool:
        if self.action == "create":
            # A token belongs to a council; only the service's own staff add councils.
            return not is_token_principal(request.user) and sees_all_councils(request.user)
        return super().has_write_permission(request)

    def council_for_create(self, requested_slug):
        return None

    def council_of(self, instance):
        return instance

    def create_record(self, *, council, by, data):
        return services.create_council(by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        return services.update_council(
            council=instance, by=by, expected_version=expected_version, **data
        )


class WardViewSet(CouncilScopedViewSet):
    model = Ward
    scope_resource = "wards"
    feed_to_people = True
    selector = selectors.wards_for
    write_roles = ADMINISTRATORS
    serializer_class = WardSerializer
    cursor_ordering = ("name", "id")

    def create_record(self, *, council, by, data):
        return services.create_ward(council=council, by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        if "name" not in data:
            return instance
        return services.update_ward(ward=instance, by=by, name=data["name"])


class PoliticalGroupViewSet(CouncilScopedViewSet):
    model = PoliticalGroup
    scope_resource = "political-groups"
    feed_to_people = True
    selector = selectors.political_groups_for
    write_roles = ADMINISTRATORS
    serializer_class = PoliticalGroupSerializer
    cursor_ordering = ("name", "id")

    def create_record(self, *, council, by, data):
        return services.create_political_group(council=council, by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        return services.update_political_group(
            group=instance, by=by, expected_version=expected_version, **data
        )


class DirectorateViewSet(CouncilScopedViewSet):
    model = Directorate
    scope_resource = "directorates"
    feed_to_people = True
    selector = selectors.directorates_for
    write_roles = ADMINISTRATORS
    serializer_class = DirectorateSerializer
    cursor_ordering = ("name", "id")

    def create_record(self, *, council, by, data):
        return services.create_directorate(council=council, by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        return services.update_directorate(
            directorate=instance, by=by, expected_version=expected_version, **data
        )


class MemberViewSet(CouncilScopedViewSet):
    model = Member
    scope_resource = "members"
    feed_to_people = True
    selector = selectors.members_for
    write_roles = ADMINISTRATORS
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    cursor_ordering = ("full_name", "id")

    def create_record(self, *, council, by, data):
        return services.create_member(council=council, by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        return services.update_member(
            member=instance, by=by, expected_version=expected_version, **data
        )


class OfficerViewSet(CouncilScopedViewSet):
    """Officers, kept in sync with the HR system by employee number."""

    model = Officer
    scope_resource = "officers"
    feed_to_people = True
    selector = selectors.officers_for
    write_roles = (roles.is_council_administrator, roles.is_hr)
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilter
    cursor_ordering = ("full_name", "id")

    def create_record(self, *, council, by, data):
        return services.create_officer(council=council, by=by, **data)

    def update_record(self, *, instance, by, expected_version, data):
        return services.update_officer(
            officer=instance, by=by, expected_version=expected_version, **data
        )

    @extend_schema(
        operation_id="officers_upsert_by_employee_number",
        summary="Create or update an officer by employee number (HR sync)",
        description=(
            "Idempotent. Creates the officer (201) or updates them (200); fields left out keep "
            "their values. Sending what is already stored changes nothing: 200 with the same "
            "version and ETag. `line_manager` is an employee number of the same council (400 "
            "naming the field if there is none). `active: false` marks a leaver, who can no "
            "longer sign in."
        ),
        parameters=[
            OpenApiParameter(
                "employee_number",
                str,
                OpenApiParameter.PATH,
                description="The officer's employee number in the HR system.",
            )
        ],
        request=OfficerUpsertSerializer,
        responses={200: OfficerSerializer, 201: OfficerSerializer},
    )
    @action(
        detail=False,
        methods=["put"],
        url_path=r"by-employee-number/(?P<employee_number>[^/]+)",
        url_name="by-employee-number",
        serializer_class=OfficerUpsertSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def by_employee_number(self, request, employee_number):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        council = self.council_for_create(data.pop("council", None))
        if data.pop("employee_number", employee_number) != employee_number:
            raise ValidationError(
                {"employee_number": ["The body names a different employee number from the URL."]}
            )
        officer, created = services.upsert_officer(
            council=council,
            by=request.user,
            employee_number=employee_number,
            expected_version=self.expected_version(),
            **data,
        )
        return self.object_response(
            officer, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        operation_id="officers_sync",
        summary="Apply the HR system's establishment list (bulk sync)",
        description=(
            "Creates or updates every officer in `officers` in one transaction, or none: "
            "if any row is wrong, nothing is written and the answer is 400 with every problem "
            "keyed `officers.<row index>.<field>`. Each row works as the PUT by employee "
            "number does (fields left out keep their values; a row that changes nothing "
            "writes nothing). `line_manager` may name an officer anywhere in the list, in any "
            "order. `active: false` marks a leaver: they can no longer sign in and their open "
            "enquiries are flagged for reassignment to their line manager. With "
            "`dry_run: true` the answer says what would change and nothing is written."
        ),
        request=OfficerSyncSerializer,
        responses={200: OfficerSyncResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="sync",
        url_name="sync",
        serializer_class=OfficerSyncSerializer,
        filterset_class=None,
        pagination_class=None,
    )
    def sync(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        council = self.council_for_create(None)
        result = services.sync_officers(
            council=council,
            by=request.user,
            rows=[dict(row) for row in serializer.validated_data["officers"]],
            dry_run=serializer.validated_data["dry_run"],
        )
        return Response(
            OfficerSyncResultSerializer(
                {
                    "dry_run": result.dry_run,
                    "created": result.numbers(services.SYNC_CREATED),
                    "updated": result.numbers(services.SYNC_UPDATED),
                    "unchanged": result.numbers(services.SYNC_UNCHANGED),
                    "leavers": result.leavers,
                }
            ).data
        )


class CommitteeViewSet(CouncilScopedViewSet):
    model = Committee
    scope_resource = "committees"
    feed_to_people = True
    selector = selectors.committees_for
    write_roles = ADMINISTRATORS
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilter
    cursor_ordering = ("name", "id")

    @staticmethod
    def _members(data):
        memberships = data.pop("memberships", None)
        if memberships is None:
            return None
        # A PATCH is partial all the way down: DRF leaves the seats' default role out of it.
        return [(item["member"], item.get("role", CommitteeRole.MEMBER)) for item in memberships]

    def create_record(self, *, council, by, data):
        members = self._members(data) or ()
        return services.create_committee(council=council, by=by, members=members, **data)

    def update_record(self, *, instance, by, expected_version, data):
        members = self._members(data)
        return services.update_committee(
            committee=instance,
            by=by,
            expected_version=expected_version,
            members=members,
            **data,
        )

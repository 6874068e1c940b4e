"""core.api.serializers.PlannedRepresentation: the same output as DRF's own
``to_representation``, field for field, for every kind of field it plans."""

import datetime

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from complaints import services
from complaints.api.serializers import EnquirySerializer
from core.api.serializers import PlannedRepresentation
from council.models import Officer
from tests import factories


def drf_representation(serializer, instance):
    return serializers.ModelSerializer.to_representation(serializer, instance)


def test_enquiries_in_every_state_are_represented_as_drf_would(db):
    council = factories.CouncilFactory()
    casework = factories.person("casework", council)
    officer = factories.OfficerFactory(council=council)
    received = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=datetime.UTC)
    logged = factories.enquiry(council, by=casework, received_at=received)
    assigned = factories.enquiry(
        council,
        by=casework,
        received_at=received,
        assigned_officer=officer,
        directorate=factories.DirectorateFactory(council=council),
        constituent={"name": "A Person", "email": "a@example.test"},
    )
    held = services.send_holding_response(
        enquiry=factories.enquiry(council, by=casework, received_at=received),
        by=casework,
        reason="A survey is needed.",
    )
    answered = services.respond_to_enquiry(
        enquiry=factories.enquiry(council, by=casework, received_at=received),
        by=casework,
        response="Done.",
    )
    closed = services.close_enquiry(enquiry=answered, by=casework)
    request = APIRequestFactory().get("/")
    request.user = casework
    serializer = EnquirySerializer(context={"request": request})
    for enquiry in (logged, assigned, held, closed):
        assert serializer.to_representation(enquiry) == drf_representation(serializer, enquiry)


class OfficerSerializer(PlannedRepresentation, serializers.ModelSerializer):
    line_manager = serializers.PrimaryKeyRelatedField(read_only=True)
    manager_name = serializers.CharField(source="line_manager.full_name", default=None)
    label = serializers.SerializerMethodField()
    shown = serializers.CharField(source="__str__")

    class Meta:
        model = Officer
        fields = [
            "id",
            "full_name",
            "directorate",
            "line_manager",
            "manager_name",
            "active",
            "teams",
            "label",
            "shown",
        ]

    def get_label(self, officer):
        return officer.full_name.upper()


@pytest.mark.parametrize("with_manager", [True, False])
def test_every_kind_of_field_is_represented_as_drf_would(db, with_manager):
    council = factories.CouncilFactory()
    manager = factories.OfficerFactory(council=council) if with_manager else None
    officer = factories.OfficerFactory(council=council, line_manager=manager)
    serializer = OfficerSerializer()
    assert serializer.to_representation(officer) == drf_representation(serializer, officer)
    steps, _represent = OfficerSerializer.representation_plan()
    kinds = {step.name: step.kind for step in steps}
    assert kinds["full_name"] == "text" and kinds["line_manager"] == "id"
    assert kinds["active"] == "attribute" and kinds["label"] == "method"
    assert kinds["manager_name"] == kinds["shown"] == kinds["teams"] == "drf"


def test_the_enquiry_plan_reads_every_field_without_drf(db):
    """The enquiry list's fields are all planned: a list page copies no fields per request."""
    steps, _represent = EnquirySerializer.representation_plan()
    kinds = {step.name: step.kind for step in steps}
    assert "drf" not in kinds.values()
    assert kinds["constituent"] == "nested" and kinds["response_due"] == "method"
    assert kinds["received_at"] == kinds["closed_at"] == "datetime"
    assert kinds["council"] == "attribute" and kinds["member"] == "id"
    serializer = EnquirySerializer(
        [factories.enquiry(factories.CouncilFactory())], many=True, context={}
    )
    assert len(serializer.data) == 1
    assert "fields" not in serializer.child.__dict__  # DRF's cached_property never ran


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "America/New_York"])
def test_timestamps_are_shown_in_the_current_time_zone_as_drf_shows_them(db, zone):
    council = factories.CouncilFactory()
    casework = factories.person("casework", council)
    summer = datetime.datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    enquiry = factories.enquiry(council, by=casework, received_at=summer)
    serializer = EnquirySerializer()
    with timezone.override(zone):
        shown = serializer.to_representation(enquiry)
        assert shown == drf_representation(serializer, enquiry)
    if zone == "UTC":
        assert shown["received_at"] == "2026-07-01T09:30:15.123456Z"
    elif zone == "Europe/London":
        assert shown["received_at"] == "2026-07-01T10:30:15.123456+01:00"


class StampedOfficerSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Officer
        fields = ["id", "created_at", "updated_at"]


@pytest.mark.parametrize(
    "stamp",
    [
        datetime.datetime(2026, 3, 29, 0, 30),  # naive: made aware as DRF does
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC),
        None,
    ],
)
def test_timestamps_of_every_kind_are_represented_as_drf_would(stamp):
    officer = Officer(id=7, created_at=stamp, updated_at=stamp)
    serializer = StampedOfficerSerializer()
    assert serializer.to_representation(officer) == drf_representation(serializer, officer)

"""core.api.serializers.PlannedRepresentation: the same output as DRF's own
``to_representation``, field for field, for every kind of field it plans."""

import datetime

import pytest
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
    kinds = {name: kind for name, kind, _attribute, _field in serializer._representation_plan()}
    assert kinds["full_name"] == "attribute" and kinds["line_manager"] == "id"
    assert kinds["manager_name"] == kinds["label"] == kinds["shown"] == "drf"

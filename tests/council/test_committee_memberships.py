"""Committee seats carry their council (DESIGN.md, Architecture: every row that belongs to a
council carries the council, and no data crosses between councils): the services set it and
refuse a member of another council, the database refuses what crosses councils, and migration
0004 filled the seats that existed before."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core.audit.models import AuditEvent
from council import services
from council.models import CommitteeMembership
from tests import factories

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("council.migrations.0004_committeemembership_council")


def test_a_committee_made_by_the_service_seats_its_members_in_its_council(council):
    chair, member = factories.MemberFactory.create_batch(2, council=council)
    committee = services.create_committee(
        council=council, by="test", name="Standards", members=[(chair, "chair"), (member, "member")]
    )
    assert set(committee.memberships.values_list("council_id", flat=True)) == {council.pk}


def test_replacing_the_members_seats_them_in_the_committees_council(council):
    committee = factories.CommitteeFactory(council=council)
    member = factories.MemberFactory(council=council)
    services.set_committee_members(committee=committee, by="test", members=[(member, "chair")])
    assert committee.memberships.get().council_id == council.pk


def test_the_service_refuses_a_member_of_another_council(council, other_council):
    committee = factories.CommitteeFactory(council=council)
    theirs = factories.MemberFactory(council=other_council)
    with pytest.raises(ValidationError) as refused:
        services.set_committee_members(committee=committee, by="test", members=[(theirs, "chair")])
    assert refused.value.message_dict == {"members": ["Choose one of this council's records."]}
    assert not CommitteeMembership.objects.exists()


def test_seating_another_councils_member_by_the_api_is_a_400_that_changes_nothing(
    council, other_council, client_as
):
    committee = factories.CommitteeFactory(council=council)
    seated = factories.CommitteeMembershipFactory(committee=committee)
    theirs = factories.MemberFactory(council=other_council)
    response = client_as("administrator").patch(
        f"/api/v1/committees/{committee.pk}/",
        {"members": [{"member": theirs.pk, "role": "chair"}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["members.0.member"]
    assert body["errors"]["members.0.member"][0].startswith("Invalid pk")
    assert list(committee.memberships.values_list("member_id", flat=True)) == [seated.member_id]


def test_the_database_refuses_a_seat_whose_member_is_of_another_council(council, other_council):
    committee = factories.CommitteeFactory(council=council)
    theirs = factories.MemberFactory(council=other_council)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMembership.objects.create(council=council, committee=committee, member=theirs)


def test_the_database_refuses_a_seat_in_another_council_than_its_committees(council, other_council):
    committee = factories.CommitteeFactory(council=council)
    member = factories.MemberFactory(council=council)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMembership.objects.create(
            council=other_council, committee=committee, member=member
        )


def test_a_seat_made_without_its_council_takes_the_committees(council):
    committee = factories.CommitteeFactory(council=council)
    seat = CommitteeMembership.objects.create(
        committee=committee, member=factories.MemberFactory(council=council)
    )
    assert seat.council_id == council.pk


def test_a_seat_is_on_the_audit_trail_under_its_council(council):
    seat = factories.CommitteeMembershipFactory(
        committee=factories.CommitteeFactory(council=council)
    )
    event = AuditEvent.objects.get(table_name="council_committeemembership", row_pk=str(seat.pk))
    assert event.council_id == council.pk


def test_the_migration_fills_each_seats_council_from_its_committee(council, other_council):
    # The column as migration 0004 found it: nullable, and empty on the seats already there.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE council_committeemembership ALTER COLUMN council_id DROP NOT NULL"
        )
    ours = factories.CommitteeMembershipFactory(
        committee=factories.CommitteeFactory(council=council)
    )
    theirs = factories.CommitteeMembershipFactory(
        committee=factories.CommitteeFactory(council=other_council)
    )
    CommitteeMembership.objects.update(council=None)

    fill_migration.fill_councils_from_committees(apps, connection.schema_editor())

    assert dict(CommitteeMembership.objects.values_list("pk", "council_id")) == {
        ours.pk: council.pk,
        theirs.pk: other_council.pk,
    }

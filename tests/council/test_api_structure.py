"""Wards, political groups, directorates and committees (API.md, Wards, political groups,
directorates; committees are an addition the contract allows)."""

import pytest

from core.audit.models import AuditEvent
from council.models import Committee, CommitteeMembership, Directorate, PoliticalGroup, Ward
from tests import factories

pytestmark = pytest.mark.django_db


# Wards ------------------------------------------------------------------------------------


def test_an_administrator_adds_and_renames_a_ward(council, client_as):
    client = client_as("administrator")
    created = client.post("/api/v1/wards/", {"name": "Abbey"})
    assert created.status_code == 201
    assert created.json() == {"id": created.json()["id"], "council": "city", "name": "Abbey"}
    assert "ETag" not in created  # wards carry no version
    renamed = client.patch(f"/api/v1/wards/{created.json()['id']}/", {"name": "Abbey North"})
    assert renamed.json()["name"] == "Abbey North"


def test_a_ward_name_is_unique_in_its_council(council, other_council, client_as):
    factories.WardFactory(council=council, name="Abbey")
    factories.WardFactory(council=other_council, name="Castle")
    client = client_as("administrator")
    duplicate = client.post("/api/v1/wards/", {"name": "Abbey"})
    assert duplicate.status_code == 400
    assert list(duplicate.json()["errors"]) == ["name"]
    assert client.post("/api/v1/wards/", {"name": "Castle"}).status_code == 201
    assert Ward.objects.filter(council=council).count() == 2


# Political groups -------------------------------------------------------------------------


def test_a_political_group_names_its_leader_deputy_and_whip(council, client_as):
    leader, deputy, whip = factories.MemberFactory.create_batch(3, council=council)
    response = client_as("administrator").post(
        "/api/v1/political-groups/",
        {"name": "Greens", "leader": leader.pk, "deputy_leader": deputy.pk, "whip": whip.pk},
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "council": "city",
        "name": "Greens",
        "leader": leader.pk,
        "deputy_leader": deputy.pk,
        "whip": whip.pk,
        "version": 1,
    }
    assert response["ETag"] == '"1"'


def test_a_group_leader_from_another_council_is_refused(council, other_council, client_as):
    theirs = factories.MemberFactory(council=other_council)
    response = client_as("administrator").post(
        "/api/v1/political-groups/", {"name": "Greens", "leader": theirs.pk}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["leader"]
    assert not PoliticalGroup.objects.exists()


def test_a_group_whip_change_is_versioned(council, client_as):
    group = factories.PoliticalGroupFactory(council=council)
    whip = factories.MemberFactory(council=council)
    client = client_as("administrator")
    url = f"/api/v1/political-groups/{group.pk}/"
    assert client.patch(url, {"whip": whip.pk}, HTTP_IF_MATCH='"1"').json()["version"] == 2
    assert client.patch(url, {"whip": None}, HTTP_IF_MATCH='"1"').status_code == 412


# Directorates -----------------------------------------------------------------------------


def test_a_directorate_has_a_director(council, client_as):
    director = factories.OfficerFactory(council=council, seniority="director")
    client = client_as("administrator")
    response = client.post("/api/v1/directorates/", {"name": "Place", "director": director.pk})
    assert response.status_code == 201
    assert response.json()["director"] == director.pk
    other = factories.OfficerFactory(council=council)
    url = f"/api/v1/directorates/{response.json()['id']}/"
    updated = client.put(url, {"name": "Place", "director": other.pk}, HTTP_IF_MATCH='"1"')
    assert (updated.status_code, updated.json()["director"]) == (200, other.pk)


def test_a_duplicate_directorate_name_is_a_field_error(council, client_as):
    factories.DirectorateFactory(council=council, name="Place")
    response = client_as("administrator").post("/api/v1/directorates/", {"name": "Place"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
    assert Directorate.objects.count() == 1


@pytest.mark.parametrize("resource", ["wards", "political-groups", "directorates", "committees"])
def test_only_administrators_change_the_structure(council, client_as, resource):
    for role in ("member", "officer", "hr", "casework", "monitoring_officer"):
        assert client_as(role).post(f"/api/v1/{resource}/", {"name": "X"}).status_code == 403


@pytest.mark.parametrize("resource", ["wards", "political-groups", "directorates", "committees"])
def test_another_councils_structure_is_not_found(council, other_council, client_as, resource):
    factory = {
        "wards": factories.WardFactory,
        "political-groups": factories.PoliticalGroupFactory,
        "directorates": factories.DirectorateFactory,
        "committees": factories.CommitteeFactory,
    }[resource]
    theirs = factory(council=other_council)
    client = client_as("administrator")
    assert client.get(f"/api/v1/{resource}/{theirs.pk}/").status_code == 404
    assert client.patch(f"/api/v1/{resource}/{theirs.pk}/", {"name": "x"}).status_code == 404
    assert client.get(f"/api/v1/{resource}/").json()["results"] == []


# Committees -------------------------------------------------------------------------------


def test_a_committee_is_created_with_its_members_and_roles(council, client_as):
    chair, member = factories.MemberFactory.create_batch(2, council=council)
    response = client_as("administrator").post(
        "/api/v1/committees/",
        {
            "name": "Standards",
            "kind": "standards",
            "members": [{"member": chair.pk, "role": "chair"}, {"member": member.pk}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Standards" and body["kind"] == "standards"
    assert sorted(body["members"], key=lambda seat: seat["member"]) == sorted(
        [{"member": chair.pk, "role": "chair"}, {"member": member.pk, "role": "member"}],
        key=lambda seat: seat["member"],
    )
    assert body["version"] == 1


def test_a_committee_with_a_bad_seat_writes_nothing(council, other_council, client_as):
    ours = factories.MemberFactory(council=council)
    theirs = factories.MemberFactory(council=other_council)
    response = client_as("administrator").post(
        "/api/v1/committees/",
        {"name": "Standards", "members": [{"member": ours.pk}, {"member": theirs.pk}]},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["members.1.member"]
    assert not Committee.objects.exists()


def test_a_member_sits_on_a_committee_once(council, client_as):
    member = factories.MemberFactory(council=council)
    response = client_as("administrator").post(
        "/api/v1/committees/",
        {"name": "Standards", "members": [{"member": member.pk}, {"member": member.pk}]},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["members"]
    assert not Committee.objects.exists()


def test_replacing_the_members_makes_a_new_version_and_the_same_list_does_not(council, client_as):
    committee = factories.CommitteeFactory(council=council)
    first, second = factories.MemberFactory.create_batch(2, council=council)
    factories.CommitteeMembershipFactory(committee=committee, member=first)
    client = client_as("administrator")
    url = f"/api/v1/committees/{committee.pk}/"
    same = client.patch(url, {"members": [{"member": first.pk, "role": "member"}]})
    assert same.json()["version"] == 1
    replaced = client.patch(url, {"members": [{"member": second.pk, "role": "chair"}]})
    assert replaced.json()["members"] == [{"member": second.pk, "role": "chair"}]
    assert replaced.json()["version"] == 2
    assert list(CommitteeMembership.objects.values_list("member_id", flat=True)) == [second.pk]


def test_committees_filter_by_member_and_kind(council, client_as):
    seat = factories.CommitteeMembershipFactory(
        committee=factories.CommitteeFactory(council=council, kind="panel")
    )
    factories.CommitteeFactory(council=council, kind="standards")
    client = client_as("member")
    by_member = client.get("/api/v1/committees/", {"member": seat.member_id}).json()["results"]
    assert [row["id"] for row in by_member] == [seat.committee_id]
    by_kind = client.get("/api/v1/committees/", {"kind": "standards"}).json()["results"]
    assert [row["kind"] for row in by_kind] == ["standards"]


def test_a_panel_is_convened_about_an_officer_of_the_council_only(
    council, other_council, client_as
):
    ours = factories.OfficerFactory(council=council)
    theirs = factories.OfficerFactory(council=other_council)
    client = client_as("administrator")
    refused = client.post(
        "/api/v1/committees/", {"name": "Hearing", "kind": "panel", "convened_about": theirs.pk}
    )
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["convened_about"]
    created = client.post(
        "/api/v1/committees/", {"name": "Hearing", "kind": "panel", "convened_about": ours.pk}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["convened_about"] == ours.pk
    cleared = client.patch(
        f"/api/v1/committees/{created.json()['id']}/", {"convened_about": None}, format="json"
    )
    assert cleared.json()["convened_about"] is None
    assert Committee.objects.get().convened_about is None


def test_seating_a_member_who_declared_a_relationship_with_the_officer_is_refused_neutrally(
    council, client_as
):
    officer = factories.OfficerFactory(council=council)
    seated, related = factories.MemberFactory.create_batch(2, council=council)
    factories.declaration(
        related, officer, kind="business", description="We co-own a holiday let in Whitby."
    )
    panel = factories.CommitteeFactory(council=council, kind="panel", convened_about=officer)
    factories.CommitteeMembershipFactory(committee=panel, member=seated)
    client = client_as("administrator")
    events = AuditEvent.objects.count()

    response = client.patch(
        f"/api/v1/committees/{panel.pk}/",
        {"members": [{"member": seated.pk}, {"member": related.pk}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "members": [f"{related} cannot sit on this panel. Choose other members."]
    }
    body = response.content.decode()
    assert "Whitby" not in body and "business" not in body  # never the declaration's details
    assert list(panel.memberships.values_list("member_id", flat=True)) == [seated.pk]
    panel.refresh_from_db()
    assert panel.version == 1
    assert AuditEvent.objects.count() == events


def test_a_seat_patched_without_a_role_is_an_ordinary_member(council, client_as):
    committee = factories.CommitteeFactory(council=council)
    member = factories.MemberFactory(council=council)
    response = client_as("administrator").patch(
        f"/api/v1/committees/{committee.pk}/", {"members": [{"member": member.pk}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["members"] == [{"member": member.pk, "role": "member"}]

"""Route choice and owner resolution (complaints.conduct.routing): who complains about whom
picks the route; each owner rule resolves against the organisation, never to a party or to
anyone with a declared relationship with one, passing to the next person up."""

from __future__ import annotations

import datetime

import pytest

from complaints.conduct import routing, services
from complaints.conduct.choices import HistoryAction, OwnerRule, RouteKind
from complaints.conduct.models import ComplaintHistory, ComplaintStage, Route
from council.choices import Seniority, StatutoryRole
from tests import factories

from .conftest import declare

TODAY = datetime.date.today()


def resolve(org, rule, complainant, subject):
    return routing.resolve_owner(
        rule, complainant=complainant, subject=subject, council_id=org.council.pk, on=TODAY
    )


# Routes ---------------------------------------------------------------------------------------


def test_a_new_council_has_every_default_route(db):
    council = factories.CouncilFactory(slug="new-council")
    kinds = set(Route.objects.filter(council=council).values_list("kind", flat=True))
    assert kinds == set(RouteKind.values)


def test_the_officer_about_member_route_follows_protocol_15(db):
    council = factories.CouncilFactory(slug="new-council")
    route = Route.objects.get(council=council, kind=RouteKind.OFFICER_ABOUT_MEMBER)
    rules = list(route.stages.order_by("order").values_list("owner_rule", flat=True))
    assert rules == [
        OwnerRule.COMPLAINANT_LINE_MANAGER,
        OwnerRule.MONITORING_OFFICER,
        OwnerRule.EXECUTIVE_DIRECTOR,
        OwnerRule.STANDARDS_COMMITTEE_CHAIR,
    ]


def test_seeding_again_creates_nothing(org):
    assert services.seed_routes(council=org.council) == 0


@pytest.mark.parametrize(
    ("complainant", "subject", "kind"),
    [
        ("officer", "councillor", RouteKind.OFFICER_ABOUT_MEMBER),
        ("councillor", "officer", RouteKind.MEMBER_ABOUT_OFFICER),
        ("councillor", "monitoring_officer", RouteKind.MEMBER_ABOUT_SENIOR_OFFICER),
        ("councillor", "executive_director", RouteKind.MEMBER_ABOUT_SENIOR_OFFICER),
        ("councillor", "chief_executive", RouteKind.MEMBER_ABOUT_CHIEF_EXECUTIVE),
        ("councillor", "independent", RouteKind.MEMBER_ABOUT_MEMBER),
        ("officer", "colleague", RouteKind.OFFICER_ABOUT_OFFICER),
    ],
)
def test_the_route_is_chosen_from_who_complains_about_whom(org, complainant, subject, kind):
    assert routing.route_kind_for(getattr(org, complainant), getattr(org, subject)) == kind


# Owner rules, unobstructed ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "complainant", "subject", "owner"),
    [
        (OwnerRule.COMPLAINANT_LINE_MANAGER, "officer", "councillor", "manager"),
        (OwnerRule.SUBJECT_LINE_MANAGER, "councillor", "officer", "manager"),
        (OwnerRule.SUBJECT_DIRECTOR, "councillor", "officer", "director"),
        (OwnerRule.EXECUTIVE_DIRECTOR, "officer", "councillor", "executive_director"),
        (OwnerRule.CHIEF_EXECUTIVE, "councillor", "monitoring_officer", "chief_executive"),
        (OwnerRule.MONITORING_OFFICER, "officer", "councillor", "monitoring_officer"),
        (OwnerRule.SUBJECT_GROUP_LEADER, "independent", "councillor", "leader"),
        (OwnerRule.SUBJECT_GROUP_WHIP, "independent", "councillor", "whip"),
        (OwnerRule.COMPLAINANT_GROUP_WHIP, "councillor", "chief_executive", "whip"),
        (OwnerRule.STANDARDS_COMMITTEE_CHAIR, "officer", "councillor", "chair"),
    ],
)
def test_each_owner_rule_names_its_person(org, rule, complainant, subject, owner):
    resolution = resolve(org, rule, getattr(org, complainant), getattr(org, subject))
    assert resolution.owner == getattr(org, owner)
    assert not resolution.substituted


# Substitutions --------------------------------------------------------------------------------


def test_a_line_manager_who_is_the_subject_passes_to_their_manager(org):
    # The officer complains about their own manager: the manager's line manager takes it.
    resolution = resolve(org, OwnerRule.COMPLAINANT_LINE_MANAGER, org.officer, org.manager)
    assert resolution.owner == org.director
    assert resolution.passed_over == [(org.manager, routing.PARTY)]


def test_a_line_manager_with_a_declared_relationship_passes_to_the_next_person_up(org):
    declare(org.manager, org.councillor)
    resolution = resolve(org, OwnerRule.COMPLAINANT_LINE_MANAGER, org.officer, org.councillor)
    assert resolution.owner == org.director
    assert resolution.passed_over == [(org.manager, routing.NOT_INDEPENDENT)]
    assert resolution.substituted


def test_a_relationship_declared_by_the_party_counts_too(org):
    declare(org.councillor, org.manager)
    resolution = resolve(org, OwnerRule.COMPLAINANT_LINE_MANAGER, org.officer, org.councillor)
    assert resolution.owner == org.director


def test_the_chain_continues_up_to_the_chief_executive(org):
    declare(org.manager, org.councillor)
    declare(org.director, org.officer)
    resolution = resolve(org, OwnerRule.COMPLAINANT_LINE_MANAGER, org.officer, org.councillor)
    assert resolution.owner == org.chief_executive


def test_the_monitoring_officer_who_is_the_subject_passes_to_the_deputy(org):
    resolution = resolve(org, OwnerRule.MONITORING_OFFICER, org.councillor, org.monitoring_officer)
    assert resolution.owner == org.deputy
    assert resolution.substituted


def test_a_chief_executive_with_a_conflict_passes_to_the_monitoring_officer(org):
    declare(org.chief_executive, org.councillor)
    resolution = resolve(org, OwnerRule.CHIEF_EXECUTIVE, org.councillor, org.executive_director)
    assert resolution.owner == org.monitoring_officer


def test_a_leaver_is_passed_over(org):
    org.manager.active = False
    org.manager.save()
    resolution = resolve(org, OwnerRule.COMPLAINANT_LINE_MANAGER, org.officer, org.councillor)
    assert resolution.owner == org.director
    assert resolution.passed_over == [(org.manager, routing.LEFT)]


def test_a_group_leader_complained_about_passes_to_the_whip(org):
    resolution = resolve(org, OwnerRule.SUBJECT_GROUP_LEADER, org.independent, org.leader)
    assert resolution.owner == org.whip


def test_a_member_without_a_group_goes_to_the_standards_chair(org):
    resolution = resolve(org, OwnerRule.SUBJECT_GROUP_LEADER, org.councillor, org.bystander)
    assert resolution.owner == org.chair
    assert resolution.first_choice is None


def test_a_standards_chair_with_a_conflict_passes_to_the_vice_chair(org):
    declare(org.chair, org.officer)
    resolution = resolve(org, OwnerRule.STANDARDS_COMMITTEE_CHAIR, org.officer, org.councillor)
    assert resolution.owner == org.vice_chair


def test_an_executive_director_complained_about_is_not_their_own_investigator(org):
    resolution = resolve(org, OwnerRule.EXECUTIVE_DIRECTOR, org.councillor, org.executive_director)
    assert resolution.owner == org.director


def test_nobody_independent_leaves_the_stage_without_an_owner(org):
    council = org.council
    lone = factories.OfficerFactory(council=council)
    other = factories.OfficerFactory(council=council)
    resolution = routing.resolve_owner(
        OwnerRule.SUBJECT_DIRECTOR,
        complainant=lone,
        subject=other,
        council_id=factories.CouncilFactory(slug="empty").pk,
        on=TODAY,
    )
    assert resolution.owner is None


# Recorded on the complaint ----------------------------------------------------------------------


def test_a_substitution_is_recorded_without_its_reason(org, raise_complaint):
    declare(org.manager, org.councillor)
    complaint = raise_complaint(org.officer, org.councillor)
    stage = complaint.current_stage
    assert stage.owner_officer == org.director and stage.substituted
    entry = ComplaintHistory.objects.get(
        complaint=complaint, action=HistoryAction.OWNER_SUBSTITUTED
    )
    assert entry.detail == {"rule": OwnerRule.COMPLAINANT_LINE_MANAGER, "passed_over": 1}
    assert "relationship" not in entry.note and "family" not in entry.note


def test_the_database_refuses_an_owner_who_is_the_subject(org, raise_complaint):
    from django.db import IntegrityError, transaction

    complaint = raise_complaint(org.officer, org.councillor)
    stage = complaint.current_stage
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintStage.objects.filter(pk=stage.pk).update(
            owner_officer=None, owner_member=org.councillor
        )


def test_the_database_refuses_an_owner_who_is_the_complainant(org, raise_complaint):
    from django.db import IntegrityError, transaction

    complaint = raise_complaint(org.officer, org.councillor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintStage.objects.filter(pk=complaint.current_stage.pk).update(
            owner_officer=org.officer
        )


def test_statutory_roles_are_read_from_the_officer_record(org):
    org.outsider.statutory_role = StatutoryRole.CHIEF_FINANCE_OFFICER
    org.outsider.seniority = Seniority.DIRECTOR
    assert routing.route_kind_for(org.councillor, org.outsider) == (
        RouteKind.MEMBER_ABOUT_SENIOR_OFFICER
    )

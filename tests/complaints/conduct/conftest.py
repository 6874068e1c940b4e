"""An organisation for the conduct complaint tests: the statutory posts, a management chain,
two political groups and a standards committee, each person with an account, so that every
owner rule (complaints.conduct.routing) and every viewer the confidentiality rules name
(complaints.conduct.permissions) is a real record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from complaints.conduct import services
from council.choices import CommitteeKind, Seniority, StatutoryRole
from council.models import Committee, CommitteeMembership, Directorate, Member, Officer
from tests import factories


def officer(council, directorate=None, **fields) -> Officer:
    user = factories.UserFactory(council=council)
    return factories.OfficerFactory(
        council=council,
        user=user,
        email=user.email,
        full_name=user.full_name,
        directorate=directorate,
        **fields,
    )


def member(council, group=None) -> Member:
    user = factories.UserFactory(council=council)
    return factories.MemberFactory(
        council=council,
        user=user,
        email=user.email,
        full_name=user.full_name,
        political_group=group,
    )


@dataclass
class Organisation:
    council: object
    place: Directorate
    chief_executive: Officer
    monitoring_officer: Officer
    deputy: Officer
    executive_director: Officer
    director: Officer  # director of Place
    manager: Officer  # line manager of ``officer``, in Place, reports to the director
    officer: Officer  # an officer in Place
    colleague: Officer  # another officer in Place, managed by ``manager``
    outsider: Officer  # an unrelated officer
    leader: Member  # leader of the Alliance group
    whip: Member  # whip of the Alliance group
    councillor: Member  # an Alliance member
    independent: Member  # a member of the Independent group
    independent_leader: Member
    chair: Member  # chair of the standards committee
    vice_chair: Member
    bystander: Member  # an unrelated member


@pytest.fixture
def org(council) -> Organisation:
    chief = officer(
        council,
        seniority=Seniority.CHIEF_EXECUTIVE,
        statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE,
    )
    legal = factories.DirectorateFactory(council=council, name="Legal")
    place = factories.DirectorateFactory(council=council, name="Place")
    monitoring = officer(
        council,
        legal,
        seniority=Seniority.DIRECTOR,
        statutory_role=StatutoryRole.MONITORING_OFFICER,
        line_manager=chief,
    )
    deputy = officer(
        council,
        legal,
        seniority=Seniority.MANAGER,
        statutory_role=StatutoryRole.DEPUTY_MONITORING_OFFICER,
        line_manager=monitoring,
    )
    executive = officer(council, seniority=Seniority.EXECUTIVE_DIRECTOR, line_manager=chief)
    director = officer(council, place, seniority=Seniority.DIRECTOR, line_manager=chief)
    place.director = director
    place.save()
    legal.director = monitoring
    legal.save()
    manager = officer(council, place, seniority=Seniority.MANAGER, line_manager=director)
    alliance = factories.PoliticalGroupFactory(council=council, name="Alliance")
    independents = factories.PoliticalGroupFactory(council=council, name="Independents")
    leader, whip = member(council, alliance), member(council, alliance)
    councillor = member(council, alliance)
    alliance.leader, alliance.whip = leader, whip
    alliance.save()
    independent_leader = member(council, independents)
    independents.leader = independent_leader
    independents.save()
    chair, vice_chair = member(council), member(council)
    standards = Committee.objects.create(
        council=council, name="Standards", kind=CommitteeKind.STANDARDS
    )
    CommitteeMembership.objects.create(committee=standards, member=chair, role="chair")
    CommitteeMembership.objects.create(committee=standards, member=vice_chair, role="vice_chair")
    return Organisation(
        council=council,
        place=place,
        chief_executive=chief,
        monitoring_officer=monitoring,
        deputy=deputy,
        executive_director=executive,
        director=director,
        manager=manager,
        officer=officer(council, place, line_manager=manager),
        colleague=officer(council, place, line_manager=manager),
        outsider=officer(council),
        leader=leader,
        whip=whip,
        councillor=councillor,
        independent=member(council, independents),
        independent_leader=independent_leader,
        chair=chair,
        vice_chair=vice_chair,
        bystander=member(council),
    )


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def raise_complaint(org):
    """``raise_complaint(complainant, subject, **overrides)``: a complaint raised through the
    service by the complainant's own account, bullying, with one incident a week ago."""

    def make(complainant, subject, **fields):
        defaults = {
            "by": complainant.user,
            "categories": ["bullying"],
            "description": "Shouted at me in a meeting.",
            "incidents": [{"occurred_on": days_ago(7), "description": "At the meeting."}],
        }
        return services.raise_complaint(
            council=org.council, subject=subject, **{**defaults, **fields}
        )

    return make


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    client.user = user
    return client


def declare(declarant, counterpart):
    """A family relationship ``declarant`` declared with ``counterpart``, active today."""
    return factories.declaration(declarant, counterpart)

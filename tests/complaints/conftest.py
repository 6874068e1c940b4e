"""People and places for the enquiry tests: one council's organisation, with a person in each
role the visibility and permission rules name (complaints.permissions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from council.choices import Seniority, StatutoryRole, Team
from council.models import Directorate, Member, Officer, User
from tests import factories

UTC = datetime.UTC
# A Monday in the past. First response (3 working days): Thursday 19 November 2026; full
# response (10): Monday 30 November 2026.
RECEIVED = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
NOW = datetime.datetime(2026, 11, 17, 12, 0, tzinfo=UTC)


@dataclass
class Organisation:
    """Accounts (``*_user``) and their records in the ``council`` fixture's council."""

    council: object
    highways: Directorate
    parks: Directorate
    casework: User
    officer: Officer  # the assignee, in highways
    manager: Officer  # the assignee's line manager, in parks
    director: Officer  # director of highways (named on the directorate)
    colleague: Officer  # another officer in highways
    outsider: Officer  # an officer in parks, unrelated
    monitoring_officer: User
    chief_executive: User
    member: Member
    other_member: Member

    def user(self, record) -> User:
        return record.user


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


def member(council) -> Member:
    user = factories.UserFactory(council=council)
    return factories.MemberFactory(
        council=council, user=user, email=user.email, full_name=user.full_name
    )


@pytest.fixture
def org(council) -> Organisation:
    highways = factories.DirectorateFactory(council=council, name="Highways")
    parks = factories.DirectorateFactory(council=council, name="Parks")
    director = officer(council, highways, seniority=Seniority.DIRECTOR)
    highways.director = director
    highways.save()
    manager = officer(council, parks, seniority=Seniority.MANAGER)
    return Organisation(
        council=council,
        highways=highways,
        parks=parks,
        casework=officer(council, teams=[Team.CASEWORK]).user,
        officer=officer(council, highways, line_manager=manager),
        manager=manager,
        director=director,
        colleague=officer(council, highways),
        outsider=officer(council, parks),
        monitoring_officer=officer(
            council, statutory_role=StatutoryRole.MONITORING_OFFICER, seniority=Seniority.DIRECTOR
        ).user,
        chief_executive=officer(council, seniority=Seniority.CHIEF_EXECUTIVE).user,
        member=member(council),
        other_member=member(council),
    )


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def log(org):
    """``log(**overrides)``: an enquiry of ``org.member`` about highways, assigned to
    ``org.officer``, logged by the casework team, received ``RECEIVED``, as at ``NOW``."""

    def make(**fields):
        defaults = {
            "by": org.casework,
            "member": org.member,
            "directorate": org.highways,
            "assigned_officer": org.officer,
            "received_at": RECEIVED,
            "now": NOW,
        }
        return factories.enquiry(org.council, **{**defaults, **fields})

    return make

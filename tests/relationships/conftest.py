"""One council's people for the declaration tests: the register's keepers, those who assign
work, and ordinary members and officers (relationships.permissions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from council.choices import Seniority, StatutoryRole, Team
from council.models import Member, Officer, User
from tests import factories

TODAY = datetime.date.today()


@dataclass
class People:
    council: object
    monitoring_officer: Officer
    chief_executive: Officer
    casework: Officer
    manager: Officer
    director: Officer
    administrator: Officer
    officer: Officer  # declares, and is declared about
    colleague: Officer
    member: Member
    ward_colleague: Member  # the same ward as ``member``
    other_member: Member


def officer(council, **fields) -> Officer:
    user = factories.UserFactory(council=council)
    return factories.OfficerFactory(
        council=council, user=user, email=user.email, full_name=user.full_name, **fields
    )


def member(council, **fields) -> Member:
    user = factories.UserFactory(council=council)
    return factories.MemberFactory(
        council=council, user=user, email=user.email, full_name=user.full_name, **fields
    )


@pytest.fixture
def people(council) -> People:
    first = member(council)
    return People(
        council=council,
        monitoring_officer=officer(
            council, statutory_role=StatutoryRole.MONITORING_OFFICER, seniority=Seniority.DIRECTOR
        ),
        chief_executive=officer(
            council,
            seniority=Seniority.CHIEF_EXECUTIVE,
            statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE,
        ),
        casework=officer(council, teams=[Team.CASEWORK]),
        manager=officer(council, seniority=Seniority.MANAGER),
        director=officer(council, seniority=Seniority.DIRECTOR),
        administrator=officer(council, teams=[Team.ADMINISTRATORS]),
        officer=officer(council),
        colleague=officer(council),
        member=first,
        ward_colleague=member(council, ward=first.ward),
        other_member=member(council),
    )


def client_for(person) -> APIClient:
    """An API client signed in as ``person`` (a User, or a Member/Officer's account)."""
    user = person if isinstance(person, User) else person.user
    client = APIClient()
    client.force_login(user)
    client.user = user
    return client


def party(record) -> dict:
    return {"type": "member" if isinstance(record, Member) else "officer", "id": record.pk}

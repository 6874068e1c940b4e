"""factory_boy factories for the organisation, shared by every test module.

Factories write rows directly (tests may); tests of behaviour go through services or the API.
``person(role, council)`` makes a signed-in account holding one of the roles the
authorization matrix names.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from council import services
from council.choices import MemberKind, Seniority, StatutoryRole, Team
from council.models import (
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    User,
    Ward,
)


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"council-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.slug.replace('-', ' ').title()} Council")
    nation = "england"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    council = factory.SubFactory(CouncilFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


class SuperuserFactory(UserFactory):
    council = None
    is_staff = True
    is_superuser = True


class WardFactory(DjangoModelFactory):
    class Meta:
        model = Ward

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")


class PoliticalGroupFactory(DjangoModelFactory):
    class Meta:
        model = PoliticalGroup

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class DirectorateFactory(DjangoModelFactory):
    class Meta:
        model = Directorate

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Directorate {n}")


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    council = factory.SubFactory(CouncilFactory)
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    kind = MemberKind.COUNCILLOR
    ward = factory.LazyAttribute(lambda o: WardFactory(council=o.council))


class OfficerFactory(DjangoModelFactory):
    class Meta:
        model = Officer

    council = factory.SubFactory(CouncilFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"officer{n}@example.org")
    job_title = "Officer"
    seniority = Seniority.OFFICER


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Committee {n}")


class CommitteeMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    committee = factory.SubFactory(CommitteeFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(council=o.committee.council))


# People by role --------------------------------------------------------------------------

# Roles a signed-in account can hold, as the authorization matrix names them.
PERSON_ROLES = (
    "member",
    "officer",
    "casework",
    "hr",
    "administrator",
    "monitoring_officer",
    "superuser",
)


def person(role: str, council: Council | None = None) -> User:
    """A signed-in account of ``council`` holding ``role`` (one of ``PERSON_ROLES``), linked to
    the member or officer record that gives it the role."""
    if role == "superuser":
        return SuperuserFactory()
    council = council or CouncilFactory()
    user = UserFactory(council=council)
    if role == "member":
        MemberFactory(council=council, user=user, email=user.email, full_name=user.full_name)
        return user
    officer_fields = {
        "officer": {},
        "casework": {"teams": [Team.CASEWORK]},
        "hr": {"teams": [Team.HR]},
        "administrator": {"teams": [Team.ADMINISTRATORS]},
        "monitoring_officer": {
            "statutory_role": StatutoryRole.MONITORING_OFFICER,
            "seniority": Seniority.DIRECTOR,
        },
    }[role]
    OfficerFactory(
        council=council, user=user, email=user.email, full_name=user.full_name, **officer_fields
    )
    return user


def api_token(council: Council, scopes, *, name: str | None = None, **kwargs):
    """Issue a token through the service; returns ``(token, key)``."""
    name = name or f"token {next(_token_names)}"
    return services.issue_api_token(
        council=council, by="test", name=name, scopes=list(scopes), **kwargs
    )


_token_names = iter(range(1, 10**9))


# Member enquiries ---------------------------------------------------------------------------


def enquiry(council: Council, **fields):
    """An enquiry logged through ``complaints.services.log_enquiry`` (so its reference, due
    dates and timeline are real). Defaults: a new member of ``council``, logged by ``"test"``
    by email, received an hour ago. Any ``log_enquiry`` argument may be given."""
    import datetime

    from django.utils import timezone

    from complaints import services as complaints_services

    defaults = {
        "by": "test",
        "subject": "Overgrown hedge on Mill Lane",
        "description": "The hedge blocks the pavement.",
        "channel": "email",
        "constituent": {"name": "Pat Resident", "email": "pat@example.org"},
        "received_at": timezone.now() - datetime.timedelta(hours=1),
    }
    fields = {**defaults, **fields}
    if "member" not in fields:
        fields["member"] = MemberFactory(council=council)
    return complaints_services.log_enquiry(council=council, **fields)


# Declared relationships ---------------------------------------------------------------------


def declaration(declarant, counterpart, **fields):
    """A declaration submitted through ``relationships.services.submit_declaration`` by
    ``"test"`` (so it is validated, and its recipient told). ``counterpart`` is a Member, an
    Officer or a ``relationships.parties.External``. Defaults: family, started a year ago."""
    import datetime

    from relationships import services as declarations

    defaults = {
        "by": "test",
        "kind": "family",
        "description": "My brother-in-law.",
        "started_on": datetime.date.today() - datetime.timedelta(days=365),
    }
    return declarations.submit_declaration(
        council=declarant.council,
        declarant=declarant,
        counterpart=counterpart,
        **{**defaults, **fields},
    )

"""Choices for the organisation: nations, kinds of member, officer posts."""

from django.db import models


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class DeadlineConvention(models.TextChoices):
    """How the receipt day is found (DESIGN.md, The working-day calendar)."""

    DEEMED_RECEIPT = (
        "deemed_receipt",
        ("Received outside working time is deemed received on the next working day (day 0)"),
    )
    ICO = "ico", "ICO convention: day 1 is the first working day after the date of receipt"


class MemberKind(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    CO_OPTED = "co_opted", "Co-opted member"
    INDEPENDENT = "independent", "Independent member"
    PARISH = "parish", "Parish member"


class MemberRole(models.TextChoices):
    LEADER = "leader", "Leader of the council"
    DEPUTY_LEADER = "deputy_leader", "Deputy leader of the council"
    MAYOR = "mayor", "Mayor or chair of the council"
    PORTFOLIO_HOLDER = "portfolio_holder", "Portfolio holder (cabinet member)"
    COMMITTEE_CHAIR = "committee_chair", "Committee chair"
    OPPOSITION_LEADER = "opposition_leader", "Leader of the opposition"


class Seniority(models.TextChoices):
    OFFICER = "officer", "Officer"
    MANAGER = "manager", "Manager"
    DIRECTOR = "director", "Director"
    EXECUTIVE_DIRECTOR = "executive_director", "Executive director"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"


class StatutoryRole(models.TextChoices):
    HEAD_OF_PAID_SERVICE = "head_of_paid_service", "Head of paid service"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring officer"
    DEPUTY_MONITORING_OFFICER = "deputy_monitoring_officer", "Deputy monitoring officer"
    CHIEF_FINANCE_OFFICER = "chief_finance_officer", "Chief finance officer (section 151)"


# Statutory posts that one officer holds at a time (the deputy monitoring officer may be several).
SINGLE_HOLDER_STATUTORY_ROLES = (
    StatutoryRole.HEAD_OF_PAID_SERVICE,
    StatutoryRole.MONITORING_OFFICER,
    StatutoryRole.CHIEF_FINANCE_OFFICER,
)


class Team(models.TextChoices):
    CASEWORK = "casework", "Casework team"
    HR = "hr", "Human resources"
    DEMOCRATIC_SERVICES = "democratic_services", "Democratic services"
    LEGAL = "legal", "Legal and governance"
    ADMINISTRATORS = "administrators", "Councilcase administrators"


class CommitteeKind(models.TextChoices):
    COMMITTEE = "committee", "Committee"
    STANDARDS = "standards", "Standards committee"
    PANEL = "panel", "Panel or sub-committee"
    HEARING_PANEL = "hearing_panel", "Hearing panel"


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"


# What an API token's scopes name (API.md, Authentication and scope): ``<resource>:read`` or
# ``<resource>:write`` for one of these, or ``*``. Each API viewset declares its resource.
API_SCOPE_RESOURCES = (
    "councils",
    "wards",
    "political-groups",
    "directorates",
    "members",
    "officers",
    "committees",
    "enquiries",
    "notifications",
    "declarations",
    "conflicts",
    "complaints",
    "protocols",
    "events",
)


class DeclarationRecipient(models.TextChoices):
    """To whom a council's members and officers declare relationships (city council protocol
    4.5-4.6: "the Chief Executive or the Monitoring Officer", as each council decides)."""

    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"

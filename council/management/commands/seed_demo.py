"""Load the demo council: wards, two political groups with leaders and whips, members,
directorates, officers with line managers and the statutory posts, and one sign-in per role.

Idempotent: a second run finds the demo council and changes nothing. Refuses to run with
production settings (DEBUG off) unless ``--allow-production`` is given, because the demo
sign-ins share a published password.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from council import services
from council.choices import CommitteeKind, MemberKind, Seniority, StatutoryRole, Team
from council.models import Council, User

DEMO_SLUG = "demo"
DEMO_PASSWORD = "councilcase-demo"
DEMO_DOMAIN = "demo.councilcase.test"

# (email local part, what the sign-in is for)
DEMO_SIGN_INS = [
    ("monitoring.officer", "Monitoring Officer (Director of Legal and Governance)"),
    ("chief.executive", "Chief Executive (head of paid service)"),
    ("director.place", "Director of Place"),
    ("caseworker", "Casework team officer"),
    ("officer", "Officer in Place (Highways)"),
    ("hr", "HR officer"),
    ("administrator", "Councilcase administrator"),
    ("councillor", "Councillor (member)"),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Load the demo council with a sign-in per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data even though DEBUG is off (the sign-ins share a password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: its sign-ins share a published "
                "password. Pass --allow-production to load it anyway."
            )
        if Council.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("The demo council is already loaded.")
        else:
            with transaction.atomic():
                build_demo_council()
            self.stdout.write(self.style.SUCCESS("Loaded the demo council."))
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for local_part, role in DEMO_SIGN_INS:
            self.stdout.write(f"  {demo_email(local_part):<45} {role}")


def build_demo_council() -> Council:
    by = "command:seed_demo"
    council = services.create_council(
        by=by, slug=DEMO_SLUG, name="Demo City Council", nation="england"
    )
    for day in (
        datetime.date(2026, 12, 29),
        datetime.date(2026, 12, 30),
        datetime.date(2026, 12, 31),
    ):
        services.add_closure_day(council=council, by=by, date=day, reason="Christmas shutdown")

    wards = {
        name: services.create_ward(council=council, by=by, name=name)
        for name in ("Abbey", "Castle", "Harbour", "Millfield", "Northgate", "Riverside")
    }

    def officer(number, name, local_part, title, **fields):
        created, _ = services.upsert_officer(
            council=council,
            by=by,
            employee_number=number,
            full_name=name,
            email=demo_email(local_part),
            job_title=title,
            **fields,
        )
        return created

    chief_executive = officer(
        "E1000",
        "Alex Morgan",
        "chief.executive",
        "Chief Executive",
        seniority=Seniority.CHIEF_EXECUTIVE,
        statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE,
        politically_restricted=True,
    )
    directorates = {
        name: services.create_directorate(council=council, by=by, name=name)
        for name in ("Place", "People", "Resources", "Legal and Governance")
    }
    monitoring_officer = officer(
        "E1001",
        "Priya Shah",
        "monitoring.officer",
        "Director of Legal and Governance",
        seniority=Seniority.DIRECTOR,
        statutory_role=StatutoryRole.MONITORING_OFFICER,
        directorate=directorates["Legal and Governance"],
        line_manager=chief_executive,
        teams=[Team.LEGAL],
        politically_restricted=True,
    )
    officer(
        "E1002",
        "Tom Evans",
        "deputy.monitoring.officer",
        "Head of Legal Services",
        seniority=Seniority.MANAGER,
        statutory_role=StatutoryRole.DEPUTY_MONITORING_OFFICER,
        directorate=directorates["Legal and Governance"],
        line_manager=monitoring_officer,
        teams=[Team.LEGAL],
        politically_restricted=True,
    )
    director_place = officer(
        "E1003",
        "Sam Okafor",
        "director.place",
        "Director of Place",
        seniority=Seniority.DIRECTOR,
        directorate=directorates["Place"],
        line_manager=chief_executive,
        politically_restricted=True,
    )
    director_people = officer(
        "E1004",
        "Helen Clarke",
        "director.people",
        "Director of People",
        seniority=Seniority.DIRECTOR,
        directorate=directorates["People"],
        line_manager=chief_executive,
        politically_restricted=True,
    )
    director_resources = officer(
        "E1005",
        "Rob Fielding",
        "director.resources",
        "Director of Resources",
        seniority=Seniority.DIRECTOR,
        statutory_role=StatutoryRole.CHIEF_FINANCE_OFFICER,
        directorate=directorates["Resources"],
        line_manager=chief_executive,
        politically_restricted=True,
    )
    for name, director in (
        ("Place", director_place),
        ("People", director_people),
        ("Resources", director_resources),
        ("Legal and Governance", monitoring_officer),
    ):
        services.update_directorate(directorate=directorates[name], by=by, director=director)

    highways_manager = officer(
        "E1010",
        "Grace Liu",
        "highways.manager",
        "Highways Manager",
        seniority=Seniority.MANAGER,
        directorate=directorates["Place"],
        line_manager=director_place,
    )
    officer(
        "E1011",
        "Dan Hughes",
        "officer",
        "Highways Officer",
        directorate=directorates["Place"],
        line_manager=highways_manager,
    )
    officer(
        "E1012",
        "Maya Patel",
        "waste.officer",
        "Waste Services Officer",
        directorate=directorates["Place"],
        line_manager=highways_manager,
    )
    democratic_manager = officer(
        "E1020",
        "Owen Price",
        "democratic.services",
        "Democratic Services Manager",
        seniority=Seniority.MANAGER,
        directorate=directorates["Legal and Governance"],
        line_manager=monitoring_officer,
        teams=[Team.DEMOCRATIC_SERVICES, Team.CASEWORK],
    )
    officer(
        "E1021",
        "Ruth Bennett",
        "caseworker",
        "Member Enquiries Officer",
        directorate=directorates["Legal and Governance"],
        line_manager=democratic_manager,
        teams=[Team.CASEWORK],
    )
    housing_manager = officer(
        "E1030",
        "Leah Francis",
        "housing.manager",
        "Housing Needs Manager",
        seniority=Seniority.MANAGER,
        directorate=directorates["People"],
        line_manager=director_people,
    )
    officer(
        "E1031",
        "Kwame Mensah",
        "housing.officer",
        "Housing Officer",
        directorate=directorates["People"],
        line_manager=housing_manager,
    )
    officer(
        "E1040",
        "Beth Carter",
        "hr",
        "HR Business Partner",
        directorate=directorates["Resources"],
        line_manager=director_resources,
        teams=[Team.HR],
    )
    officer(
        "E1041",
        "Ian Shaw",
        "administrator",
        "Systems Administrator",
        directorate=directorates["Resources"],
        line_manager=director_resources,
        teams=[Team.ADMINISTRATORS],
    )

    term = {"term_start": datetime.date(2023, 5, 4), "term_end": datetime.date(2027, 5, 6)}

    def member(name, ward, local_part=None, **fields):
        email = demo_email(local_part) if local_part else ""
        return services.create_member(
            council=council, by=by, full_name=name, email=email, ward=wards[ward], **term, **fields
        )

    alliance = services.create_political_group(council=council, by=by, name="Riverside Alliance")
    independents = services.create_political_group(council=council, by=by, name="Independent Group")
    alliance_members = [
        member(
            "Jane Whitfield",
            "Abbey",
            "councillor",
            political_group=alliance,
            roles=["portfolio_holder"],
        ),
        member("Mark Adeyemi", "Abbey", "cllr.adeyemi", political_group=alliance, roles=["leader"]),
        member("Susan Doyle", "Castle", "cllr.doyle", political_group=alliance),
        member(
            "Peter Kowalski",
            "Harbour",
            "cllr.kowalski",
            political_group=alliance,
            roles=["committee_chair"],
        ),
        member("Aisha Rahman", "Millfield", "cllr.rahman", political_group=alliance),
    ]
    independent_members = [
        member(
            "Gareth Lloyd",
            "Northgate",
            "cllr.lloyd",
            political_group=independents,
            roles=["opposition_leader"],
        ),
        member("Fiona Grant", "Riverside", "cllr.grant", political_group=independents),
        member("Colin Burke", "Castle", "cllr.burke", political_group=independents),
        member("Nadia Hussain", "Harbour", "cllr.hussain", political_group=independents),
    ]
    services.update_political_group(
        group=alliance,
        by=by,
        leader=alliance_members[1],
        deputy_leader=alliance_members[0],
        whip=alliance_members[2],
    )
    services.update_political_group(
        group=independents,
        by=by,
        leader=independent_members[0],
        deputy_leader=independent_members[1],
        whip=independent_members[2],
    )
    member("Rev. Anne Holt", "Riverside", kind=MemberKind.INDEPENDENT)

    standards = services.create_committee(
        council=council, by=by, name="Standards Committee", kind=CommitteeKind.STANDARDS
    )
    services.set_committee_members(
        committee=standards,
        by=by,
        members=[
            (alliance_members[3], "chair"),
            (independent_members[1], "vice_chair"),
            (alliance_members[4], "member"),
            (independent_members[3], "member"),
        ],
    )

    for local_part, _role in DEMO_SIGN_INS:
        user = User.objects.get(email__iexact=demo_email(local_part))
        services.set_password(user=user, by=by, password=DEMO_PASSWORD)
    return council

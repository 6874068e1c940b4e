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
    build_demo_enquiries(council)
    # Each app adds its own demo records, through its own services.
    from protocols.demo import build_demo_protocol
    from relationships.demo import build_demo_declarations

    build_demo_protocol(council)
    build_demo_declarations(council)
    from complaints.conduct.demo import build_demo_complaints

    build_demo_complaints(council)
    return council


# Member enquiries --------------------------------------------------------------------------

# (days before today it arrived, hour (UK time), member, officer's employee number or None,
#  directorate, channel, subject, constituent, what happened since)
DEMO_ENQUIRIES = [
    # Received so that its first response falls due today (when today is a working day).
    (
        "due today",
        11,
        "Nadia Hussain",
        "E1031",
        "People",
        "email",
        "Adaptations for a disabled tenant",
        "Mr J. Singh",
        [],
    ),
    (
        14,
        10,
        "Gareth Lloyd",
        "E1011",
        "Place",
        "email",
        "Pothole outside 14 Station Road",
        "Tom Baker",
        ["acknowledge"],
    ),
    (
        12,
        16,
        "Jane Whitfield",
        "E1011",
        "Place",
        "phone",
        "Streetlight out on Abbey Walk",
        "Mrs D. Okoro",
        [],
    ),
    (
        9,
        11,
        "Susan Doyle",
        "E1031",
        "People",
        "letter",
        "Damp in a council flat, Castle Court",
        "Lee Grant",
        ["holding_response"],
    ),
    (
        8,
        9,
        "Peter Kowalski",
        "E1012",
        "Place",
        "email",
        "Missed bin collections on Quay Street",
        "Ann Marsh",
        ["escalate"],
    ),
    (
        6,
        14,
        "Aisha Rahman",
        "E1031",
        "People",
        "in_person",
        "Housing register banding query",
        "Omar Ali",
        ["acknowledge", "respond"],
    ),
    (
        5,
        10,
        "Jane Whitfield",
        "E1011",
        "Place",
        "email",
        "Overgrown hedge on Mill Lane",
        "Pat Resident",
        ["acknowledge", "respond", "close"],
    ),
    (
        4,
        12,
        "Jane Whitfield",
        "E1011",
        "Place",
        "email",
        "Blocked drain at Abbey Green",
        "Sue Hart",
        ["acknowledge", "respond", "member_escalates"],
    ),
    (
        3,
        15,
        "Fiona Grant",
        None,
        "Resources",
        "phone",
        "Council tax refund not received",
        "Ravi Patel",
        [],
    ),
    (
        2,
        10,
        "Mark Adeyemi",
        "E1012",
        "Place",
        "email",
        "Fly-tipping behind Abbey shops",
        "Jo Evans",
        ["acknowledge"],
    ),
    (
        1,
        9,
        "Colin Burke",
        "E1011",
        "Place",
        "letter",
        "Faded road markings at the school",
        "Head teacher, Castle Primary",
        [],
    ),
    (
        0,
        8,
        "Jane Whitfield",
        None,
        None,
        "phone",
        "Noise from a late-night takeaway",
        "Kim Lowe",
        [],
    ),
]


def build_demo_enquiries(council) -> None:
    """Enquiries in every state, some overdue, logged and worked through complaints.services
    at fixed times before now, so the queue, the timelines and the due dates are real."""
    import zoneinfo

    from django.utils import timezone

    from complaints import services as enquiries
    from council.models import Directorate, Member, Officer

    by = "command:seed_demo"
    caseworker = User.objects.get(email__iexact=demo_email("caseworker"))
    london = zoneinfo.ZoneInfo("Europe/London")
    now = timezone.now()
    today = now.astimezone(london).date()
    for (
        days_ago,
        hour,
        member_name,
        employee_number,
        directorate_name,
        channel,
        subject,
        constituent,
        steps,
    ) in DEMO_ENQUIRIES:
        if days_ago == "due today":
            days_ago = _days_ago_due_today(council, today, hour, london)
        received_at = datetime.datetime.combine(
            today - datetime.timedelta(days=days_ago), datetime.time(hour), london
        )
        if received_at > now:
            received_at = now - datetime.timedelta(minutes=30)
        member = Member.objects.get(council=council, full_name=member_name)
        officer = (
            Officer.objects.get(council=council, employee_number=employee_number)
            if employee_number
            else None
        )
        directorate = (
            Directorate.objects.get(council=council, name=directorate_name)
            if directorate_name
            else None
        )
        # Each step happens some hours after the one before, never after now.
        moments = iter(
            min(received_at + datetime.timedelta(hours=4 * (n + 1)), now) for n in range(10)
        )
        enquiry = enquiries.log_enquiry(
            council=council,
            by=caseworker,
            member=member,
            constituent={"name": constituent},
            subject=subject,
            description=f"{constituent} contacted Cllr {member_name.split()[-1]} about this.",
            directorate=directorate,
            assigned_officer=officer,
            channel=channel,
            received_at=received_at,
            now=next(moments),
        )
        for step in steps:
            at = next(moments)
            if step == "acknowledge":
                enquiry = enquiries.acknowledge_enquiry(enquiry=enquiry, by=by, now=at)
            elif step == "holding_response":
                enquiry = enquiries.send_holding_response(
                    enquiry=enquiry,
                    by=by,
                    reason="A surveyor needs to visit the flat before repairs can be agreed.",
                    now=at,
                )
            elif step == "respond":
                enquiry = enquiries.respond_to_enquiry(
                    enquiry=enquiry,
                    by=by,
                    response="The work has been scheduled and the constituent told the date.",
                    now=at,
                )
            elif step == "close":
                enquiry = enquiries.close_enquiry(enquiry=enquiry, by=by, now=at)
            elif step == "escalate":
                enquiry = enquiries.escalate_enquiry(
                    enquiry=enquiry,
                    by=caseworker,
                    reason="Overdue with no update from the service.",
                    now=at,
                )
            elif step == "member_escalates":
                enquiry = enquiries.escalate_enquiry(
                    enquiry=enquiry,
                    by=member.user,
                    reason="The drain is still blocked a week after the response.",
                    now=at,
                )


def _days_ago_due_today(council, today, hour, london) -> int:
    """How many days ago an enquiry received at ``hour`` has its first response (3 working
    days) due today; 3 when no such day exists (today is not a working day)."""
    from council.calendar import calendar_for

    calendar = calendar_for(council)
    for days_ago in range(3, 12):
        received_at = datetime.datetime.combine(
            today - datetime.timedelta(days=days_ago), datetime.time(hour), london
        )
        if calendar.due_date(received_at, 3) == today:
            return days_ago
    return 3

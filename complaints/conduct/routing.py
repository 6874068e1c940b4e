"""Which route a complaint takes, and who owns each of its stages.

Routes are data (``Route`` → ``RouteStage``), seeded per council from the protocols' defaults
below and edited by the Monitoring Officer. The route is chosen from who complains about whom
(``route_kind_for``); each stage's owner rule is resolved against the organisation when the
stage opens (``resolve_owner``): never the complainant, never the subject, never anyone with a
declared relationship with either (relationships.selectors.conflicted_with_any, one query for
every candidate) — the rule then moves to the next person up and the substitution is recorded
without its reason's details (DESIGN.md, Conduct complaints).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from council.choices import CommitteeKind, CommitteeRole, Seniority, StatutoryRole
from council.models import CommitteeMembership, Member, Officer
from relationships.selectors import conflicted_with_any

from .choices import OwnerRule, RouteKind, StageOutcome

INFORMAL = [StageOutcome.RESOLVED_INFORMALLY, StageOutcome.NO_FURTHER_ACTION]
FINDINGS = [
    StageOutcome.UPHELD,
    StageOutcome.PARTLY_UPHELD,
    StageOutcome.NOT_UPHELD,
    StageOutcome.NO_FURTHER_ACTION,
]

# kind -> (name, source, [(stage name, owner rule, target working days, allowed outcomes)])
DEFAULT_ROUTES: dict[str, tuple[str, str, list[tuple[str, str, int, list[str]]]]] = {
    RouteKind.OFFICER_ABOUT_MEMBER: (
        "Officer's complaint about a member",
        "city-council-protocol.txt 15",
        [
            (
                "Informal discussion with the officer's senior manager",
                OwnerRule.COMPLAINANT_LINE_MANAGER,
                10,
                INFORMAL,
            ),
            ("Monitoring Officer's assessment", OwnerRule.MONITORING_OFFICER, 10, INFORMAL),
            (
                "Investigation by an executive director",
                OwnerRule.EXECUTIVE_DIRECTOR,
                25,
                FINDINGS,
            ),
            (
                "Standards committee or hearing panel",
                OwnerRule.STANDARDS_COMMITTEE_CHAIR,
                20,
                FINDINGS,
            ),
        ],
    ),
    RouteKind.MEMBER_ABOUT_OFFICER: (
        "Member's complaint about an officer",
        "city-council-protocol.txt 15",
        [
            (
                "Informal discussion with the officer and their manager",
                OwnerRule.SUBJECT_LINE_MANAGER,
                10,
                INFORMAL,
            ),
            ("Monitoring Officer's assessment", OwnerRule.MONITORING_OFFICER, 10, INFORMAL),
            ("Director's investigation", OwnerRule.SUBJECT_DIRECTOR, 25, FINDINGS),
            (
                "Manager's decision on disciplinary action, with HR",
                OwnerRule.SUBJECT_LINE_MANAGER,
                15,
                [StageOutcome.DISCIPLINARY_ACTION, StageOutcome.NO_DISCIPLINARY_ACTION],
            ),
        ],
    ),
    RouteKind.MEMBER_ABOUT_SENIOR_OFFICER: (
        "Member's complaint about a statutory officer or executive director",
        "city-council-protocol.txt 15",
        [
            (
                "Chief Executive's preliminary investigation",
                OwnerRule.CHIEF_EXECUTIVE,
                20,
                FINDINGS,
            ),
            ("Monitoring Officer's review", OwnerRule.MONITORING_OFFICER, 10, FINDINGS),
        ],
    ),
    RouteKind.MEMBER_ABOUT_CHIEF_EXECUTIVE: (
        "Member's complaint about the Chief Executive",
        "city-council-protocol.txt 15",
        [
            (
                "Meeting facilitated by the whip or party leader",
                OwnerRule.COMPLAINANT_GROUP_WHIP,
                15,
                INFORMAL,
            ),
            ("Monitoring Officer's review", OwnerRule.MONITORING_OFFICER, 10, FINDINGS),
        ],
    ),
    RouteKind.MEMBER_ABOUT_MEMBER: (
        "Member's complaint about a member",
        "taunton-deane-protocol-report-2010.txt, harassment protocol 4",
        [
            ("The group leader", OwnerRule.SUBJECT_GROUP_LEADER, 10, INFORMAL),
            ("Mediation in the group", OwnerRule.SUBJECT_GROUP_WHIP, 15, INFORMAL),
            ("Standards committee", OwnerRule.STANDARDS_COMMITTEE_CHAIR, 20, FINDINGS),
        ],
    ),
    RouteKind.OFFICER_ABOUT_OFFICER: (
        "Officer's complaint about an officer",
        "the council's grievance and dignity at work procedure",
        [
            (
                "Informal resolution by the line manager",
                OwnerRule.SUBJECT_LINE_MANAGER,
                10,
                INFORMAL,
            ),
            ("Director's investigation", OwnerRule.SUBJECT_DIRECTOR, 25, FINDINGS),
            ("Monitoring Officer's review", OwnerRule.MONITORING_OFFICER, 10, FINDINGS),
        ],
    ),
}


def seed_default_routes(council_id: int, route_model, stage_model) -> int:
    """Create the default routes the council does not have yet, with their stages; returns
    how many were created. Takes the models so the data migration can pass its historical
    ones; ``services.seed_routes`` passes the real ones."""
    existing = set(route_model.objects.filter(council_id=council_id).values_list("kind", flat=True))
    created = 0
    stages = []
    for kind, (name, source, route_stages) in DEFAULT_ROUTES.items():
        if str(kind) in existing:
            continue
        route = route_model.objects.create(
            council_id=council_id, kind=str(kind), name=name, source=source
        )
        created += 1
        for order, (stage_name, rule, days, outcomes) in enumerate(route_stages, start=1):
            stages.append(
                stage_model(
                    route=route,
                    council_id=council_id,
                    order=order,
                    name=stage_name,
                    owner_rule=str(rule),
                    target_working_days=days,
                    allowed_outcomes=[str(outcome) for outcome in outcomes],
                )
            )
    stage_model.objects.bulk_create(stages)
    return created


# Choosing the route ----------------------------------------------------------------------------

SENIOR_STATUTORY_ROLES = (
    StatutoryRole.MONITORING_OFFICER,
    StatutoryRole.DEPUTY_MONITORING_OFFICER,
    StatutoryRole.CHIEF_FINANCE_OFFICER,
)


def is_chief_executive(officer: Officer) -> bool:
    return (
        officer.seniority == Seniority.CHIEF_EXECUTIVE
        or officer.statutory_role == StatutoryRole.HEAD_OF_PAID_SERVICE
    )


def route_kind_for(complainant: Member | Officer, subject: Member | Officer) -> str:
    """The route for a complaint by ``complainant`` about ``subject`` (city council protocol
    15; taunton-deane harassment protocol 4): officer about member, member about member,
    member about officer — about a statutory officer or executive director, about the Chief
    Executive, or about anyone else — and officer about officer."""
    if isinstance(complainant, Officer):
        if isinstance(subject, Member):
            return RouteKind.OFFICER_ABOUT_MEMBER
        return RouteKind.OFFICER_ABOUT_OFFICER
    if isinstance(subject, Member):
        return RouteKind.MEMBER_ABOUT_MEMBER
    if is_chief_executive(subject):
        return RouteKind.MEMBER_ABOUT_CHIEF_EXECUTIVE
    if (
        subject.statutory_role in SENIOR_STATUTORY_ROLES
        or subject.seniority == Seniority.EXECUTIVE_DIRECTOR
    ):
        return RouteKind.MEMBER_ABOUT_SENIOR_OFFICER
    return RouteKind.MEMBER_ABOUT_OFFICER


# Resolving a stage's owner --------------------------------------------------------------------

# Why a candidate was passed over. Kept in memory (and in tests); the stage history records
# only that the stage passed to the next person up, never why.
PARTY, NOT_INDEPENDENT, LEFT = "party", "not_independent", "left"
MAX_CHAIN = 20


@dataclass
class Resolution:
    """Who owns a stage: ``owner`` (None when nobody independent was found), the rule's
    ``first_choice``, and the candidates passed over with why (``passed_over``)."""

    owner: Member | Officer | None
    first_choice: Member | Officer | None
    passed_over: list[tuple[Member | Officer, str]] = field(default_factory=list)

    @property
    def substituted(self) -> bool:
        return self.owner is not None and not _same(self.owner, self.first_choice)


def _same(a, b) -> bool:
    return a is not None and b is not None and type(a) is type(b) and a.pk == b.pk


def _line_chain(start: Officer | None) -> list[Officer]:
    """``start`` and its line managers upwards (a loop in the data stops the walk)."""
    chain: list[Officer] = []
    seen = set()
    officer = start
    while officer is not None and officer.pk not in seen and len(chain) < MAX_CHAIN:
        chain.append(officer)
        seen.add(officer.pk)
        officer = (
            Officer.objects.select_related("line_manager", "directorate__director")
            .filter(pk=officer.line_manager_id)
            .first()
            if officer.line_manager_id
            else None
        )
    return chain


def _director_of(officer: Officer | None) -> Officer | None:
    if officer is None or officer.directorate_id is None:
        return None
    return officer.directorate.director


def _senior_officers(council_id: int, *, first: str) -> list[Officer]:
    """The Chief Executive, the Monitoring Officer and the deputies, in the order the rule
    falls back through them: ``first`` is ``"chief_executive"`` or ``"monitoring_officer"``."""
    officers = list(
        Officer.objects.filter(council_id=council_id, active=True)
        .filter(
            Q(seniority=Seniority.CHIEF_EXECUTIVE)
            | Q(
                statutory_role__in=[
                    StatutoryRole.HEAD_OF_PAID_SERVICE,
                    StatutoryRole.MONITORING_OFFICER,
                    StatutoryRole.DEPUTY_MONITORING_OFFICER,
                ]
            )
        )
        .order_by("id")
    )
    chief = [o for o in officers if is_chief_executive(o)]
    monitoring = [o for o in officers if o.statutory_role == StatutoryRole.MONITORING_OFFICER]
    deputies = [o for o in officers if o.statutory_role == StatutoryRole.DEPUTY_MONITORING_OFFICER]
    if first == "chief_executive":
        return [*chief, *monitoring, *deputies]
    return [*monitoring, *deputies, *chief]


def _group_people(member: Member | None, order: tuple[str, ...]) -> list[Member]:
    if not isinstance(member, Member) or member.political_group_id is None:
        return []
    group = member.political_group
    return [getattr(group, name) for name in order if getattr(group, f"{name}_id")]


def _standards_chairs(council_id: int) -> list[Member]:
    """The chair, then the vice-chair, of the council's standards committee(s)."""
    memberships = (
        CommitteeMembership.objects.select_related("member")
        .filter(
            committee__council_id=council_id,
            committee__kind=CommitteeKind.STANDARDS,
            role__in=[CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR],
        )
        .order_by("committee_id", "role", "id")
    )
    chairs = [m.member for m in memberships if m.role == CommitteeRole.CHAIR]
    vices = [m.member for m in memberships if m.role == CommitteeRole.VICE_CHAIR]
    return [*chairs, *vices]


def _executive_directors(council_id: int) -> list[Officer]:
    return list(
        Officer.objects.select_related("line_manager", "directorate__director")
        .filter(
            council_id=council_id,
            active=True,
            seniority__in=[Seniority.EXECUTIVE_DIRECTOR, Seniority.DIRECTOR],
        )
        .exclude(statutory_role__in=[StatutoryRole.MONITORING_OFFICER])
        .order_by("-seniority", "full_name", "id")
    )


def candidates_for(rule: str, *, complainant, subject, council_id: int) -> list:
    """Everyone who might own a stage under ``rule``, in order: the rule's own choice first,
    then the next person up (the line manager chain, then the director, then the Chief
    Executive / Monitoring Officer / deputy), before anyone is ruled out."""

    def officer_rule(start: Officer | None, *, then: str = "chief_executive") -> list:
        chain = _line_chain(start)
        director = _director_of(start)
        return [start, *chain[1:], director, *_senior_officers(council_id, first=then)]

    def line_manager(person) -> Officer | None:
        if not isinstance(person, Officer) or person.line_manager_id is None:
            return None
        return (
            Officer.objects.select_related("line_manager", "directorate__director")
            .filter(pk=person.line_manager_id)
            .first()
        )

    if rule == OwnerRule.COMPLAINANT_LINE_MANAGER:
        return officer_rule(line_manager(complainant))
    if rule == OwnerRule.SUBJECT_LINE_MANAGER:
        return officer_rule(line_manager(subject))
    if rule == OwnerRule.SUBJECT_DIRECTOR:
        director = _director_of(subject) if isinstance(subject, Officer) else None
        return officer_rule(director)
    if rule == OwnerRule.EXECUTIVE_DIRECTOR:
        directors = _executive_directors(council_id)
        return [
            directors[0] if directors else None,
            *directors[1:],
            *_senior_officers(council_id, first="chief_executive"),
        ]
    if rule == OwnerRule.CHIEF_EXECUTIVE:
        seniors = _senior_officers(council_id, first="chief_executive")
        first = seniors[0] if seniors and is_chief_executive(seniors[0]) else None
        return [first, *seniors]
    if rule == OwnerRule.MONITORING_OFFICER:
        seniors = _senior_officers(council_id, first="monitoring_officer")
        first = (
            seniors[0]
            if seniors and seniors[0].statutory_role == StatutoryRole.MONITORING_OFFICER
            else None
        )
        return [first, *seniors]
    members_then_officers = [
        *_standards_chairs(council_id),
        *_senior_officers(council_id, first="monitoring_officer"),
    ]
    if rule == OwnerRule.SUBJECT_GROUP_LEADER:
        people = _group_people(subject, ("leader", "deputy_leader", "whip"))
    elif rule == OwnerRule.SUBJECT_GROUP_WHIP:
        people = _group_people(subject, ("whip", "leader", "deputy_leader"))
    elif rule == OwnerRule.COMPLAINANT_GROUP_WHIP:
        people = _group_people(complainant, ("whip", "leader", "deputy_leader"))
    elif rule == OwnerRule.STANDARDS_COMMITTEE_CHAIR:
        people = []
    else:
        raise ValueError(f"Unknown owner rule {rule!r}.")
    if rule == OwnerRule.STANDARDS_COMMITTEE_CHAIR:
        return members_then_officers
    return [people[0] if people else None, *people[1:], *members_then_officers]


def resolve_owner(
    rule: str, *, complainant, subject, council_id: int, on: datetime.date
) -> Resolution:
    """The owner of a stage under ``rule``, resolved now: the first candidate
    (``candidates_for``) who is not the complainant, not the subject, still in post, and has
    no declared relationship with either of them on ``on`` (one conflict query for all)."""
    candidates = candidates_for(
        rule, complainant=complainant, subject=subject, council_id=council_id
    )
    first_choice = candidates[0] if candidates else None
    unique = []
    for candidate in candidates:
        if candidate is not None and not any(_same(candidate, seen) for seen in unique):
            unique.append(candidate)
    conflicted = conflicted_with_any([complainant, subject], unique, on=on)
    resolution = Resolution(owner=None, first_choice=first_choice)
    for candidate in unique:
        if _same(candidate, complainant) or _same(candidate, subject):
            resolution.passed_over.append((candidate, PARTY))
        elif isinstance(candidate, Officer) and not candidate.active:
            resolution.passed_over.append((candidate, LEFT))
        elif candidate in conflicted:
            resolution.passed_over.append((candidate, NOT_INDEPENDENT))
        else:
            resolution.owner = candidate
            break
    return resolution

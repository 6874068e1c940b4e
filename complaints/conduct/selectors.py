"""Reads of conduct complaints, scoped to who is looking (complaints.conduct.permissions says
who sees what). Anything the viewer may not see is simply not in the queryset: 404, the same
answer as for what does not exist.

Also the warnings the Monitoring Officer is shown (DESIGN.md, Conduct complaints;
taunton-deane-protocol-report-2010.txt, harassment protocol): harassment alleged with fewer
than two incidents, and possible victimisation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from council.calendar import local_date
from council.roles import is_monitoring_officer, member_of, officer_of

from .choices import ComplaintCategory, ComplaintStatus
from .models import (
    CitedClause,
    Complaint,
    ComplaintHistory,
    ComplaintStage,
    ComplaintUserObjectPermission,
    ComplaintView,
    Route,
    RouteStage,
)
from .permissions import VIEW_PERMISSION, in_council

COMPLAINT_RELATED = (
    "council",
    "complainant_member",
    "complainant_officer",
    "subject_member",
    "subject_officer",
    "route",
    "current_stage__owner_member",
    "current_stage__owner_officer",
)
# Victimisation: a complaint by the subject of an open complaint (or one closed within this
# long) against that complaint's complainant.
VICTIMISATION_WINDOW = datetime.timedelta(days=365)
HARASSMENT_MIN_INCIDENTS = 2


def _victimisation() -> Exists:
    """Whether an earlier complaint has this complaint's complainant as its subject and this
    complaint's subject as its complainant, and is open or ended within 12 months."""
    since = ExpressionWrapper(
        OuterRef("raised_at") - VICTIMISATION_WINDOW, output_field=DateTimeField()
    )
    earlier = Complaint.objects.filter(
        Q(subject_member_id=OuterRef("complainant_member_id"))
        | Q(subject_officer_id=OuterRef("complainant_officer_id")),
        Q(complainant_member_id=OuterRef("subject_member_id"))
        | Q(complainant_officer_id=OuterRef("subject_officer_id")),
        Q(status=ComplaintStatus.OPEN) | Q(resolved_at__gte=since) | Q(ended_at__gte=since),
        council_id=OuterRef("council_id"),
        raised_at__lte=OuterRef("raised_at"),
    ).exclude(pk=OuterRef("pk"))
    return Exists(earlier)


def _with_parts(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return complaints.select_related(*COMPLAINT_RELATED).prefetch_related(
        "incidents",
        "evidence",
        Prefetch(
            "citations",
            queryset=CitedClause.objects.select_related("clause__version__protocol").order_by("id"),
        ),
        Prefetch(
            "stages",
            queryset=ComplaintStage.objects.select_related(
                "owner_member", "owner_officer"
            ).order_by("sequence"),
        ),
    )


def complaints_for(viewer) -> QuerySet[Complaint]:
    """The complaints ``viewer`` may see, each annotated with ``viewer_granted`` (a stage
    owner's or investigator's grant) and ``possible_victimisation``, with their parties,
    route, stages, incidents and citations fetched: a constant number of queries per list
    page, whatever its length. API tokens and service superusers see none (confidential)."""
    council_id = getattr(viewer, "council_id", None)
    if council_id is None or not in_council(viewer, council_id):
        return Complaint.objects.none()
    granted = Exists(
        ComplaintUserObjectPermission.objects.filter(
            content_object_id=OuterRef("pk"),
            user_id=viewer.pk,
            permission__codename=VIEW_PERMISSION,
        )
    )
    complaints = Complaint.objects.filter(council_id=council_id).annotate(
        viewer_granted=granted, possible_victimisation=_victimisation()
    )
    member, officer = member_of(viewer), officer_of(viewer)
    complainant = Q(pk__in=[])
    subject = Q(pk__in=[])
    if member is not None:
        complainant |= Q(complainant_member_id=member.pk)
        subject |= Q(subject_member_id=member.pk)
    if officer is not None:
        complainant |= Q(complainant_officer_id=officer.pk)
        subject |= Q(subject_officer_id=officer.pk)
    told = subject & Q(subject_notified_at__isnull=False)
    if is_monitoring_officer(viewer):
        seen = ~subject | told
    else:
        seen = (Q(viewer_granted=True) & ~subject) | complainant | told
    return _with_parts(complaints.filter(seen))


def history_of(complaint: Complaint) -> QuerySet[ComplaintHistory]:
    """A complaint's stage history, oldest first. Take ``complaint`` from ``complaints_for``
    and show it only to those who see the complaint in full."""
    return ComplaintHistory.objects.filter(complaint_id=complaint.pk).select_related("by")


def views_of(complaint: Complaint) -> QuerySet[ComplaintView]:
    """Who looked at a complaint, newest first (for the Monitoring Officer)."""
    return ComplaintView.objects.filter(complaint_id=complaint.pk).select_related("viewer")


def routes_of(council) -> QuerySet[Route]:
    """The council's complaint routes with their stages, in order."""
    return (
        Route.objects.filter(council_id=council.pk)
        .prefetch_related(Prefetch("stages", queryset=RouteStage.objects.order_by("order")))
        .order_by("id")
    )


# Warnings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


def warnings_for(complaint: Complaint) -> list[Warning]:
    """The Monitoring Officer's warnings on ``complaint`` (from ``complaints_for``, whose
    prefetches and annotations make this free of queries)."""
    found = []
    if ComplaintCategory.HARASSMENT in complaint.categories:
        incidents = len(complaint.incidents.all())
        if incidents < HARASSMENT_MIN_INCIDENTS:
            found.append(
                Warning(
                    "harassment_incidents",
                    "Harassment involves conduct on at least two occasions: "
                    f"{incidents} incident{'s' if incidents != 1 else ''} recorded.",
                )
            )
    victimisation = getattr(complaint, "possible_victimisation", None)
    if victimisation is None:
        victimisation = Complaint.objects.filter(pk=complaint.pk).filter(_victimisation()).exists()
    if victimisation:
        found.append(
            Warning(
                "possible_victimisation",
                "Possible victimisation: the complainant is the subject of an open or recent "
                "complaint by this complaint's subject.",
            )
        )
    return found


def possible_victimisation(complaint: Complaint) -> bool:
    return Complaint.objects.filter(pk=complaint.pk).filter(_victimisation()).exists()


# The Monitoring Officer's dashboard --------------------------------------------------------

NEW_WITHIN = datetime.timedelta(days=14)


def dashboard_complaints(
    viewer,
    *,
    category: str | None = None,
    status: str | None = None,
    route_kind: str | None = None,
) -> QuerySet[Complaint]:
    """The complaints on the triage dashboard, newest first, narrowed by the filters."""
    complaints = complaints_for(viewer)
    if category:
        complaints = complaints.filter(categories__contains=[category])
    if status:
        complaints = complaints.filter(status=status)
    if route_kind:
        complaints = complaints.filter(route__kind=route_kind)
    return complaints.order_by("-raised_at", "-id")


def overdue_stage_filter(now: datetime.datetime | None = None) -> Q:
    """Open complaints whose current stage's due date has passed (overdue from 00:00
    Europe/London the day after it)."""
    today = local_date(now or timezone.now())
    return Q(status=ComplaintStatus.OPEN, current_stage__due_date__lt=today)


def new_filter(now: datetime.datetime | None = None) -> Q:
    return Q(raised_at__gte=(now or timezone.now()) - NEW_WITHIN)


def counts_by_category(complaints: QuerySet[Complaint]) -> list[tuple[str, str, int]]:
    """``(category, label, count)`` for each category, in the categories' order (one
    query: the array unnested by PostgreSQL)."""
    from django.db.models import Func

    rows = dict(
        complaints.order_by()
        .annotate(category=Func(F("categories"), function="unnest"))
        .values("category")
        .annotate(total=Count("id"))
        .values_list("category", "total")
    )
    return [(value, label, rows.get(value, 0)) for value, label in ComplaintCategory.choices]


def counts_by_month(complaints: QuerySet[Complaint], *, months: int = 12, now=None):
    """``(first day of month, count)`` for the last ``months`` months, oldest first (one
    query)."""
    today = local_date(now or timezone.now())
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    rows = dict(
        complaints.order_by()
        .filter(raised_at__date__gte=start)
        .annotate(month=TruncMonth("raised_at"))
        .values("month")
        .annotate(total=Count("id"))
        .values_list("month", "total")
    )
    totals = {}
    for month, total in rows.items():
        key = month.date() if isinstance(month, datetime.datetime) else month
        totals[key] = totals.get(key, 0) + total
    result = []
    month = start
    for _ in range(months):
        result.append((month, totals.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


# References the API and pages resolve -------------------------------------------------------


def party_for(viewer, party_type: str, pk) -> object | None:
    """The member or officer ``{type, id}`` names, among the viewer's council's; None when
    there is none (another council's id is "not found", like one that does not exist)."""
    from council.models import Member, Officer

    model = {"member": Member, "officer": Officer}.get(party_type)
    council_id = getattr(viewer, "council_id", None)
    if model is None or council_id is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return model.objects.select_related("council").filter(council_id=council_id, pk=pk).first()


def clauses_named(complaint: Complaint, ids) -> tuple[list, list]:
    """The clauses of the complaint's council with these ids (with their versions), and the
    ids that name none."""
    from protocols.models import Clause

    wanted = []
    for value in ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError):
            return [], [value]
    found = {
        clause.pk: clause
        for clause in Clause.objects.select_related("version__protocol").filter(
            council_id=complaint.council_id, pk__in=wanted
        )
    }
    return [found[pk] for pk in wanted if pk in found], [pk for pk in wanted if pk not in found]


def routes_for(viewer) -> QuerySet[Route]:
    """The complaint routes of the viewer's council."""
    council_id = getattr(viewer, "council_id", None)
    if council_id is None:
        return Route.objects.none()
    return Route.objects.filter(council_id=council_id).order_by("id")


def raised_by(viewer, complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Of ``complaints``, those ``viewer`` raised (their own view of progress), newest first."""
    member, officer = member_of(viewer), officer_of(viewer)
    mine = Q(pk__in=[])
    if member is not None:
        mine |= Q(complainant_member_id=member.pk)
    if officer is not None:
        mine |= Q(complainant_officer_id=officer.pk)
    return complaints.filter(mine).order_by("-raised_at", "-id")


def owned_by(viewer, complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Of ``complaints``, the open ones whose current stage ``viewer`` owns, or that they
    investigate, most urgent first."""
    member, officer = member_of(viewer), officer_of(viewer)
    owned = Q(pk__in=[])
    if member is not None:
        owned |= Q(current_stage__owner_member_id=member.pk)
    if officer is not None:
        owned |= Q(current_stage__owner_officer_id=officer.pk) | Q(
            investigators__officer_id=officer.pk
        )
    return (
        complaints.filter(owned, status=ComplaintStatus.OPEN)
        .distinct()
        .order_by("current_stage__due_date", "id")
    )


def clauses_in_force(complaint: Complaint, numbers) -> tuple[list, list[str]]:
    """The clauses numbered ``numbers`` in the council's protocol versions in force on the
    date of one of the complaint's incidents (the first such date that has one), and the
    numbers that name no clause in force then."""
    from protocols.selectors import clause_in_force

    dates = sorted({incident.occurred_on for incident in complaint.incidents.all()}) or [
        local_date(complaint.raised_at)
    ]
    found, missing = [], []
    for number in numbers:
        clause = next(
            (
                clause
                for day in dates
                if (clause := clause_in_force(council=complaint.council, number=number, on=day))
            ),
            None,
        )
        if clause is None:
            missing.append(number)
        else:
            found.append(clause)
    return found, missing


def route_stages_for(viewer) -> QuerySet[RouteStage]:
    """The stages of the complaint routes of the viewer's council, with their route."""
    council_id = getattr(viewer, "council_id", None)
    if council_id is None:
        return RouteStage.objects.none()
    return RouteStage.objects.filter(council_id=council_id).select_related("route")


def about(viewer, complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Of ``complaints`` (from ``complaints_for``: only those the subject has been told of),
    those about ``viewer``, newest first."""
    member, officer = member_of(viewer), officer_of(viewer)
    mine = Q(pk__in=[])
    if member is not None:
        mine |= Q(subject_member_id=member.pk)
    if officer is not None:
        mine |= Q(subject_officer_id=officer.pk)
    return complaints.filter(mine).order_by("-raised_at", "-id")

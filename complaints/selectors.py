"""Reads of member enquiries, scoped to who is looking (complaints.permissions says who sees
what). Anything the viewer may not see is simply not in the queryset: 404, the same answer as
for what does not exist (STYLE.md, Where things go).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.api.principal import is_token_principal
from core.scoping import loaded_council, sees_all_councils, viewer_council_id
from council.calendar import local_date
from council.models import Directorate, Officer
from council.roles import DIRECTOR_SENIORITIES, is_chief_executive, member_of, officer_of
from council.selectors import members_for, officers_for
from relationships.parties import External
from relationships.selectors import conflicted_with_any

from .choices import EnquiryStatus, EscalationTarget
from .models import NO_RESPONSE_DUE, Enquiry, EnquiryEvent
from .permissions import SCOPE, sees_every_enquiry

ENQUIRY_RELATED = ("council", "member", "directorate", "assigned_officer")


def enquiries_for(viewer, *, related: tuple[str, ...] = ENQUIRY_RELATED) -> QuerySet[Enquiry]:
    """The enquiries ``viewer`` (a User or an API token's principal) may see, with the rows
    the API and pages show beside each joined in: one query per list page, whatever its length.

    ``related``: the rows joined in; the API, which shows references by id, needs only the
    council (for its slug and calendar).

    Finding out who the viewer is costs no query for a signed-in person (their officer and
    member records and council come with the account, council.backends), and at most two
    for an account loaded otherwise; never one per row.
    """
    if sees_all_councils(viewer):
        return Enquiry.objects.select_related(*related)
    council_id = viewer_council_id(viewer)
    if council_id is None:
        return Enquiry.objects.none()
    council = loaded_council(viewer) if "council" in related else None
    if council is not None:
        # The viewer's council, already loaded, is set on every row: no join, no copy each.
        enquiries = council.enquiries.all()
        others = tuple(name for name in related if name != "council")
        if others:
            enquiries = enquiries.select_related(*others)
    else:
        enquiries = Enquiry.objects.select_related(*related).filter(council_id=council_id)
    if is_token_principal(viewer):
        return enquiries if viewer.has_scope(SCOPE, write=False) else enquiries.none()
    if sees_every_enquiry(viewer):
        return enquiries
    seen = Q(logged_by_id=viewer.pk)
    member = member_of(viewer)
    if member is not None:
        seen |= Q(member_id=member.pk)
    officer = officer_of(viewer)
    if officer is not None:
        # Columns of the enquiry and subqueries, no join: the keyset page's ids are read
        # from this alone (core.keyset.page).
        reports = Officer.objects.filter(line_manager_id=officer.pk).values("pk")
        seen |= Q(assigned_officer_id=officer.pk) | Q(assigned_officer_id__in=reports)
        directed = Directorate.objects.filter(director_id=officer.pk).values("pk")
        seen |= Q(directorate_id__in=directed)
        if officer.directorate_id is not None:
            seen |= Q(directorate_id=officer.directorate_id)
    return enquiries.filter(seen)


def timeline_for(enquiry: Enquiry) -> QuerySet[EnquiryEvent]:
    """An enquiry's timeline, oldest first, with each actor's account. Whoever may see the
    enquiry may see its timeline, so take ``enquiry`` from ``enquiries_for``."""
    return EnquiryEvent.objects.filter(enquiry_id=enquiry.pk).select_related("by").order_by("id")


def overdue_filter(now: datetime.datetime | None = None) -> Q:
    """Enquiries whose running clock is overdue at ``now``: due before today in
    Europe/London (council.calendar.is_overdue); none when no clock runs."""
    today = local_date(now or timezone.now())
    return Q(response_due__lt=today) & ~Q(response_due=NO_RESPONSE_DUE)


def _parties_of(enquiry: Enquiry) -> list:
    """Who an enquiry's assignee must have no declared relationship with: its member and the
    constituent it is about (an external person, by name and e-mail)."""
    return [enquiry.member, External(enquiry.constituent_name, enquiry.constituent_email)]


def assignment_conflict(enquiry: Enquiry, officer) -> bool:
    """Whether assigning ``enquiry`` to ``officer`` meets a declared relationship (DESIGN.md,
    Declared relationships: the conflict check is used wherever the system picks a person):
    one between the officer and the enquiry's member or its constituent, active today.
    ``services.assign_enquiry`` and ``services.log_enquiry`` act on the answer (409 unless an
    allowed person gives an override reason)."""
    return officer in officers_who_cannot_take(enquiry, [officer])


def officers_who_cannot_take(enquiry: Enquiry, officers) -> set:
    """The ``officers`` who have a declared relationship with the enquiry's member or
    constituent today, in one query (the assign form's picker marks them, without saying
    why)."""
    return conflicted_with_any(_parties_of(enquiry), officers, on=local_date(timezone.now()))


# The pages' lists (complaints.views). Each is one query per page, whatever its length, in
# the queue's index order (response_due, id); their rows are ``list_rows`` of them.


def enquiry_queue(
    viewer,
    *,
    status: str | None = None,
    directorate=None,
    assignee=None,
    overdue: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Enquiry]:
    """The officer's queue: the enquiries ``viewer`` may see, most urgent first, narrowed by
    status, directorate, assigned officer and whether the running clock is overdue."""
    enquiries = enquiries_for(viewer)
    if status:
        enquiries = enquiries.filter(status=status)
    if directorate is not None:
        enquiries = enquiries.filter(directorate_id=directorate.pk)
    if assignee is not None:
        enquiries = enquiries.filter(assigned_officer_id=assignee.pk)
    if overdue:
        enquiries = enquiries.filter(overdue_filter(now))
    return enquiries.order_by("response_due", "id")


# The columns a list page shows of each enquiry (templates/complaints/_table.html).
LIST_COLUMNS = (
    "id",
    "reference",
    "subject",
    "status",
    "response_due",
    "member__full_name",
    "assigned_officer__full_name",
    "directorate__name",
)


def list_rows(enquiries: QuerySet[Enquiry]) -> QuerySet:
    """``enquiries`` as the rows of a list page: named tuples of ``LIST_COLUMNS``, read in the
    same one query. A page of model instances built an enquiry, its council, member,
    directorate and officer for each row, most of the page's cost (bench/lists.py)."""
    return enquiries.values_list(*LIST_COLUMNS, named=True)


def casework_of(viewer) -> QuerySet[Enquiry]:
    """A member's own enquiries ("My casework"), most urgent first; none for anyone else."""
    member = member_of(viewer)
    if member is None:
        return Enquiry.objects.none()
    return enquiries_for(viewer).filter(member_id=member.pk).order_by("response_due", "id")


def escalations_for(viewer) -> QuerySet[Enquiry]:
    """Escalated enquiries of the directorates ``viewer`` directs (named as director, or of
    director seniority in it) and, for the Chief Executive, those escalated to them (a
    dissatisfied member's, city council protocol 10.3.2), most urgent first; none for anyone
    who directs nothing."""
    officer = officer_of(viewer)
    if officer is None:
        return Enquiry.objects.none()
    directed = Q(directorate_id__in=Directorate.objects.filter(director_id=officer.pk).values("pk"))
    if officer.seniority in DIRECTOR_SENIORITIES and officer.directorate_id is not None:
        directed |= Q(directorate_id=officer.directorate_id)
    if is_chief_executive(viewer):
        directed |= Q(escalated_to=EscalationTarget.CHIEF_EXECUTIVE)
    return (
        enquiries_for(viewer)
        .filter(directed, status=EnquiryStatus.ESCALATED)
        .order_by("response_due", "id")
    )


# The pickers of the enquiry forms: hundreds of options, each only a name. Loading the joined
# rows the directory pages need for every option was most of the queue page's cost.


def officer_choices(viewer):
    """Active officers of the viewer's council by name, for a picker."""
    return (
        officers_for(viewer)
        .select_related(None)
        .only("id", "council_id", "full_name", "job_title")
        .filter(active=True)
        .order_by("full_name", "id")
    )


def member_choices(viewer):
    """Members of the viewer's council by name, for a picker."""
    return (
        members_for(viewer)
        .select_related(None)
        .only("id", "council_id", "full_name", "kind")
        .order_by("full_name", "id")
    )

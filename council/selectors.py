"""Reads for the organisation's pages and API: querysets scoped to the viewer's council.

Anything outside the viewer's council is simply not found (STYLE.md, Where things go).
"""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Lower

from core.scoping import scope_to_viewer

from .models import (
    ApiToken,
    ClosureDay,
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    Ward,
)

PEOPLE_KINDS = ("member", "officer")
_MAX_SEARCH_WORDS = 8


def search_people(*, viewer, query: str = "", kind: str | None = None):
    """The people directory: the members and active officers of the viewer's council, as one
    list ordered by name.

    Each row is a dict: ``person_type`` ("member" or "officer"), ``id``, ``full_name``,
    ``summary`` (an officer's job title, a member's ward) and ``organisation`` (directorate or
    political group). Every word of ``query`` must appear in the name, job title or ward.
    ``kind`` narrows the list to "member" or "officer". The result is a lazy queryset, so a
    Paginator costs two queries per page (count and page) whatever the number of people.
    """
    council_id = getattr(viewer, "council_id", None)
    words = query.split()[:_MAX_SEARCH_WORDS]
    columns = ("person_type", "id", "full_name", "summary", "organisation", "sort_name")

    members = Member.objects.filter(council_id=council_id).annotate(
        person_type=Value("member"),
        summary=Coalesce("ward__name", Value("")),
        organisation=Coalesce("political_group__name", Value("")),
        sort_name=Lower("full_name"),
    )
    officers = Officer.objects.filter(council_id=council_id, active=True).annotate(
        person_type=Value("officer"),
        summary=F("job_title"),
        organisation=Coalesce("directorate__name", Value("")),
        sort_name=Lower("full_name"),
    )
    for word in words:
        members = members.filter(Q(full_name__icontains=word) | Q(ward__name__icontains=word))
        officers = officers.filter(Q(full_name__icontains=word) | Q(job_title__icontains=word))

    ordering = ("sort_name", "person_type", "id")
    if kind == "member":
        return members.values(*columns).order_by(*ordering)
    if kind == "officer":
        return officers.values(*columns).order_by(*ordering)
    return members.values(*columns).union(officers.values(*columns), all=True).order_by(*ordering)


# The organisation's records as the API lists them. Each takes the viewer (a User or an API
# token's principal) and returns only their council's rows (every council's for superusers),
# with the joins the API's serializers need, so a list costs the same queries at any length.


def councils_for(viewer):
    closure_days = Prefetch("closure_days", queryset=ClosureDay.objects.order_by("date"))
    return scope_to_viewer(
        Council.objects.prefetch_related(closure_days), viewer, council_field="pk"
    )


def wards_for(viewer):
    return scope_to_viewer(Ward.objects.select_related("council"), viewer)


def political_groups_for(viewer):
    return scope_to_viewer(PoliticalGroup.objects.select_related("council"), viewer)


def directorates_for(viewer):
    return scope_to_viewer(Directorate.objects.select_related("council"), viewer)


def members_for(viewer):
    return scope_to_viewer(Member.objects.select_related("council"), viewer)


def officers_for(viewer):
    return scope_to_viewer(Officer.objects.select_related("council", "line_manager"), viewer)


def committees_for(viewer):
    memberships = Prefetch(
        "memberships", queryset=CommitteeMembership.objects.order_by("member__full_name", "id")
    )
    return scope_to_viewer(
        Committee.objects.select_related("council").prefetch_related(memberships), viewer
    )


# Integration administration (issue 7): tokens and CSV exports. Each is one query whatever
# its length; what the viewer may not see is not in it.


def api_tokens_for(viewer):
    """The viewer's council's API tokens, newest first, with who issued them: for its
    Councilcase administrators only (none for anyone else)."""
    from .roles import is_council_administrator

    if not is_council_administrator(viewer) or getattr(viewer, "council_id", None) is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(council_id=viewer.council_id).select_related("created_by")


def members_for_export(viewer):
    """Every member of the viewer's own council with their ward and group, by name."""
    return (
        Member.objects.filter(council_id=getattr(viewer, "council_id", None))
        .select_related("ward", "political_group")
        .order_by("full_name", "id")
    )


def officers_for_export(viewer):
    """Every officer of the viewer's own council, leavers included, by employee number."""
    return (
        Officer.objects.filter(council_id=getattr(viewer, "council_id", None))
        .select_related("directorate", "line_manager")
        .order_by("employee_number")
    )


def wards_by_name(council_id) -> dict:
    return {ward.name.casefold(): ward for ward in Ward.objects.filter(council_id=council_id)}


def political_groups_by_name(council_id) -> dict:
    return {
        group.name.casefold(): group
        for group in PoliticalGroup.objects.filter(council_id=council_id)
    }


def directorates_by_name(council_id) -> dict:
    return {d.name.casefold(): d for d in Directorate.objects.filter(council_id=council_id)}

"""Reads of the register, scoped to who is looking, and the conflict checks.

The conflict check is the point of the register (DESIGN.md, Declared relationships): one rule
answers "do these two people have an active declared relationship on this date?", and the
system asks it wherever it picks a person (assigning an enquiry, routing a complaint stage,
seating a panel). ``conflicted_with_any`` is that rule, for many candidates in one query;
``have_conflict`` and ``conflicted`` are its one-pair and one-person forms.

Declarations the viewer may not see are simply not in the queryset (404), the same answer as
for what does not exist (relationships.permissions says who sees what).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from council.calendar import local_date
from council.choices import Seniority, StatutoryRole
from council.models import Member, Officer
from council.roles import is_chief_executive, is_monitoring_officer, member_of, officer_of

from .choices import OPEN_STATUSES, DeclarationRecipient, PartyType
from .models import Declaration
from .parties import External
from .permissions import keeps_register

DECLARATION_RELATED = (
    "council",
    "declarant_member",
    "declarant_officer",
    "counterpart_member",
    "counterpart_officer",
)


Party = Member | Officer | External


def party_type(party: Party) -> str:
    if isinstance(party, Member):
        return PartyType.MEMBER
    if isinstance(party, Officer):
        return PartyType.OFFICER
    return PartyType.EXTERNAL


def active_on(on: datetime.date) -> Q:
    """Declarations in force on ``on``: not ended, started by then, not ended before it."""
    return (
        Q(status__in=sorted(OPEN_STATUSES))
        & Q(started_on__lte=on)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    )


# The conflict checks -----------------------------------------------------------------------

_NOTHING = Q(pk__in=[])
_COLUMNS = (
    "declarant_member_id",
    "declarant_officer_id",
    "counterpart_member_id",
    "counterpart_officer_id",
    "counterpart_name",
    "counterpart_email",
)


def _ids(parties, model) -> list[int]:
    return sorted({party.pk for party in parties if isinstance(party, model)})


def _as_declarant(parties) -> Q:
    q = _NOTHING
    if members := _ids(parties, Member):
        q |= Q(declarant_member_id__in=members)
    if officers := _ids(parties, Officer):
        q |= Q(declarant_officer_id__in=officers)
    return q  # externals never declare


def _as_counterpart(parties) -> Q:
    """Declarations naming any of ``parties`` as counterpart. For external people the SQL
    narrows by name or e-mail; ``External.matches`` then applies the exact rule."""
    q = _NOTHING
    if members := _ids(parties, Member):
        q |= Q(counterpart_member_id__in=members)
    if officers := _ids(parties, Officer):
        q |= Q(counterpart_officer_id__in=officers)
    externals = [party for party in parties if isinstance(party, External)]
    if names := sorted({party.name.lower() for party in externals if party.name}):
        q |= Q(counterpart_name_ci__in=names)
    if emails := sorted({party.email.lower() for party in externals if party.email}):
        q |= Q(counterpart_email_ci__in=emails)
    return q


def _declares(party: Party, row: tuple) -> bool:
    if isinstance(party, Member):
        return row[0] == party.pk
    if isinstance(party, Officer):
        return row[1] == party.pk
    return False


def _is_named(party: Party, row: tuple) -> bool:
    if isinstance(party, Member):
        return row[2] == party.pk
    if isinstance(party, Officer):
        return row[3] == party.pk
    return row[2] is None and row[3] is None and party.matches(row[4], row[5])


def _usable(parties: Iterable) -> list[Party]:
    return [
        party
        for party in parties
        if party is not None and not (isinstance(party, External) and party.is_blank)
    ]


def conflicted_with_any(people: Iterable[Party], candidates: Iterable, *, on: datetime.date):
    """The ``candidates`` who have an active declared relationship on ``on`` with any of
    ``people``, in either direction — one query, however many candidates (the assign form's
    officer picker asks it for every officer of the council at once).

    People and candidates are Members, Officers or ``External`` people; only declarations of
    their councils are read. Two external people never conflict (only members and officers
    declare)."""
    people, candidates = _usable(people), _usable(candidates)
    if not people or not candidates:
        return set()
    councils = {
        party.council_id for party in (*people, *candidates) if not isinstance(party, External)
    }
    pair = (_as_declarant(people) & _as_counterpart(candidates)) | (
        _as_declarant(candidates) & _as_counterpart(people)
    )
    rows = list(
        Declaration.objects.annotate(
            counterpart_name_ci=Lower("counterpart_name"),
            counterpart_email_ci=Lower("counterpart_email"),
        )
        .filter(active_on(on), pair, council_id__in=sorted(councils))
        .values_list(*_COLUMNS)
    )
    return {
        candidate
        for candidate in candidates
        for row in rows
        if (_declares(candidate, row) and any(_is_named(person, row) for person in people))
        or (_is_named(candidate, row) and any(_declares(person, row) for person in people))
    }


def conflicted(person: Party, candidates: Iterable, *, on: datetime.date) -> set:
    """The ``candidates`` with an active declared relationship with ``person`` on ``on``, in
    one query (the bulk form of ``have_conflict``)."""
    return conflicted_with_any([person], candidates, on=on)


def have_conflict(a: Party, b: Party, *, on: datetime.date) -> bool:
    """Whether ``a`` and ``b`` (Members, Officers or External people) have an active declared
    relationship on ``on``, whichever of them declared it."""
    return bool(conflicted_with_any([a], [b], on=on))


# The register ------------------------------------------------------------------------------


def declarations_for(viewer) -> QuerySet[Declaration]:
    """The declarations ``viewer`` may see (relationships.permissions), with the people each
    names joined in: one query per list page. Nobody but a person of the council sees any;
    API tokens and service superusers see none."""
    declarations = Declaration.objects.select_related(*DECLARATION_RELATED)
    council_id = getattr(viewer, "council_id", None)
    if council_id is None or not getattr(viewer, "is_authenticated", False):
        return declarations.none()
    if getattr(viewer, "pk", None) is None:  # an API token's principal: not a person
        return declarations.none()
    declarations = declarations.filter(council_id=council_id)
    if is_monitoring_officer(viewer):
        return declarations
    seen = _NOTHING
    if is_chief_executive(viewer):
        seen |= Q(declared_to=DeclarationRecipient.CHIEF_EXECUTIVE)
    member, officer = member_of(viewer), officer_of(viewer)
    advised = ~Q(advice="")
    if member is not None:
        seen |= Q(declarant_member_id=member.pk) | (Q(counterpart_member_id=member.pk) & advised)
    if officer is not None:
        seen |= Q(declarant_officer_id=officer.pk) | (
            Q(counterpart_officer_id=officer.pk) & advised
        )
    return declarations.filter(seen)


def own_declarations(viewer) -> QuerySet[Declaration]:
    """ "My declarations": the ones ``viewer`` made (or that were recorded for them)."""
    member, officer = member_of(viewer), officer_of(viewer)
    own = _NOTHING
    if member is not None:
        own |= Q(declarant_member_id=member.pk)
    if officer is not None:
        own |= Q(declarant_officer_id=officer.pk)
    return declarations_for(viewer).filter(own).order_by("-submitted_at", "-id")


def about_me(viewer) -> QuerySet[Declaration]:
    """Declarations naming ``viewer`` on which advice was given to both parties (4.6)."""
    member, officer = member_of(viewer), officer_of(viewer)
    named = _NOTHING
    if member is not None:
        named |= Q(counterpart_member_id=member.pk)
    if officer is not None:
        named |= Q(counterpart_officer_id=officer.pk)
    return declarations_for(viewer).filter(named).exclude(advice="").order_by("-id")


def parse_party_reference(value: str) -> tuple[str, int] | None:
    """``"member:12"`` → ``("member", 12)``; None when it is not of that shape."""
    kind, _, number = (value or "").strip().partition(":")
    if kind not in (PartyType.MEMBER, PartyType.OFFICER) or not number.isdigit():
        return None
    return kind, int(number)


def involving(reference: tuple[str, int]) -> Q:
    """Declarations naming the member or officer ``reference`` on either side."""
    kind, pk = reference
    return Q(**{f"declarant_{kind}_id": pk}) | Q(**{f"counterpart_{kind}_id": pk})


def register_for(
    viewer,
    *,
    query: str = "",
    kind: str | None = None,
    status: str | None = None,
    person: tuple[str, int] | None = None,
    active_on_date: datetime.date | None = None,
) -> QuerySet[Declaration]:
    """The register as the Monitoring Officer and the Chief Executive search it: their
    declarations (none for anyone else), newest first, narrowed by words (in the people's
    names, the external counterpart and the description), kind, status, a person on either
    side, and whether active on a date."""
    if not keeps_register(viewer):
        return Declaration.objects.none()
    declarations = declarations_for(viewer)
    if not is_monitoring_officer(viewer):
        declarations = declarations.filter(declared_to=DeclarationRecipient.CHIEF_EXECUTIVE)
    for word in query.split()[:8]:
        declarations = declarations.filter(
            Q(declarant_member__full_name__icontains=word)
            | Q(declarant_officer__full_name__icontains=word)
            | Q(counterpart_member__full_name__icontains=word)
            | Q(counterpart_officer__full_name__icontains=word)
            | Q(counterpart_name__icontains=word)
            | Q(description__icontains=word)
        )
    if kind:
        declarations = declarations.filter(kind=kind)
    if status:
        declarations = declarations.filter(status=status)
    if person is not None:
        declarations = declarations.filter(involving(person))
    if active_on_date is not None:
        declarations = declarations.filter(active_on(active_on_date))
    return declarations.order_by("-submitted_at", "-id")


def ward_colleagues(member: Member) -> QuerySet[Member]:
    """The other members for ``member``'s ward, who can assist a constituent ``member`` has
    declared a relationship with (DESIGN.md, Declared relationships)."""
    if member.ward_id is None:
        return Member.objects.none()
    return (
        Member.objects.filter(council_id=member.council_id, ward_id=member.ward_id)
        .exclude(pk=member.pk)
        .order_by("full_name", "id")
    )


def recipients_of(declaration: Declaration) -> list[Officer]:
    """Who a declaration is made to: the Monitoring Officer (deputies if the post is empty)
    or the Chief Executive (the head of paid service)."""
    officers = Officer.objects.filter(council_id=declaration.council_id, active=True)
    if declaration.declared_to == DeclarationRecipient.CHIEF_EXECUTIVE:
        found = list(
            officers.filter(
                Q(seniority=Seniority.CHIEF_EXECUTIVE)
                | Q(statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE)
            )
        )
    else:
        found = list(officers.filter(statutory_role=StatutoryRole.MONITORING_OFFICER)) or list(
            officers.filter(statutory_role=StatutoryRole.DEPUTY_MONITORING_OFFICER)
        )
    declarant = declaration.declarant_officer_id
    return [officer for officer in found if officer.pk != declarant]


def declarations_between(viewer, a: Party, b: Party, *, on: datetime.date):
    """The active declarations on ``on`` between members or officers ``a`` and ``b`` that
    ``viewer`` may see: why a conflict exists, for the register's keepers."""
    pair = (_as_declarant([a]) & _as_counterpart([b])) | (_as_declarant([b]) & _as_counterpart([a]))
    return declarations_for(viewer).filter(active_on(on), pair).order_by("id")


def constituent_conflict_colleagues(enquiry) -> list[Member] | None:
    """When the member of ``enquiry`` has declared a relationship with its constituent, the
    other members of their ward who can assist (possibly none); None when there is no such
    conflict (DESIGN.md, Declared relationships)."""
    constituent = External(enquiry.constituent_name, enquiry.constituent_email)
    if constituent.is_blank or not have_conflict(
        enquiry.member, constituent, on=local_date(enquiry.received_at)
    ):
        return None
    return list(ward_colleagues(enquiry.member))

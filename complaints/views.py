"""The member enquiry pages: the officer's queue, logging an enquiry on a member's behalf, the
enquiry page with its timeline and actions, the member's "My casework" and the director's
escalations (DESIGN.md, Member enquiries).

Views are thin: reads go through complaints.selectors (an enquiry the viewer may not see is
not found, 404), every change through complaints.services with ``by=request.user`` and the
version the person saw. The services' refusals become readable errors on the page: a stale
version, an action the status does not allow (409) and an action the person may not take
(403).
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import keyset
from core.errors import Conflict, PreconditionFailed
from core.forms import add_service_errors, render_cached
from core.links import reverser
from council.calendar import calendar_for, local_date
from council.roles import is_chief_executive, is_director, member_of, officer_of
from council.selectors import directorates_for
from relationships import selectors as relationship_selectors

from . import permissions, selectors, services
from .choices import ENQUIRY_TRANSITIONS, EnquiryChannel, EnquiryStatus
from .forms import (
    ACTION_FORMS,
    LogEnquiryForm,
    MemberEscalateForm,
    QueueFilterForm,
    RaiseEnquiryForm,
)
from .models import NO_RESPONSE_DUE

ENQUIRIES_PER_PAGE = 25
STALE_MESSAGE = (
    "This enquiry has changed since you opened it. Check its status and timeline below, then "
    "try again."
)

SERVICE_ACTIONS = {
    "acknowledge": services.acknowledge_enquiry,
    "holding_response": services.send_holding_response,
    "respond": services.respond_to_enquiry,
    "assign": services.assign_enquiry,
    "escalate": services.escalate_enquiry,
    "close": services.close_enquiry,
}
DONE = {
    "acknowledge": "The enquiry has been acknowledged",
    "holding_response": "The holding response has been sent",
    "respond": "The response has been sent",
    "assign": "The enquiry has been assigned",
    "escalate": "The enquiry has been escalated",
    "close": "The enquiry has been closed",
}


# Choices from the viewer's council ---------------------------------------------------------


def _directorates(viewer):
    return directorates_for(viewer).order_by("name")


# Lists page by keyset on the queue's order (core.keyset): a deep page costs what the first
# does, and a long run of one due date neither repeats nor drops a row.
QUEUE_ORDER = ("response_due", "id")


def list_page(request, enquiries, per_page: int = ENQUIRIES_PER_PAGE) -> keyset.LinkedPage:
    """A page of ``enquiries`` as the list pages show them (``selectors.list_rows``)."""
    return keyset.page_for_request(
        request, enquiries, QUEUE_ORDER, per_page, rows=selectors.list_rows
    )


STATUS_LABELS = dict(EnquiryStatus.choices)
# Each status's tag colour (GOV.UK Frontend tag modifiers), in lists and on the enquiry page.
STATUS_TAG_CLASSES = {
    EnquiryStatus.RECEIVED: "govuk-tag--blue",
    EnquiryStatus.ACKNOWLEDGED: "govuk-tag--light-blue",
    EnquiryStatus.INVESTIGATING: "govuk-tag--purple",
    EnquiryStatus.RESPONDED: "govuk-tag--green",
    EnquiryStatus.ESCALATED: "govuk-tag--pink",
    EnquiryStatus.CLOSED: "govuk-tag--grey",
}


def _due(response_due: datetime.date, today: datetime.date) -> dict:
    """The running clock's due date (None once answered) as the pages write it ("9 Dec
    2026"; Python's own formatting, a twentieth of the ``date`` filter's cost on a list), and
    whether it is overdue or due today."""
    due = response_due if response_due != NO_RESPONSE_DUE else None
    return {
        "due": due,
        "due_text": f"{due.day} {due:%b %Y}" if due is not None else "",
        "overdue": due is not None and due < today,
        "due_today": due == today,
    }


class ListRow(NamedTuple):
    """An enquiry as a list page shows it (templates/complaints/_rows.jinja); a tuple, which
    Jinja reads by attribute at once (a dict it tries as an attribute first)."""

    pk: int
    reference: str
    subject: str
    member_name: str
    status_label: str
    status_class: str
    href: str
    assignee_name: str | None
    directorate_name: str | None
    due: datetime.date | None
    due_text: str
    overdue: bool
    due_today: bool


def _rows(rows, now: datetime.datetime) -> list[ListRow]:
    """A list page's rows (``selectors.list_rows``) as templates/complaints/_rows.jinja shows
    them."""
    today = local_date(now)
    href = reverser("enquiry")
    return [
        ListRow(
            pk=row.id,
            reference=row.reference,
            subject=row.subject,
            member_name=row.member__full_name,
            status_label=STATUS_LABELS[row.status],
            status_class=STATUS_TAG_CLASSES[row.status],
            href=href(row.id),
            assignee_name=row.assigned_officer__full_name,
            directorate_name=row.directorate__name,
            **_due(row.response_due, today),
        )
        for row in rows
    ]


def _require_officer(user):
    if officer_of(user) is None and not getattr(user, "is_superuser", False):
        raise Http404("Enquiries are worked by officers")


# The officer's queue -----------------------------------------------------------------------


@login_required
def queue(request):
    _require_officer(request.user)
    form = QueueFilterForm(
        request.GET if request.GET else None,
        directorates=_directorates(request.user),
        officers=selectors.officer_choices(request.user),
    )
    now = timezone.now()
    enquiries = selectors.enquiry_queue(request.user, now=now, **form.filters())
    page = list_page(request, enquiries)
    return render(
        request,
        "complaints/queue.html",
        {
            "form": form,
            "form_html": render_cached(form, viewer=request.user),
            "page": page,
            "rows": _rows(page.object_list, now),
            "filtered": bool(form.filters() and any(form.filters().values())),
            "may_log": True,
        },
    )


# Logging an enquiry ------------------------------------------------------------------------


@login_required
def log_enquiry(request):
    _require_officer(request.user)
    user = request.user
    form = LogEnquiryForm(
        request.POST if request.method == "POST" else None,
        members=selectors.member_choices(user),
        directorates=_directorates(user),
        officers=selectors.officer_choices(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = services.log_enquiry(
                council=data["member"].council,
                by=user,
                member=data["member"],
                constituent=form.constituent(),
                subject=data["subject"],
                description=data["description"],
                directorate=data["directorate"],
                assigned_officer=data["assigned_officer"],
                channel=data["channel"],
                received_at=form.received_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error, LogEnquiryForm.SERVICE_FIELDS)
        except (Conflict, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            messages.success(request, f"Enquiry {enquiry.reference} has been logged")
            return redirect("enquiry", pk=enquiry.pk)
    return render(request, "complaints/log.html", {"form": form})


# The enquiry page --------------------------------------------------------------------------


def _action_url(enquiry, action: str) -> str:
    return reverse("enquiry-action", args=[enquiry.pk, action.replace("_", "-")])


def _action_form(user, enquiry, action: str, data=None, *, offer_override: bool = False):
    url = _action_url(enquiry, action)
    if action == "assign":
        # The picker marks the officers with a declared conflict, in one query for them all;
        # the override reason is offered after a refusal, to those allowed to override.
        officers = selectors.officer_choices(user)
        offer_override = permissions.may_override_conflict(user) and (
            offer_override or (data is not None and "assign-override_reason" in data)
        )
        return ACTION_FORMS[action](
            data,
            enquiry=enquiry,
            url=url,
            officers=officers,
            cannot_take=selectors.officers_who_cannot_take(enquiry, officers),
            offer_override=offer_override,
        )
    if action == "escalate" and officer_of(user) is None and member_of(user) is not None:
        return MemberEscalateForm(data, enquiry=enquiry, url=url)
    return ACTION_FORMS[action](data, enquiry=enquiry, url=url)


def _actions_for(user, enquiry) -> list[str]:
    """The actions ``user`` may take on ``enquiry`` in its status, in the order shown."""
    return [
        action
        for action in ACTION_FORMS
        if enquiry.status in ENQUIRY_TRANSITIONS[action][0]
        and permissions.may_act(user, action, enquiry)
    ]


def _enquiry_page(request, enquiry, *, bound=None, error: str | None = None, status=200):
    user = request.user
    forms = [
        bound
        if bound is not None and bound.action == action
        else _action_form(user, enquiry, action)
        for action in _actions_for(user, enquiry)
    ]
    if bound is not None and bound not in forms:
        forms.append(bound)
    now = timezone.now()
    calendar = calendar_for(enquiry.council)
    return render(
        request,
        "complaints/enquiry.html",
        {
            "enquiry": enquiry,
            "row": _due(enquiry.response_due, local_date(now)),
            "status_class": STATUS_TAG_CLASSES[enquiry.status],
            "receipt_explanation": calendar.explain_receipt(enquiry.received_at),
            "timeline": _timeline(user, enquiry),
            "action_forms": forms,
            "bound": bound,
            "page_error": error,
            "is_member": officer_of(user) is None and member_of(user) is not None,
        },
        status=status,
    )


def _timeline(user, enquiry) -> list:
    """The timeline as ``user`` may read it: the reason for overriding a declared conflict
    may describe the relationship, so only the Monitoring Officer and the Chief Executive
    read it (DESIGN.md, Declared relationships)."""
    events = list(selectors.timeline_for(enquiry))
    if not permissions.may_see_conflict_details(user):
        for event in events:
            if event.detail.get("conflict_overridden"):
                event.note = ""
    return events


def _visible_enquiry(user, pk: int):
    return get_object_or_404(selectors.enquiries_for(user), pk=pk)


@login_required
def enquiry_detail(request, pk: int):
    return _enquiry_page(request, _visible_enquiry(request.user, pk))


@login_required
@require_POST
def enquiry_action(request, pk: int, action: str):
    action = action.replace("-", "_")
    if action not in SERVICE_ACTIONS:
        raise Http404("No such action")
    user = request.user
    enquiry = _visible_enquiry(user, pk)
    form = _action_form(user, enquiry, action, request.POST)
    if not form.is_valid():
        return _enquiry_page(request, enquiry, bound=form)
    try:
        SERVICE_ACTIONS[action](
            enquiry=enquiry,
            by=user,
            expected_version=form.cleaned_data["version"],
            **form.service_arguments(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _enquiry_page(request, enquiry, bound=form)
    except PreconditionFailed:
        return _enquiry_page(request, _visible_enquiry(user, pk), error=STALE_MESSAGE, status=409)
    except Conflict as error:
        enquiry = _visible_enquiry(user, pk)
        bound = None
        if error.code == "conflict_of_interest" and permissions.may_override_conflict(user):
            bound = _action_form(user, enquiry, action, request.POST, offer_override=True)
            bound.is_valid()
        return _enquiry_page(request, enquiry, bound=bound, error=error.message, status=409)
    except PermissionDenied:
        return _enquiry_page(
            request,
            enquiry,
            error="You cannot do this to this enquiry. Ask the casework team if it needs doing.",
            status=403,
        )
    messages.success(request, DONE[action])
    return redirect("enquiry", pk=pk)


# The member's casework ---------------------------------------------------------------------


def _require_member(user):
    if member_of(user) is None:
        raise Http404("My casework is for members")


@login_required
def my_casework(request):
    _require_member(request.user)
    now = timezone.now()
    page = list_page(request, selectors.casework_of(request.user))
    return render(
        request,
        "complaints/mine.html",
        {"page": page, "rows": _rows(page.object_list, now)},
    )


@login_required
def raise_enquiry(request):
    _require_member(request.user)
    user = request.user
    member = member_of(user)
    form = RaiseEnquiryForm(
        request.POST if request.method == "POST" else None, directorates=_directorates(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = services.log_enquiry(
                council=member.council,
                by=user,
                member=member,
                constituent=form.constituent(),
                subject=data["subject"],
                description=data["description"],
                directorate=data["directorate"],
                channel=EnquiryChannel.PORTAL,
                received_at=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error, RaiseEnquiryForm.SERVICE_FIELDS)
        except (Conflict, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            messages.success(request, f"Your enquiry {enquiry.reference} has been raised")
            _suggest_ward_colleagues(request, enquiry)
            return redirect("enquiry", pk=enquiry.pk)
    return render(request, "complaints/raise.html", {"form": form})


def _suggest_ward_colleagues(request, enquiry) -> None:
    """A member who declared a relationship with the constituent is told that another member
    of the same ward can assist (DESIGN.md, Declared relationships)."""
    colleagues = relationship_selectors.constituent_conflict_colleagues(enquiry)
    if colleagues is None:
        return
    names = ", ".join(str(member) for member in colleagues)
    messages.info(
        request,
        "You have declared a relationship with this constituent. "
        + (
            f"Another member for your ward can assist: {names}."
            if names
            else "Ask the casework team which member can assist."
        ),
    )


# The director's escalations ----------------------------------------------------------------


@login_required
def escalations(request):
    if not is_director(request.user):
        raise Http404("Escalations are for directors")
    now = timezone.now()
    page = list_page(request, selectors.escalations_for(request.user))
    return render(
        request,
        "complaints/escalations.html",
        {
            "page": page,
            "rows": _rows(page.object_list, now),
            "is_chief_executive": is_chief_executive(request.user),
        },
    )

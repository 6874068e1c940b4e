"""The conduct complaint pages: raising a concern (a member or an officer, in plain words), the
Monitoring Officer's triage dashboard, the complaint page with its stages, incidents, cited
clauses, warnings and actions, "My complaints" (the complainant's own view and the stages a
person owns), and evidence downloads (DESIGN.md, Conduct complaints).

Views are thin: reads go through complaints.conduct.selectors (a complaint the viewer may not
see is not found, 404), every change through complaints.conduct.services with
``by=request.user`` and the version the person saw. Every look at a complaint's page or
evidence is recorded (``services.record_view``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import Conflict, PreconditionFailed
from core.forms import add_service_errors
from council.calendar import local_date
from council.roles import is_monitoring_officer, member_of, officer_of
from council.selectors import members_for, officers_for

from . import permissions, selectors, services
from .choices import COMPLAINT_TRANSITIONS
from .forms import ACTION_FORMS, DashboardFilterForm, RaiseConcernForm, RouteStageForm

STALE_MESSAGE = (
    "This complaint has changed since you opened it. Check its stages below, then try again."
)
DONE = {
    "escalate": "The complaint has moved to its next stage",
    "reroute": "The complaint has been re-routed",
    "resolve": "The outcome has been recorded",
    "cite": "The clauses have been cited",
    "withdraw": "The complaint has been withdrawn",
    "close": "The complaint has been closed",
    "notify_subject": "The subject has been told about the complaint",
    "assign_investigator": "The investigator has been assigned",
    "attach": "The evidence has been added",
}
SERVICE_ACTIONS = {
    "escalate": services.escalate_complaint,
    "reroute": services.reroute_complaint,
    "resolve": services.resolve_complaint,
    "withdraw": services.withdraw_complaint,
    "close": services.close_complaint,
    "notify_subject": services.notify_subject,
    "assign_investigator": services.assign_investigator,
}
DASHBOARD_ROWS = 50


def _person_label(person) -> str:
    if person._meta.model_name == "member":
        return f"{person} (member)"
    return str(person)


# Raising a concern ---------------------------------------------------------------------------


def _people(user) -> list[tuple[str, str]]:
    """Everyone a concern may be about: the council's members and officers in post, but not
    the person raising it."""
    own_member, own_officer = member_of(user), officer_of(user)
    members = members_for(user).order_by("full_name", "id")
    officers = officers_for(user).filter(active=True).order_by("full_name", "id")
    choices = [
        (f"member:{m.pk}", _person_label(m))
        for m in members
        if own_member is None or m.pk != own_member.pk
    ]
    choices += [
        (f"officer:{o.pk}", _person_label(o))
        for o in officers
        if own_officer is None or o.pk != own_officer.pk
    ]
    return sorted(choices, key=lambda choice: choice[1].lower())


@login_required
def raise_concern(request):
    user = request.user
    if not permissions.may_raise(user):
        raise Http404("Concerns are raised by the council's members and officers")
    form = RaiseConcernForm(
        request.POST if request.method == "POST" else None, people=_people(user)
    )
    if request.method == "POST" and form.is_valid():
        kind, pk = form.subject_reference()
        subject = selectors.party_for(user, kind, pk)
        data = form.cleaned_data
        try:
            if subject is None:
                raise ValidationError({"subject": ["Select who your concern is about"]})
            complaint = services.raise_complaint(
                council=user.council,
                by=user,
                subject=subject,
                categories=data["categories"],
                protected_characteristic=data["protected_characteristic"],
                description=data["description"],
                incidents=form.incidents(),
            )
        except ValidationError as error:
            add_service_errors(form, error, RaiseConcernForm.SERVICE_FIELDS)
        except (Conflict, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            messages.success(
                request, f"Your concern has been sent. Its reference is {complaint.reference}"
            )
            return redirect("complaint", pk=complaint.pk)
    return render(request, "complaints/conduct/raise.html", {"form": form})


# The Monitoring Officer's dashboard ----------------------------------------------------------


def _bars(rows, *, max_width: int = 100) -> list[dict]:
    """Rows of ``(label, count)`` with each bar's width as a percentage of the largest."""
    largest = max((count for _label, count in rows), default=0) or 1
    return [
        {"label": label, "count": count, "width": round(count * max_width / largest)}
        for label, count in rows
    ]


@login_required
def dashboard(request):
    user = request.user
    if not is_monitoring_officer(user):
        raise Http404("The triage dashboard is the Monitoring Officer's")
    form = DashboardFilterForm(request.GET if request.GET else None)
    now = timezone.now()
    complaints = selectors.dashboard_complaints(user, **form.filters())
    rows = complaints.prefetch_related(None)
    new = list(rows.filter(selectors.new_filter(now), status="open")[:DASHBOARD_ROWS])
    overdue = list(
        rows.filter(selectors.overdue_stage_filter(now)).order_by("current_stage__due_date", "id")[
            :DASHBOARD_ROWS
        ]
    )
    queues: dict[str, list] = {}
    for complaint in rows.filter(status="open").order_by("current_stage__due_date", "id")[:200]:
        name = complaint.current_stage.name if complaint.current_stage else "No stage"
        queues.setdefault(name, []).append(complaint)
    by_category = [
        (label, count) for _value, label, count in selectors.counts_by_category(complaints)
    ]
    by_month = [
        (month.strftime("%b %Y"), count)
        for month, count in selectors.counts_by_month(complaints, now=now)
    ]
    # Every view of a complaint is recorded, a row on the dashboard too (one INSERT).
    shown = {c.pk for c in new} | {c.pk for c in overdue}
    shown |= {c.pk for listed in queues.values() for c in listed}
    services.record_views(
        complaint_ids=sorted(shown), council_id=user.council_id, viewer=user, via="dashboard"
    )
    return render(
        request,
        "complaints/conduct/dashboard.html",
        {
            "form": form,
            "new": new,
            "overdue": overdue,
            "queues": sorted(queues.items()),
            "by_category": _bars(by_category),
            "by_month": _bars(by_month),
            "today": local_date(now),
            "filtered": any(form.filters().values()) if form.filters() else False,
        },
    )


# My complaints -------------------------------------------------------------------------------


@login_required
def mine(request):
    user = request.user
    if not permissions.may_raise(user):
        raise Http404("My complaints is for the council's members and officers")
    complaints = selectors.complaints_for(user).prefetch_related(None)
    raised = list(selectors.raised_by(user, complaints)[:100])
    owned = list(selectors.owned_by(user, complaints)[:100])
    about_me = list(selectors.about(user, complaints)[:100])
    # Every view of a complaint is recorded, a row of this list too (one INSERT).
    services.record_views(
        complaint_ids=sorted({c.pk for c in (*raised, *owned, *about_me)}),
        council_id=user.council_id,
        viewer=user,
        via="list",
    )
    return render(
        request,
        "complaints/conduct/mine.html",
        {
            "raised": raised,
            "owned": owned,
            "about_me": about_me,
            "today": local_date(timezone.now()),
        },
    )


# The complaint page ----------------------------------------------------------------------------


def _visible(user, pk: int):
    return get_object_or_404(selectors.complaints_for(user), pk=pk)


def _action_url(complaint, action: str) -> str:
    return reverse("complaint-action", args=[complaint.pk, action.replace("_", "-")])


def _action_form(user, complaint, action: str, data=None, files=None):
    extra = {}
    if action == "reroute":
        extra["routes"] = selectors.routes_for(user).exclude(pk=complaint.route_id)
    if action == "assign_investigator":
        extra["officers"] = officers_for(user).filter(active=True).order_by("full_name", "id")
    return ACTION_FORMS[action](
        data,
        files=files,
        complaint=complaint,
        url=_action_url(complaint, action),
        extra=extra,
    )


def _actions_for(user, complaint) -> list[str]:
    actions = []
    for action in ACTION_FORMS:
        if complaint.status not in COMPLAINT_TRANSITIONS[action][0]:
            continue
        if not permissions.may_act(user, action, complaint):
            continue
        if action == "reroute" and not permissions.is_monitoring_officer_of(
            user, complaint.council_id
        ):
            continue
        if action == "assign_investigator" and not permissions.is_monitoring_officer_of(
            user, complaint.council_id
        ):
            continue
        if action == "notify_subject" and complaint.subject_notified_at is not None:
            continue
        actions.append(action)
    return actions


def _complaint_page(request, complaint, *, bound=None, error: str | None = None, status=200):
    user = request.user
    access = permissions.access(user, complaint)
    forms = [
        bound
        if bound is not None and bound.action == action
        else _action_form(user, complaint, action)
        for action in _actions_for(user, complaint)
    ]
    if bound is not None and bound not in forms:
        forms.append(bound)
    full = access == permissions.FULL
    return render(
        request,
        "complaints/conduct/complaint.html",
        {
            "complaint": complaint,
            "access": access,
            "full": full,
            "is_complainant": access == permissions.COMPLAINANT,
            "is_subject": access == permissions.SUBJECT,
            "stages": list(complaint.stages.all()),
            "incidents": list(complaint.incidents.all()) if access != permissions.SUBJECT else [],
            "citations": list(complaint.citations.all()),
            "evidence": list(complaint.evidence.all()) if access != permissions.SUBJECT else [],
            "warnings": selectors.warnings_for(complaint) if full else [],
            "history": list(selectors.history_of(complaint)) if full else [],
            "views": list(selectors.views_of(complaint).order_by("-id")[:50])
            if permissions.may_see_view_log(user, complaint)
            else None,
            "action_forms": forms,
            "bound": bound,
            "page_error": error,
            "today": local_date(timezone.now()),
        },
        status=status,
    )


@login_required
def complaint_detail(request, pk: int):
    complaint = _visible(request.user, pk)
    services.record_view(complaint=complaint, viewer=request.user, via="page")
    return _complaint_page(request, complaint)


@login_required
@require_POST
def complaint_action(request, pk: int, action: str):
    action = action.replace("-", "_")
    if action not in ACTION_FORMS:
        raise Http404("No such action")
    user = request.user
    complaint = _visible(user, pk)
    if action not in _actions_for(user, complaint) and not (
        permissions.may_act(user, action, complaint)
        and complaint.status not in COMPLAINT_TRANSITIONS[action][0]
    ):
        # Those who may not take the action are refused before anything they sent is read;
        # an action its status no longer allows goes on to the service's 409.
        return _complaint_page(
            request,
            complaint,
            error="You cannot do this to this complaint. Ask the Monitoring Officer.",
            status=403,
        )
    form = _action_form(user, complaint, action, request.POST, request.FILES)
    if not form.is_valid():
        return _complaint_page(request, complaint, bound=form)
    try:
        if action == "cite":
            clauses, missing = selectors.clauses_in_force(complaint, form.numbers_given())
            if missing:
                raise ValidationError(
                    {
                        "numbers": [
                            f"Clause {number} was not in force on the date of any incident"
                            for number in missing
                        ]
                    }
                )
            services.cite_clauses(
                complaint=complaint,
                by=user,
                clauses=clauses,
                expected_version=form.cleaned_data["version"],
            )
        elif action == "attach":
            services.add_evidence(complaint=complaint, by=user, **form.service_arguments())
        else:
            SERVICE_ACTIONS[action](
                complaint=complaint,
                by=user,
                expected_version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
    except ValidationError as error:
        add_service_errors(form, error, {"clauses": "numbers"})
        return _complaint_page(request, complaint, bound=form)
    except PreconditionFailed:
        return _complaint_page(request, _visible(user, pk), error=STALE_MESSAGE, status=409)
    except Conflict as error:
        return _complaint_page(request, _visible(user, pk), error=error.message, status=409)
    except PermissionDenied:
        return _complaint_page(
            request,
            complaint,
            error="You cannot do this to this complaint. Ask the Monitoring Officer.",
            status=403,
        )
    messages.success(request, DONE[action])
    return redirect("complaint", pk=pk)


@login_required
def evidence_file(request, pk: int, evidence_pk: int):
    """A file of evidence, to those who see the complaint in full and to its complainant;
    sent as a download, never rendered inline."""
    user = request.user
    complaint = _visible(user, pk)
    if permissions.access(user, complaint) not in (permissions.FULL, permissions.COMPLAINANT):
        raise Http404("No such evidence")
    evidence = get_object_or_404(complaint.evidence.all(), pk=evidence_pk)
    services.record_view(complaint=complaint, viewer=user, via="evidence")
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The Monitoring Officer's routes -------------------------------------------------------------


def _require_route_keeper(user):
    council_id = getattr(user, "council_id", None)
    if council_id is None or not permissions.may_manage_routes(user, council_id):
        raise Http404("Complaint routes are the Monitoring Officer's")


@login_required
def routes(request):
    """The council's complaint routes, each an ordered list of stages (DESIGN.md: routes are
    data, editable by the Monitoring Officer)."""
    _require_route_keeper(request.user)
    return render(
        request,
        "complaints/conduct/routes.html",
        {"routes": list(selectors.routes_for(request.user).prefetch_related("stages"))},
    )


def _stage_form_page(request, form, *, title: str, route, status=200):
    return render(
        request,
        "complaints/conduct/route_stage.html",
        {"form": form, "title": title, "route": route},
        status=status,
    )


@login_required
def route_stage(request, pk: int):
    """Change one stage of a route. Stages already open keep what they opened with."""
    user = request.user
    _require_route_keeper(user)
    stage = get_object_or_404(selectors.route_stages_for(user), pk=pk)
    initial = {
        "name": stage.name,
        "owner_rule": stage.owner_rule,
        "target_working_days": stage.target_working_days,
        "allowed_outcomes": stage.allowed_outcomes,
        "version": stage.version,
    }
    form = RouteStageForm(
        request.POST if request.method == "POST" else None, initial=initial, button="Save stage"
    )
    title = f"Change stage {stage.order} of {stage.route.name}"
    if request.method == "POST" and form.is_valid():
        try:
            services.update_route_stage(
                stage=stage,
                by=user,
                expected_version=form.cleaned_data.get("version"),
                **form.stage_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PreconditionFailed:
            form.add_error(
                None, "This stage has changed since you opened it: check it and try again"
            )
        else:
            messages.success(request, f"Stage {stage.order} of {stage.route.name} has been saved")
            return redirect("complaint-routes")
    return _stage_form_page(request, form, title=title, route=stage.route)


@login_required
def route_add_stage(request, pk: int):
    """Add a stage at the end of a route."""
    user = request.user
    _require_route_keeper(user)
    route = get_object_or_404(selectors.routes_for(user), pk=pk)
    form = RouteStageForm(request.POST if request.method == "POST" else None, button="Add stage")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_route_stage(route=route, by=user, **form.stage_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"A stage has been added to {route.name}")
            return redirect("complaint-routes")
    return _stage_form_page(request, form, title=f"Add a stage to {route.name}", route=route)

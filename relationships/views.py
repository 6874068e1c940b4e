"""The declaration pages: declare a relationship, my declarations, the register for the
Monitoring Officer and the Chief Executive (with its CSV export), and a declaration's page,
where the person it was made to acknowledges it and records advice (city council protocol
4.5-4.6, 13.1-13.2).

Views are thin: reads through relationships.selectors (a declaration the viewer may not see is
not found, 404; the register is not found for anyone but its keepers), every change through
relationships.services, whose refusals become readable errors on the page.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import Conflict, PreconditionFailed
from core.forms import add_service_errors
from council.models import Member, Officer
from council.roles import is_monitoring_officer
from council.selectors import members_for, officers_for

from . import permissions, selectors, services
from .choices import DECLARATION_TRANSITIONS
from .forms import ACTION_FORMS, DeclareForm, RegisterFilterForm

REGISTER_PER_PAGE = 50
STALE_MESSAGE = "This declaration has changed since you opened it. Check it below and try again."
SERVICE_ACTIONS = {
    "acknowledge": services.acknowledge_declaration,
    "advise": services.give_advice,
    "end": services.end_declaration,
}
DONE = {
    "acknowledge": "The declaration has been acknowledged",
    "advise": "Your advice has been recorded and both parties told",
    "end": "The declaration has been ended",
}


def _require_declarer(user):
    if not permissions.may_declare(user):
        raise Http404("Declarations are made by members and officers")


def _require_keeper(user):
    if not permissions.keeps_register(user):
        raise Http404("The register is kept by the Monitoring Officer and the Chief Executive")


def _people_choices(user) -> list[tuple[str, str]]:
    members = [(f"member:{m.pk}", str(m)) for m in members_for(user).order_by("full_name", "id")]
    officers = [
        (f"officer:{o.pk}", str(o))
        for o in officers_for(user).filter(active=True).order_by("full_name", "id")
    ]
    return [*members, *officers]


# Declaring ---------------------------------------------------------------------------------


@login_required
def declare(request):
    user = request.user
    _require_declarer(user)
    declarants = _people_choices(user) if is_monitoring_officer(user) else None
    form = DeclareForm(
        request.POST if request.method == "POST" else None,
        members=members_for(user).order_by("full_name", "id"),
        officers=officers_for(user).filter(active=True).order_by("full_name", "id"),
        declarants=declarants,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        declarant = None
        reference = selectors.parse_party_reference(data.get("declarant") or "")
        if reference is not None:
            model = Member if reference[0] == "member" else Officer
            declarant = (members_for(user) if model is Member else officers_for(user)).get(
                pk=reference[1]
            )
        try:
            declaration = services.submit_declaration(
                council=user.council,
                by=user,
                declarant=declarant,
                counterpart=form.counterpart(),
                kind=data["kind"],
                description=data["description"],
                started_on=data["started_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error, DeclareForm.SERVICE_FIELDS)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Your declaration has been sent to the {declaration.get_declared_to_display()}",
            )
            return redirect("declaration", pk=declaration.pk)
    return render(request, "relationships/declare.html", {"form": form})


@login_required
def my_declarations(request):
    user = request.user
    _require_declarer(user)
    return render(
        request,
        "relationships/mine.html",
        {
            "declarations": list(selectors.own_declarations(user)),
            "about_me": list(selectors.about_me(user)),
            "keeps_register": permissions.keeps_register(user),
        },
    )


# The register ------------------------------------------------------------------------------


def _register(request):
    user = request.user
    _require_keeper(user)
    form = RegisterFilterForm(request.GET or None, people=_people_choices(user))
    return form, selectors.register_for(user, **form.filters())


@login_required
def register(request):
    form, declarations = _register(request)
    page = Paginator(declarations, REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "relationships/register.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(form.filters() and any(form.filters().values())),
            "csv_url": f"{reverse('declaration-register-csv')}?{query.urlencode()}",
        },
    )


CSV_COLUMNS = (
    "id",
    "declarant_type",
    "declarant",
    "counterpart_type",
    "counterpart",
    "counterpart_email",
    "kind",
    "declared_to",
    "status",
    "started_on",
    "ended_on",
    "submitted_at",
    "description",
    "advice",
)


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _party_row(party) -> tuple[str, str, str]:
    kind = selectors.party_type(party)
    if kind == "external":
        return kind, party.name, party.email
    return kind, party.full_name, ""


@login_required
def register_csv(request):
    """The register as filtered, for the Monitoring Officer's and Chief Executive's records."""
    _form, declarations = _register(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="declarations.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for declaration in declarations.iterator(chunk_size=500):
        declarant_type, declarant, _ = _party_row(declaration.declarant)
        counterpart_type, counterpart, email = _party_row(declaration.counterpart)
        writer.writerow(
            _cell(value)
            for value in (
                declaration.pk,
                declarant_type,
                declarant,
                counterpart_type,
                counterpart,
                email,
                declaration.kind,
                declaration.declared_to,
                declaration.status,
                declaration.started_on,
                declaration.ended_on,
                declaration.submitted_at.isoformat(),
                declaration.description,
                declaration.advice,
            )
        )
    return response


# One declaration ---------------------------------------------------------------------------


def _visible(user, pk: int):
    return get_object_or_404(selectors.declarations_for(user), pk=pk)


def _action_url(declaration, action: str) -> str:
    return reverse("declaration-action", args=[declaration.pk, action])


def _page(request, declaration, *, bound=None, error: str | None = None, status=200):
    user = request.user
    forms = []
    for action, form_class in ACTION_FORMS.items():
        if declaration.status not in DECLARATION_TRANSITIONS[action][0]:
            continue
        if not permissions.may_act(user, action, declaration):
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
        else:
            forms.append(form_class(declaration=declaration, url=_action_url(declaration, action)))
    return render(
        request,
        "relationships/declaration.html",
        {
            "declaration": declaration,
            "action_forms": forms,
            "bound": bound,
            "page_error": error,
            "sees_description": permissions.sees_description(user, declaration),
            "keeps_register": permissions.keeper_sees(user, declaration),
            "is_declarant": permissions.is_declarant(user, declaration),
        },
        status=status,
    )


@login_required
def declaration_detail(request, pk: int):
    return _page(request, _visible(request.user, pk))


@login_required
@require_POST
def declaration_action(request, pk: int, action: str):
    if action not in SERVICE_ACTIONS:
        raise Http404("No such action")
    user = request.user
    declaration = _visible(user, pk)
    form = ACTION_FORMS[action](
        request.POST, declaration=declaration, url=_action_url(declaration, action)
    )
    if not form.is_valid():
        return _page(request, declaration, bound=form)
    try:
        SERVICE_ACTIONS[action](
            declaration=declaration,
            by=user,
            expected_version=form.cleaned_data["version"],
            **form.service_arguments(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, declaration, bound=form)
    except PreconditionFailed:
        return _page(request, _visible(user, pk), error=STALE_MESSAGE, status=409)
    except Conflict as error:
        return _page(request, _visible(user, pk), error=error.message, status=409)
    except PermissionDenied:
        return _page(
            request, declaration, error="You cannot do this to this declaration.", status=403
        )
    messages.success(request, DONE[action])
    return redirect("declaration", pk=pk)

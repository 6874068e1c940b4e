"""The organisation's pages: signing in and out, each person's home page, the people directory
and a page per person, and the council's settings (its working-day calendar).

Views are thin: reads go through selectors, writes through council.services with
``by=request.user``. Everything is scoped to the viewer's council: another council's person is
not found (404), the same answer as for a person who does not exist.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import PreconditionFailed
from core.forms import add_service_errors

from . import csv_exchange, services
from .choices import MemberRole, Team
from .forms import (
    DEADLINE_CONVENTION_EXPLANATIONS,
    DEADLINE_CONVENTION_NAMES,
    ApiTokenForm,
    ClosureDayForm,
    CouncilSettingsForm,
    CsvImportForm,
    PeopleSearchForm,
    RemoveClosureDayForm,
    SignInForm,
)
from .models import CommitteeMembership, Council, Member, Officer
from .roles import (
    is_casework_team,
    is_chief_executive,
    is_council_administrator,
    is_director,
    is_hr,
    is_monitoring_officer,
    member_of,
    officer_of,
    role_names,
)
from .selectors import api_tokens_for, members_for_export, officers_for_export, search_people

PEOPLE_PER_PAGE = 25


def may_manage_council_settings(user) -> bool:
    """Administrators and the Monitoring Officer (or a deputy) keep the council's settings:
    its name, nation, cut-off time, deadline convention and closure days."""
    return bool(getattr(user, "council_id", None)) and (
        is_council_administrator(user) or is_monitoring_officer(user)
    )


def navigation_for(user, *, current_url_name: str | None = None) -> list[dict]:
    """The service navigation for a signed-in person: the pages their roles give them."""
    sections = [
        ("Home", "home", {"home"}),
        ("People", "people", {"people", "member", "officer"}),
    ]
    # A person is an officer or a member: asking for the member record only when there is no
    # officer keeps an officer's pages at the queries they had.
    if officer_of(user) is not None:
        sections.append(("Enquiries", "enquiry-queue", {"enquiry-queue", "enquiry-log", "enquiry"}))
    elif member_of(user) is not None:
        sections.append(("My casework", "my-casework", {"my-casework", "enquiry-raise"}))
    if is_director(user):
        sections.append(("Escalations", "enquiry-escalations", {"enquiry-escalations"}))
    if may_manage_council_settings(user):
        sections.append(
            (
                "Council settings",
                "council-settings",
                {"council-settings", "council-settings-change", "closure-day-add"},
            )
        )
    if may_import_people(user):
        sections.append(("Import and export", "csv-import", {"csv-import", "csv-import-apply"}))
    if is_council_administrator(user):
        sections.append(("API documentation", "api-docs", set()))
    return [
        {
            "text": text,
            "href": reverse(url_name),
            "current": current_url_name == url_name,
            "active": current_url_name in url_names,
        }
        for text, url_name, url_names in sections
    ]


# Reads the pages need beyond search_people. They belong in council/selectors.py, whose owner
# is asked to adopt them; until then they are the only domain queries in this module.


def member_for(*, viewer, pk: int) -> Member:
    memberships = (
        CommitteeMembership.objects.filter(council_id=viewer.council_id)
        .select_related("committee")
        .order_by("committee__name")
    )
    return get_object_or_404(
        Member.objects.filter(council_id=viewer.council_id)
        .select_related("ward", "political_group")
        .prefetch_related(Prefetch("committee_memberships", queryset=memberships)),
        pk=pk,
    )


def officer_for(*, viewer, pk: int) -> Officer:
    reports = Officer.objects.filter(active=True).order_by("full_name", "id")
    return get_object_or_404(
        Officer.objects.filter(council_id=viewer.council_id)
        .select_related("directorate", "line_manager")
        .prefetch_related(Prefetch("reports", queryset=reports)),
        pk=pk,
    )


def council_settings_for(*, viewer) -> Council:
    """The viewer's council with its closure days, for those who may manage its settings."""
    if not may_manage_council_settings(viewer):
        raise Http404("No council settings here")
    return get_object_or_404(Council.objects.prefetch_related("closure_days"), pk=viewer.council_id)


# Signing in and out ------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "council/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    """What an account locked out by failed sign-ins sees (django-axes calls this, with 429):
    when to try again, and who can help; nothing about whether the account exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "council/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (the header's sign-out button), never a link."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out")
        return response


# Home --------------------------------------------------------------------------------------

ROLE_DESCRIPTIONS = [
    (
        is_monitoring_officer,
        "Monitoring Officer",
        "You triage conduct complaints, route and escalate them, keep the register of declared "
        "relationships and maintain the council's Member/Officer Protocol.",
    ),
    (
        is_chief_executive,
        "Chief Executive",
        "You receive escalations and own the complaint stages routed to you.",
    ),
    (
        lambda user: is_director(user) and not is_chief_executive(user),
        "Director",
        "You receive escalations about your directorate and own the complaint stages routed to "
        "you.",
    ),
    (
        is_casework_team,
        "Casework team",
        "You log member enquiries that arrive by email or phone, acknowledge them, send holding "
        "responses and responses, and work a queue ordered by due date.",
    ),
    (
        lambda user: officer_of(user) is not None,
        "Officer",
        "You answer the member enquiries assigned to you and declare relationships that might "
        "be seen to influence your work.",
    ),
    (
        lambda user: member_of(user) is not None,
        "Member",
        "You raise and track your casework, escalate it when you are not satisfied, declare "
        "relationships and can raise a concern about an officer.",
    ),
    (is_hr, "Human resources", "You keep officers' records in step with the HR system."),
    (
        is_council_administrator,
        "Councilcase administrator",
        "You keep the council's settings, its working-day calendar and its people records, and "
        "look after access for other systems through the API.",
    ),
]


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "council/home.html",
        {
            "role_names": role_names(user),
            "roles": [
                {"title": title, "description": description}
                for applies, title, description in ROLE_DESCRIPTIONS
                if applies(user)
            ],
            "may_manage_council_settings": may_manage_council_settings(user),
            "is_council_administrator": is_council_administrator(user),
            "may_import_people": may_import_people(user),
            # The same checks as the navigation's, cached on the user: no further queries.
            "is_officer": officer_of(user) is not None,
            "is_member": officer_of(user) is None and member_of(user) is not None,
            "is_director": is_director(user),
        },
    )


# People ------------------------------------------------------------------------------------


@login_required
def people(request):
    form = PeopleSearchForm(request.GET)
    search = form.search()
    paginator = Paginator(search_people(viewer=request.user, **search), PEOPLE_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "council/people.html",
        {"form": form, "page": page, "searched": bool(search["query"] or search["kind"])},
    )


@login_required
def member(request, pk: int):
    person = member_for(viewer=request.user, pk=pk)
    group = person.political_group
    group_roles = []
    if group is not None:
        for field, title in (("leader_id", "Leader"), ("deputy_leader_id", "Deputy leader")):
            if getattr(group, field) == person.pk:
                group_roles.append(f"{title} of the {group.name}")
        if group.whip_id == person.pk:
            group_roles.append(f"Whip of the {group.name}")
    return render(
        request,
        "council/member.html",
        {
            "member": person,
            "roles": [MemberRole(role).label for role in person.roles],
            "group_roles": group_roles,
            "committee_memberships": list(person.committee_memberships.all()),
        },
    )


@login_required
def officer(request, pk: int):
    person = officer_for(viewer=request.user, pk=pk)
    return render(
        request,
        "council/officer.html",
        {
            "officer": person,
            "teams": [Team(team).label for team in person.teams],
            "reports": list(person.reports.all()),
        },
    )


# Council settings --------------------------------------------------------------------------


def _long_date(date) -> str:
    return dateformat.format(date, "j F Y")


# After a change the settings page opens at its top, where the success banner takes focus (a
# #fragment in the redirect would move focus away from it again).


def _settings_page(request, council: Council, closure_form: ClosureDayForm):
    return render(
        request,
        "council/settings.html",
        {
            "council": council,
            "closure_days": list(council.closure_days.all()),
            "form": closure_form,
            "deadline_convention_name": DEADLINE_CONVENTION_NAMES[council.deadline_convention],
            "deadline_convention_explanation": DEADLINE_CONVENTION_EXPLANATIONS[
                council.deadline_convention
            ],
            "is_council_administrator": is_council_administrator(request.user),
        },
    )


@login_required
def council_settings(request):
    council = council_settings_for(viewer=request.user)
    return _settings_page(request, council, ClosureDayForm(action=reverse("closure-day-add")))


@login_required
def council_settings_change(request):
    council = council_settings_for(viewer=request.user)
    form = CouncilSettingsForm(request.POST if request.method == "POST" else None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_council(
                council=council,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except PreconditionFailed:
            messages.error(
                request,
                "Someone else changed the council's settings while you were editing them. "
                "Check the settings below and make your change again.",
            )
            return redirect("council-settings")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The council's settings have been saved")
            return redirect("council-settings")
    return render(request, "council/settings_change.html", {"form": form, "council": council})


@login_required
@require_POST
def closure_day_add(request):
    council = council_settings_for(viewer=request.user)
    form = ClosureDayForm(request.POST, action=reverse("closure-day-add"))
    if form.is_valid():
        date = form.cleaned_data["date"]
        try:
            services.add_closure_day(
                council=council,
                by=request.user,
                date=date,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{_long_date(date)} is now a closure day")
            return redirect("council-settings")
    return _settings_page(request, council, form)


@login_required
@require_POST
def closure_day_remove(request):
    council = council_settings_for(viewer=request.user)
    form = RemoveClosureDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a closure day to remove")
    else:
        date = form.cleaned_data["date"]
        try:
            services.remove_closure_day(council=council, by=request.user, date=date)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{_long_date(date)} is no longer a closure day")
    return redirect("council-settings")


# API tokens (issue 7) ----------------------------------------------------------------------


def _administrator_only(user) -> None:
    """Token administration is the council's Councilcase administrators' (DESIGN.md, Who uses
    it): anyone else finds nothing here."""
    if not is_council_administrator(user) or not getattr(user, "council_id", None):
        raise Http404("No API tokens here")


def _scope_labels(scopes) -> list[str]:
    """Scopes in the words the issuing form offered them ("Officers: read and change")."""
    labels = {choice.value: choice.label for choice in ApiTokenForm.base_fields["scopes"].choices}
    return [labels.get(scope, scope) for scope in scopes]


def _tokens_page(request, form, *, new_key=None, new_token=None, status=200):
    tokens = [(token, _scope_labels(token.scopes)) for token in api_tokens_for(request.user)]
    return render(
        request,
        "council/api_tokens.html",
        {"tokens": tokens, "form": form, "new_key": new_key, "new_token": new_token},
        status=status,
    )


@login_required
def api_tokens(request):
    """The council's tokens: issue one (its key shown once, on the answer to the POST, never
    stored or put in a redirect), see each one's scopes, expiry and last use, revoke."""
    _administrator_only(request.user)
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        try:
            token, key = services.issue_api_token(
                council=Council.objects.get(pk=request.user.council_id),
                by=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _tokens_page(request, ApiTokenForm(), new_key=key, new_token=token)
    return _tokens_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request, pk: int):
    """Revoking asks first (the GOV.UK "confirm a destructive action" pattern): the GET names
    the token, what it may do and when it was last used, and says what stops working; only
    the POST from that page revokes. A token already revoked is said to be so, not an error:
    two administrators may revoke the same token at once."""
    _administrator_only(request.user)
    token = get_object_or_404(api_tokens_for(request.user), pk=pk)
    if token.revoked_at is not None:
        messages.info(
            request,
            f"The token {token.name} was already revoked on "
            f"{_long_date(timezone.localtime(token.revoked_at).date())}: it no longer works",
        )
        return redirect("api-tokens")
    if request.method != "POST":
        return render(
            request,
            "council/api_token_revoke.html",
            {"token": token, "scope_labels": _scope_labels(token.scopes)},
        )
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, f"The token {token.name} has been revoked and no longer works")
    return redirect("api-tokens")


# CSV exports and imports (issue 7) ---------------------------------------------------------


def may_export_people(user, kind: str) -> bool:
    """Members' and officers' lists with their email addresses: the council's administrators,
    and the HR team for officers."""
    if not getattr(user, "council_id", None):
        return False
    return is_council_administrator(user) or (kind == "officers" and is_hr(user))


def may_import_people(user) -> bool:
    """Whether the import and export page is there for ``user``: the council's
    administrators and the HR team (who import officers only)."""
    return may_export_people(user, "officers")


def _csv_response(filename: str, columns, rows):
    response = StreamingHttpResponse(
        csv_exchange.stream(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_csv(request, kind: str):
    """``members.csv``, ``officers.csv`` and ``enquiries.csv``. Enquiries (constituents'
    personal data) only for those who see every enquiry of the council in full (the casework
    team, the Monitoring Officer, the Chief Executive: complaints.permissions), with the rows
    ``enquiries_for`` gives them; anyone else finds nothing here."""
    from complaints.permissions import sees_every_enquiry
    from complaints.selectors import enquiries_for

    today = timezone.localdate().isoformat()
    user = request.user
    if kind == "enquiries" and getattr(user, "council_id", None) and sees_every_enquiry(user):
        enquiries = enquiries_for(user).order_by("received_at", "id")
        return _csv_response(
            f"enquiries-{today}.csv",
            csv_exchange.ENQUIRY_COLUMNS,
            csv_exchange.enquiry_rows(enquiries),
        )
    if kind == "members" and may_export_people(request.user, kind):
        return _csv_response(
            f"members-{today}.csv",
            csv_exchange.MEMBER_COLUMNS,
            csv_exchange.member_rows(members_for_export(request.user)),
        )
    if kind == "officers" and may_export_people(request.user, kind):
        return _csv_response(
            f"officers-{today}.csv",
            csv_exchange.OFFICER_COLUMNS,
            csv_exchange.officer_rows(officers_for_export(request.user)),
        )
    raise Http404("No such export")


IMPORT_SESSION_KEY = "council_csv_import"


def _import_kinds(user) -> tuple[str, ...]:
    """Administrators import members and officers; the HR team, officers."""
    if not may_import_people(user):
        raise Http404("No imports here")
    return tuple(kind for kind in ("officers", "members") if may_export_people(user, kind))


def _run_import(request, kind: str, text: str, *, dry_run: bool):
    council = Council.objects.get(pk=request.user.council_id)
    if kind == "officers":
        records = csv_exchange.read(
            text, columns=csv_exchange.OFFICER_COLUMNS, required=("employee_number",)
        )
        rows = csv_exchange.officers_to_sync(records, council_id=council.pk)
        result = services.sync_officers(
            council=council, by=request.user, rows=rows, dry_run=dry_run
        )
        return {
            "created": len(result.numbers(services.SYNC_CREATED)),
            "updated": len(result.numbers(services.SYNC_UPDATED)),
            "unchanged": len(result.numbers(services.SYNC_UNCHANGED)),
            "leavers": result.leavers,
        }
    records = csv_exchange.read(text, columns=csv_exchange.MEMBER_COLUMNS, required=("full_name",))
    rows = csv_exchange.members_to_sync(records, council_id=council.pk)
    result = services.sync_members(council=council, by=request.user, rows=rows, dry_run=dry_run)
    return {
        "created": result.count(services.SYNC_CREATED),
        "updated": result.count(services.SYNC_UPDATED),
        "unchanged": result.count(services.SYNC_UNCHANGED),
        "leavers": [],
    }


@login_required
def csv_import(request):
    """Upload, then a preview of what the file would change (the import run and rolled
    back), then apply. Problems are listed by line and nothing is written. The file waits in
    the session between preview and apply, named by its digest, so what is applied is
    exactly what was previewed."""
    kinds = _import_kinds(request.user)
    form = CsvImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    problems: list[csv_exchange.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        kind, text = form.cleaned_data["kind"], form.cleaned_data["file"]
        try:
            preview = _run_import(request, kind, text, dry_run=True)
        except ValidationError as error:
            problems = csv_exchange.row_problems(error)
            form.add_error("file", _file_problem(problems))
        else:
            digest = hashlib.sha256(text.encode()).hexdigest()
            request.session[IMPORT_SESSION_KEY] = {"kind": kind, "text": text, "digest": digest}
            return render(
                request,
                "council/csv_import_preview.html",
                {"kind": kind, "preview": preview, "digest": digest},
            )
    return render(
        request,
        "council/csv_import.html",
        {
            "form": form,
            "problems": [str(problem) for problem in problems],
            "line_problems": [problem for problem in problems if problem.line is not None],
            "kinds": kinds,
        },
        status=400 if problems else 200,
    )


def _file_problem(problems: list[csv_exchange.RowProblem]) -> str:
    """The upload's error message: what is wrong with the file as a whole, or how many of its
    lines have problems (listed line by line on the page)."""
    whole_file = [problem.message for problem in problems if problem.line is None]
    if whole_file:
        return " ".join(whole_file)
    count = len(problems)
    return (
        f"The file has {count} problem{'s' if count != 1 else ''}: correct "
        f"{'them' if count != 1 else 'it'} and upload the file again. Nothing has been changed"
    )


@login_required
@require_POST
def csv_import_apply(request):
    kinds = _import_kinds(request.user)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if (
        not pending
        or pending["digest"] != request.POST.get("digest")
        or (pending["kind"] not in kinds)
    ):
        messages.error(request, "Upload the file again: the preview you applied has expired")
        return redirect("csv-import")
    try:
        done = _run_import(request, pending["kind"], pending["text"], dry_run=False)
    except ValidationError as error:
        messages.error(request, " ".join(csv_exchange.row_messages(error)))
        return redirect("csv-import")
    del request.session[IMPORT_SESSION_KEY]
    leavers = f", {len(done['leavers'])} marked as leavers" if done["leavers"] else ""
    messages.success(
        request,
        f"{pending['kind'].capitalize()} imported: {done['created']} added, "
        f"{done['updated']} changed, {done['unchanged']} unchanged{leavers}",
    )
    return redirect("csv-import")

"""The protocol pages: the council's protocols, a version with its table of contents, each
clause's permalink, comparing two versions, clause search, and importing a document with a
preview (DESIGN.md, Protocols).

Views are thin: reads go through protocols.selectors (a draft the viewer may not see, or
another council's protocol, is not found: 404), every change through protocols.services with
``by=request.user`` and the version the person saw. The import's preview reads the document
and writes nothing; the document's text comes back with the "Import" button.
"""

from __future__ import annotations

import difflib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from core.errors import Conflict, PreconditionFailed
from core.forms import add_service_errors
from council.calendar import local_date

from . import permissions, selectors, services
from .choices import VERSION_TRANSITIONS, VersionStatus
from .forms import AdoptForm, CommitImportForm, CompareForm, ImportForm, SearchForm

SEARCH_RESULTS = 25
STALE_MESSAGE = "This version has changed since you opened it. Check it below, then try again."


# Finding what the viewer may see -------------------------------------------------------------


def _protocol(request, pk: int):
    return get_object_or_404(selectors.protocols_for(request.user), pk=pk)


def _version(request, pk: int, version_pk: int):
    return get_object_or_404(selectors.versions_for(request.user), pk=version_pk, protocol_id=pk)


def _may_change(request) -> bool:
    return permissions.may_change_protocols(request.user)


def _in_force(versions):
    return next((v for v in versions if v.status == VersionStatus.ADOPTED), None)


# Words that changed ---------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> SafeString:
    """``after`` with the words changed since ``before`` marked: removed words in ``<del>``,
    added ones in ``<ins>``, each announced in words to screen readers (which do not read
    the elements' meaning aloud). Everything else is escaped."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(new[b_start:b_end])))
            continue
        if operation in ("delete", "replace"):
            parts.append(
                format_html(
                    '<del><span class="govuk-visually-hidden">[removed: </span>{}'
                    '<span class="govuk-visually-hidden">]</span></del>',
                    "".join(old[a_start:a_end]),
                )
            )
        if operation in ("insert", "replace"):
            parts.append(
                format_html(
                    '<ins><span class="govuk-visually-hidden">[added: </span>{}'
                    '<span class="govuk-visually-hidden">]</span></ins>',
                    "".join(new[b_start:b_end]),
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - every part was escaped above


# The council's protocols ---------------------------------------------------------------------


@login_required
def protocol_index(request):
    """The council's protocols, each with the version in force."""
    protocols = list(selectors.protocols_for(request.user).order_by("title", "id"))
    rows = [
        {"protocol": protocol, "in_force": _in_force(protocol.versions.all())}
        for protocol in protocols
    ]
    return render(
        request,
        "protocols/index.html",
        {"rows": rows, "may_change": _may_change(request), "search_form": SearchForm()},
    )


@login_required
def protocol_detail(request, pk: int):
    """A protocol's versions, oldest first, and a form to compare two of them."""
    protocol = _protocol(request, pk)
    versions = list(protocol.versions.all())
    compare_form = None
    if len(versions) > 1:
        latest, previous = versions[-1], versions[-2]
        compare_form = CompareForm(
            versions=versions,
            action=reverse("protocol-compare-page", args=[protocol.pk]),
            initial={"version": latest.pk, "against": previous.pk},
        )
    return render(
        request,
        "protocols/protocol.html",
        {
            "protocol": protocol,
            "versions": versions[::-1],
            "in_force": _in_force(versions),
            "compare_form": compare_form,
            "may_change": _may_change(request),
        },
    )


# A version, its table of contents and its clauses --------------------------------------------


def _version_page(request, version, *, adopt_form=None, page_error=None, status=200):
    may_change = _may_change(request)
    allowed = {
        action
        for action, (statuses, _to) in VERSION_TRANSITIONS.items()
        if version.status in statuses
    }
    action_url = reverse("protocol-version-action", args=[version.protocol_id, version.pk, "adopt"])
    if may_change and "adopt" in allowed and adopt_form is None:
        adopt_form = AdoptForm(version=version, action=action_url)
    return render(
        request,
        "protocols/version.html",
        {
            "protocol": version.protocol,
            "version": version,
            "tree": selectors.clause_tree(selectors.clauses_of(version).defer("search_vector")),
            "may_change": may_change,
            "may_consult": may_change and "consult" in allowed,
            "may_withdraw": may_change and "withdraw_consultation" in allowed,
            "adopt_form": adopt_form if may_change and "adopt" in allowed else None,
            "page_error": page_error,
            "today": local_date(timezone.now()),
        },
        status=status,
    )


@login_required
def version_detail(request, pk: int, version_pk: int):
    return _version_page(request, _version(request, pk, version_pk))


@login_required
def version_by_id(request, version_pk: int):
    version = get_object_or_404(selectors.versions_for(request.user), pk=version_pk)
    return redirect("protocol-version-page", pk=version.protocol_id, version_pk=version.pk)


@login_required
def clause_detail(request, pk: int, version_pk: int, number: str):
    """A clause's permalink: the clause, where it sits in the version, and where the version
    in force says it differently."""
    version = _version(request, pk, version_pk)
    clause = selectors.clause_of(version, number)
    if clause is None:
        raise Http404("This version has no clause of that number")
    children = list(clause.children.order_by("order").defer("search_vector"))
    in_force = None
    if version.status != VersionStatus.ADOPTED:
        in_force = selectors.version_in_force(
            protocol=version.protocol, on=local_date(timezone.now())
        )
    return render(
        request,
        "protocols/clause.html",
        {
            "protocol": version.protocol,
            "version": version,
            "clause": clause,
            "children": children,
            "in_force": in_force,
        },
    )


@login_required
@require_POST
def version_action(request, pk: int, version_pk: int, action: str):
    """Consult on, withdraw from consultation or adopt a version, with the version the
    person saw; refusals are shown on the version's page."""
    version = _version(request, pk, version_pk)
    if action not in ("consult", "withdraw", "adopt"):
        return redirect("protocol-version-page", pk, version_pk)
    if not _may_change(request):
        raise PermissionDenied("Only the Monitoring Officer and administrators change protocols.")
    action_url = reverse("protocol-version-action", args=[pk, version_pk, "adopt"])
    adopt_form = None
    try:
        seen = int(request.POST.get("version") or request.POST.get("adopt-version") or 0) or None
    except ValueError:
        seen = None
    try:
        if action == "consult":
            services.consult_on_version(version=version, by=request.user, expected_version=seen)
            done = f"{version.label} is out for consultation"
        elif action == "withdraw":
            services.withdraw_from_consultation(
                version=version, by=request.user, expected_version=seen
            )
            done = f"{version.label} is a draft again"
        else:
            adopt_form = AdoptForm(request.POST, version=version, action=action_url)
            if not adopt_form.is_valid():
                return _version_page(request, version, adopt_form=adopt_form)
            data = adopt_form.cleaned_data
            services.adopt_version(
                version=version,
                by=request.user,
                adopted_on=data["adopted_on"],
                approving_body=data["approving_body"],
                next_review_on=data.get("next_review_on"),
                expected_version=data["version"],
            )
            done = f"{version.label} has been adopted and is in force"
    except ValidationError as error:
        adopt_form = adopt_form or AdoptForm(request.POST, version=version, action=action_url)
        adopt_form.is_valid()
        add_service_errors(adopt_form, error)
        return _version_page(request, version, adopt_form=adopt_form)
    except PreconditionFailed:
        return _version_page(
            request, _version(request, pk, version_pk), page_error=STALE_MESSAGE, status=409
        )
    except Conflict as conflict:
        return _version_page(
            request, _version(request, pk, version_pk), page_error=conflict.message, status=409
        )
    messages.success(request, done)
    return redirect("protocol-version-page", pk, version_pk)


# Comparing two versions ------------------------------------------------------------------------


@login_required
def compare(request, pk: int):
    """Two versions of a protocol clause by clause: added, removed and changed clauses, the
    changed words marked."""
    protocol = _protocol(request, pk)
    versions = list(protocol.versions.all())
    form = CompareForm(
        request.GET or None,
        versions=versions,
        action=reverse("protocol-compare-page", args=[protocol.pk]),
    )
    comparison = changes = None
    if form.is_bound and form.is_valid():
        by_id = {version.pk: version for version in versions}
        comparison = selectors.compare_versions(
            by_id[form.cleaned_data["version"]], by_id[form.cleaned_data["against"]]
        )
        changes = [
            {
                "change": change,
                "heading": word_diff(change.before.heading, change.after.heading),
                "text": word_diff(change.before.text, change.after.text),
            }
            for change in comparison.changed
        ]
    return render(
        request,
        "protocols/compare.html",
        {"protocol": protocol, "form": form, "comparison": comparison, "changes": changes},
    )


# Search -------------------------------------------------------------------------------------


@login_required
def search(request):
    """Clause search across the council's protocols: the versions in force, or every version
    the viewer may see; best match first, matched words highlighted."""
    form = SearchForm(request.GET or None)
    results = None
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        in_force_on = None if form.cleaned_data["all_versions"] else local_date(timezone.now())
        found = selectors.search_clauses(request.user, query, in_force_on=in_force_on)
        results = [
            {
                "clause": clause,
                "heading": selectors.highlight(clause.heading_headline),
                "text": selectors.highlight(clause.text_headline),
            }
            for clause in selectors.with_headlines(list(found[:SEARCH_RESULTS]), query)
        ]
    return render(
        request,
        "protocols/search.html",
        {"form": form, "query": query, "results": results, "limit": SEARCH_RESULTS},
    )


# Importing a document -------------------------------------------------------------------------


def _require_may_change(request):
    if not _may_change(request):
        raise PermissionDenied("Only the Monitoring Officer and administrators import protocols.")


@login_required
def import_document(request, pk: int | None = None):
    """Upload or paste a document (GET: the form; POST: the preview). The preview shows the
    clauses and anomalies with their lines, and writes nothing."""
    _require_may_change(request)
    protocol = _protocol(request, pk) if pk is not None else None
    form = ImportForm(request.POST or None, request.FILES or None, new_protocol=protocol is None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        start_marker = form.cleaned_data.get("start_marker") or ""
        try:
            if upload is not None:
                text, parsed = services.read_document(
                    data=upload.read(), filename=upload.name, start_marker=start_marker
                )
            else:
                text, parsed = services.read_document(
                    text=form.cleaned_data["text"], start_marker=start_marker
                )
        except ValidationError as error:
            add_service_errors(form, error, renamed={"file": "document", "text": "text"})
        else:
            commit = CommitImportForm(
                initial={
                    "title": form.cleaned_data.get("title", ""),
                    "text": text,
                    "start_marker": start_marker,
                    "label": form.cleaned_data.get("label", ""),
                    "source_name": upload.name if upload is not None else "",
                }
            )
            return render(
                request,
                "protocols/import_preview.html",
                {
                    "protocol": protocol,
                    "title": protocol.title if protocol else form.cleaned_data["title"],
                    "parsed": parsed,
                    "commit_form": commit,
                    "commit_url": _commit_url(protocol),
                    "label": form.cleaned_data.get("label", ""),
                },
            )
    return render(request, "protocols/import.html", {"protocol": protocol, "form": form})


def _commit_url(protocol) -> str:
    if protocol is None:
        return reverse("protocol-import-commit")
    return reverse("protocol-import-commit-version", args=[protocol.pk])


@login_required
@require_POST
def commit_import(request, pk: int | None = None):
    """Import the previewed document as a new draft version, then show it."""
    _require_may_change(request)
    protocol = _protocol(request, pk) if pk is not None else None
    form = CommitImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The document was not received: preview it again.")
        return redirect(_import_url(protocol))
    data = form.cleaned_data
    try:
        _text, parsed = services.read_document(
            text=data["text"], start_marker=data.get("start_marker")
        )
        options = {
            "by": request.user,
            "parsed": parsed,
            "label": data.get("label"),
            "source_name": data.get("source_name") or "",
            "start_marker": data.get("start_marker"),
        }
        if protocol is None:
            council = request.user.council
            if council is None:
                raise PermissionDenied("Your account belongs to no council.")
            version = services.import_protocol(council=council, title=data["title"], **options)
        else:
            version = services.import_version(protocol=protocol, **options)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_import_url(protocol))
    messages.success(
        request, f"{version.label} of {version.protocol.title} has been imported as a draft"
    )
    return redirect("protocol-version-page", version.protocol_id, version.pk)


def _import_url(protocol) -> str:
    if protocol is None:
        return reverse("protocol-import-page")
    return reverse("protocol-import-version-page", args=[protocol.pk])

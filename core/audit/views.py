"""A record's history page: who changed what, and when (DESIGN.md, Audit and data protection).

Core holds no domain rules, so who may see a record's history is asked of the function named
by ``settings.AUDIT_HISTORY_PERMISSION``, called as ``(user, council_id=, model=)``. Anyone
else, and any record the trail does not know, gets the same 404.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import selectors
from .registry import audited


def _may_view_history(user, *, council_id, model) -> bool:
    return import_string(settings.AUDIT_HISTORY_PERMISSION)(
        user, council_id=council_id, model=model
    )


@require_safe
@never_cache
@login_required
def record_history(request, app_label: str, model_name: str, pk: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    registration = audited(model)
    if registration is None:
        raise Http404
    council_id = selectors.record_council(table=registration.table, pk=pk)
    if council_id is selectors.NOT_RECORDED or not _may_view_history(
        request.user, council_id=council_id, model=model
    ):
        raise Http404
    older_than = request.GET.get("older_than")
    if older_than is not None and not older_than.isdigit():
        raise Http404
    page = selectors.record_history(
        model=model,
        table=registration.table,
        pk=pk,
        council_id=council_id,
        older_than=int(older_than) if older_than else None,
    )
    return render(
        request,
        "audit/history.html",
        {
            "record_name": f"{model._meta.verbose_name.capitalize()} {pk}",
            "page": page,
            "is_first_page": older_than is None,
        },
    )

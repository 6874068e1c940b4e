"""Who is looking, and which council's rows they may see: the one place that decides it.

Every row that belongs to a council carries the council, and every query is scoped to the
viewer's council (DESIGN.md, Architecture). A viewer is a signed-in ``User`` or an API token's
``TokenPrincipal``; both carry ``council_id``. Service superusers (staff) see every council.
Django-guardian's global permissions are deliberately not consulted: they would cross councils
(DESIGN.md, Security decisions).

Selectors build their querysets on ``scope_to_viewer``; anything outside the scope is simply
not found, the same 404 as for what does not exist.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError

# The model every council-scoped row points at. Named here so core holds no import of it.
TENANT_MODEL = "council.Council"


def viewer_council_id(viewer) -> int | None:
    """The council the viewer belongs to, or None (anonymous, or an account with no council)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return getattr(viewer, "council_id", None)


def loaded_council(viewer):
    """The viewer's council if it is already in memory (a signed-in person's is loaded with
    their account, council.backends), else None: never a query. A list built on
    ``council.<related rows>`` gets that one council on every row without joining it."""
    state = getattr(viewer, "_state", None)
    if state is None or viewer_council_id(viewer) is None:
        return None
    return state.fields_cache.get("council")


def sees_all_councils(viewer) -> bool:
    """Service superusers administer the deployment and see every council's records."""
    return bool(
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and getattr(viewer, "is_superuser", False)
    )


def can_see_a_council(viewer) -> bool:
    return sees_all_councils(viewer) or viewer_council_id(viewer) is not None


def scope_to_viewer(queryset, viewer, *, council_field: str = "council"):
    """``queryset`` narrowed to the rows of the viewer's council (all rows for superusers).

    ``council_field`` is the path from the model to its council (``"pk"`` for the council
    itself, ``"committee__council"`` for a row that belongs to one through another).
    """
    if sees_all_councils(viewer):
        return queryset
    council_id = viewer_council_id(viewer)
    if council_id is None:
        return queryset.none()
    return queryset.filter(**{council_field: council_id})


def council_for_new_record(viewer, requested_slug: str | None = None):
    """The council a record the viewer creates belongs to.

    Everyone creates in their own council. A superuser may name another council by slug (and
    must, if their account has none). Naming a council other than one's own is refused with
    the same message whether or not that council exists.
    """
    council_model = apps.get_model(TENANT_MODEL)
    own_id = viewer_council_id(viewer)
    if requested_slug and sees_all_councils(viewer):
        council = council_model._default_manager.filter(slug=requested_slug).first()
        if council is None:
            raise ValidationError({"council": ["There is no council with this slug."]})
        return council
    if own_id is None:
        raise ValidationError({"council": ["Give the slug of the council this record is for."]})
    council = council_model._default_manager.get(pk=own_id)
    if requested_slug and requested_slug != council.slug:
        raise ValidationError({"council": ["You can only add records to your own council."]})
    return council

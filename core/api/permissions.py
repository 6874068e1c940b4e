"""The API's one permission class: token scopes, then the viewset's role rules.

- Anonymous callers are refused (401).
- An API token needs ``<resource>:read`` (or ``:write``, or ``*``) for safe methods and
  ``<resource>:write`` (or ``*``) for anything else, where ``<resource>`` is the view's
  ``scope_resource``. A view that declares no ``scope_resource`` does not accept tokens.
- Signed-in people are not scope-limited; the view decides by role through its
  ``has_read_permission(request)`` / ``has_write_permission(request)`` hooks (see
  ``core.api.viewsets``).

Which *objects* a caller sees is not decided here: DRF does not check object permissions on
lists, so every queryset is scoped by a selector instead and the unseen answers 404
(DESIGN.md, Security decisions).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.api.principal import READ, WRITE, is_token_principal


def is_write_request(request) -> bool:
    return request.method not in SAFE_METHODS


class ScopedResourcePermission(BasePermission):
    message = "You do not have permission to do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        write = is_write_request(request)
        if is_token_principal(user):
            resource = getattr(view, "scope_resource", None)
            if not resource:
                self.message = "This endpoint does not accept API tokens."
                return False
            if not user.has_scope(resource, write=write):
                self.message = f"This token needs the {resource}:{WRITE if write else READ} scope."
                return False
        hook = getattr(view, "has_write_permission" if write else "has_read_permission", None)
        return hook is None or bool(hook(request))

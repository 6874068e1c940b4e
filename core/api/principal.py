"""Who an API token acts as (API.md, Authentication and scope).

A token is not a person: it has no account, no role and no permissions of its own, only the
scopes it was issued with, inside the one council it belongs to. ``request.user`` for a token
request is a ``TokenPrincipal`` so that the code which asks "who is looking?" (selectors,
permission checks, the audit actor) gets an answer without a database user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

WILDCARD_SCOPE = "*"
READ = "read"
WRITE = "write"


@dataclass(frozen=True, eq=False)
class TokenPrincipal:
    token_id: int
    council_id: int
    scopes: frozenset[str]
    name: str = ""

    # The parts of Django's user interface that code reading ``request.user`` relies on.
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False
    is_active: ClassVar[bool] = True
    is_staff: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False
    pk: ClassVar[None] = None
    id: ClassVar[None] = None

    def has_scope(self, resource: str, *, write: bool) -> bool:
        """``<resource>:write`` implies read; ``*`` grants everything in the council."""
        if WILDCARD_SCOPE in self.scopes or f"{resource}:{WRITE}" in self.scopes:
            return True
        return not write and f"{resource}:{READ}" in self.scopes

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False

    def get_username(self) -> str:
        return f"token:{self.token_id}"

    def __str__(self) -> str:
        return f"API token {self.name or self.token_id}"


def is_token_principal(user) -> bool:
    return isinstance(user, TokenPrincipal)

"""What the authorization matrix is made of: roles, expected statuses and routes.

Shared by ``tests/test_authorization_matrix.py`` and each app's route table
(``tests/<app>/matrix.py`` exporting ``ROUTES``), so every app states who may use its routes
in the same terms. A route's ``kwargs(world)`` may create what it needs lazily in ``world``
(see ``someones_notification`` in the matrix test) so the shared fixture stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "member",
    "officer",
    "casework",
    "hr",
    "administrator",
    "monitoring_officer",
    "superuser",
    "token_with_scope",
    "token_without_scope",
    "other_council_administrator",
)


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


def writers(allowed: set[str], *, ok: int, detail: bool) -> dict[str, int]:
    """Statuses for a write that ``allowed`` may make. Refused roles get 403 (401 when
    anonymous). An administrator of another council passes the role check but cannot see
    this council's record (404); on a list route they write into their own council."""
    statuses = expect(403, anonymous=401, **dict.fromkeys(allowed, ok))
    if "administrator" in allowed:
        statuses["other_council_administrator"] = 404 if detail else ok
    return statuses


# Who may do what ------------------------------------------------------------------------

PUBLIC = expect(200)
SIGNED_IN = expect(200, anonymous=401)
COUNCIL_LIST = expect(200, anonymous=401, token_without_scope=403)
COUNCIL_RECORD = {**COUNCIL_LIST, "other_council_administrator": 404}

ADMINISTRATORS = {"administrator", "superuser", "token_with_scope"}
PEOPLE_RECORDS = ADMINISTRATORS | {"hr"}  # officers: the HR team too
SUPERUSERS = {"superuser"}


@dataclass(frozen=True)
class Route:
    """One URL name. ``scope`` is the token resource; ``kwargs(world)`` builds its URL.
    ``headers`` go with every request (e.g. a stale ``If-Match``, so that a permitted write
    answers 412 and writes nothing)."""

    scope: str | None = None
    kwargs: Callable[[dict], dict] = lambda world: {}
    query: dict = field(default_factory=dict)
    get: dict[str, int] | None = None
    writes: dict[str, dict[str, int]] = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def organisation_list(scope: str, allowed=ADMINISTRATORS) -> Route:
    return Route(
        scope=scope, get=COUNCIL_LIST, writes={"POST": writers(allowed, ok=400, detail=False)}
    )


def organisation_record(scope: str, key: str, allowed=ADMINISTRATORS) -> Route:
    return Route(
        scope=scope,
        kwargs=lambda world: {"pk": world[key].pk},
        get=COUNCIL_RECORD,
        writes={
            "PATCH": writers(allowed, ok=200, detail=True),
            "PUT": writers(allowed, ok=400, detail=True),
        },
    )

"""Who may use each relationships API route (see tests/matrix.py).

The register is for people only (tokens get 403 whatever their scopes) and is scoped to the
viewer: the matrix's declaration is an officer's about a member, neither of whom is any role
here, so only the Monitoring Officer finds it (everyone else, 404). Writes to it send a stale
If-Match: whoever may act gets 412 (400 where a body is required, checked first). Members and
officers may declare (an empty body: 400); superusers, who are nobody's declarant, may not.
The conflict check is for those who assign or route work and tokens with ``conflicts:read``.
"""

from tests.matrix import Route, expect

STALE_IF_MATCH = {"If-Match": '"0"'}
TOKENS = ("token_with_scope", "token_without_scope")
DECLARERS = (
    "member",
    "officer",
    "casework",
    "hr",
    "administrator",
    "monitoring_officer",
    "other_council_administrator",
)


def someones_declaration(world) -> int:
    """An officer's declaration about a member of the council (made once per test)."""
    if "declaration" not in world:
        from tests import factories

        world["declaration"] = factories.declaration(world["officer"], world["member"])
    return world["declaration"].pk


def declaration_action(ok: int) -> Route:
    return Route(
        kwargs=lambda world: {"pk": someones_declaration(world)},
        headers=STALE_IF_MATCH,
        writes={
            "POST": expect(
                404,
                anonymous=401,
                superuser=403,
                monitoring_officer=ok,
                **dict.fromkeys(TOKENS, 403),
            )
        },
    )


ROUTES: dict[str, Route] = {
    "declaration-list": Route(
        get=expect(200, anonymous=401, **dict.fromkeys(TOKENS, 403)),
        writes={"POST": expect(403, anonymous=401, **dict.fromkeys(DECLARERS, 400))},
    ),
    "declaration-detail": Route(
        kwargs=lambda world: {"pk": someones_declaration(world)},
        headers=STALE_IF_MATCH,
        get=expect(404, anonymous=401, monitoring_officer=200, **dict.fromkeys(TOKENS, 403)),
        writes={
            "PATCH": expect(
                404,
                anonymous=401,
                superuser=403,
                monitoring_officer=412,
                **dict.fromkeys(TOKENS, 403),
            )
        },
    ),
    "declaration-acknowledge": declaration_action(412),
    "declaration-advice": declaration_action(400),
    "declaration-end": declaration_action(412),
    "conflict-check": Route(
        scope="conflicts",
        query={"a": "member:0", "b": "officer:0"},
        get=expect(
            403,
            anonymous=401,
            casework=400,
            monitoring_officer=400,
            token_with_scope=400,
        ),
    ),
}

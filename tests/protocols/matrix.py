"""Who may use each protocols API route (see tests/matrix.py).

Everyone of the council reads protocols, adopted versions, clauses and search; only the
Monitoring Officer, administrators, superusers and tokens with ``protocols:write`` change
them, and only they see drafts (protocols.permissions). Writes are sent with an empty body
or a stale If-Match, so a permitted caller gets 400 or 412 and nothing is written.
"""

from tests.matrix import COUNCIL_LIST, COUNCIL_RECORD, Route, expect, writers

SCOPE = "protocols"
STALE_IF_MATCH = {"If-Match": '"0"'}
MAINTAINERS = {"administrator", "monitoring_officer", "superuser", "token_with_scope"}


def protocol_records(world) -> dict:
    """The council's protocol with an adopted version and a draft (made once per test)."""
    if "protocol" not in world:
        import datetime

        from protocols import services
        from protocols.importer import ParsedClause, ParsedProtocol

        parsed = ParsedProtocol(
            clauses=[
                ParsedClause(number="1", heading="Introduction", text="Respect.", line=1),
                ParsedClause(number="1.1", heading="", text="Courtesy.", line=2, parent="1"),
            ]
        )
        protocol = services.create_protocol(council=world["council"], by="test", title="Matrix")
        adopted = services.import_version(protocol=protocol, by="test", parsed=parsed)
        services.adopt_version(
            version=adopted,
            by="test",
            adopted_on=datetime.date(2025, 4, 1),
            approving_body="Full Council",
        )
        draft = services.import_version(protocol=protocol, by="test", parsed=parsed)
        world["protocol"] = protocol
        world["adopted_version"] = adopted
        world["draft_version"] = draft
        world["clause"] = adopted.clauses.get(number="1.1")
    return world


def _protocol(world) -> dict:
    return {"pk": protocol_records(world)["protocol"].pk}


def _adopted(world) -> dict:
    return {"pk": protocol_records(world)["adopted_version"].pk}


def _draft(world) -> dict:
    return {"pk": protocol_records(world)["draft_version"].pk}


def _clause(world) -> dict:
    return {"pk": protocol_records(world)["clause"].pk}


def _version_action(ok: int) -> Route:
    return Route(
        scope=SCOPE,
        kwargs=_draft,
        headers=STALE_IF_MATCH,
        writes={"POST": writers(MAINTAINERS, ok=ok, detail=True)},
    )


ROUTES: dict[str, Route] = {
    "protocol-list": Route(
        scope=SCOPE,
        get=COUNCIL_LIST,
        writes={"POST": writers(MAINTAINERS, ok=400, detail=False)},
    ),
    "protocol-detail": Route(
        scope=SCOPE,
        kwargs=_protocol,
        get=COUNCIL_RECORD,
        writes={"PATCH": writers(MAINTAINERS, ok=200, detail=True)},
    ),
    "protocol-import": Route(
        scope=SCOPE,
        kwargs=_protocol,
        writes={"POST": writers(MAINTAINERS, ok=400, detail=True)},
    ),
    "protocol-version-list": Route(scope=SCOPE, get=COUNCIL_LIST),
    "protocol-version-detail": Route(
        scope=SCOPE,
        kwargs=_adopted,
        headers=STALE_IF_MATCH,
        get=COUNCIL_RECORD,
        writes={"PATCH": writers(MAINTAINERS, ok=412, detail=True)},
    ),
    "protocol-version-consult": _version_action(412),
    "protocol-version-withdraw-consultation": _version_action(412),
    "protocol-version-adopt": _version_action(400),
    # Without ``against``: whoever may read the version gets 400 (the query needs it).
    "protocol-version-diff": Route(
        scope=SCOPE,
        kwargs=_adopted,
        get=expect(400, anonymous=401, token_without_scope=403, other_council_administrator=404),
    ),
    "clause-list": Route(scope=SCOPE, get=COUNCIL_LIST),
    "clause-detail": Route(scope=SCOPE, kwargs=_clause, get=COUNCIL_RECORD),
}

"""Who may use each conduct complaint API route, in the shared matrix's roles (see
tests/matrix.py; merged by tests/test_authorization_matrix.py).

Complaints are confidential (complaints.conduct.permissions): of the matrix's roles only the
Monitoring Officer sees the matrix's complaint (an officer's about a member, neither of them a
matrix role); everyone else of the council gets 404, as does another council's administrator.
Service superusers and API tokens see no complaint (lists answer empty) and may not raise
one (403). Writes send an empty body and a stale If-Match: the Monitoring Officer gets 400
where the action needs a body, otherwise 412, and nothing is written. The persona matrix in
tests/complaints/conduct/test_confidentiality.py covers the complaint's own parties, owner
and the subject's director, and the pages.
"""

from __future__ import annotations

from tests.matrix import Route, expect

STALE_IF_MATCH = {"If-Match": '"0"'}
TOKENS_AND_SUPERUSERS = {"superuser": 403, "token_with_scope": 403, "token_without_scope": 403}


def the_complaint(world) -> int:
    """An officer's complaint about a member of the matrix's council (made once per test)."""
    if "complaint" not in world:
        import datetime

        from complaints.conduct import services

        world["complaint"] = services.raise_complaint(
            council=world["council"],
            by="test",
            complainant=world["officer"],
            subject=world["member"],
            categories=["bullying"],
            description="Matrix.",
            incidents=[{"occurred_on": datetime.date.today(), "description": "Matrix incident."}],
        )
    return world["complaint"].pk


def _kwargs(world) -> dict:
    return {"pk": the_complaint(world)}


RECORD = expect(404, anonymous=401, token_without_scope=403, monitoring_officer=200)
LIST = expect(200, anonymous=401, token_without_scope=403)
RAISERS = expect(400, anonymous=401, **TOKENS_AND_SUPERUSERS)


def action(monitoring_officer: int) -> Route:
    return Route(
        scope="complaints",
        kwargs=_kwargs,
        headers=STALE_IF_MATCH,
        writes={
            "POST": expect(
                404, anonymous=401, monitoring_officer=monitoring_officer, **TOKENS_AND_SUPERUSERS
            )
        },
    )


ROUTES: dict[str, Route] = {
    "complaint-list": Route(scope="complaints", get=LIST, writes={"POST": RAISERS}),
    "complaint-detail": Route(scope="complaints", kwargs=_kwargs, get=RECORD),
    "complaint-history": Route(scope="complaints", kwargs=_kwargs, get=RECORD),
    "complaint-views": Route(scope="complaints", kwargs=_kwargs, get=RECORD),
    "complaint-escalate": action(400),
    "complaint-reroute": action(400),
    "complaint-resolve": action(400),
    "complaint-cite": action(400),
    "complaint-withdraw": action(412),
    "complaint-close": action(412),
    "complaint-notify-subject": action(412),
    "complaint-assign-investigator": action(400),
    "complaint-evidence": action(400),
}

"""What the page authorization matrix is made of: the roles a page is asked about, the world
of objects it is asked about, and each page's URL (STYLE.md, Tests: "An authorization matrix
lists every API route and page with the roles that may use it").

Shared by ``tests/test_page_matrix.py``. Objects are made lazily per test by each page's
``kwargs(world)`` (as in ``tests/matrix.py``), so a test builds only what its page needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from council.choices import Seniority, StatutoryRole
from tests import factories
from tests.protocols.matrix import protocol_records
from tests.relationships.matrix import someones_declaration

# Every role of factories.PERSON_ROLES, a Chief Executive (not one of them: made here), and
# the two most-privileged people of another council (who must find nothing of this one).
ROLES = (
    "anonymous",
    "member",
    "officer",
    "casework",
    "hr",
    "administrator",
    "monitoring_officer",
    "chief_executive",
    "superuser",
    "other_council_administrator",
    "other_council_monitoring_officer",
)
OTHER_COUNCIL = ("other_council_administrator", "other_council_monitoring_officer")
# This council's people: every role but the visitor, the service superuser and the others.
THIS_COUNCIL = tuple(
    role for role in ROLES if role not in ("anonymous", "superuser", *OTHER_COUNCIL)
)
SIGN_IN = "sign-in"  # a 302 to the sign-in page (what anonymous gets)


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


def only(allowed, *, ok: int = 200, refused: int = 404, **overrides: int) -> dict[str, int]:
    """``allowed`` get ``ok``, everyone else signed in ``refused``, anonymous the sign-in."""
    return expect(refused, anonymous=SIGN_IN, **dict.fromkeys(allowed, ok), **overrides)


@dataclass(frozen=True)
class Page:
    """One case of a URL name. ``get`` and ``post`` are the statuses each role gets for a GET
    and for a POST with an empty body (None: not asked). ``url_name`` defaults to the case's
    key; a URL name may have more than one case (e.g. the history of different records).

    ``lists``: the kinds of this council's records (``ROW_KINDS``) the page shows to this
    council's people, for the content check across councils. A page whose URL names no record
    and that shows any of them must say which (the check fails otherwise)."""

    kwargs: Callable[[dict], dict] = lambda world: {}
    get: dict[str, int] | None = None
    post: dict[str, int] | None = None
    url_name: str | None = None
    lists: tuple[str, ...] = ()


def person(role: str, world: dict):
    """A signed-in account for ``role`` (None for anonymous), made once per test: a council
    has one Monitoring Officer and one head of paid service."""
    users = world.setdefault("users", {})
    if role not in users:
        users[role] = _new_person(role, world)
    return users[role]


def _new_person(role: str, world: dict):
    if role == "anonymous":
        return None
    if role in OTHER_COUNCIL:
        return factories.person(role.removeprefix("other_council_"), world["other_council"])
    if role == "chief_executive":
        user = factories.UserFactory(council=world["council"])
        factories.OfficerFactory(
            council=world["council"],
            user=user,
            email=user.email,
            full_name=user.full_name,
            seniority=Seniority.CHIEF_EXECUTIVE,
            statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE,
        )
        return user
    return factories.person(role, world["council"])


def make_world() -> dict:
    council = factories.CouncilFactory(slug="city", name="City Council")
    return {
        "council": council,
        "other_council": factories.CouncilFactory(slug="elsewhere"),
        "member": factories.MemberFactory(council=council),
        "officer": factories.OfficerFactory(council=council, employee_number="E-PAGES"),
    }


# Objects, made once per test when a page asks for them ----------------------------------------


def enquiry(world) -> int:
    if "enquiry" not in world:
        world["enquiry"] = factories.enquiry(world["council"])
    return world["enquiry"].pk


def someones_notification(world) -> int:
    """A notification of another officer of the council."""
    from tests.test_authorization_matrix import someones_notification as make

    world.setdefault("directorate", factories.DirectorateFactory(council=world["council"]))
    return make(world)


def api_token(world) -> int:
    if "api_token" not in world:
        world["api_token"], _key = factories.api_token(world["council"], ["events:read"])
    return world["api_token"].pk


def route(world):
    """The council's first complaint route (the default routes, seeded once)."""
    if "route" not in world:
        from complaints.conduct import selectors, services

        services.seed_routes(council=world["council"])
        world["route"] = selectors.routes_of(world["council"]).first()
    return world["route"]


def history_of(key: str, maker=None):
    """``kwargs`` for the history page of ``world[key]`` (made by ``maker`` first if given)."""

    def kwargs(world) -> dict:
        if maker is not None:
            maker(world)
        record = world[key]
        return {
            "app_label": record._meta.app_label,
            "model_name": record._meta.model_name,
            "pk": str(record.pk),
        }

    return kwargs


def protocol(world) -> dict:
    return {"pk": protocol_records(world)["protocol"].pk}


def version(key: str):
    def kwargs(world) -> dict:
        records = protocol_records(world)
        return {"pk": records["protocol"].pk, "version_pk": records[key].pk}

    return kwargs


def declaration(world) -> dict:
    return {"pk": someones_declaration(world)}


# The content check across councils ---------------------------------------------------------

# One record of each kind this council's list pages show, named so that no page can show the
# text by chance: what ``tests/test_page_matrix.py`` looks for in each page's HTML. A page's
# ``lists`` names the kinds it shows to this council's people.
ROW_KINDS = (
    "member",
    "officer",
    "enquiry",
    "escalated enquiry",
    "declaration",
    "complaint",
    "api token",
    "protocol",
)


def make_rows_world() -> dict:
    """Two councils, each with a person of every role of ``THIS_COUNCIL``, and in the first an
    identifiable record of every kind in ``ROW_KINDS`` (``world["rows"]``: kind → its text)."""
    import datetime

    from django.utils import timezone

    from complaints import services as enquiries
    from complaints.conduct import services as complaints
    from protocols import services as protocols

    # Councils of their own: the status checks' make_world() finds its councils by slug.
    world = {
        "council": factories.CouncilFactory(slug="rows-city", name="Rows City Council"),
        "other_council": factories.CouncilFactory(slug="rows-elsewhere"),
    }
    other = {"council": world["other_council"]}
    for role in (*THIS_COUNCIL, "superuser"):
        person(role, world)
    world["other_users"] = {role: person(role, other) for role in THIS_COUNCIL}
    council, users = world["council"], world["users"]
    member = factories.MemberFactory(council=council, full_name="Ottoline Quarrendon")
    officer = factories.OfficerFactory(
        council=council, full_name="Bartholomew Zelenka", employee_number="E-ZELENKA"
    )
    # The member role's own casework: their page lists it too.
    raised_by = users["member"].member
    enquiry = factories.enquiry(council, member=raised_by, subject="Culvert at Wheddon Cross")
    escalated = factories.enquiry(council, member=raised_by, subject="Underpass at Yarnscombe")
    # Escalated by the member, dissatisfied: to the Chief Executive's escalations page.
    enquiries.escalate_enquiry(enquiry=escalated, by=users["member"], reason="No answer yet.")
    declaration = factories.declaration(officer, member, description="My sister-in-law.")
    complaints.seed_routes(council=council)
    complaint = complaints.raise_complaint(
        council=council,
        by=users["member"],
        subject=officer,
        categories=["discourtesy"],
        description="Rude in a ward surgery.",
        incidents=[
            {
                "occurred_on": timezone.localdate() - datetime.timedelta(days=3),
                "description": "At the surgery.",
            }
        ],
    )
    token, _key = factories.api_token(council, ["events:read"], name="Quarrendon payroll link")
    protocol = protocols.create_protocol(council=council, by="test", title="Quarrendon Protocol")
    world["rows"] = {
        "member": member.full_name,
        "officer": officer.full_name,
        "enquiry": enquiry.subject,
        "escalated enquiry": escalated.subject,
        "declaration": declaration.description,
        "complaint": complaint.reference,
        "api token": token.name,
        "protocol": protocol.title,
    }
    assert set(world["rows"]) == set(ROW_KINDS)
    return world

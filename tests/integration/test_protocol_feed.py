"""Protocol versions in the change feed, ``GET /api/v1/events/`` (API.md, Change feed;
core.events): an integration that follows the council's protocol learns of a new version when
it is imported and of every change of its status (consultation, adoption, superseded), as
``protocol-versions`` events read with ``protocols:read``.

Like tests/integration/test_feed.py, these commit for real: the feed serves only what
committed transactions wrote.
"""

import datetime

import pytest

from protocols import services
from protocols.importer import ParsedClause, ParsedProtocol
from tests import factories
from tests.integration.test_feed import mine, read

pytestmark = pytest.mark.django_db(transaction=True)

BY = "test"
ADOPTED_ON = datetime.date(2025, 4, 1)
PARSED = ParsedProtocol(
    clauses=[
        ParsedClause(number="1", heading="Introduction", text="", line=1),
        ParsedClause(number="1.1", heading="", text="Members and officers.", line=2, parent="1"),
    ]
)


@pytest.fixture
def council(transactional_db):
    return factories.CouncilFactory(slug="protocol-feed", name="Protocol Feed Council")


@pytest.fixture
def other_council(transactional_db):
    return factories.CouncilFactory(slug="protocol-feed-other", name="Elsewhere Council")


def new_version(council, title="Member/Officer Protocol"):
    protocol = services.create_protocol(council=council, by=BY, title=title)
    return services.import_version(protocol=protocol, by=BY, parsed=PARSED)


def adopt(version, on=ADOPTED_ON):
    return services.adopt_version(
        version=version, by=BY, adopted_on=on, approving_body="Full Council"
    )


def test_an_imported_then_adopted_version_is_created_then_status_changed(council, token_client):
    client = token_client(["events:read", "protocols:read"])
    version = adopt(new_version(council))
    assert mine(read(client), "protocol-versions") == [
        ("protocol-versions", version.pk, "created"),
        ("protocol-versions", version.pk, "status_changed"),
    ]


def test_adopting_a_version_shows_the_one_it_supersedes_as_status_changed(council, token_client):
    client = token_client(["events:read", "protocols:read"])
    first = adopt(new_version(council))
    start = read(client)["cursor"]
    second = services.import_version(protocol=first.protocol, by=BY, parsed=PARSED)
    services.consult_on_version(version=second, by=BY)
    adopt(second, on=ADOPTED_ON + datetime.timedelta(days=365))
    events = mine(read(client, after=start), "protocol-versions")
    assert events[:2] == [
        ("protocol-versions", second.pk, "created"),
        ("protocol-versions", second.pk, "status_changed"),  # out for consultation
    ]
    assert set(events[2:]) == {
        ("protocol-versions", first.pk, "status_changed"),  # superseded
        ("protocol-versions", second.pk, "status_changed"),  # adopted
    }
    first.refresh_from_db()
    assert first.status == "superseded"


def test_feed_events_name_the_resource_whose_id_they_carry(council, token_client):
    client = token_client(["events:read", "protocols:read"])
    version = new_version(council)
    page = read(client)
    assert mine(page, "protocols") == [("protocols", version.protocol_id, "created")]
    assert ("protocol-versions", version.pk, "created") in mine(page, "protocol-versions")
    clauses = {pk for _, pk, _ in mine(page, "clauses")}
    assert clauses == set(version.clauses.values_list("pk", flat=True))


def test_version_events_need_the_protocols_read_scope(council, token_client):
    new_version(council)
    page = read(token_client(["events:read", "wards:read"]))
    assert mine(page, "protocol-versions") == []
    assert read(token_client(["events:read"]))["results"] == []


def test_another_councils_versions_are_not_in_the_feed(council, other_council, token_client):
    theirs = new_version(other_council, title="Their protocol")
    ours = new_version(council)
    page = read(token_client(["events:read", "protocols:read"]))
    ids = {pk for _, pk, _ in mine(page, "protocol-versions")}
    assert ours.pk in ids and theirs.pk not in ids


def test_council_administrators_do_not_read_version_events(council, client_as):
    """Drafts are not for every person of the council (protocols.permissions), so versions
    are not among the organisation's records the feed shows to people."""
    new_version(council)
    page = read(client_as("administrator"))
    assert mine(page, "protocol-versions") == []

"""Protocols for the protocol tests: built through ``protocols.services`` from parsed
clauses (``parsed``), or from small documents through the importer (``SMALL_DOCUMENT``)."""

from __future__ import annotations

import datetime

import pytest

from protocols import services
from protocols.importer import Anomaly, ParsedClause, ParsedProtocol
from tests import factories

BY = "test"
ADOPTED_ON = datetime.date(2025, 4, 1)

# A small protocol as a council would write it: sections, clauses and a lettered item.
SMALL_DOCUMENT = """\
Report to Full Council: the protocol below is recommended for adoption.

PROTOCOL FOR MEMBER / OFFICER RELATIONS

1. Introduction

1.1 Mutual respect between Members and Officers is essential to good local government.

1.2 This protocol applies to voting co-opted members of committees.

2. Member enquiries

2.1 Officers should acknowledge an enquiry within 3 working days.

2.2 Where the enquiry needs investigation the response is due within 10 working days.

(a) The Member is told the reasons for the delay.
"""
# The line of clause 2.1 in SMALL_DOCUMENT.
LINE_OF_2_1 = 13
# SMALL_DOCUMENT with a gap in its numbering (2.2 is missing) at line 15.
GAPPED_DOCUMENT = SMALL_DOCUMENT.replace("2.2 Where", "2.3 Where")
START_MARKER = "PROTOCOL FOR MEMBER / OFFICER RELATIONS"

# (number, heading, text, parent)
BASE_CLAUSES = [
    ("1", "Introduction", "", None),
    ("1.1", "", "Mutual respect between Members and Officers is essential.", "1"),
    ("1.2", "", "This protocol applies to co-opted members of committees.", "1"),
    ("2", "Member enquiries", "", None),
    ("2.1", "", "Officers should acknowledge an enquiry within 3 working days.", "2"),
    ("2.2", "", "Where investigation is needed the response is due within 10 days.", "2"),
    ("2.2(a)", "", "The Member is told the reasons for the delay.", "2.2"),
]


def parsed(clauses=BASE_CLAUSES, anomalies=()) -> ParsedProtocol:
    """A ``ParsedProtocol`` as the importer returns it, from (number, heading, text, parent)
    rows, each on its own line."""
    return ParsedProtocol(
        clauses=[
            ParsedClause(number=number, heading=heading, text=text, line=line, parent=parent)
            for line, (number, heading, text, parent) in enumerate(clauses, start=1)
        ],
        anomalies=[
            Anomaly(line=line, kind=kind, message=message) for line, kind, message in anomalies
        ],
    )


def import_clauses(protocol, clauses=BASE_CLAUSES, *, label=None, by=BY, anomalies=()):
    return services.import_version(
        protocol=protocol, by=by, parsed=parsed(clauses, anomalies), label=label
    )


def changed(clauses, number, **fields):
    """``clauses`` with clause ``number``'s heading or text replaced."""
    rows = []
    for row in clauses:
        if row[0] == number:
            heading = fields.get("heading", row[1])
            text = fields.get("text", row[2])
            row = (row[0], heading, text, row[3])
        rows.append(row)
    return rows


@pytest.fixture
def protocol(council):
    return services.create_protocol(
        council=council, by=BY, title="Protocol for Member/Officer Relations"
    )


@pytest.fixture
def draft(protocol):
    return import_clauses(protocol, label="2025 edition")


@pytest.fixture
def adopted(draft):
    return services.adopt_version(
        version=draft, by=BY, adopted_on=ADOPTED_ON, approving_body="Full Council"
    )


@pytest.fixture
def monitoring_officer(client_as):
    return client_as("monitoring_officer")


@pytest.fixture
def other_protocol(other_council):
    protocol = services.create_protocol(council=other_council, by=BY, title="Elsewhere protocol")
    version = import_clauses(protocol, label="Elsewhere 1")
    services.adopt_version(
        version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="Full Council"
    )
    return protocol


__all__ = ["factories"]

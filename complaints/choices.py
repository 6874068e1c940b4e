"""Statuses, channels and actions of member enquiries, and the workflow as a table.

The statuses follow city council protocol 10.3.1 (DESIGN.md, Member enquiries): received →
acknowledged → investigating (after a holding response) → responded → closed, plus escalated
at any open point (10.3.2). Which action may move an enquiry from which status is data, in
``ENQUIRY_TRANSITIONS``; the services check every action against it and answer an action the
table does not allow with ``core.errors.Conflict`` (409). The database states the same
statuses as a CHECK constraint (complaints.models).
"""

from django.db import models


class EnquiryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    INVESTIGATING = "investigating", "Investigating"
    RESPONDED = "responded", "Responded"
    CLOSED = "closed", "Closed"
    ESCALATED = "escalated", "Escalated"


class EnquiryChannel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    PORTAL = "portal", "Councilcase (raised by the member)"


class EnquiryAction(models.TextChoices):
    """What an entry on an enquiry's timeline records."""

    LOGGED = "logged", "Logged"
    UPDATED = "updated", "Details changed"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    HOLDING_RESPONSE = "holding_response", "Holding response sent"
    RESPONDED = "responded", "Responded"
    ASSIGNED = "assigned", "Assigned"
    ESCALATED = "escalated", "Escalated"
    CLOSED = "closed", "Closed"
    DUE_DATES_RECOMPUTED = "due_dates_recomputed", "Due dates recomputed"


class EscalationTarget(models.TextChoices):
    """To whom an enquiry is escalated. Staff (and, later, the deadline sweep) escalate first
    to the director of the enquiry's service; a member who remains dissatisfied escalates to
    the Chief Executive or the Director of Legal and Governance, as the council's service
    standard says (city council protocol 10.3.2)."""

    DIRECTOR = "director", "Director of the service"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    DIRECTOR_OF_LEGAL_AND_GOVERNANCE = (
        "director_of_legal_and_governance",
        "Director of Legal and Governance",
    )


# Where a dissatisfied member's escalation may go (city council protocol 10.3.2).
DISSATISFIED_ESCALATION_TARGETS = (
    EscalationTarget.CHIEF_EXECUTIVE,
    EscalationTarget.DIRECTOR_OF_LEGAL_AND_GOVERNANCE,
)

S = EnquiryStatus

# Every status but closed: the enquiry is still being worked (or can still be escalated).
OPEN_STATUSES = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.INVESTIGATING, S.RESPONDED, S.ESCALATED})
# Statuses in which the member is still waiting for an answer. A response clock can run only
# in these (complaints.models.Enquiry.clock says which one); the deadline sweep reads them
# through the partial index ``enquiry_awaiting_response_by_due``.
AWAITING_RESPONSE_STATUSES = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.INVESTIGATING, S.ESCALATED})

# action -> (the statuses it is allowed from, the status it moves to; None: unchanged).
#
# - acknowledge: only a new enquiry is acknowledged.
# - holding_response: the member is told the enquiry needs investigation, with reasons
#   (10.3.1). Also from escalated, so that whoever an overdue enquiry was escalated to can
#   still say why the answer takes longer.
# - respond: from any status still awaiting an answer, including escalated (the escalation is
#   answered by a new response).
# - escalate: at any open point, responded included: that is when a member who remains
#   dissatisfied escalates (10.3.2). Escalating again raises the level.
# - close: only once answered. An escalated enquiry is answered again (respond) before it is
#   closed, so no enquiry is closed without a response on record.
# - assign and update (details such as the subject or the constituent's contact details)
#   keep the status and are refused once the enquiry is closed.
#
# There is no reopen: a closed enquiry stays closed, and a new matter is a new enquiry.
ENQUIRY_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    "acknowledge": (frozenset({S.RECEIVED}), S.ACKNOWLEDGED),
    "holding_response": (frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.ESCALATED}), S.INVESTIGATING),
    "respond": (AWAITING_RESPONSE_STATUSES, S.RESPONDED),
    "escalate": (OPEN_STATUSES, S.ESCALATED),
    "close": (frozenset({S.RESPONDED}), S.CLOSED),
    "assign": (OPEN_STATUSES, None),
    "update": (OPEN_STATUSES, None),
}

# How each action reads in a sentence ("An enquiry that is closed cannot be acknowledged.").
ACTION_PAST_TENSE = {
    "acknowledge": "acknowledged",
    "holding_response": "given a holding response",
    "respond": "responded to",
    "escalate": "escalated",
    "close": "closed",
    "assign": "assigned",
    "update": "changed",
}

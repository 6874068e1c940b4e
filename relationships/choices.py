"""Kinds of declared relationship, their statuses, and the workflow as a table.

Members and officers declare family, business and close personal relationships that might be
seen as influencing their work to the Chief Executive or the Monitoring Officer, who records
advice to both parties (city council protocol 4.5-4.6); membership of organisations that are
not open to the public and require oaths or secrecy is declared in writing to the Monitoring
Officer (13.1-13.2); a member's special relationships with constituents are declared too
(DESIGN.md, Declared relationships). Which action may move a declaration from which status is
data, in ``DECLARATION_TRANSITIONS``; the services answer any other with ``Conflict`` (409).
"""

from django.db import models

from council.choices import DeclarationRecipient

__all__ = [
    "ACTION_PAST_TENSE",
    "DECLARATION_TRANSITIONS",
    "OPEN_STATUSES",
    "DeclarationKind",
    "DeclarationRecipient",
    "DeclarationStatus",
    "PartyType",
]


class DeclarationKind(models.TextChoices):
    FAMILY = "family", "Family"
    BUSINESS = "business", "Business"
    CLOSE_PERSONAL = "close_personal", "Close personal relationship"
    FRIENDSHIP = "friendship", "Friendship"
    ORGANISATION_MEMBERSHIP = (
        "organisation_membership",
        "Membership of an organisation not open to the public",
    )
    CONSTITUENT = "constituent", "Relationship with a constituent"
    OTHER = "other", "Other"


class DeclarationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ADVICE_GIVEN = "advice_given", "Advice given"
    ENDED = "ended", "Ended"


class PartyType(models.TextChoices):
    """Who a declaration names (API.md: ``{"type": ..., "id": ...}``)."""

    MEMBER = "member", "Member"
    OFFICER = "officer", "Officer"
    EXTERNAL = "external", "Someone outside the council"


S = DeclarationStatus

# A declaration still in force (the conflict checks also look at its dates).
OPEN_STATUSES = frozenset({S.SUBMITTED, S.ACKNOWLEDGED, S.ADVICE_GIVEN})

# action -> (the statuses it is allowed from, the status it moves to; None: unchanged).
#
# - acknowledge: the recipient says they have it (only a new one).
# - advise: the recipient records advice to both parties (4.6); again to revise it.
# - end: the relationship is over (the declarant, or the recipient); ended_on is kept.
# - update: the declarant corrects the description or dates while it is in force.
#
# An ended declaration stays ended: a relationship that starts again is a new declaration.
DECLARATION_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    "acknowledge": (frozenset({S.SUBMITTED}), S.ACKNOWLEDGED),
    "advise": (OPEN_STATUSES, S.ADVICE_GIVEN),
    "end": (OPEN_STATUSES, S.ENDED),
    "update": (OPEN_STATUSES, None),
}

ACTION_PAST_TENSE = {
    "acknowledge": "acknowledged",
    "advise": "given advice",
    "end": "ended",
    "update": "changed",
}

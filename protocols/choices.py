"""The statuses of a protocol version, and its workflow as a table.

A council's protocol is amended by drafting a new version, consulting on it and adopting it
at a meeting of the approving body (DESIGN.md, Protocols): draft → consultation → adopted;
a draft may be adopted without consultation; adopting a version supersedes the one adopted
before it, which stays on record as superseded (complaints cite the version in force on an
incident date). Which action may move a version from which status is data, in
``VERSION_TRANSITIONS``; the services answer any other with ``core.errors.Conflict`` (409),
and the database states the statuses as a CHECK constraint and refuses any change to the
clauses of an adopted or superseded version (protocols.migrations.0002_immutable_clauses).
"""

from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Superseded"


S = VersionStatus

# Versions whose clauses are the council's law for a period: they never change again.
SETTLED_STATUSES = frozenset({S.ADOPTED, S.SUPERSEDED})
# Versions not yet adopted: only those who may change the protocol see a draft, but a
# version out for consultation is there to be read by everyone of the council.
UNSETTLED_STATUSES = frozenset({S.DRAFT, S.CONSULTATION})

# action -> (the statuses it is allowed from, the status it moves to; None: unchanged).
#
# - consult: a draft goes out for consultation.
# - withdraw_consultation: back to draft, to be amended (a new import) or consulted on again.
# - adopt: the approving body adopts a draft or a version out for consultation; the version
#   adopted before it is superseded in the same transaction.
# - supersede: only as part of adopting another version, never on its own, so that a
#   protocol that has been adopted always has a version in force.
# - update: the label and the next review date. The next review date of an adopted version
#   changes when the council reviews it (DESIGN.md: reviews fall due annually or as the
#   council set); a superseded version is history and does not change.
#
# There is no way back from adopted: a version that was law stays as it was.
VERSION_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    "consult": (frozenset({S.DRAFT}), S.CONSULTATION),
    "withdraw_consultation": (frozenset({S.CONSULTATION}), S.DRAFT),
    "adopt": (frozenset({S.DRAFT, S.CONSULTATION}), S.ADOPTED),
    "supersede": (frozenset({S.ADOPTED}), S.SUPERSEDED),
    "update": (frozenset({S.DRAFT, S.CONSULTATION, S.ADOPTED}), None),
}

# How each action reads in a sentence ("A version that is adopted cannot be consulted on.").
ACTION_PAST_TENSE = {
    "consult": "sent out for consultation",
    "withdraw_consultation": "withdrawn from consultation",
    "adopt": "adopted",
    "supersede": "superseded",
    "update": "changed",
}

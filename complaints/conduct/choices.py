"""Categories, statuses, owner rules and outcomes of conduct complaints, and the workflow as a
table (DESIGN.md, Conduct complaints).

Which action may be taken on a complaint in which status is data, in
``COMPLAINT_TRANSITIONS``; the services check every action against it and answer one the table
does not allow with ``core.errors.Conflict`` (409). The database states the same values as
CHECK constraints (complaints.conduct.models).
"""

from django.db import models


class PartyType(models.TextChoices):
    """Who a complainant, subject or stage owner is: complaints run between members and
    officers in every direction (city council protocol 15)."""

    MEMBER = "member", "Member"
    OFFICER = "officer", "Officer"


class ComplaintCategory(models.TextChoices):
    BULLYING = "bullying", "Bullying"
    HARASSMENT = "harassment", "Harassment"
    DISCRIMINATION = "discrimination", "Discrimination"
    UNDUE_PRESSURE = "undue_pressure", "Undue pressure on an officer"
    CONFIDENTIALITY = "confidentiality", "Breach of confidentiality"
    POLITICAL_IMPARTIALITY = "political_impartiality", "Political impartiality"
    MISUSE_OF_RESOURCES = "misuse_of_resources", "Misuse of council resources"
    UNDECLARED_RELATIONSHIP = "undeclared_relationship", "Undeclared relationship"
    DISCOURTESY = "discourtesy", "Discourtesy"
    OTHER = "other", "Something else"


class ProtectedCharacteristic(models.TextChoices):
    """The Equality Act 2010 protected characteristics (section 4)."""

    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE_CIVIL_PARTNERSHIP = "marriage_civil_partnership", "Marriage and civil partnership"
    PREGNANCY_MATERNITY = "pregnancy_maternity", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION_BELIEF = "religion_belief", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RouteKind(models.TextChoices):
    """Who complains about whom: the key by which a complaint's route is chosen (city council
    protocol 15; taunton-deane-protocol-report-2010.txt, harassment protocol 4)."""

    OFFICER_ABOUT_MEMBER = "officer_about_member", "An officer's complaint about a member"
    MEMBER_ABOUT_OFFICER = "member_about_officer", "A member's complaint about an officer"
    MEMBER_ABOUT_SENIOR_OFFICER = (
        "member_about_senior_officer",
        "A member's complaint about a statutory officer or executive director",
    )
    MEMBER_ABOUT_CHIEF_EXECUTIVE = (
        "member_about_chief_executive",
        "A member's complaint about the Chief Executive",
    )
    MEMBER_ABOUT_MEMBER = "member_about_member", "A member's complaint about a member"
    OFFICER_ABOUT_OFFICER = "officer_about_officer", "An officer's complaint about an officer"


class OwnerRule(models.TextChoices):
    """Who owns a stage, resolved against the organisation when the stage opens
    (complaints.conduct.routing.resolve_owner)."""

    COMPLAINANT_LINE_MANAGER = "complainant_line_manager", "The complainant's line manager"
    SUBJECT_LINE_MANAGER = "subject_line_manager", "The subject's line manager"
    SUBJECT_DIRECTOR = "subject_director", "The director of the subject's directorate"
    EXECUTIVE_DIRECTOR = "executive_director", "An executive director independent of both"
    CHIEF_EXECUTIVE = "chief_executive", "The Chief Executive"
    MONITORING_OFFICER = "monitoring_officer", "The Monitoring Officer"
    SUBJECT_GROUP_LEADER = "subject_group_leader", "The leader of the subject's political group"
    SUBJECT_GROUP_WHIP = "subject_group_whip", "The whip of the subject's political group"
    COMPLAINANT_GROUP_WHIP = (
        "complainant_group_whip",
        "The whip (or leader) of the complainant's political group",
    )
    STANDARDS_COMMITTEE_CHAIR = "standards_committee_chair", "The chair of the standards committee"


class StageOutcome(models.TextChoices):
    """How a stage (and, when it is the last word, the complaint) ends."""

    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    DISCIPLINARY_ACTION = "disciplinary_action", "Disciplinary action taken"
    NO_DISCIPLINARY_ACTION = "no_disciplinary_action", "No disciplinary action"
    # How a stage ends when the complaint moves on without a decision at it.
    ESCALATED = "escalated", "Escalated to the next stage"
    REROUTED = "rerouted", "Re-routed"
    WITHDRAWN = "withdrawn", "Withdrawn by the complainant"


# Outcomes that end a stage by moving the complaint on: not a decision anyone chooses.
MOVING_ON_OUTCOMES = frozenset(
    {StageOutcome.ESCALATED, StageOutcome.REROUTED, StageOutcome.WITHDRAWN}
)
DECISION_OUTCOMES = [o for o in StageOutcome.values if o not in MOVING_ON_OUTCOMES]


class HistoryAction(models.TextChoices):
    """What an entry in a complaint's stage history records (append-only)."""

    RAISED = "raised", "Raised"
    STAGE_OPENED = "stage_opened", "Stage opened"
    OWNER_SUBSTITUTED = "owner_substituted", "Stage passed to the next person up"
    NO_OWNER = "no_owner", "No independent owner found"
    ESCALATED = "escalated", "Escalated"
    REROUTED = "rerouted", "Re-routed"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CITED = "cited", "Protocol clauses cited"
    SUBJECT_NOTIFIED = "subject_notified", "Subject told of the complaint"
    INVESTIGATOR_ASSIGNED = "investigator_assigned", "Investigator assigned"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    OVERDUE = "overdue", "Stage overdue: Monitoring Officer told"
    VICTIMISATION_ALERT = "victimisation_alert", "Possible victimisation: Monitoring Officer told"


S = ComplaintStatus
OPEN = frozenset({S.OPEN})

# action -> (the statuses it is allowed from, the status it moves to; None: unchanged).
#
# - escalate: to the route's next stage, while open (409 at the last stage: resolve it).
# - reroute: the Monitoring Officer moves an open complaint to another route, with a reason.
# - resolve: the current stage's owner (or the Monitoring Officer) decides, with one of the
#   stage's allowed outcomes.
# - close: the Monitoring Officer closes a resolved complaint (nothing more will happen).
# - withdraw: the complainant (or the Monitoring Officer for them) withdraws an open one.
# - cite, notify_subject, assign_investigator, attach: keep the status; open ones only
#   (the subject can also be told of the outcome of a resolved one).
COMPLAINT_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    "escalate": (OPEN, None),
    "reroute": (OPEN, None),
    "resolve": (OPEN, S.RESOLVED),
    "close": (frozenset({S.RESOLVED}), S.CLOSED),
    "withdraw": (OPEN, S.WITHDRAWN),
    "cite": (OPEN, None),
    "notify_subject": (frozenset({S.OPEN, S.RESOLVED}), None),
    "assign_investigator": (OPEN, None),
    "attach": (OPEN, None),
}

ACTION_PAST_TENSE = {
    "escalate": "escalated",
    "reroute": "re-routed",
    "resolve": "resolved",
    "close": "closed",
    "withdraw": "withdrawn",
    "cite": "given cited clauses",
    "notify_subject": "told to its subject",
    "assign_investigator": "given an investigator",
    "attach": "given evidence",
}

"""The organisation a Member/Officer Protocol binds: the council, its people and its structure.

Every row here belongs to one council and every query is scoped to it (DESIGN.md,
Architecture). The invariants the services check are stated again as database constraints:
one employee number per council, nobody managing themselves, a term that ends after it starts.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower

from core.models import PlainLoading, VersionedModel

from .choices import (
    SINGLE_HOLDER_STATUTORY_ROLES,
    CommitteeKind,
    CommitteeRole,
    DeadlineConvention,
    DeclarationRecipient,
    MemberKind,
    MemberRole,
    Nation,
    Seniority,
    StatutoryRole,
    Team,
)
from .managers import UserManager


class Council(VersionedModel):
    """A local authority with its own calendar: nation, closure days and daily cut-off."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    cutoff_time = models.TimeField(
        default=datetime.time(17, 0),
        help_text="Anything received at or after this local time counts from the next working day.",
    )
    deadline_convention = models.CharField(
        max_length=20, choices=DeadlineConvention.choices, default=DeadlineConvention.DEEMED_RECEIPT
    )
    declarations_go_to = models.CharField(
        max_length=20,
        choices=DeclarationRecipient.choices,
        default=DeclarationRecipient.MONITORING_OFFICER,
        help_text="Who receives declarations of relationships (organisation memberships always "
        "go to the Monitoring Officer).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClosureDay(PlainLoading, models.Model):
    """A day the council is closed although it is not a bank holiday (e.g. a Christmas shutdown)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["council", "date"], name="closure_day_once_per_council")
        ]

    def __str__(self):
        return f"{self.date:%d %B %Y}"


class User(PlainLoading, AbstractBaseUser, PermissionsMixin):
    """A sign-in. Linked to a member or officer record only by administrators or the HR sync.

    Nothing a person asserts at sign-in creates or links an account (DESIGN.md, Security).
    """

    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive")
        ]

    def __str__(self):
        return self.full_name or self.email


class Session(PlainLoading, AbstractBaseSession):
    """A browser's session: Django's database session with the signed-in account's id in a
    column of its own, so that the session and the account with its records are read by one
    statement on every request (council.sessions, council.backends). Deleting an account
    ends its sessions."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class Ward(PlainLoading, models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="ward_name_unique")]

    def __str__(self):
        return self.name


class PoliticalGroup(VersionedModel):
    """A party group on the council. Its leader and whip own member-about-member stages
    (taunton-deane-protocol-report-2010.txt, harassment protocol 4)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="political_groups")
    name = models.CharField(max_length=200)
    leader = models.ForeignKey(
        "Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deputy_leader = models.ForeignKey(
        "Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    whip = models.ForeignKey(
        "Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="political_group_name_unique")
        ]

    def __str__(self):
        return self.name


class Directorate(VersionedModel):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="directorates")
    name = models.CharField(max_length=200)
    director = models.ForeignKey(
        "Officer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="directorate_name_unique")
        ]

    def __str__(self):
        return self.name


class Member(VersionedModel):
    """An elected or co-opted member bound by the protocol's member obligations."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    kind = models.CharField(
        max_length=20, choices=MemberKind.choices, default=MemberKind.COUNCILLOR
    )
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    political_group = models.ForeignKey(
        PoliticalGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    roles = ArrayField(
        models.CharField(max_length=30, choices=MemberRole.choices), default=list, blank=True
    )

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="member_term_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(Lower("email"), name="member_email_ci")]

    def __str__(self):
        return self.display_name(self.full_name, self.kind)

    @staticmethod
    def display_name(full_name: str, kind: str) -> str:
        """How a member is named on pages and in pickers (from the row's columns alone)."""
        return f"Cllr {full_name}" if kind == MemberKind.COUNCILLOR else full_name


class Officer(VersionedModel):
    """A member of staff, kept in sync with the HR system by employee number."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="officers")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer"
    )
    employee_number = models.CharField(max_length=40)
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="officers"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    seniority = models.CharField(
        max_length=20, choices=Seniority.choices, default=Seniority.OFFICER
    )
    statutory_role = models.CharField(
        max_length=30, choices=StatutoryRole.choices, null=True, blank=True
    )
    teams = ArrayField(
        models.CharField(max_length=30, choices=Team.choices), default=list, blank=True
    )
    politically_restricted = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "employee_number"], name="officer_employee_number_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("id")),
                name="officer_not_own_line_manager",
            ),
            models.UniqueConstraint(
                fields=["council", "statutory_role"],
                condition=models.Q(
                    statutory_role__in=[r.value for r in SINGLE_HOLDER_STATUTORY_ROLES]
                )
                & models.Q(active=True),
                name="statutory_post_single_holder",
            ),
        ]
        indexes = [models.Index(Lower("email"), name="officer_email_ci")]

    def __str__(self):
        return self.display_name(self.full_name, self.job_title)

    @staticmethod
    def display_name(full_name: str, job_title: str) -> str:
        """How an officer is named on pages and in pickers (from the row's columns alone)."""
        return f"{full_name} ({job_title})" if job_title else full_name


class Committee(VersionedModel):
    """A committee or panel. Members sitting on one convened about an officer they have a
    declared relationship with are flagged by the conflict check (city council protocol 4.5)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=CommitteeKind.choices, default=CommitteeKind.COMMITTEE
    )
    members = models.ManyToManyField(
        Member, through="CommitteeMembership", related_name="committees"
    )
    convened_about = models.ForeignKey(
        "Officer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panels_about",
        help_text="The officer a panel is convened about (e.g. a hearing), whose declared "
        "relationships with members bar those members from sitting on it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="committee_name_unique")
        ]

    def __str__(self):
        return self.name


class CommitteeMembership(PlainLoading, models.Model):
    """A member's seat on a committee or panel.

    It carries its council, as every row that belongs to a council does (DESIGN.md,
    Architecture), so seats are scoped and audited by council without a join. The council is
    the committee's and the member's: the services check it, and the database refuses a seat
    whose committee or member is of another council (composite foreign keys on
    ``(committee, council)`` and ``(member, council)``, migration 0005).
    """

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    role = models.CharField(
        max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "member"], name="committee_member_once")
        ]

    def __str__(self):
        return f"{self.member} on {self.committee} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        # A seat made without its council (a fixture, the shell) takes the committee's; the
        # services set it themselves, and bulk_create does not come here.
        if self.council_id is None and self.committee_id is not None:
            self.council_id = self.committee.council_id
        super().save(*args, **kwargs)


class ApiToken(PlainLoading, models.Model):
    """A council's integration credential (API.md, Authentication and scope).

    Only a SHA-256 digest of the key is stored; the key itself is shown once, when issued.
    Scopes are ``<resource>:read`` / ``<resource>:write`` or ``*``.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=60), default=list)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="api_token_name_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

"""Every change to a council's protocols: creating one, importing a version from the document
the council has, moving a version through consultation to adoption, and the review reminders.

Each function takes keyword arguments with the acting person (``by``: a User, an API token's
principal, or a process name such as ``"command:import_protocol"``), opens its own
transaction, locks what it changes (a protocol's row, then its versions': one order, so two
adoptions cannot deadlock), checks who may act (protocols.permissions, 403), the caller's
version (412) and the transition against ``choices.VERSION_TRANSITIONS`` (409), then writes.
Bad input raises ``ValidationError`` naming the field before anything is written. The audit
trail is written by database triggers (core.audit).

Reading a document (``read_document``) writes nothing: the import page's preview calls it
alone, and ``import_version`` turns what it read into a whole draft version in one
transaction, or nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import acting_as
from core.errors import Conflict
from core.notifications.choices import NotificationKind
from core.notifications.services import notify
from core.versioning import check_version, save_new_version
from council.calendar import local_date
from council.choices import StatutoryRole
from council.models import Council, Officer, User
from council.services import actor_of

from . import importer
from .choices import ACTION_PAST_TENSE, VERSION_TRANSITIONS, VersionStatus
from .models import Clause, Protocol, ProtocolVersion
from .permissions import require_may_change

NUMBER_MAX_LENGTH = Clause._meta.get_field("number").max_length
LABEL_MAX_LENGTH = ProtocolVersion._meta.get_field("label").max_length
TITLE_MAX_LENGTH = Protocol._meta.get_field("title").max_length
# The Monitoring Officer is reminded this many days before a review falls due.
REVIEW_REMINDER_DAYS = 30
REVIEW_ACTOR = "task:protocol_reviews"


# Helpers -----------------------------------------------------------------------------------


def _required_text(value, field: str, message: str, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: [f"Use at most {max_length} characters."]})
    return text


def _check_transition(version: ProtocolVersion, action: str) -> str | None:
    """The status ``action`` moves ``version`` to (None: unchanged), or ``Conflict`` (409)."""
    allowed, to_status = VERSION_TRANSITIONS[action]
    if version.status not in allowed:
        raise Conflict(
            f"This version is {version.get_status_display().lower()}: it cannot be "
            f"{ACTION_PAST_TENSE[action]}.",
            code="invalid_transition",
        )
    return to_status


def _lock_version(version: ProtocolVersion, *, by, expected_version, action: str):
    """Lock the version's protocol and then the version, and check who is acting (403), the
    caller's version (412) and the transition (409), in that order."""
    Protocol.objects.select_for_update().get(pk=version.protocol_id)
    locked = (
        ProtocolVersion.objects.select_for_update().select_related("protocol").get(pk=version.pk)
    )
    require_may_change(by, locked.council_id)
    check_version(locked, expected_version)
    return locked, _check_transition(locked, action)


def _today() -> datetime.date:
    return local_date(timezone.now())


def a_year_after(day: datetime.date) -> datetime.date:
    """The default next review: a year after adoption (DESIGN.md, Protocols: "reviews fall
    due annually or as the council set"); 28 February for a 29 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# Protocols ---------------------------------------------------------------------------------


def create_protocol(*, council: Council, by, title: str) -> Protocol:
    """A new, empty protocol of ``council`` (its versions are imported). Titles are unique in
    a council, whatever their case."""
    require_may_change(by, council.pk)
    title = _required_text(title, "title", "Enter the protocol's title", TITLE_MAX_LENGTH)
    with transaction.atomic(), acting_as(actor_of(by)):
        if Protocol.objects.filter(council=council, title__iexact=title).exists():
            raise ValidationError({"title": ["The council already has a protocol of this title."]})
        return Protocol.objects.create(council=council, title=title)


def update_protocol(*, protocol: Protocol, by, title: str, expected_version=None) -> Protocol:
    require_may_change(by, protocol.council_id)
    title = _required_text(title, "title", "Enter the protocol's title", TITLE_MAX_LENGTH)
    with transaction.atomic(), acting_as(actor_of(by)):
        locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
        check_version(locked, expected_version)
        if locked.title == title:
            return locked
        taken = Protocol.objects.filter(council_id=locked.council_id, title__iexact=title)
        if taken.exclude(pk=locked.pk).exists():
            raise ValidationError({"title": ["The council already has a protocol of this title."]})
        locked.title = title
        return save_new_version(locked, update_fields=["title"])


# Reading a document ------------------------------------------------------------------------


def read_document(
    *,
    text: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    start_marker: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, importer.ParsedProtocol]:
    """Read a protocol document (pasted ``text``, or an uploaded file's ``data``) into its
    clauses and anomalies; writes nothing. Returns the document's text and what was read.

    A document that cannot be imported (not text or .docx, no numbered clauses, a start
    marker that is not in it) raises ``ValidationError`` with the importer's message, under
    ``file`` or ``text`` (``start_marker`` when that is what was not found).
    """
    start_marker = (start_marker or "").strip() or None
    field = "file" if data is not None else "text"
    if data is None and not (text or "").strip():
        raise ValidationError({"text": ["Paste the protocol's text or upload its document."]})
    try:
        if data is not None:
            text = importer.text_from_upload(data, filename)
        parsed = importer.parse_protocol(text, start_marker=start_marker, progress=progress)
    except importer.ImportRefused as refusal:
        message = str(refusal)
        if start_marker and start_marker.lower() in message.lower():
            field = "start_marker"
        raise ValidationError({field: [message]}) from refusal
    if not parsed.clauses:
        raise ValidationError({field: ["The document has no numbered clauses."]})
    return text, parsed


def _check_clauses(parsed: importer.ParsedProtocol, field: str) -> None:
    """What the database would refuse, said first and in words: a number too long, a number
    twice, a parent that is not an earlier clause."""
    seen: dict[str, int] = {}
    for clause in parsed.clauses:
        where = f"Line {clause.line}"
        if len(clause.number) > NUMBER_MAX_LENGTH:
            raise ValidationError(
                {field: [f"{where}: the clause number is longer than {NUMBER_MAX_LENGTH}."]}
            )
        if clause.number in seen:
            raise ValidationError(
                {
                    field: [
                        f"{where}: clause {clause.number} appears again (first at line "
                        f"{seen[clause.number]}). Correct the numbering and import again."
                    ]
                }
            )
        if clause.parent is not None and clause.parent not in seen:
            raise ValidationError(
                {field: [f"{where}: clause {clause.number} comes before its parent."]}
            )
        seen[clause.number] = clause.line


def _next_clause_ids(count: int) -> list[int]:
    """``count`` ids from the clause table's sequence, ascending, in one query: the import
    knows every parent's id before it writes, so it writes parents and children in one
    INSERT and never goes back to set them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('protocols_clause', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _default_label(protocol: Protocol) -> str:
    taken = set(ProtocolVersion.objects.filter(protocol=protocol).values_list("label", flat=True))
    number = len(taken) + 1
    while f"Version {number}" in taken:
        number += 1
    return f"Version {number}"


def import_version(
    *,
    protocol: Protocol,
    by,
    parsed: importer.ParsedProtocol,
    label: str | None = None,
    source_name: str = "",
    start_marker: str | None = None,
    field: str = "text",
) -> ProtocolVersion:
    """A new draft version of ``protocol`` with the clauses ``read_document`` found, in one
    transaction: the whole version or nothing. The clauses are written with one INSERT (ids
    drawn first, so a parent's id is known before its children are written): the number of
    queries does not grow with the number of clauses.

    ``label`` defaults to "Version N". The anomalies are kept on the version for whoever
    adopts it to check. ``field`` names the input the document came from, for errors.
    """
    require_may_change(by, protocol.council_id)
    _check_clauses(parsed, field)
    label = (label or "").strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError({"label": [f"Use at most {LABEL_MAX_LENGTH} characters."]})
    with transaction.atomic(), acting_as(actor_of(by)):
        # Imports of one protocol queue here: the default label counts its versions.
        protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
        if not label:
            label = _default_label(protocol)
        elif ProtocolVersion.objects.filter(protocol=protocol, label=label).exists():
            raise ValidationError({"label": ["This protocol already has a version so labelled."]})
        version = ProtocolVersion.objects.create(
            protocol=protocol,
            council_id=protocol.council_id,
            label=label,
            anomalies=[
                {"line": anomaly.line, "kind": anomaly.kind, "message": anomaly.message}
                for anomaly in parsed.anomalies
            ],
            source_name=(source_name or "")[:255],
            start_marker=(start_marker or "").strip()[:500],
            imported_by=by if isinstance(by, User) else None,
        )
        ids = _next_clause_ids(len(parsed.clauses))
        id_of: dict[str, int] = {}
        clauses = []
        for order, (pk, clause) in enumerate(zip(ids, parsed.clauses, strict=True), start=1):
            id_of[clause.number] = pk
            clauses.append(
                Clause(
                    pk=pk,
                    version=version,
                    council_id=protocol.council_id,
                    number=clause.number,
                    heading=clause.heading.strip(),
                    text=clause.text.strip(),
                    order=order,
                    parent_id=id_of[clause.parent] if clause.parent is not None else None,
                    line=clause.line,
                )
            )
        Clause.objects.bulk_create(clauses)
        return version


def import_protocol(
    *,
    council: Council,
    title: str,
    by,
    parsed: importer.ParsedProtocol,
    label: str | None = None,
    source_name: str = "",
    start_marker: str | None = None,
    field: str = "text",
) -> ProtocolVersion:
    """``import_version`` into the council's protocol of this title, created if the council
    has none (``manage.py import_protocol --council --title``, the import page): one
    transaction, so a refused import leaves no empty protocol behind."""
    require_may_change(by, council.pk)
    title = _required_text(title, "title", "Enter the protocol's title", TITLE_MAX_LENGTH)
    with transaction.atomic(), acting_as(actor_of(by)):
        protocol = Protocol.objects.filter(council=council, title__iexact=title).first()
        if protocol is None:
            protocol = create_protocol(council=council, by=by, title=title)
        return import_version(
            protocol=protocol,
            by=by,
            parsed=parsed,
            label=label,
            source_name=source_name,
            start_marker=start_marker,
            field=field,
        )


# Moving a version through its statuses ---------------------------------------------------


def consult_on_version(*, version: ProtocolVersion, by, expected_version=None):
    """Send a draft out for consultation: everyone of the council may now read it."""
    with transaction.atomic(), acting_as(actor_of(by)):
        locked, status = _lock_version(
            version, by=by, expected_version=expected_version, action="consult"
        )
        locked.status = status
        return save_new_version(locked, update_fields=["status"])


def withdraw_from_consultation(*, version: ProtocolVersion, by, expected_version=None):
    """Take a version back from consultation to draft."""
    with transaction.atomic(), acting_as(actor_of(by)):
        locked, status = _lock_version(
            version, by=by, expected_version=expected_version, action="withdraw_consultation"
        )
        locked.status = status
        return save_new_version(locked, update_fields=["status"])


def _check_review_date(next_review_on, adopted_on) -> None:
    if next_review_on is not None and adopted_on is not None and next_review_on <= adopted_on:
        raise ValidationError(
            {"next_review_on": ["The next review must fall after the version was adopted."]}
        )


def adopt_version(
    *,
    version: ProtocolVersion,
    by,
    adopted_on: datetime.date,
    approving_body: str,
    next_review_on: datetime.date | None = None,
    expected_version=None,
) -> ProtocolVersion:
    """Record that ``approving_body`` adopted ``version`` on ``adopted_on``: it is in force
    from that day, and the version adopted before it is superseded on the same day, in the
    same transaction (one version in force on any date). Its clauses never change again.

    ``adopted_on`` may not be in the future (it records a decision taken) nor before the
    adoption of the version now in force. ``next_review_on`` defaults to a year later.
    """
    errors = {}
    if not isinstance(adopted_on, datetime.date):
        errors["adopted_on"] = ["Enter the date the version was adopted."]
    elif adopted_on > _today():
        errors["adopted_on"] = ["The date of adoption cannot be in the future."]
    body = (approving_body or "").strip()
    if not body:
        errors["approving_body"] = ["Enter who adopted it, for example Full Council."]
    elif len(body) > 200:
        errors["approving_body"] = ["Use at most 200 characters."]
    if errors:
        raise ValidationError(errors)
    next_review_on = next_review_on or a_year_after(adopted_on)
    _check_review_date(next_review_on, adopted_on)
    with transaction.atomic(), acting_as(actor_of(by)):
        locked, status = _lock_version(
            version, by=by, expected_version=expected_version, action="adopt"
        )
        current = (
            ProtocolVersion.objects.select_for_update()
            .filter(protocol_id=locked.protocol_id, status=VersionStatus.ADOPTED)
            .first()
        )
        if current is not None:
            if adopted_on < current.adopted_on:
                raise ValidationError(
                    {
                        "adopted_on": [
                            f"{current.label}, in force since {current.adopted_on:%-d %B %Y}, "
                            "was adopted later: a new version cannot be adopted before it."
                        ]
                    }
                )
            _check_transition(current, "supersede")
            current.status = VersionStatus.SUPERSEDED
            current.superseded_on = adopted_on
            save_new_version(current, update_fields=["status", "superseded_on"])
        locked.status = status
        locked.adopted_on = adopted_on
        locked.approving_body = body
        locked.next_review_on = next_review_on
        return save_new_version(
            locked, update_fields=["status", "adopted_on", "approving_body", "next_review_on"]
        )


def update_version(
    *,
    version: ProtocolVersion,
    by,
    expected_version=None,
    **fields,
) -> ProtocolVersion:
    """Change a version's ``label`` or ``next_review_on`` (when the council has reviewed an
    adopted version and set the next review). A superseded version does not change."""
    unknown = set(fields) - {"label", "next_review_on"}
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    if "label" in fields:
        fields["label"] = _required_text(
            fields["label"], "label", "Enter a label for the version", LABEL_MAX_LENGTH
        )
    with transaction.atomic(), acting_as(actor_of(by)):
        locked, _status = _lock_version(
            version, by=by, expected_version=expected_version, action="update"
        )
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        if "label" in changed:
            taken = ProtocolVersion.objects.filter(
                protocol_id=locked.protocol_id, label=fields["label"]
            )
            if taken.exclude(pk=locked.pk).exists():
                raise ValidationError(
                    {"label": ["This protocol already has a version so labelled."]}
                )
        if "next_review_on" in changed:
            _check_review_date(fields["next_review_on"], locked.adopted_on)
        for name in changed:
            setattr(locked, name, fields[name])
        return save_new_version(locked, update_fields=changed)


# Reviews -----------------------------------------------------------------------------------


def _monitoring_officers_by_council(council_ids) -> dict[int, list[Officer]]:
    officers = Officer.objects.filter(
        council_id__in=council_ids,
        active=True,
        user__isnull=False,
        statutory_role__in=[
            StatutoryRole.MONITORING_OFFICER,
            StatutoryRole.DEPUTY_MONITORING_OFFICER,
        ],
    ).order_by("pk")
    found: dict[int, list[Officer]] = {}
    for officer in officers:
        found.setdefault(officer.council_id, []).append(officer)
    return found


def remind_reviews(*, now: datetime.datetime | None = None) -> int:
    """Remind the Monitoring Officer (and deputies) of protocol reviews: once when a review
    of the version in force falls due within ``REVIEW_REMINDER_DAYS`` days, and once when it
    is overdue (DESIGN.md, Protocols: reviews fall due and remind the Monitoring Officer).

    Exactly once each, however often it runs and however many run at once: each notice's
    dedupe key names the version, the occasion and the review date, so a second run writes
    nothing, and a new review date (the council reviewed it) starts the reminders afresh.
    Dates are Europe/London's. Returns how many notices it wrote.
    """
    now = now or timezone.now()
    today = local_date(now)
    due = list(
        ProtocolVersion.objects.select_related("protocol")
        .filter(reviews_due_filter(today))
        .order_by("pk")
    )
    if not due:
        return 0
    officers = _monitoring_officers_by_council({version.council_id for version in due})
    written = 0
    with transaction.atomic(), acting_as(REVIEW_ACTOR):
        for version in due:
            overdue = version.next_review_on < today
            when = f"{version.next_review_on:%-d %B %Y}"
            subject = (
                f"The review of {version.protocol.title} ({version.label}) was due on {when}"
                if overdue
                else f"The review of {version.protocol.title} ({version.label}) is due on {when}"
            )
            occasion = "review_overdue" if overdue else "review_due"
            written += len(
                notify(
                    recipients=officers.get(version.council_id, []),
                    kind=NotificationKind.OVERDUE if overdue else NotificationKind.REMINDER,
                    subject=subject,
                    resource=version,
                    dedupe_key_base=(
                        f"protocolversion:{version.pk}:{occasion}:{version.next_review_on:%Y-%m-%d}"
                    ),
                    now=now,
                )
            )
    return written


def reviews_due_filter(today: datetime.date) -> Q:
    """Adopted versions whose review falls due within the reminder window (or is overdue)."""
    return Q(
        status=VersionStatus.ADOPTED,
        next_review_on__lte=today + datetime.timedelta(days=REVIEW_REMINDER_DAYS),
    )

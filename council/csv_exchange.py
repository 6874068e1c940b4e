"""Spreadsheets in and out: CSV exports of members, officers and enquiries, and CSV imports of
members and officers (issue 7).

Columns are the API's field names (API.md), so a file and the API say the same thing; where
the API gives an id, a spreadsheet gives a name people can read and type (``ward``,
``political_group``, ``directorate``; ``line_manager`` is an employee number, as in the API).
Lists in one cell (``teams``, ``roles``) are separated by ``;``. An exported file imports
back unchanged.

Every cell that a spreadsheet program would run as a formula (starting ``=``, ``+``, ``-``,
``@``, tab or carriage return) is written with a leading ``'``, and read back without it: an
export must not carry a constituent's "=HYPERLINK(...)" into the council's spreadsheets.

Imports are turned into the rows ``council.services.sync_officers`` / ``sync_members`` take;
those services decide everything else (nothing is written if any row is wrong).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import selectors
from .services import MEMBER_FIELDS, OFFICER_FIELDS

# The columns are the fields the services take (council.services), with the key first.
MEMBER_COLUMNS = ("id", *MEMBER_FIELDS)
OFFICER_COLUMNS = ("employee_number", *OFFICER_FIELDS)
ENQUIRY_COLUMNS = (
    "id",
    "reference",
    "member",
    "member_name",
    "constituent_name",
    "constituent_email",
    "constituent_phone",
    "constituent_address",
    "subject",
    "description",
    "directorate",
    "assigned_officer",
    "channel",
    "received_at",
    "status",
    "first_response_due",
    "full_response_due",
    "acknowledged_at",
    "holding_response_at",
    "responded_at",
    "closed_at",
    "is_overdue",
    "escalation_level",
    "reassignment_needed_since",
)
MAX_IMPORT_ROWS = 20000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def cell(value) -> str:
    """One value as a spreadsheet cell, defused if it would run as a formula."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        text = timezone.localtime(value, datetime.UTC).isoformat()
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = ";".join(str(item) for item in value)
    else:
        text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def uncell(text: str) -> str:
    """A cell as typed, without the ``'`` that ``cell`` put before a would-be formula."""
    text = (text or "").strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


class _Line:
    def write(self, value):
        return value


def stream(columns: tuple[str, ...], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text, a line at a time (for a streaming response): a header, then ``rows``."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def member_rows(members) -> Iterator[list]:
    for member in members.iterator(chunk_size=500):
        yield [
            member.pk,
            member.full_name,
            member.email,
            member.kind,
            member.ward.name if member.ward else "",
            member.political_group.name if member.political_group else "",
            member.term_start,
            member.term_end,
            member.roles,
        ]


def officer_rows(officers) -> Iterator[list]:
    for officer in officers.iterator(chunk_size=500):
        yield [
            officer.employee_number,
            officer.full_name,
            officer.email,
            officer.job_title,
            officer.directorate.name if officer.directorate else "",
            officer.line_manager.employee_number if officer.line_manager else "",
            officer.seniority,
            officer.statutory_role,
            officer.teams,
            officer.politically_restricted,
            officer.active,
        ]


def enquiry_rows(enquiries, *, now: datetime.datetime | None = None) -> Iterator[list]:
    now = now or timezone.now()
    for enquiry in enquiries.iterator(chunk_size=500):
        yield [
            enquiry.pk,
            enquiry.reference,
            enquiry.member_id,
            enquiry.member.full_name,
            enquiry.constituent_name,
            enquiry.constituent_email,
            enquiry.constituent_phone,
            enquiry.constituent_address,
            enquiry.subject,
            enquiry.description,
            enquiry.directorate.name if enquiry.directorate else "",
            enquiry.assigned_officer.employee_number if enquiry.assigned_officer else "",
            enquiry.channel,
            enquiry.received_at,
            enquiry.status,
            enquiry.first_response_due,
            enquiry.full_response_due,
            enquiry.acknowledged_at,
            enquiry.holding_response_at,
            enquiry.responded_at,
            enquiry.closed_at,
            enquiry.is_overdue_at(now),
            enquiry.escalation_level,
            enquiry.reassignment_needed_since,
        ]


# Reading a file ----------------------------------------------------------------------------


def read(text: str, *, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    """The rows of a CSV file as dicts of the columns it has (a column left out keeps every
    record's value). Raises ``ValidationError`` naming the problem with the file itself."""
    text = text.lstrip("\ufeff")  # Excel's byte order mark
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise ValidationError("The file is empty: it needs a header row naming its columns.")
    unknown = [name for name in header if name not in columns]
    if unknown:
        raise ValidationError(
            f"The file has columns this import does not know: {', '.join(unknown)}. "
            f"Use: {', '.join(columns)}."
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise ValidationError(f"The file needs the column {', '.join(missing)}.")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ValidationError(f"Import at most {MAX_IMPORT_ROWS} rows at once.")
            if None in row:
                raise ValidationError(
                    f"Row {reader.line_num} has more cells than the header has columns."
                )
            rows.append({name: uncell(value) for name, value in row.items()})
    except csv.Error as error:
        raise ValidationError(f"This is not a CSV file the import can read: {error}.") from error
    return rows


def _flag(value: str, index: int, name: str, errors: dict) -> bool | None:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    errors.setdefault(f"{index}.{name}", []).append('Write "true" or "false".')
    return None


def _date(value: str, index: int, name: str, errors: dict):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.setdefault(f"{index}.{name}", []).append("Write the date as YYYY-MM-DD.")
        return None


def _named(value: str, known: dict, index: int, name: str, what: str, errors: dict):
    if not value:
        return None
    found = known.get(value.casefold())
    if found is None:
        errors.setdefault(f"{index}.{name}", []).append(f"This council has no {what} {value}.")
    return found


def officers_to_sync(records: list[dict], *, council_id: int) -> list[dict]:
    """CSV rows → ``sync_officers`` rows. Problems in cells raise ``ValidationError`` keyed
    ``officers.<row index>.<column>``."""
    directorates = (
        selectors.directorates_by_name(council_id)
        if any(record.get("directorate") for record in records)
        else {}
    )
    errors: dict[str, list[str]] = {}
    rows = []
    for index, record in enumerate(records):
        row: dict = {}
        for name, value in record.items():
            if name in ("teams",):
                row[name] = [team.strip() for team in value.split(";") if team.strip()]
            elif name in ("politically_restricted", "active"):
                row[name] = _flag(value, index, name, errors)
            elif name == "directorate":
                row[name] = _named(value, directorates, index, name, "directorate", errors)
            elif name in ("line_manager", "statutory_role"):
                row[name] = value or None
            elif name == "seniority" and not value:
                continue
            else:
                row[name] = value
        rows.append(row)
    if errors:
        raise ValidationError({f"officers.{key}": value for key, value in errors.items()})
    return rows


def members_to_sync(records: list[dict], *, council_id: int) -> list[dict]:
    """CSV rows → ``sync_members`` rows (``id`` blank: a new member)."""
    wards = selectors.wards_by_name(council_id)
    groups = selectors.political_groups_by_name(council_id)
    errors: dict[str, list[str]] = {}
    rows = []
    for index, record in enumerate(records):
        row: dict = {}
        for name, value in record.items():
            if name == "id":
                if value and not value.isdigit():
                    errors.setdefault(f"{index}.id", []).append("Leave blank for a new member.")
                row["id"] = int(value) if value.isdigit() else None
            elif name == "roles":
                row[name] = [role.strip() for role in value.split(";") if role.strip()]
            elif name == "ward":
                row[name] = _named(value, wards, index, name, "ward", errors)
            elif name == "political_group":
                row[name] = _named(value, groups, index, name, "political group", errors)
            elif name in ("term_start", "term_end"):
                row[name] = _date(value, index, name, errors)
            elif name == "kind" and not value:
                continue
            else:
                row[name] = value
        rows.append(row)
    if errors:
        raise ValidationError({f"members.{key}": value for key, value in errors.items()})
    return rows


@dataclass(frozen=True)
class RowProblem:
    """One problem a sync found in a file: its line (None for the file as a whole), the
    column as the file's header names it, and what to do."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"Line {self.line}, {self.column.replace('_', ' ')}: {self.message}"


def row_problems(error: ValidationError, *, first_line: int = 2) -> list[RowProblem]:
    """A sync's errors (``officers.3.email``) by line of the file (the header is line 1),
    in the order of the file: problems with the file as a whole first."""
    if not hasattr(error, "error_dict"):
        return [RowProblem(None, "", message) for message in error.messages]
    problems = []
    for key, items in error.message_dict.items():
        parts = key.split(".", 2)
        if len(parts) == 3 and parts[1].isdigit():
            line = int(parts[1]) + first_line
            problems.extend(RowProblem(line, parts[2], message) for message in items)
        else:
            problems.extend(RowProblem(None, "", message) for message in items)
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.column))


def row_messages(error: ValidationError, *, first_line: int = 2) -> list[str]:
    """A sync's errors as sentences naming the line of the file."""
    return [str(problem) for problem in row_problems(error, first_line=first_line)]

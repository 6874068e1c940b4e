"""The working-day calculator: a council's receipt day and due date for N working days.

``GET /api/v1/councils/{slug}/working-days/`` (API.md, Councils) answers with the same rules
every deadline in Councilcase uses (``council.calendar``; city council protocol 10.3.1), so an
integration or a page can show a due date before a case exists.
"""

import datetime
import re

from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.scoping import scope_to_viewer
from council.calendar import LONDON, OutsideCalendar, calendar_for
from council.models import Council

MAX_WORKING_DAYS = 1000

# "…T10:00:00+01:00" sent unencoded in a query string arrives as "…T10:00:00 01:00".
_OFFSET_WITH_LOST_PLUS = re.compile(r"^(?P<moment>.+\d)\s(?P<offset>\d{2}(?::?\d{2})?)$")
_HAS_TIME = re.compile(r"^\d{4}-?\d{2}-?\d{2}[T ]\d{2}")


class ReceivedAtField(serializers.DateTimeField):
    """An ISO 8601 timestamp. One without an offset is Europe/London local time.

    A local time that occurs twice (the autumn clock change) is taken as its first occurrence
    (BST); one that never occurs (the spring change) is read with the offset before the change.
    """

    default_error_messages = {
        "invalid": "Give an ISO 8601 timestamp with a time, e.g. 2026-12-18T10:00:00Z.",
    }

    def to_internal_value(self, value):
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            text = str(value).strip()
            lost_plus = _OFFSET_WITH_LOST_PLUS.match(text)
            if lost_plus and _HAS_TIME.match(lost_plus["moment"]):
                text = f"{lost_plus['moment']}+{lost_plus['offset']}"
            try:
                moment = parse_datetime(text) if _HAS_TIME.match(text) else None
            except ValueError:
                moment = None
            if moment is None:
                self.fail("invalid")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LONDON)
        return moment


class WorkingDaysQuerySerializer(serializers.Serializer):
    received_at = ReceivedAtField(
        required=False,
        help_text=(
            "When it was received: an ISO 8601 timestamp. Without an offset it is read as "
            "Europe/London local time. Give this or start, not both."
        ),
    )
    start = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text="The receipt day itself (day 0), instead of received_at.",
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        help_text=f"How many working days after the receipt day (0 to {MAX_WORKING_DAYS}).",
    )

    def validate(self, attrs):
        if "received_at" in attrs and "start" in attrs:
            raise serializers.ValidationError(
                {"start": ["Give either received_at or start, not both."]}
            )
        if "received_at" not in attrs and "start" not in attrs:
            raise serializers.ValidationError(
                {"received_at": ["Give received_at (a timestamp) or start (a date)."]}
            )
        return attrs


class WorkingDaysSerializer(serializers.Serializer):
    receipt_day = serializers.DateField(help_text="Day 0 under the council's convention.")
    due_date = serializers.DateField(
        help_text="The Nth working day after the receipt day; overdue from 00:00 the day after."
    )


class WorkingDaysErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def _councils_visible_to(request):
    """The councils the caller may see: an API token's own council, otherwise the viewer's
    scope (their own council; every council for a superuser; API.md, Councils)."""
    token_council_id = getattr(request.auth, "council_id", None)
    if token_council_id is not None:
        return Council.objects.filter(pk=token_council_id)
    return scope_to_viewer(Council.objects.all(), request.user, council_field="pk")


class WorkingDaysView(APIView):
    """Receipt day and due date for N working days in one council's calendar.

    ``received_at`` is turned into the receipt day by the council's convention (deemed receipt
    with its cut-off, or the ICO's); ``start`` is taken as the receipt day as given. A council
    the caller may not see answers 404, like one that does not exist. Bad parameters raise
    ``ValidationError``, which the API's exception handler answers 400 in the project's shape.
    """

    scope_resource = "councils"

    @extend_schema(
        operation_id="councils_working_days",
        summary="Receipt day and due date for N working days",
        description=(
            "Counts working days by the council's calendar (DESIGN.md, The working-day "
            "calendar): Monday to Friday, not a bank holiday of the council's nation, not a "
            "closure day. Give `received_at` (deemed receipt: on or after the cut-off, or on a "
            "non-working day, counts from the next working day; ICO: day 1 is the first "
            "working day after the date of receipt) or `start` (the receipt day itself)."
        ),
        parameters=[WorkingDaysQuerySerializer],
        responses={
            200: WorkingDaysSerializer,
            400: WorkingDaysErrorSerializer,
            404: OpenApiResponse(description="No such council, or not the caller's."),
        },
        examples=[
            OpenApiExample(
                "England",
                summary="England: received Friday 18 December 2026 10:00, 10 working days",
                value={"receipt_day": "2026-12-18", "due_date": "2027-01-06"},
                response_only=True,
            )
        ],
    )
    def get(self, request, slug):
        council = _councils_visible_to(request).filter(slug=slug).first()
        if council is None:
            raise NotFound("No council with that slug.")
        query = WorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        calendar = calendar_for(council)
        try:
            if "start" in params:
                receipt_day = params["start"]
                calendar.is_working_day(receipt_day)  # within the calendar's years
            else:
                receipt_day = calendar.receipt_day(params["received_at"])
        except OutsideCalendar as error:
            field = "start" if "start" in params else "received_at"
            raise serializers.ValidationError({field: [str(error)]}) from error
        try:
            due_date = calendar.working_days_after(receipt_day, params["days"])
        except OutsideCalendar as error:
            raise serializers.ValidationError({"days": [str(error)]}) from error
        return Response(
            WorkingDaysSerializer({"receipt_day": receipt_day, "due_date": due_date}).data
        )

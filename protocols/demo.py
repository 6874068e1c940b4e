"""The demo council's protocol (``manage.py seed_demo``): the city council's Protocol for
Member/Officer Relations, imported through the same services as the API and adopted by Full
Council, with its review due within the reminder window so that the Monitoring Officer has
a reminder to see once the daily task runs.

The document is ``protocols/fixtures/city-council-protocol.txt`` (see SOURCE.md there).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from council.calendar import local_date

from . import services

DEMO_DOCUMENT = Path(__file__).resolve().parent / "fixtures" / "city-council-protocol.txt"
DEMO_TITLE = "Protocol for Member/Officer Relations"
DEMO_LABEL = "2025 edition"
# Adopted this long before today: its annual review falls due in 25 days.
ADOPTED_DAYS_AGO = 340


def build_demo_protocol(council) -> None:
    """Import the city council protocol as the demo council's protocol and adopt it."""
    by = "command:seed_demo"
    _text, parsed = services.read_document(
        data=DEMO_DOCUMENT.read_bytes(), filename=DEMO_DOCUMENT.name
    )
    version = services.import_protocol(
        council=council,
        title=DEMO_TITLE,
        by=by,
        parsed=parsed,
        label=DEMO_LABEL,
        source_name=DEMO_DOCUMENT.name,
        field="file",
    )
    services.adopt_version(
        version=version,
        by=by,
        adopted_on=local_date(timezone.now()) - datetime.timedelta(days=ADOPTED_DAYS_AGO),
        approving_body="Full Council",
    )

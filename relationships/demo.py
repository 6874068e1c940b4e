"""Demo declarations (seed_demo), made through relationships.services so that they are real:
relationships that meet the demo's enquiries, so the conflict checks have something to find.

- Maya Patel (waste services) is Cllr Peter Kowalski's daughter-in-law; his missed-bins
  enquiry is hers, and reassigning it to her would now be refused. Advice given.
- Kwame Mensah (housing) has a close personal relationship with Cllr Susan Doyle, whose damp
  flat enquiry he holds. Submitted, waiting for the Monitoring Officer.
- Cllr Fiona Grant knows Ravi Patel, the constituent of her council tax enquiry: the other
  Riverside member is suggested to assist.
- Tom Evans (deputy Monitoring Officer) is a member of a lodge (protocol 13.1-13.2).
- Rob Fielding (Director of Resources) declared a friendship with Cllr Nadia Hussain to the
  Chief Executive.
"""

from __future__ import annotations

import datetime

from council.models import Member, Officer

from . import services
from .parties import External

BY = "command:seed_demo"


def build_demo_declarations(council) -> None:
    """Add a few declarations that cause conflicts in the demo data."""

    def officer(number):
        return Officer.objects.get(council=council, employee_number=number)

    def member(name):
        return Member.objects.get(council=council, full_name=name)

    maya = services.submit_declaration(
        council=council,
        by=BY,
        declarant=officer("E1012"),
        counterpart=member("Peter Kowalski"),
        kind="family",
        description="Cllr Kowalski is my father-in-law.",
        started_on=datetime.date(2019, 6, 1),
    )
    services.give_advice(
        declaration=maya,
        by=BY,
        advice="Maya should not handle enquiries raised by Cllr Kowalski; the Highways "
        "Manager will reassign any that reach her.",
    )
    services.submit_declaration(
        council=council,
        by=BY,
        declarant=officer("E1031"),
        counterpart=member("Susan Doyle"),
        kind="close_personal",
        description="We have been in a relationship since last spring.",
        started_on=datetime.date(2025, 4, 1),
    )
    services.submit_declaration(
        council=council,
        by=BY,
        declarant=member("Fiona Grant"),
        counterpart=External("Ravi Patel"),
        kind="constituent",
        description="Ravi is a close neighbour and an old friend.",
        started_on=datetime.date(2010, 1, 1),
    )
    services.submit_declaration(
        council=council,
        by=BY,
        declarant=officer("E1002"),
        counterpart=External("Harbour Lodge No. 42"),
        kind="organisation_membership",
        description="Member since 2012.",
        started_on=datetime.date(2012, 9, 1),
    )
    services.submit_declaration(
        council=council,
        by=BY,
        declarant=officer("E1005"),
        counterpart=member("Nadia Hussain"),
        kind="friendship",
        declared_to="chief_executive",
        description="We were at university together.",
        started_on=datetime.date(2001, 10, 1),
    )

"""Pages of the service itself rather than of its domain: the accessibility statement."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# The statement's dates (The Public Sector Bodies (Websites and Mobile Applications)
# Accessibility Regulations 2018, regulation 8: the statement must say when it was prepared
# and last reviewed). Change them when the statement is reviewed.
STATEMENT_PREPARED = datetime.date(2026, 11, 23)
STATEMENT_REVIEWED = datetime.date(2026, 11, 23)

# RFC 2606 reserves .invalid: an address there is the settings placeholder, never a real one.
PLACEHOLDER_DOMAIN = ".invalid"


@require_safe
def accessibility_statement(request):
    """The accessibility statement the 2018 regulations require of a public sector website,
    in GOV.UK's sample form. Public: someone who cannot sign in must be able to read it."""
    contact = settings.COUNCILCASE_ACCESSIBILITY_CONTACT
    return render(
        request,
        "accessibility.html",
        {
            "contact": contact,
            "contact_is_placeholder": contact.endswith(PLACEHOLDER_DOMAIN),
            "prepared": STATEMENT_PREPARED,
            "reviewed": STATEMENT_REVIEWED,
        },
    )

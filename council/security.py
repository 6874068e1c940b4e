"""Sign-in protection (DESIGN.md, Security decisions): the account a sign-in attempt is
counted against by django-axes."""


def sign_in_username(request, credentials) -> str | None:
    """The email address an attempt names, as accounts are matched (case-insensitively,
    without surrounding spaces), so that "Ann@Council.gov.uk " and "ann@council.gov.uk" count
    as one account's failures."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None

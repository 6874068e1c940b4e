"""Reading server-rendered pages in tests (through Django's test client)."""

import html


def content(response) -> str:
    return response.content.decode()


def pagination_href(page: str, direction: str) -> str:
    """The href of a GOV.UK pagination link (``direction``: ``next`` or ``prev``), unescaped
    so that it can be requested as it stands."""
    link = page.split(f'class="govuk-pagination__{direction}"')[1]
    return html.unescape(link.split('href="')[1].split('"')[0])

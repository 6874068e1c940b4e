"""Who may use each protocols API route (see tests/matrix.py)."""

from tests.matrix import Route

ROUTES: dict[str, Route] = {}

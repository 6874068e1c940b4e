"""Who may use each relationships API route (see tests/matrix.py)."""

from tests.matrix import Route

ROUTES: dict[str, Route] = {}

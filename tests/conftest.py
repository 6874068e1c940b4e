"""Shared fixtures. The real PostgreSQL and Redis are started by tests/harness.py."""

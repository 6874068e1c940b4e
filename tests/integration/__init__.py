"""Issue 7: the integration API for HR systems, end to end."""

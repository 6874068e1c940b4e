"""Models of the protocols app: built by its own issue."""

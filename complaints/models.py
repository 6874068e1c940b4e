"""Models of the complaints app: built by its own issue."""

"""Models of the relationships app: built by its own issue."""

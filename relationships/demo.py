"""Demo declarations (seed_demo): built by the relationships issue."""


def build_demo_declarations(council) -> None:
    """Add a few declarations that cause conflicts in the demo data."""

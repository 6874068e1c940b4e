"""The demo council's protocol (seed_demo): built by the protocols issue."""


def build_demo_protocol(council) -> None:
    """Import the city council protocol from ../shared/seeds as the demo council's protocol."""

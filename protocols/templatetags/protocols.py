"""``{% load protocols %}``: what the home page needs to know about protocols."""

from django import template

from protocols.permissions import may_change_protocols

register = template.Library()


@register.filter
def maintains_protocols(user) -> bool:
    """Whether ``user`` maintains the protocols (the Monitoring Officer and deputies, the
    council's administrators): ``{% if user|maintains_protocols %}``."""
    return may_change_protocols(user)

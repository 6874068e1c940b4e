"""Template filters for linking to the declaration pages (the home page's links)."""

from django import template

from relationships import permissions

register = template.Library()


@register.filter
def may_declare(user) -> bool:
    return permissions.may_declare(user)


@register.filter
def keeps_register(user) -> bool:
    return permissions.keeps_register(user)

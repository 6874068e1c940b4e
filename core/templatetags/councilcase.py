"""GOV.UK Frontend components for Councilcase's templates: ``{% load councilcase %}``.

The components are govuk-frontend-django's dataclasses rendered through its Jinja macros, with
two differences that matter in production:

- No state on the template node. govuk-frontend-django's block tags (``gds_breadcrumbs``,
  ``gds_summary_list``, ``gds_component``) keep what they resolve on the ``Node``, which the
  cached template loader shares between threads: under a threaded server two requests can
  swap items. Everything here is a ``simple_tag`` that builds its component per call.
- One Jinja environment for the process. ``GovUKComponent.render()`` builds a new environment
  and compiles the macro on every call (about 14 ms a component); here a compiled macro is
  reused (well under 1 ms).

Templates use ``{% govuk "tag" text="Member" %}`` for any simple component, and the named tags
below for the ones that need the page's context (navigation, pagination, errors, messages).
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import asdict, is_dataclass

from django import forms, template
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from jinja2 import (
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
)

register = template.Library()

_COMPONENT_NAME = re.compile(r"^[a-z]+(-[a-z]+)*$")


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        autoescape=True,
    )


@functools.cache
def _project_environment() -> Environment:
    """The project's own Jinja templates (``{% jinja %}``), beside its Django templates."""
    return Environment(
        loader=FileSystemLoader(settings.TEMPLATES[0]["DIRS"]),
        autoescape=True,
        undefined=StrictUndefined,
    )


@functools.cache
def _macro(jinja_template: str, macro_name: str):
    source = f"{{%- from '{jinja_template}' import {macro_name} -%}}{{{{ {macro_name}(data) }}}}"
    return _environment().from_string(source)


def _is_markup_option(key: str, parent: str) -> bool:
    """Options the macros print with ``| safe``: ``html``, ``...Html`` and the slots."""
    return key == "html" or key.endswith("Html") or parent == "slots"


def _options(value, key: str = "", parent: str = ""):
    """The component's options as the macros expect them. Options set to None are left out
    (the macros test ``is defined``), and a markup option that is not already safe HTML is
    escaped: the macros print it with ``| safe``, so a plain string from a template variable
    must never reach them as markup."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        return {name: _options(item, name, key) for name, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_options(item, "", key) for item in value]
    if _is_markup_option(key, parent):
        return conditional_escape(value)
    return value


def render_component(name: str, **params) -> str:
    """Render the GOV.UK Frontend component ``name`` ("error-summary", "tag", ...) with the
    macro's options. Text options are escaped, and so are ``html`` options unless they are
    already safe (``format_html``, ``mark_safe``)."""
    if not _COMPONENT_NAME.match(name):
        raise template.TemplateSyntaxError(f"Not a GOV.UK Frontend component name: {name!r}")
    module = importlib.import_module(f"govuk_frontend_django.components.{name.replace('-', '_')}")
    component = module.COMPONENT(**params)  # checks the option names
    data = _options(dict(vars(component)))
    return mark_safe(_macro(component._jinja2_template, component._macro_name).render(data=data))  # noqa: S308 - the macros escape their text options


@register.simple_tag
def jinja(template_name: str, **context) -> str:
    """``{% jinja "complaints/_rows.jinja" rows=rows %}``: a Jinja template of templates/,
    for the rows of long lists. Jinja compiles a template to Python: a page of 25 enquiries
    costs a third of what the Django engine takes for the same markup (bench/lists.py).

    Escaping is Jinja's autoescape: text is escaped, and Django's safe strings stay safe
    (they carry ``__html__``). A variable the template uses must be passed (StrictUndefined):
    a misspelt name is an error, not an empty cell."""
    source = _project_environment().get_template(template_name)
    return mark_safe(source.render(context))  # noqa: S308 - Jinja escaped the values


# Values whose rendering depends only on the value and its type (a plain string is escaped,
# safe HTML is not). Tuples of them too.
_PLAIN_TYPES = (str, SafeString, int, bool, type(None))


def _typed(value):
    """``value`` with the type of each plain value beside it (a hashable cache key), or None
    if anything in it is not plain."""
    if isinstance(value, tuple):
        parts = tuple(_typed(part) for part in value)
        return None if any(part is None for part in parts) else (tuple, parts)
    return (type(value), value) if type(value) in _PLAIN_TYPES else None


def _untyped(typed):
    kind, value = typed
    return tuple(_untyped(part) for part in value) if kind is tuple else value


def _rendered_once(render):
    """``render(*arguments)``, kept per process (a bounded cache) when every argument is
    plain: most components repeat the same options on every page (the skip link, the phase
    banner, a person's navigation)."""
    cached = functools.lru_cache(maxsize=512)(lambda typed: render(*_untyped(typed)))

    @functools.wraps(render)
    def wrapper(*arguments):
        typed = _typed(arguments)
        return render(*arguments) if typed is None else cached(typed)

    return wrapper


@register.simple_tag
def govuk(name, **params):
    """Any GOV.UK Frontend component: ``{% govuk "inset-text" text="..." %}``. A double
    underscore reaches into a nested option: ``{% govuk "phase-banner" tag__text="Beta" %}``."""
    return _govuk(name, tuple(params.items()))


@_rendered_once
def _govuk(name: str, params: tuple) -> str:
    options: dict = {}
    for key, value in params:
        *parents, leaf = key.split("__")
        target = options
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return render_component(name, **options)


# Header ------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def service_navigation(context):
    """The service navigation: the service name and, for a signed-in person, the pages their
    roles give them, their name and a sign-out button (a POST form: signing out changes state).

    Rendered once per process for each service name, set of links and person (a bounded
    cache); the request's CSRF token, different on every page, is put in afterwards."""
    request = context.get("request")
    user = getattr(request, "user", None)
    service_name = context.get("service_name") or "Councilcase"
    if user is None or not user.is_authenticated:
        return _service_navigation(service_name, (), None)
    items = tuple(tuple(item.items()) for item in (context.get("service_navigation") or []))
    rendered = _service_navigation(service_name, items, user.full_name or user.email)
    token = conditional_escape(context.get("csrf_token") or "")
    return mark_safe(rendered.replace(_CSRF_PLACEHOLDER, token))  # noqa: S308 - token escaped


# Stands for the request's CSRF token in a cached navigation (letters and hyphens only, so
# escaping leaves it as it is).
_CSRF_PLACEHOLDER = "councilcase-csrf-token-placeholder"


@_rendered_once
def _service_navigation(service_name: str, items: tuple, person: str | None) -> str:
    params = {
        "serviceName": service_name,
        "serviceUrl": "/",
        "navigation": [dict(item) for item in items],
        "navigationLabel": "Menu",
    }
    if person is not None:
        params["slots"] = {
            "navigationEnd": format_html(
                '<li class="govuk-service-navigation__item app-service-navigation__person">'
                '<span class="govuk-visually-hidden">Signed in as </span>{}</li>'
                '<li class="govuk-service-navigation__item">'
                '<form method="post" action="{}" class="app-service-navigation__form">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button type="submit" class="govuk-service-navigation__link '
                'app-service-navigation__button">Sign out</button>'
                "</form></li>",
                person,
                reverse("logout"),
                _CSRF_PLACEHOLDER,
            )
        }
    return render_component("service-navigation", **params)


# Page furniture ----------------------------------------------------------------------------


@register.simple_tag
def govuk_breadcrumbs(*crumbs):
    """``{% govuk_breadcrumbs "Home" home_url "People" people_url %}``: text and link pairs,
    leading to the current page (which the Design System leaves out)."""
    if len(crumbs) % 2:
        raise template.TemplateSyntaxError("govuk_breadcrumbs takes text and link pairs")
    return _breadcrumbs(crumbs)


@_rendered_once
def _breadcrumbs(crumbs: tuple) -> str:
    items = [
        {"text": text, "href": href} for text, href in zip(crumbs[::2], crumbs[1::2], strict=True)
    ]
    return render_component("breadcrumbs", items=items, collapseOnMobile=True)


@register.simple_tag(takes_context=True)
def govuk_pagination(context, page, landmark_label="Pages"):
    """GOV.UK pagination for a Django ``Page``, keeping the page's other query parameters
    (the search and filters) in every link. Nothing when everything fits on one page."""
    if page is None or page.paginator.num_pages <= 1:
        return ""
    request = context.get("request")
    query = request.GET.copy() if request is not None else {}

    def href(number):
        query["page"] = number
        return "?" + query.urlencode()

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append(
                {"number": str(number), "href": href(number), "current": number == page.number}
            )
    return render_component(
        "pagination",
        items=items,
        previous={"href": href(page.previous_page_number())} if page.has_previous() else None,
        next={"href": href(page.next_page_number())} if page.has_next() else None,
        landmarkLabel=landmark_label,
    )


@register.simple_tag(takes_context=True)
def notification_banners(context):
    """The messages of the request (django.contrib.messages) as notification banners: success
    messages as success banners, which take focus, others as important banners."""
    request = context.get("request")
    if request is None:
        return ""
    banners = []
    for message in messages.get_messages(request):
        success = message.level == messages.SUCCESS
        banners.append(
            render_component(
                "notification-banner",
                type="success" if success else None,
                titleText="Success" if success else "Important",
                html=format_html(
                    '<p class="govuk-notification-banner__heading">{}</p>', message.message
                ),
            )
        )
    return mark_safe("".join(banners))  # noqa: S308 - each banner was rendered with escaping


# Errors ------------------------------------------------------------------------------------


def _error_target(bound_field, index=None) -> str:
    """The id of the input an error summary link moves focus to, matching the ids
    crispy-forms-gds renders: day, month or year of a date; the first radio or checkbox."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_{index or 0}"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.id_for_label or bound_field.auto_id


def _error_list(form) -> list[dict]:
    errors = []
    visible = form.visible_fields()
    first = _error_target(visible[0]) if visible else None
    hidden_errors = [error for field in form.hidden_fields() for error in field.errors]
    for error in [*form.non_field_errors(), *hidden_errors]:
        errors.append({"text": error, "href": f"#{first}" if first else None})
    for bound_field in visible:
        seen = []
        # A date input's day, month and year report their own errors (crispy-forms-gds).
        for index, subfield in enumerate(getattr(bound_field.field, "fields", ())):
            for error in getattr(subfield.widget, "errors", None) or ():
                errors.append({"text": error, "href": f"#{_error_target(bound_field, index)}"})
                seen.append(error)
        for error in bound_field.errors:
            if error not in seen:
                errors.append({"text": error, "href": f"#{_error_target(bound_field)}"})
    return errors


@register.simple_tag
def govuk_error_summary(*forms_on_page):
    """The error summary for one or more bound forms, each error linking to its input.
    Put it at the top of the main column, before the page's h1."""
    errors = []
    for form in forms_on_page:
        if form is not None and form.is_bound and form.errors:
            errors.extend(_error_list(form))
    if not errors:
        return ""
    return render_component("error-summary", titleText="There is a problem", errorList=errors)

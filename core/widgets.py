"""Form widgets shared by every app's pages.

``LongSelect`` renders the same ``<select>`` markup as Django's ``Select`` widget, but builds
its options in Python instead of including a template per option. A council's officer picker
has hundreds of options, and the template include per option was most of the cost of the
enquiry queue page (bench/lists.py).
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _options(options) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (
                "" if option["value"] is None else option["value"],
                mark_safe(flatatt(option["attrs"])),  # noqa: S308 - flatatt escapes values
                option["label"],
            )
            for option in options
        ),
    )


class LongSelect(forms.Select):
    """A ``Select`` for long lists, identical in its markup to Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_name, _options(options))
                )
            else:
                parts.append(_options(options))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            mark_safe(flatatt(widget["attrs"])),  # noqa: S308 - flatatt escapes values
            mark_safe("".join(parts)),  # noqa: S308 - each part is built by format_html
        )

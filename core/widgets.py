"""Form fields and widgets for long pickers, shared by every app's pages.

A council's officer picker has hundreds of options. Django builds a model instance for each
option (``ModelChoiceField``) and includes a template for each (``Select``), which together
were most of the cost of the enquiry queue page (bench/lists.py). ``RowChoiceField`` reads
only the id and the label's columns of each row, and ``LongSelect`` writes the same markup as
Django's ``Select`` in Python.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


def _option(option) -> str:
    attrs = option["attrs"]
    if not attrs:
        extra = ""
    elif attrs == {"selected": True}:
        extra = " selected"
    else:
        extra = flatatt(attrs)
    value = "" if option["value"] is None else option["value"]
    return f'<option value="{escape(value)}"{extra}>{escape(option["label"])}</option>'


class LongSelect(forms.Select):
    """A ``Select`` for long lists, identical in its markup to Django's (as HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            inner = "".join(_option(option) for option in options)
            if group_name:
                inner = f'<optgroup label="{escape(group_name)}">{inner}</optgroup>'
            parts.append(inner)
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>'
            f"{''.join(parts)}</select>"
        )


class _RowIterator(ModelChoiceIterator):
    """Options from ``values_list("pk", *columns)``: no model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        field = self.field
        for pk, *columns in self.queryset.values_list("pk", *field.label_columns):
            yield (pk, field.label_from_row(*columns))

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class RowChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose options are built from ``label_columns`` of each row by
    ``label_from_row``; the chosen value is still cleaned to a model instance."""

    iterator = _RowIterator
    widget = LongSelect

    def __init__(
        self,
        *args,
        label_columns: tuple[str, ...],
        label_from_row: Callable[..., str],
        **kwargs,
    ):
        self.label_columns = label_columns
        self.label_from_row = label_from_row
        super().__init__(*args, **kwargs)

"""Form fields and widgets for long pickers, shared by every app's pages.

A council's officer picker has hundreds of options. Django builds a model instance for each
option (``ModelChoiceField``) and includes a template for each (``Select``), which together
were most of the cost of the enquiry queue page (bench/lists.py). ``RowChoiceField`` reads
only the id and the label's columns of each row, and ``LongSelect`` writes the same markup as
Django's ``Select`` in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A ``Select`` for long lists, identical in its markup to Django's (as HTML): the options
    are written straight from the choices, with none of the per-option dictionaries and
    templates Django's ``optgroups`` and ``create_option`` build (Select's options inherit no
    attributes, so only ``selected`` can differ between them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = widget["value"]
        multiple = self.allow_multiple_selected
        has_selected = False

        def option(option_value, label) -> str:
            nonlocal has_selected
            if option_value is None:
                option_value = ""
            selected = (not has_selected or multiple) and str(option_value) in chosen
            has_selected |= selected
            extra = " selected" if selected else ""
            return (
                f'<option value="{escape(str(option_value))}"{extra}>{escape(str(label))}</option>'
            )

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(value, sublabel) for value, sublabel in label)
                parts.append(f'<optgroup label="{escape(str(option_value))}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, label))
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(str(widget["name"]))}"{flatatt(widget["attrs"])}>'
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

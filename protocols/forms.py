"""The protocol pages' forms, rendered by crispy-forms-gds in the GOV.UK style.

Forms check only what was typed (a real date, a file or some text); every rule about
protocols lives in protocols.services, whose ``ValidationError`` the views put back on the
form (``add_service_errors``).
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from core.forms import form_helper, submit_button
from council.forms import GovukDateField

# What a person may upload: what the importer reads (protocols.importer.text_from_upload).
DOCUMENT_TYPES = ".txt,.md,.markdown,.docx,text/plain,text/markdown"
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    """A protocol document to preview before it is imported: a file or pasted text, the
    line it starts at, and a label. ``title`` is asked only for a new protocol."""

    title = forms.CharField(
        label="Title of the protocol",
        max_length=200,
        help_text="For example, Protocol for Member/Officer Relations",
        error_messages={
            "required": "Enter the title of the protocol",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    document = forms.FileField(
        label="Upload the document (optional)",
        required=False,
        help_text="Plain text, Markdown or Word (.docx)",
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_TYPES}),
    )
    text = forms.CharField(
        label="Or paste its text (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    start_marker = forms.CharField(
        label="Line at which the protocol starts (optional)",
        required=False,
        max_length=500,
        help_text="Everything before this line, such as a covering report, is skipped",
        error_messages={"max_length": "The line must be 500 characters or fewer"},
    )
    label = forms.CharField(
        label="Label for this version (optional)",
        required=False,
        max_length=100,
        help_text="For example, 2026 edition. If you leave it blank it is numbered",
        error_messages={"max_length": "Label must be 100 characters or fewer"},
    )

    def __init__(self, data=None, files=None, *, new_protocol: bool, **kwargs):
        super().__init__(data, files, **kwargs)
        if not new_protocol:
            del self.fields["title"]
        fields = [Field.text("title", field_width=Fluid.FULL)] if new_protocol else []
        self.helper = form_helper(
            *fields,
            Fieldset(
                Field("document"),
                Field.textarea("text"),
                legend="The document",
                legend_size=Size.MEDIUM,
            ),
            Field.text("start_marker", field_width=Fluid.FULL),
            Field.text("label", field_width=Fluid.ONE_HALF),
            submit_button("Preview the import"),
            multipart=True,
        )

    def clean(self):
        data = super().clean()
        document, text = data.get("document"), (data.get("text") or "")
        if document is None and not text.strip():
            self.add_error("document", "Upload the protocol's document or paste its text")
        elif document is not None and text.strip():
            self.add_error("text", "Upload a document or paste its text, not both")
        elif document is not None and document.size > MAX_DOCUMENT_BYTES:
            self.add_error("document", "The document must be smaller than 5 MB")
        return data


class CommitImportForm(forms.Form):
    """The preview's "Import" button: the document's text comes back with it, so nothing
    is kept on the server between the preview and the import."""

    title = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    start_marker = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    label = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    source_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def clean_text(self):
        # Browsers send a form's line breaks as CRLF: read the text as it was previewed.
        return self.cleaned_data["text"].replace("\r\n", "\n")


class AdoptForm(forms.Form):
    """Record the adoption of a version by the council's approving body."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    adopted_on = GovukDateField(
        name_in_errors="date of adoption",
        label="Date adopted",
        help_text="For example, 27 3 2026",
    )
    approving_body = forms.CharField(
        label="Adopted by",
        max_length=200,
        help_text="For example, Full Council",
        error_messages={
            "required": "Enter who adopted it, for example Full Council",
            "max_length": "Adopted by must be 200 characters or fewer",
        },
    )
    next_review_on = GovukDateField(
        name_in_errors="date of the next review",
        label="Next review (optional)",
        help_text="If you leave it blank, the review falls due a year after adoption",
        required=False,
    )

    def __init__(self, data=None, *, version, action: str, **kwargs):
        kwargs.setdefault("initial", {"version": version.version})
        super().__init__(data, prefix="adopt", **kwargs)
        self.helper = form_helper(
            Field("adopted_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("approving_body", field_width=Fluid.TWO_THIRDS, label_size=Size.SMALL),
            Field("next_review_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("version"),
            submit_button("Record adoption"),
            action=action,
        )


class StatusForm(forms.Form):
    """A one-button action on a version (consult, withdraw from consultation), posting the
    version the person saw so that a change made meanwhile is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CompareForm(forms.Form):
    """Which two versions of a protocol to compare (a GET form)."""

    version = forms.TypedChoiceField(
        label="Version", coerce=int, error_messages={"invalid_choice": "Select a version"}
    )
    against = forms.TypedChoiceField(
        label="Compared with",
        coerce=int,
        error_messages={"invalid_choice": "Select a version to compare with"},
    )

    def __init__(self, data=None, *, versions, action: str = "", **kwargs):
        super().__init__(data, **kwargs)
        choices = [(v.pk, f"{v.label} ({v.get_status_display().lower()})") for v in versions]
        self.fields["version"].choices = choices
        self.fields["against"].choices = choices
        self.helper = form_helper(
            Field.select("version", label_size=Size.SMALL),
            Field.select("against", label_size=Size.SMALL),
            submit_button("Compare", secondary=True, name="compare"),
            method="get",
            action=action,
        )

    def clean(self):
        data = super().clean()
        if data.get("version") is not None and data.get("version") == data.get("against"):
            self.add_error("against", "Select a different version to compare with")
        return data


class SearchForm(forms.Form):
    """The clause search (a GET form)."""

    q = forms.CharField(
        label="Search the protocols",
        required=False,
        max_length=200,
        help_text='Words to find, or a "phrase in quotes"',
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
    all_versions = forms.BooleanField(
        label="Include earlier versions and versions out for consultation", required=False
    )

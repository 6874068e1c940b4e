"""Which models the audit trail records, and what it must not copy from them.

Each app registers its models from ``AppConfig.ready()``; the triggers are (re)installed after
every ``migrate`` (core.audit.triggers), so a new model is audited by registering it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

# Columns that change on every save and say nothing about what was done.
DEFAULT_EXCLUDE = ("updated_at",)

_registry: dict[str, AuditedModel] = {}


@dataclass(frozen=True)
class AuditedModel:
    model: type
    table: str
    pk_column: str
    council_column: str | None
    exclude: tuple[str, ...]
    redact: tuple[str, ...]


def register(model, *, redact=(), exclude=(), council_field=None):
    """Record every insert, update and delete of ``model``'s table in the audit trail.

    ``redact``: personal fields whose changes are recorded without their values ("set",
    "changed"), so the trail does not outlive the data's retention period.
    ``exclude``: noise fields never recorded (``updated_at`` always is). A row whose only
    change is to excluded fields records no event.
    ``council_field``: the field naming the row's council, by which history is scoped;
    by default ``council`` when the model has one. The council model itself passes ``"id"``.
    """
    opts = model._meta
    if opts.abstract or opts.proxy or not opts.managed:
        raise ImproperlyConfigured(f"{opts.label}: only concrete, managed models are audited")
    redact_columns = tuple(sorted({_column(model, name) for name in redact}))
    exclude_columns = tuple(
        sorted(
            {_column(model, name) for name in exclude}
            | {name for name in DEFAULT_EXCLUDE if _has_column(model, name)}
        )
    )
    overlap = set(redact_columns) & set(exclude_columns)
    if overlap:
        raise ImproperlyConfigured(f"{opts.label}: {sorted(overlap)} both redacted and excluded")
    if council_field is None and _has_column(model, "council_id"):
        council_field = "council"
    council_column = _column(model, council_field) if council_field else None
    pk_column = opts.pk.column
    for always_kept in {pk_column, council_column} - {None}:
        if always_kept in exclude_columns or always_kept in redact_columns:
            raise ImproperlyConfigured(f"{opts.label}: {always_kept} is always recorded")
    _registry[opts.label_lower] = AuditedModel(
        model=model,
        table=opts.db_table,
        pk_column=pk_column,
        council_column=council_column,
        exclude=exclude_columns,
        redact=redact_columns,
    )


def registered() -> list[AuditedModel]:
    return sorted(_registry.values(), key=lambda entry: entry.table)


def audited(model) -> AuditedModel | None:
    return _registry.get(model._meta.label_lower)


def _has_column(model, column: str) -> bool:
    return any(field.column == column for field in model._meta.concrete_fields)


def _column(model, name: str) -> str:
    """The database column of a field given by name (``council``) or column (``council_id``)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.column == name), None)
    if field is None or not field.concrete or field.many_to_many:
        raise ImproperlyConfigured(f"{model._meta.label} has no column for {name!r}")
    return field.column

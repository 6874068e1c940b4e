"""Rows of a query made into model instances without ``Model.__init__``'s general path.

``Model.from_db`` is the documented place to change how instances are made from rows ("Customizing
model loading" in Django's reference). Django's own calls ``Model.__init__``, which takes any
mix of positional and keyword arguments, sends ``pre_init`` and ``post_init``, and sets every
field through ``setattr`` (a foreign key's id through its descriptor, which clears a cached
related object the new instance cannot have yet). For a row with every column loaded that
comes to the same instance as filling its ``__dict__`` at once, a quarter of the cost: on a
50-row API page, a quarter of a millisecond of the request (bench/lists.py).

The short way is taken only where it gives the very same instance; anything else goes through
Django's own ``from_db``:

- a row with deferred fields (``only()``/``defer()``);
- a model class with its own ``__init__`` or ``__setattr__``, or a field whose attribute on the
  class is anything but Django's plain deferred-attribute descriptors (a file field's, a
  custom descriptor): those want ``setattr``;
- while ``pre_init`` or ``post_init`` may have receivers for the class: the short way is taken
  only once Django itself has found none (the signal's own cache says so, as ``Signal.send``
  reads it), so connecting a receiver later is honoured at once.

Tests compare both ways on every model of the project (tests/core/test_loading.py).
"""

from __future__ import annotations

import inspect

from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def plain_attnames(model) -> tuple[str, ...] | None:
    """The attribute names of ``model``'s concrete fields, in the order of a row's columns,
    when an instance can be made by filling its ``__dict__``; None when it cannot."""
    if model._meta.abstract or model.__init__ is not models.Model.__init__:
        return None
    if model.__setattr__ is not object.__setattr__:
        return None
    attnames = []
    for field in model._meta.concrete_fields:
        if type(inspect.getattr_static(model, field.attname, None)) not in _PLAIN_DESCRIPTORS:
            return None
        attnames.append(field.attname)
    return tuple(attnames)


def _may_receive(signal, sender) -> bool:
    """Whether ``signal`` may have receivers for ``sender``: the test ``Signal.send`` makes
    before anything else (no receivers at all, or its cache found none for the sender)."""
    return bool(signal.receivers) and signal.sender_receivers_cache.get(sender) is not NO_RECEIVERS


class PlainLoading:
    """Mix into a model before ``models.Model`` (or an abstract base) to make instances from
    whole rows by filling their ``__dict__`` (see the module's docstring)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        try:
            attnames = cls.__dict__["_plain_attnames"]
        except KeyError:
            attnames = plain_attnames(cls)
            cls._plain_attnames = attnames
        if (
            attnames is None
            or len(values) != len(attnames)
            or _may_receive(pre_init, cls)
            or _may_receive(post_init, cls)
        ):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        fields = new.__dict__
        fields["_state"] = state
        fields.update(zip(attnames, values, strict=True))
        return new

"""Signals the organisation sends for other apps to act on.

``calendar_changed`` is sent with ``council`` (locked, with its new version) and ``by`` inside
the transaction that changed the council's working-day calendar: a closure day added or
removed, or the nation, cut-off or deadline convention changed. Receivers run in that
transaction, so what they recompute commits or rolls back with the change (complaints
recomputes the due dates of open enquiries; DESIGN.md, The working-day calendar).
"""

from django.dispatch import Signal

calendar_changed = Signal()

# ``officer_left`` is sent with ``officer`` (locked, now inactive) and ``by`` inside the
# transaction that made an active officer a leaver (the HR sync's ``active: false``; API.md,
# Officers). Receivers flag the leaver's open work for reassignment to their line manager in
# that transaction (complaints flags open enquiries; complaint stages can hook in the same way).
officer_left = Signal()

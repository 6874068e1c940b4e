"""The change feed: ``GET /api/v1/events/?after=CURSOR`` (API.md, Change feed; issue 7).

Integrations that poll instead of being called read every create, update and state change
they may see, oldest first, as ``{cursor, at, resource, id, action}``: never the record's
fields, so nothing personal is in the feed (DESIGN.md, Audit and data protection). The client
stores the last ``cursor`` and asks for what came after it.

Built on the audit trail (core.audit), which the database writes for every change in the
changing transaction, with that transaction's id. Why the feed orders by
``(transaction_id, id)`` and holds back the newest transactions: see ``core.events.feed``.

Which tables are which API resources is not listed here: it is read from the API itself
(``core.events.resources``): each council-scoped viewset names its ``model`` and its token
scope (``scope_resource``), and that scope is the feed's ``resource``. A new resource joins the
feed by existing.

Who reads it:

- an API token with ``events:read`` (or ``*``), seeing the events of the resources its other
  scopes let it read (``officers:read`` → officer events), in its own council;
- signed-in people whom ``settings.EVENT_FEED_READERS`` names (the council's Councilcase
  administrators), seeing the events of resources every person of their council may read in
  full (the organisation's records: viewsets declaring ``feed_to_people = True``), not those
  whose records are seen case by case (enquiries, complaints, declarations);
- service superusers: every council's events.
"""

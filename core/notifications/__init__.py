"""In-app notifications and the e-mail outbox they are delivered from (DESIGN.md, Member
enquiries: "Notifications are written to an outbox table in the same transaction as the change
that causes them and delivered by a worker").

A ``Notification`` row is both what a person sees in the app and the outbox row its e-mail is
sent from. Services call ``services.notify(...)`` inside their transaction; after commit a
Celery task (ids only: DESIGN.md, Security decisions) delivers it, and a periodic relay
delivers whatever a lost broker message left behind. No domain rules live here.
"""

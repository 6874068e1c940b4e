from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = "Declared relationships"

    def ready(self):
        from core import audit

        from . import models

        # What was declared and advised, and who outside the council it names, are personal
        # data: the trail records that they changed, never their values (DESIGN.md, Audit
        # and data protection). Conflict questions are their own append-only log.
        audit.register(
            models.Declaration,
            redact=("description", "advice", "counterpart_name", "counterpart_email"),
        )

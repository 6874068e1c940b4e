from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocols"

    def ready(self):
        from core import audit

        from . import models

        # Every change to a protocol is recorded (DESIGN.md, Audit and data protection). The
        # search vector is derived from the clause's text, already recorded, and is noise.
        audit.register(models.Protocol)
        audit.register(models.ProtocolVersion)
        audit.register(models.Clause, exclude=("search_vector",))

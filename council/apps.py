from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = "Council"

    def ready(self):
        from core import audit

        from . import models

        # Personal data is redacted: the trail records that it changed, never its value
        # (DESIGN.md, Audit and data protection). Secrets likewise.
        audit.register(models.Council, council_field="id")
        audit.register(models.ClosureDay)
        audit.register(models.Ward)
        audit.register(models.PoliticalGroup)
        audit.register(models.Directorate)
        audit.register(models.Member, redact=("full_name", "email"))
        audit.register(models.Officer, redact=("full_name", "email"))
        audit.register(models.Committee)
        audit.register(models.CommitteeMembership)
        audit.register(models.ApiToken, redact=("key_digest",), exclude=("last_used_at",))
        audit.register(
            models.User, redact=("email", "full_name", "password"), exclude=("last_login",)
        )

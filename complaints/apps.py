from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Enquiries and complaints"

    def ready(self):
        from core import audit
        from council.signals import calendar_changed

        from . import models, receivers

        # The constituent's details and what was written about them are personal data: the
        # trail records that they changed, never their values (DESIGN.md, Audit and data
        # protection), so it does not outlive their retention period.
        audit.register(
            models.Enquiry,
            redact=(
                "constituent_name",
                "constituent_email",
                "constituent_phone",
                "constituent_address",
                "subject",
                "description",
                "holding_reason",
                "response",
            ),
        )
        audit.register(models.EnquiryEvent, redact=("note",))
        audit.register(models.ServiceStandard)

        # Conduct complaints: their receivers and audit registration.
        from .conduct import receivers as conduct_receivers  # noqa: F401

        calendar_changed.connect(
            receivers.recompute_after_calendar_change,
            dispatch_uid="complaints.recompute_after_calendar_change",
        )

"""The Django admin for service operators: a read-only window onto enquiries and standards.

Enquiries change through the API and the pages, which call the services (transitions, the
timeline, the audit actor); the admin changes nothing. The constituent's details are left out
of it: operators need to see that an enquiry exists and where it is, not whom it is about.
"""

from django.contrib import admin

from council.admin import ReadOnlyAdmin

from .models import Enquiry, EnquiryEvent, ServiceStandard


@admin.register(ServiceStandard)
class ServiceStandardAdmin(ReadOnlyAdmin):
    list_display = (
        "council",
        "first_response_days",
        "full_response_days",
        "holding_response_extends",
        "escalate_after_overdue_days",
        "dissatisfied_escalation_to",
        "cited_clause_reference",
    )
    list_select_related = ("council",)


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ("reference", "council", "status", "response_due", "escalation_level")
    list_filter = ("council", "status", "channel")
    list_select_related = ("council",)
    search_fields = ("reference",)
    exclude = (
        "constituent_name",
        "constituent_email",
        "constituent_phone",
        "constituent_address",
        "description",
        "holding_reason",
        "response",
    )


@admin.register(EnquiryEvent)
class EnquiryEventAdmin(ReadOnlyAdmin):
    list_display = ("enquiry", "action", "actor", "at")
    list_filter = ("council", "action")
    list_select_related = ("enquiry",)
    exclude = ("note",)


from .conduct import admin as conduct_admin  # noqa: E402, F401 - the routes' admin

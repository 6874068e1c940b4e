"""The Django admin for service operators: a read-only window onto the councils' complaint
routes. Complaints themselves are confidential (DESIGN.md, Conduct complaints) and are not in
the admin at all: operators need to see how a council routes complaints, never what they say.

Loaded by complaints/admin.py (``from .conduct import admin``), since the admin discovers only
the app's own admin module.
"""

from django.contrib import admin

from council.admin import ReadOnlyAdmin

from .models import Route, RouteStage


class RouteStageInline(admin.TabularInline):
    model = RouteStage
    fields = ("order", "name", "owner_rule", "target_working_days", "allowed_outcomes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ("name", "council", "kind")
    list_filter = ("council", "kind")
    list_select_related = ("council",)
    inlines = [RouteStageInline]

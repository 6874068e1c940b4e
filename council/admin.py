"""The Django admin, for service operators (superusers) only.

It is a window onto the records, not a way round the rules: people, structure and calendars
change through the API, the pages and the HR sync, which call the services. The admin can
only view, except for sign-in accounts (activating, password resets by operators).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm

from .models import (
    ApiToken,
    ClosureDay,
    Committee,
    Council,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    User,
    Ward,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "nation", "cutoff_time", "deadline_convention")
    search_fields = ("name", "slug")


@admin.register(ClosureDay)
class ClosureDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "council", "reason")
    list_filter = ("council",)
    list_select_related = ("council",)


@admin.register(Ward, PoliticalGroup, Directorate, Committee)
class StructureAdmin(ReadOnlyAdmin):
    list_display = ("name", "council")
    list_filter = ("council",)
    list_select_related = ("council",)
    search_fields = ("name",)


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "council", "kind", "ward", "political_group")
    list_filter = ("council", "kind")
    list_select_related = ("council", "ward", "political_group")
    search_fields = ("full_name", "email")


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "employee_number", "council", "job_title", "active")
    list_filter = ("council", "active", "seniority")
    list_select_related = ("council",)
    search_fields = ("full_name", "email", "employee_number")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "key_prefix", "council", "created_at", "expires_at", "revoked_at")
    list_filter = ("council",)
    list_select_related = ("council",)
    exclude = ("key_digest",)


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "is_active", "is_staff", "is_superuser")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "council", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "council")
    search_fields = ("email", "full_name")
    readonly_fields = ("council", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "council")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()

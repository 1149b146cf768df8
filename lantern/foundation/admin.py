"""The Django admin shows agencies and accounts read-only (areas are administered with their
policy profile, in lantern.pathway.admin). Roles, agencies and authenticators change only
through Lantern's own pages (lantern.foundation.accounts), each change with a reason and
audited, none by the person it is about, and the powerful roles only with a second
administrator's approval. Authenticator devices are not in the admin at all: their secret is
never shown after enrolment. Children's records are deliberately absent: they are reached only
through Lantern's own pages, which check access and audit every read."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind", "area")
    search_fields = ("name",)


@admin.register(User)
class LanternUserAdmin(ReadOnlyAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency__area", "is_active")
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Lantern", {"fields": ("agency", "role", "job_title", "manager")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )


# django-otp registers its devices (with their secret keys) in the admin: take them out.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

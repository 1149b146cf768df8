"""Administration of agencies and users (areas are administered with their policy profile, in
lantern.pathway.admin). Children's records are deliberately absent: they are reached only
through Lantern's own pages, which check access and audit every read."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind", "area")
    search_fields = ("name",)


@admin.register(User)
class LanternUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency__area", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Lantern", {"fields": ("agency", "role", "job_title", "manager")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Lantern", {"fields": ("agency", "role", "job_title", "manager")}),
    )

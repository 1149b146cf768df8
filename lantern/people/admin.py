"""Administration of areas, agencies and users. Children's records are deliberately absent:
they are reached only through Lantern's own pages, which check access and audit every read."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Agency, Area, User


class AreaForm(forms.ModelForm):
    # An area adopts a shipped or local policy profile (lantern.pathway.policy).
    policy_profile = forms.ChoiceField(choices=())

    class Meta:
        model = Area
        fields = ("name", "slug", "nation", "policy_profile", "local_settings")

    def __init__(self, *args, **kwargs):
        from lantern.pathway import policy

        super().__init__(*args, **kwargs)
        self.fields["policy_profile"].choices = policy.choices()


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ("name", "nation", "policy_profile")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        # A change of profile goes through its action (audited; deadlines already set keep
        # their basis).
        from lantern.pathway.actions import adopt_profile

        if change and "policy_profile" in form.changed_data:
            code = obj.policy_profile
            obj.policy_profile = form.initial["policy_profile"]
            super().save_model(request, obj, form, change)
            adopt_profile(obj, code, by=request.user)
            obj.policy_profile = code
        else:
            super().save_model(request, obj, form, change)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind", "area")
    search_fields = ("name",)


@admin.register(User)
class LanternUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency__area", "is_active")
    fieldsets = UserAdmin.fieldsets + (
        ("Lantern", {"fields": ("agency", "role", "job_title", "manager")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Lantern", {"fields": ("agency", "role", "job_title", "manager")}),
    )

"""Administration of areas (each adopts a policy profile) and of local policy profiles: a
shipped profile with the partnership's own overrides, validated exactly as the shipped files
are before it is saved."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from lantern.domain.profiles import ProfileError
from lantern.foundation.models import Area

from . import actions, policy
from .models import LocalProfile


class LocalProfileForm(forms.ModelForm):
    base = forms.ChoiceField(choices=())

    class Meta:
        model = LocalProfile
        fields = ("code", "name", "base", "overrides", "reason")
        widgets = {"overrides": forms.Textarea(attrs={"rows": 16, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].choices = [(c, c) for c in policy.file_codes()]

    def clean(self):
        data = super().clean()
        if {"code", "base"} <= set(data):
            try:
                policy.build(data["code"], data["base"], data.get("overrides", ""))
            except ProfileError as error:
                raise forms.ValidationError(str(error)) from error
        return data


@admin.register(LocalProfile)
class LocalProfileAdmin(admin.ModelAdmin):
    form = LocalProfileForm
    list_display = ("code", "name", "base", "updated_at", "updated_by")
    readonly_fields = ("effective_timescales", "updated_at", "updated_by")

    @admin.display(description="Timescales in effect")
    def effective_timescales(self, obj):
        if obj is None or not obj.pk:
            return "Saved profiles show their timescales here."
        try:
            profile = policy.build(obj.code, obj.base, obj.overrides)
        except ProfileError as error:
            return str(error)
        return format_html_join(
            "", "<p>{}</p>",
            ((t.basis(profile.nation),) for t in profile.timescales.values()),
        )

    def save_model(self, request, obj, form, change):
        # Through the action, so the change is audited like every other write.
        saved = actions.save_local_profile(
            code=obj.code, name=obj.name, base=obj.base, overrides=obj.overrides,
            reason=obj.reason, by=request.user, instance=obj if change else None,
        )
        obj.pk = saved.pk


class AreaForm(forms.ModelForm):
    # An area adopts a shipped or local policy profile (lantern.pathway.policy).
    policy_profile = forms.ChoiceField(choices=())

    class Meta:
        model = Area
        fields = ("name", "slug", "nation", "policy_profile", "local_settings")

    def __init__(self, *args, **kwargs):
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
        if change and "policy_profile" in form.changed_data:
            code = obj.policy_profile
            obj.policy_profile = form.initial["policy_profile"]
            super().save_model(request, obj, form, change)
            actions.adopt_profile(obj, code, by=request.user)
            obj.policy_profile = code
        else:
            super().save_model(request, obj, form, change)

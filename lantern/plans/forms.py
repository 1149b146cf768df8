from typing import Any, cast

from django import forms
from django.utils import timezone

from lantern.domain.labels import in_sentence
from lantern.foundation.forms import GovukDateField, LanternForm
from lantern.foundation.models import User

from . import catalogue
from .models import MeasureRecord


def _choices_with_hints(field, rows):
    field.choices = [(row.code, row.label) for row in rows]
    field.choice_hints = {row.code: row.hint for row in rows if row.hint}


class ActionForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="What kind of action?", widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of action"})
    disruption_type = forms.ChoiceField(
        label="Disruption tactic (disruption actions only)", widget=forms.RadioSelect,
        required=False)
    subject: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label="Who is it against? (disruption actions only)", queryset=None, required=False,
        empty_label="Select a person",
        help_text="People linked to the child by intelligence you can see. Share intelligence "
        "first if the person is not listed.")
    description = forms.CharField(label="What will be done?", widget=forms.Textarea,
                                  error_messages={"required": "Enter what will be done"})
    risk = forms.CharField(label="Which risk does it address?", widget=forms.Textarea,
                           error_messages={"required": "Enter the risk the action addresses"})
    owner: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label="Who owns it?", queryset=None, required=False,
        empty_label="Someone without a Lantern account")
    owner_name = forms.CharField(label="Owner's name, if they have no Lantern account",
                                 required=False, max_length=200,
                                 help_text="For example, a foster carer or a parent")
    owner_agency_name = forms.CharField(label="Their agency or relationship to the child",
                                        required=False, max_length=200)
    due_on = GovukDateField(subject="the due date", required=False, label="Due date")
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect,
                               error_messages={"required": "Select the status"})
    parent_statement = forms.BooleanField(
        label="The parent or guardian has stated that they forbid the child to visit",
        required=False)
    served_on = GovukDateField(subject="the date the notice was served", required=False,
                               not_future=True, label="Date the notice was served (if served)")
    occupier_consent_or_power = forms.BooleanField(
        label="The occupier consented, or a legal power applies", required=False)
    advisories_given = forms.BooleanField(
        label="The occupier was told the purpose, that they need not consent, and that "
        "anything seized may be used in evidence", required=False)

    def __init__(self, *args, subjects, owners, **kwargs):
        super().__init__(*args, **kwargs)
        data = catalogue.get()
        _choices_with_hints(self.fields["kind"], data.action_kinds)
        _choices_with_hints(self.fields["disruption_type"], data.disruption_types)
        self.fields["status"].choices = [(s.code, s.label) for s in data.statuses]
        self.fields["subject"].queryset = subjects
        self.fields["subject"].label_from_instance = lambda s: s.name_text()
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: f"{u.display_name}, {u.agency.name}"

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_name") or "").strip():
            self.add_error("owner_name", "Select or name the person who owns the action")
        if not data.get("owner") and not (data.get("owner_agency_name") or "").strip():
            self.add_error("owner_agency_name", "Enter the owner's agency or relationship")
        due_on = data.get("due_on")
        # A new action, or a due date changed, is due today or later: a mistyped year would
        # make it overdue at once. An action already overdue keeps its date when edited.
        if (due_on is not None and due_on < timezone.localdate()
                and due_on != self.initial.get("due_on")):
            self.add_error("due_on", "Due date must be today or in the future")
        if data.get("kind") == "disruption":
            if not data.get("disruption_type"):
                self.add_error("disruption_type", "Select the disruption tactic")
            if not data.get("subject"):
                self.add_error("subject", "Select the person the disruption is against")
        return data


class StatusForm(LanternForm):
    """What an action's owner updates: its status and, for a warning notice, when it was
    served."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect,
                               error_messages={"required": "Select the status"})
    served_on = GovukDateField(subject="the date the notice was served", required=False,
                               not_future=True, label="Date the notice was served (if served)")

    def __init__(self, *args, cawn: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.code, s.label) for s in catalogue.get().statuses
        ]
        if not cawn:
            del self.fields["served_on"]


class BreachForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = GovukDateField(subject="the date of the breach", not_future=True,
                                 label="When was the notice breached?")
    detail = forms.CharField(label="What happened?", widget=forms.Textarea,
                             error_messages={"required": "Enter what happened"})


class MeasuresForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.ChoiceField(label="When is this?", widget=forms.RadioSelect,
                              choices=MeasureRecord.Stage.choices,
                              error_messages={"required": "Select when this is"})
    recorded_on = GovukDateField(subject="the date", not_future=True, label="Date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = catalogue.get()
        ratings = [("", "Not measured")] + [(str(n), f"{n}: {label}")
                                            for n, label in sorted(data.rating_labels.items())]
        self.measures = data.measures
        for measure in data.measures:
            if measure.scale == "rating":
                field = forms.TypedChoiceField(label=measure.label, choices=ratings,
                                               coerce=int, empty_value=None, required=False)
            else:
                field = forms.IntegerField(
                    label=f"{measure.label} (number since last measured)", min_value=0,
                    required=False, error_messages={
                        "invalid": f"Enter the number of {in_sentence(measure.label)} as digits",
                        "min_value": f"{measure.label} must be 0 or more"})
            field.help_text = measure.citation + (" (where needed)" if measure.optional else "")
            self.fields[f"m_{measure.code}"] = field

    def clean(self):
        data = super().clean()
        if not self.values():
            raise forms.ValidationError("Record at least one measure")
        return data

    def values(self) -> dict[str, int]:
        return {m.code: self.cleaned_data[f"m_{m.code}"] for m in self.measures
                if self.cleaned_data.get(f"m_{m.code}") is not None}

    def measure_fields(self):
        return [self[f"m_{m.code}"] for m in self.measures]


class CloseForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why is the plan ending?", widget=forms.Textarea,
                             help_text="For example, the child's pathway moved to a team "
                             "around the child",
                             error_messages={"required": "Enter why the plan is ending"})

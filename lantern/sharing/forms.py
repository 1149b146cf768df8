from django import forms

from lantern.foundation.forms import GovukDateField, LanternForm

from . import lawful_bases
from .models import BreakGlassGrant, SharingDecision


class SharingDecisionForm(LanternForm):
    outcome = forms.ChoiceField(
        label="What did you decide?", widget=forms.RadioSelect,
        choices=SharingDecision.Outcome.choices,
        error_messages={"required": "Select whether you shared the information"},
    )
    what = forms.CharField(
        label="What information?", widget=forms.Textarea,
        help_text="Only what is necessary and proportionate for the purpose",
        error_messages={"required": "Enter what information you shared or withheld"},
    )
    recipient = forms.CharField(
        label="With whom?", max_length=200,
        help_text="The person and their organisation",
        error_messages={"required": "Enter who the information was shared with, or asked for"},
    )
    purpose = forms.CharField(
        label="Why? The purpose", widget=forms.Textarea,
        error_messages={"required": "Enter the purpose of sharing"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis", widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    consent = forms.ChoiceField(
        label="Consent", widget=forms.RadioSelect, choices=SharingDecision.Consent.choices,
        error_messages={"required": "Select whether consent was sought, given or refused"},
    )
    consent_detail = forms.CharField(
        label="About consent", widget=forms.Textarea, required=False,
        help_text="Who was asked and what they said; if consent was not sought, why not "
        "(for example, it would place the child at greater risk)",
    )
    override = forms.ChoiceField(
        label="If you shared without consent, on what grounds?", widget=forms.RadioSelect,
        choices=[c for c in SharingDecision.Override.choices if c[0]], required=False,
    )
    override_reason = forms.CharField(
        label="Why those grounds apply", widget=forms.Textarea, required=False,
        help_text="The facts that make sharing without consent necessary",
    )
    decided_by_name = forms.CharField(
        label="Who made the decision?", max_length=200,
        help_text="Name and role. Decisions are made by people competent in child protection, "
        "such as your designated safeguarding lead",
        error_messages={"required": "Enter who made the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawful_basis"].choices = lawful_bases.choices()

    def clean(self):
        data = super().clean()
        shared = data.get("outcome") == SharingDecision.Outcome.SHARED
        consent = data.get("consent")
        if consent == SharingDecision.Consent.NOT_SOUGHT and not data.get("consent_detail"):
            self.add_error("consent_detail", "Enter why consent was not sought")
        if shared and consent in (SharingDecision.Consent.REFUSED,
                                  SharingDecision.Consent.NOT_SOUGHT):
            if not data.get("override"):
                self.add_error("override", "Select the grounds for sharing without consent")
            if not (data.get("override_reason") or "").strip():
                self.add_error("override_reason",
                               "Enter why sharing without consent is justified")
        return data


class BreakGlassForm(LanternForm):
    given_names = forms.CharField(
        label="Child's legal first names", max_length=120,
        error_messages={"required": "Enter the child's first names"},
    )
    family_name = forms.CharField(
        label="Child's legal last name", max_length=120,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(subject="the date of birth", label="Date of birth",
                                   not_future=True)
    reason = forms.CharField(
        label="Why do you need to see this record now?", widget=forms.Textarea,
        help_text="Your reason is recorded, the CSE team manager is told at once, and a "
        "manager reviews it",
        error_messages={"required": "Enter why you need emergency access"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 20:
            raise forms.ValidationError(
                "Enter why you need emergency access in a sentence or more"
            )
        return reason


class BreakGlassReviewForm(LanternForm):
    review = forms.ChoiceField(
        label="Was this emergency access appropriate?", widget=forms.RadioSelect,
        choices=[c for c in BreakGlassGrant.Review.choices if c[0]],
        error_messages={"required": "Select whether the access was appropriate"},
    )
    note = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class ChildReferenceForm(LanternForm):
    reference = forms.IntegerField(
        label="Child reference number", min_value=1,
        help_text="The number in the address of the child's record, for example 1042",
        error_messages={"required": "Enter the child reference number",
                        "invalid": "Enter the reference as a number, like 1042",
                        "min_value": "Enter the reference as a number, like 1042"},
    )

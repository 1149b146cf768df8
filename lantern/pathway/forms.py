from typing import cast

from django import forms

from lantern.foundation.forms import GovukDateField, GovukTimeField, LanternForm, YesNoField
from lantern.foundation.models import User

from . import discussions
from .models import Consent, ExitRoute, Outcome, Step


class ConcernForm(LanternForm):
    observed_on = GovukDateField(
        subject="the date you saw or heard this", not_future=True,
        label="When did you see or hear this?",
    )
    observed_time = GovukTimeField(
        subject="the time", label="Time (optional)", help_text="For example, 14:30",
    )
    narrative = forms.CharField(
        label="What happened?",
        widget=forms.Textarea,
        help_text="Describe what you saw or heard, who was involved and where. Write about "
        "what is being done to the child: they are never the problem.",
        error_messages={"required": "Enter what happened"},
    )
    child_words = forms.CharField(
        label="What did the child say? (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="In their own words, without changing them. Do not ask leading questions.",
    )
    urgent = YesNoField(
        label="Is the child at immediate risk of significant harm?",
        required_message="Select yes if the child is at immediate risk of significant harm",
        help_text="If yes, also phone the front door or police now: do not wait for Lantern.",
    )
    discussed_with = forms.CharField(
        label="Who have you discussed this with? (optional)",
        required=False,
        max_length=200,
        help_text="For example, your designated safeguarding lead",
    )

    def __init__(self, *args, born_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.born_on = born_on

    def clean_observed_on(self):
        observed_on = self.cleaned_data.get("observed_on")
        if observed_on and self.born_on and observed_on < self.born_on:
            raise forms.ValidationError(
                "The date you saw or heard this must be on or after the child's date of "
                f"birth, {self.born_on:%-d %B %Y}")
        return observed_on


class DiscussionForm(LanternForm):
    """The designated safeguarding lead's record of discussing a concern (SPEC §1)."""

    discussed_with = forms.CharField(
        label="Who did you discuss it with?", max_length=200,
        help_text="Usually the professional who recorded the concern",
        error_messages={"required": "Enter who you discussed the concern with"},
    )
    notes = forms.CharField(
        label="What did you discuss?", widget=forms.Textarea,
        help_text="What you both know about what is happening to the child, what you weighed "
        "up and why you agreed what you did",
        error_messages={"required": "Enter what you discussed"},
    )
    outcome = forms.ChoiceField(
        label="What did you agree?", widget=forms.RadioSelect,
        error_messages={"required": "Select what you agreed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = discussions.choices()


class ReferralForm(LanternForm):
    reason = forms.CharField(
        label="Why are you referring this child?",
        widget=forms.Textarea,
        help_text="What you are worried about and what you would like to happen",
        error_messages={"required": "Enter why you are referring this child"},
    )
    urgent = YesNoField(
        label="Is this urgent?",
        help_text="Urgent means the child may be at immediate risk of significant harm",
        required_message="Select yes if this referral is urgent",
    )
    consent = forms.ChoiceField(
        label="Has the child or their parent or carer agreed to this referral?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        help_text="A refusal does not stop a referral when a child is at risk",
        error_messages={"required": "Select whether consent was given, refused or not sought"},
    )
    consent_detail = forms.CharField(
        label="If consent was refused or not sought, say why you are referring",
        widget=forms.Textarea,
        required=False,
        help_text="For example, seeking consent would place the child at greater risk",
    )

    def clean(self):
        data = super().clean()
        if data.get("consent") in (Consent.REFUSED, Consent.NOT_SOUGHT) and not (
            data.get("consent_detail") or ""
        ).strip():
            self.add_error(
                "consent_detail", "Enter why you are referring without consent"
            )
        return data


class DecisionForm(LanternForm):
    outcome = forms.ChoiceField(
        label="What is your decision?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    rationale = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        help_text="The reasons for your decision, as you would explain them to the child and "
        "the referrer",
        error_messages={"required": "Enter the reasons for your decision"},
    )
    allocate_to: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label="Allocate to a social worker (optional)",
        queryset=None,
        required=False,
        empty_label="Do not allocate now",
    )

    def __init__(self, *args, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocate_to"].queryset = social_workers
        self.fields["allocate_to"].label_from_instance = lambda u: (
            f"{u.display_name}, {u.agency.name}"
        )


class AdvanceForm(LanternForm):
    """Move a child's pathway on to its next step."""

    to = forms.ChoiceField(
        label="What happens next?", widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    note = forms.CharField(
        label="What was decided, and why?", widget=forms.Textarea,
        help_text="Write about what is being done to the child and what will protect them",
        error_messages={"required": "Enter what was decided and why"},
    )
    review_on = GovukDateField(
        subject="the review date", required=False, label="Review date",
        help_text="Needed when a plan is agreed, and after a review while reviews are regular",
    )
    exit_route = forms.ChoiceField(
        label="If the pathway ends, where does the child go next?", required=False,
        widget=forms.RadioSelect, choices=ExitRoute.choices,
    )

    def __init__(self, *args, steps: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to"]).choices = steps

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if to == Step.EXIT and not data.get("exit_route"):
            self.add_error("exit_route", "Select where the child's pathway goes next")
        if to == Step.PLAN and not data.get("review_on") and "review_on" not in self.errors:
            self.add_error("review_on", "Enter the review date")
        return data


class UrgentRouteForm(LanternForm):
    reason = forms.CharField(
        label="Why does the child need the urgent route?", widget=forms.Textarea,
        help_text="Immediate significant harm, police protection or an emergency protection "
        "order: a section 47 enquiry starts and an urgent strategy discussion is called",
        error_messages={"required": "Enter why the child needs the urgent route"},
    )


class PoliceReferralDecisionForm(LanternForm):
    refer_to_police = YesNoField(
        label="Will you refer to the police?",
        required_message="Select yes if you will refer to the police",
    )
    reasons = forms.CharField(
        label="Your reasons", widget=forms.Textarea,
        help_text="Record the reasons whichever you decide",
        error_messages={"required": "Enter the reasons for your decision"},
    )


class MeetingExceptionForm(LanternForm):
    reason = forms.CharField(
        label="Why will the meeting not be held?", widget=forms.Textarea,
        help_text="A manager's exception: it is recorded on the child's record and counted in "
        "monitoring",
        error_messages={"required": "Enter why the meeting will not be held"},
    )


class ResponseForm(LanternForm):
    """What was done about a category 3 or trafficking response (issue 14, item 6). Each open
    response on the page has its own, told apart by its prefix."""

    outcome = forms.ChoiceField(
        label="What was done?", widget=forms.RadioSelect,
        error_messages={"required": "Select what was done",
                        "invalid_choice": "Select what was done from the choices given"},
    )
    note = forms.CharField(
        label="Details", widget=forms.Textarea,
        help_text="Who did it, when, and what it means for the child: for example, the "
        "reference of the referral, or where the evidence is kept",
        error_messages={"required": "Enter what was done"},
    )

    def __init__(self, *args, outcomes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = outcomes


class ResponseExceptionForm(LanternForm):
    reason = forms.CharField(
        label="Why may the child leave the pathway before the decision?",
        widget=forms.Textarea,
        help_text="A manager's exception: it is recorded on the child's record and counted in "
        "monitoring. The decision is still recorded when it comes",
        error_messages={"required": "Enter why the child may leave the pathway before the "
                                    "decision"},
    )


class AdultReferralForm(LanternForm):
    """Adult safeguarding told of a young person aged 18 or over at risk (issue 14, item 10).
    Each open one on the page has its own, told apart by its prefix."""

    referred_on = GovukDateField(
        subject="the date adult safeguarding was told", not_future=True,
        label="When were they told?",
    )
    referred_to = forms.CharField(
        label="Who was told?", max_length=200,
        help_text="The adult safeguarding (in Wales, adult protection) team or person",
        error_messages={"required": "Enter who in adult safeguarding was told"},
    )
    reference = forms.CharField(
        label="Their reference", max_length=100,
        help_text="The reference adult safeguarding gave. If they gave none, say so",
        error_messages={"required": "Enter the reference adult safeguarding gave, or say "
                                    "that they gave none"},
    )


class AdultExceptionForm(LanternForm):
    reason = forms.CharField(
        label="Why will adult safeguarding not be told?", widget=forms.Textarea,
        help_text="A manager's exception: it is recorded on the young person's record and "
        "counted in monitoring",
        error_messages={"required": "Enter why adult safeguarding will not be told"},
    )

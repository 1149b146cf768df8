from datetime import timedelta

from django import forms
from django.utils import timezone

from lantern.domain import monitoring as rules
from lantern.foundation.forms import LONG_TEXT, GovukDateField, LanternForm
from lantern.foundation.models import Gender

from .models import SixMonthlyReview

LONGEST_REVIEW_DAYS = 366


def _week_ahead_example() -> str:
    """An example due date a week ahead: a fixed one would soon be a date the form refuses."""
    week = timezone.localdate() + timedelta(days=7)
    return f"For example, {week.day} {week.month} {week.year}"


class FiltersForm(LanternForm):
    """The data set's filters (GET): the period, and which children, by area, agency, age
    band, sex and ethnicity. Every question may be left as it is."""

    since = GovukDateField(subject="the start of the period", required=False,
                           not_future=True, label="From",
                           help_text="For example, 1 4 2026. Leave empty for the last 6 months")
    until = GovukDateField(subject="the end of the period", required=False, label="To",
                           help_text="The last day counted. Leave empty for today")
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    agency = forms.TypedChoiceField(
        label="Agency", required=False, coerce=int, empty_value=None,
        help_text="The agency that made the referral, screened, recorded the episode or owns "
                  "the work")
    age_band = forms.ChoiceField(
        label="Age band", required=False,
        choices=[("", "Any age")] + [(b.code, b.label) for b in rules.AGE_BANDS],
        help_text="Age at the end of the period")
    gender = forms.ChoiceField(label="Sex or gender", required=False,
                               choices=[("", "Any")] + list(Gender.choices))
    ethnicity = forms.ChoiceField(label="Ethnicity", required=False)

    def __init__(self, *args, areas, agencies, ethnicities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(str(a.pk), a.name) for a in areas]
        self.fields["agency"].choices = [("", "Any agency")] + [
            (str(a.pk), f"{a.name} ({a.area.name})") for a in agencies]
        self.fields["ethnicity"].choices = [("", "Any")] + list(ethnicities)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the period must be the same as or after "
                                    "the start")
        return data


class LeadForm(LanternForm):
    """Name a CSE lead for an agency."""

    agency = forms.TypedChoiceField(label="Agency", coerce=int,
                                    error_messages={"required": "Select the agency"})
    name = forms.CharField(label="Full name", max_length=200,
                           error_messages={"required": "Enter the lead's full name"})
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    phone = forms.CharField(label="Telephone number", max_length=40, required=False)
    email = forms.EmailField(
        label="Email address", required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like "
                                   "name@example.com"})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Select an agency")] + [
            (str(a.pk), a.name) for a in agencies]

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.errors:
            self.add_error("phone", "Enter a telephone number or an email address")
        return data


class LeadSearchForm(LanternForm):
    """Find a CSE lead (GET): by name, in one area of the partnership or in all of them."""

    q = forms.CharField(label="Find a CSE lead", required=False, max_length=100,
                        help_text="An agency or a lead's name")
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(str(a.pk), a.name) for a in areas]


class TaskingDecisionForm(LanternForm):
    """The tasking meeting's decision on one item, and the action it agreed, if any."""

    decision = forms.CharField(
        label="What did the meeting decide?", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Do not write the child's name: an action goes into its owner's work, and "
                  "an owner who may not see the child's record is given a reference instead",
        max_length=LONG_TEXT,
        error_messages={"required": "Enter what the meeting decided",
                        "max_length": f"The decision must be {LONG_TEXT:,} characters or fewer"})
    owner = forms.TypedChoiceField(
        label="Who will do it? (optional)", required=False, coerce=int, empty_value=None,
        help_text="Name someone when the meeting agreed an action: it goes into their work")
    # An action agreed today is due today or later: a mistyped year would make it overdue (and
    # escalate) at once.
    due_on = GovukDateField(subject="the date the action is due", required=False, not_past=True,
                            label="When is it due? (optional)")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody: no action")] + [
            (str(u.pk), f"{u.display_name}, {u.agency.name}") for u in owners]
        self.fields["due_on"].help_text = _week_ahead_example()

    def clean(self):
        data = super().clean()
        if data.get("owner") and not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Enter the date the action is due")
        if data.get("due_on") and not data.get("owner") and "owner" not in self.errors:
            self.add_error("owner", "Select who will do the action")
        return data


class ReviewPeriodForm(LanternForm):
    """The period a six-monthly review covers."""

    start = GovukDateField(subject="the start of the period", not_future=True,
                           label="First day of the period", help_text="For example, 1 4 2026")
    end = GovukDateField(subject="the end of the period", not_future=True,
                         label="Last day of the period", help_text="For example, 30 9 2026")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be the same as or after the "
                                  "start")
        elif start and end and (end - start).days >= LONGEST_REVIEW_DAYS:
            self.add_error("end", "The period must be a year or shorter")
        return data


class ReviewNarrativeForm(LanternForm):
    """The board's narrative, one box per section."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SixMonthlyReview.SECTIONS:
            self.fields[key] = forms.CharField(
                label=label, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"max_length": f"{label} must be 20,000 characters or fewer"})


# --- The monthly dip-sample audit ---------------------------------------------------------------

class DrawSampleForm(LanternForm):
    """Which month to sample, and how many records."""

    month = forms.ChoiceField(label="Which month?",
                              error_messages={"required": "Select the month to sample"})

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months


class QualityForm(LanternForm):
    """The dip-sample quality form: a grade and a comment for each area of practice
    (lantern/domain/data/dip_sample.toml), and the auditor's overall finding. Saving keeps
    what is filled in; completing needs every area graded with a comment."""

    summary = forms.CharField(label="Overall finding (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, areas, grades, completing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.completing = completing
        self.areas = areas
        for area in areas:
            self.fields[f"{area.code}_grade"] = forms.ChoiceField(
                label=area.label, help_text=area.hint, required=False,
                widget=forms.RadioSelect, choices=list(grades))
            self.fields[f"{area.code}_comment"] = forms.CharField(
                label=f"Comment on {area.label[0].lower()}{area.label[1:]}", required=False,
                max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": "Comment must be 20,000 characters or fewer"})

    def clean(self):
        data = super().clean()
        if self.completing:
            for area in self.areas:
                name = area.label[0].lower() + area.label[1:]
                if not data.get(f"{area.code}_grade") and f"{area.code}_grade" not in self.errors:
                    self.add_error(f"{area.code}_grade", f"Select a grade for {name}")
                if (not (data.get(f"{area.code}_comment") or "").strip()
                        and f"{area.code}_comment" not in self.errors):
                    self.add_error(f"{area.code}_comment", f"Enter a comment on {name}")
        return data

    def grades(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {a.code: (data.get(f"{a.code}_grade") or "",
                         (data.get(f"{a.code}_comment") or "").strip())
                for a in self.areas}


class DipSampleActionForm(LanternForm):
    """A finding of the audit, the action it calls for, who will do it and by when."""

    finding = forms.CharField(label="What did the audit find?",
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Enter what the audit found"})
    action = forms.CharField(label="What needs to be done?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Enter what needs to be done",
                                             "max_length": "What needs to be done must be "
                                                           "500 characters or fewer"})
    owner = forms.TypedChoiceField(label="Who will do it?", coerce=int,
                                   help_text="It goes into their work",
                                   error_messages={"required": "Select who will do it"})
    due_on = GovukDateField(subject="the date the action is due", label="When is it due?",
                            not_past=True)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Select a person")] + [
            (str(u.pk), f"{u.display_name}, {u.agency.name}") for u in owners]
        self.fields["due_on"].help_text = _week_ahead_example()

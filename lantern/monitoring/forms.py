from django import forms

from lantern.domain import monitoring as rules
from lantern.foundation.forms import GovukDateField, LanternForm
from lantern.foundation.models import Gender


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

from django import forms
from django.utils import timezone

from lantern.foundation.forms import GovukDateField, LanternForm
from lantern.foundation.models import Gender

# Office for National Statistics 2021 census ethnic groups (England and Wales), with the
# answers a record must allow when the child's ethnicity is not known or not given.
ETHNICITIES = [
    ("", "Choose an ethnic group"),
    ("asian_indian", "Asian or Asian British: Indian"),
    ("asian_pakistani", "Asian or Asian British: Pakistani"),
    ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_chinese", "Asian or Asian British: Chinese"),
    ("asian_other", "Asian or Asian British: any other Asian background"),
    ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
    ("black_african", "Black, Black British, Caribbean or African: African"),
    ("black_other", "Black, Black British, Caribbean or African: any other background"),
    ("mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"),
    ("mixed_white_black_african", "Mixed or multiple: White and Black African"),
    ("mixed_white_asian", "Mixed or multiple: White and Asian"),
    ("mixed_other", "Mixed or multiple: any other mixed or multiple background"),
    ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
    ("white_irish", "White: Irish"),
    ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
    ("white_roma", "White: Roma"),
    ("white_other", "White: any other White background"),
    ("other_arab", "Other ethnic group: Arab"),
    ("other_any", "Other ethnic group: any other ethnic group"),
    ("not_known", "Not known"),
    ("not_given", "Child or family chose not to say"),
]
ETHNICITY_LABELS = dict(ETHNICITIES)

CIRCUMSTANCES = [
    ("looked_after", "Looked after by the local authority (in care)"),
    ("care_leaver", "Care leaver"),
    ("unaccompanied_asylum_seeking", "Unaccompanied asylum-seeking child"),
    ("disability", "Has a disability"),
    ("learning_disability", "Has a learning disability"),
]


def nhs_number_is_valid(number: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


class FindChildForm(LanternForm):
    name = forms.CharField(
        label="Name", required=False, max_length=200,
        help_text="First name, last name, a name they are known by or an alias",
    )
    date_of_birth = GovukDateField(
        subject="the date of birth", required=False, label="Date of birth", not_future=True,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and not data.get("date_of_birth"):
            if not self.errors:
                self.add_error("name", "Enter a name or a date of birth")
        return data


class ChildForm(LanternForm):
    given_names = forms.CharField(
        label="First names", max_length=120,
        error_messages={"required": "Enter the child's first name"},
        help_text="Their legal first name and any middle names",
    )
    family_name = forms.CharField(
        label="Last name", max_length=120,
        error_messages={"required": "Enter the child's last name"},
    )
    known_as = forms.CharField(
        label="Name they prefer to be known by (optional)", max_length=120, required=False
    )
    aliases = forms.CharField(
        label="Other names or aliases (optional)", required=False, widget=forms.Textarea,
        help_text="One name on each line, including names others use for them",
    )
    date_of_birth = GovukDateField(
        subject="the date of birth", required=False, label="Date of birth", not_future=True,
        help_text="For example, 27 3 2011. Leave blank if it is not known.",
    )
    estimated_age = forms.IntegerField(
        label="Estimated age in years, if the date of birth is not known", required=False,
        min_value=0, max_value=25,
        error_messages={
            "invalid": "Estimated age must be a whole number, like 14",
            "min_value": "Estimated age must be 0 or more",
            "max_value": "Estimated age must be 25 or less",
        },
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the child's gender, or 'Not known'"},
    )
    ethnicity = forms.ChoiceField(label="Ethnic group", choices=ETHNICITIES, required=False)
    first_language = forms.CharField(label="First language (optional)", max_length=60,
                                     required=False)
    nationality = forms.CharField(label="Nationality (optional)", max_length=60,
                                  required=False)
    circumstances = forms.MultipleChoiceField(
        label="Which of these apply? (optional)", choices=CIRCUMSTANCES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    address = forms.CharField(label="Address (optional)", required=False,
                              widget=forms.Textarea)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    school = forms.CharField(label="School or college (optional)", required=False,
                             max_length=160)
    nhs_number = forms.CharField(
        label="NHS number (optional)", required=False, max_length=14,
        help_text="10 digits, for example 943 476 5919",
    )
    social_care_id = forms.CharField(
        label="Children's social care ID (optional)", required=False, max_length=40
    )
    police_id = forms.CharField(label="Police reference (optional)", required=False,
                                max_length=40)

    def clean_nhs_number(self):
        number = "".join((self.cleaned_data.get("nhs_number") or "").split())
        if number and not nhs_number_is_valid(number):
            raise forms.ValidationError(
                "Enter a real NHS number: 10 digits, like 943 476 5919"
            )
        return number

    def clean_aliases(self):
        raw = self.cleaned_data.get("aliases") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if (
            not data.get("date_of_birth")
            and data.get("estimated_age") is None
            and "date_of_birth" not in self.errors
            and "estimated_age" not in self.errors
        ):
            self.add_error(
                "date_of_birth",
                "Enter the date of birth, or an estimated age if it is not known",
            )
        return data

    def child_details(self) -> dict:
        data = self.cleaned_data
        circumstances = set(data.get("circumstances") or [])
        local_ids = {}
        if data.get("social_care_id"):
            local_ids["social_care"] = data["social_care_id"]
        if data.get("police_id"):
            local_ids["police"] = data["police_id"]
        details = {
            "given_names": data["given_names"].strip(),
            "family_name": data["family_name"].strip(),
            "known_as": data.get("known_as", "").strip(),
            "aliases": data.get("aliases", []),
            "date_of_birth": data.get("date_of_birth"),
            "estimated_age": None if data.get("date_of_birth") else data.get("estimated_age"),
            "gender": data["gender"],
            "ethnicity": data.get("ethnicity", ""),
            "first_language": data.get("first_language", ""),
            "nationality": data.get("nationality", "").strip(),
            "address": data.get("address", ""),
            "postcode": data.get("postcode", "").upper().strip(),
            "school": data.get("school", ""),
            "nhs_number": data.get("nhs_number", ""),
            "local_ids": local_ids,
        }
        for key, _label in CIRCUMSTANCES:
            details[key] = key in circumstances
        if details["estimated_age"] is not None:
            details["estimated_on"] = timezone.localdate()
        return details


# The details "Correct details" asks for (issue 15, item 4): who the child is and where they
# live and learn. The rest of the record is kept by the work that records it.
CORRECTION_FIELDS = ("given_names", "family_name", "known_as", "aliases", "date_of_birth",
                     "estimated_age", "nationality", "address", "postcode", "school",
                     "nhs_number")


class CorrectChildForm(ChildForm):
    """The child's details, filled in from the record, and the reason for correcting them."""

    reason = forms.CharField(
        label="Why are you correcting these details?", widget=forms.Textarea, max_length=2000,
        help_text="For example, the school confirmed her date of birth from her passport",
        error_messages={"required": "Enter why you are correcting the details",
                        "max_length": "The reason must be 2000 characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, child, **kwargs):
        self.child = child
        initial = {name: getattr(child, name) for name in CORRECTION_FIELDS}
        initial["aliases"] = "\n".join(child.aliases or [])
        initial["version"] = child.version
        super().__init__(*args, initial=initial, **kwargs)
        for name in list(self.fields):
            if name not in (*CORRECTION_FIELDS, "reason", "version"):
                del self.fields[name]

    def correction(self) -> dict:
        """The corrected details, as lantern.people.actions.correct_child takes them."""
        data = self.cleaned_data
        details = {
            "given_names": data["given_names"].strip(),
            "family_name": data["family_name"].strip(),
            "known_as": data.get("known_as", "").strip(),
            "aliases": data.get("aliases", []),
            "date_of_birth": data.get("date_of_birth"),
            "estimated_age": None if data.get("date_of_birth") else data.get("estimated_age"),
            "nationality": data.get("nationality", "").strip(),
            "address": data.get("address", "").strip(),
            "postcode": data.get("postcode", "").upper().strip(),
            "school": data.get("school", "").strip(),
            "nhs_number": data.get("nhs_number", ""),
        }
        # An estimated age is dated when it is given, not each time the record is corrected.
        if details["estimated_age"] is None:
            details["estimated_on"] = None
        elif details["estimated_age"] != self.child.estimated_age:
            details["estimated_on"] = timezone.localdate()
        return details


class MergeChildrenForm(LanternForm):
    """Which of two records of one child to keep, and why they are one child."""

    keep = forms.ChoiceField(
        label="Which record should be kept?", widget=forms.RadioSelect,
        help_text="The other record's history moves to the one kept. Its details stay in "
                  "Lantern, and the merge can be undone.",
        error_messages={"required": "Select which record to keep",
                        "invalid_choice": "Select which record to keep"},
    )
    reason = forms.CharField(
        label="Why are these the same child?", widget=forms.Textarea, max_length=2000,
        help_text="For example, what you checked and with whom.",
        error_messages={"required": "Enter why these records are the same child",
                        "max_length": "The reason must be 2000 characters or fewer"},
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (str(c.pk), f"Keep record {c.pk} ({c.full_name})") for c in children]


class UndoMergeForm(LanternForm):
    reason = forms.CharField(
        label="Why are you undoing the merge?", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Enter why you are undoing the merge",
                        "max_length": "The reason must be 2000 characters or fewer"},
    )

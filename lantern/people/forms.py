from django import forms
from django.utils import timezone

from lantern.domain import demographics
from lantern.foundation.forms import (
    NOT_KNOWN,
    GovukDateField,
    LanternForm,
    infer_statuses,
    initial_statuses,
    reveal_reason,
    status_answers,
    status_field,
)
from lantern.foundation.models import Gender

# Office for National Statistics 2021 census ethnic groups (England and Wales) and "Not known",
# from lantern/domain/data/demographics.toml.
ETHNICITIES = [("", "Choose an ethnic group"), *demographics.ethnicity_choices()]
ETHNICITY_LABELS = dict(ETHNICITIES)
# "Not known" is the question's own radio, not an ethnic group to choose.
RECORDED_ETHNICITIES = [(code, label) for code, label in ETHNICITIES if code != NOT_KNOWN]
REASONS = [("", "Choose a reason, if it is not known"), *demographics.reason_choices()]
REASON_LABELS = dict(demographics.reason_choices())
# How error messages name each question that may be "not known" (its reason field is
# "<name>_reason").
NOT_KNOWN_NAMES = {"ethnicity": "the child's ethnic group",
                   "nationality": "the child's nationality", "gender": "the child's gender",
                   "disability": "whether the child has a disability"}


# Status radio -> (the answer it reveals, the reason it reveals).
STATUSES = {"ethnicity_status": ("ethnicity", "ethnicity_reason"),
            "nationality_status": ("nationality", "nationality_reason")}
MISSING = {"ethnicity": "Select the child's ethnic group",
           "nationality": "Enter the child's nationality"}


def _reason(label: str = "Why is it not known?") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=REASONS, required=False)


CIRCUMSTANCES = [
    ("looked_after", "Looked after by the local authority (in care)"),
    ("care_leaver", "Care leaver"),
    ("unaccompanied_asylum_seeking", "Unaccompanied asylum-seeking child"),
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
    gender = reveal_reason(forms.ChoiceField(
        label="Gender", choices=Gender.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the child's gender, or 'Not known'"},
    ), "gender_reason")
    gender_reason = _reason("Why is their gender not known?")
    ethnicity_status = status_field("Ethnic group", answer="ethnicity",
                                    reason="ethnicity_reason")
    ethnicity = forms.ChoiceField(label="Their ethnic group", choices=RECORDED_ETHNICITIES,
                                  required=False)
    ethnicity_reason = _reason("Why is their ethnic group not known?")
    first_language = forms.CharField(label="First language (optional)", max_length=60,
                                     required=False)
    nationality_status = status_field("Nationality", answer="nationality",
                                      reason="nationality_reason")
    nationality = forms.CharField(label="Their nationality", max_length=60, required=False)
    nationality_reason = _reason("Why is their nationality not known?")
    disability_status = reveal_reason(forms.ChoiceField(
        label="Does the child have a disability?", required=False, widget=forms.RadioSelect,
        choices=demographics.disability_choices()), "disability_reason")
    disability_reason = _reason("Why is it not known?")
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

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(infer_statuses(data, STATUSES), *args, **kwargs)

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
        self._check_not_known(data)
        return data

    def _check_not_known(self, data) -> None:
        """Each "not known" names its reason (lantern.domain.demographics). The answers, as
        they are kept, are `self.answers`: ethnicity "not_known" when it is not known, the
        nationality empty (its reason says why)."""
        statuses = {k: v for k, v in STATUSES.items() if k in self.fields}
        answers, reasons = status_answers(self, data, statuses, MISSING)
        for question, name in (("gender", "gender"), ("disability", "disability_status")):
            if name in self.fields:
                answers[question] = (data.get(name) or "").strip()
                reasons[question] = data.get(f"{question}_reason") or ""
        checked = demographics.check(answers, reasons, NOT_KNOWN_NAMES)
        for field, problem in checked.problems.items():
            self.add_error(f"{field}_reason", problem)
        self.unknown_reasons = checked.reasons
        self.answers = answers
        if answers.get("nationality") == NOT_KNOWN:
            self.answers["nationality"] = ""

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
            "ethnicity": self.answers.get("ethnicity", ""),
            "first_language": data.get("first_language", ""),
            "nationality": self.answers.get("nationality", ""),
            "disability_status": data.get("disability_status", ""),
            "disability": data.get("disability_status") == "yes",
            "unknown_reasons": self.unknown_reasons,
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
                     "estimated_age", "nationality_status", "nationality",
                     "nationality_reason", "address", "postcode", "school", "nhs_number")


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
        initial = {name: getattr(child, name) for name in CORRECTION_FIELDS
                   if name not in ("nationality_status", "nationality_reason")}
        initial["nationality_reason"] = (child.unknown_reasons or {}).get("nationality", "")
        initial = initial_statuses(initial, {"nationality_status": STATUSES["nationality_status"]})
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
            "nationality": self.answers.get("nationality", ""),
            # The other answers' reasons are kept; the nationality's follows the correction.
            "unknown_reasons": {**{k: v for k, v in (self.child.unknown_reasons or {}).items()
                                   if k != "nationality"}, **self.unknown_reasons},
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

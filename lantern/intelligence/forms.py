import re
from datetime import date

from django import forms

from lantern.domain import demographics, normalise
from lantern.foundation.forms import (
    GovukDateField,
    LanternForm,
    YesNoField,
    infer_statuses,
    initial_statuses,
    reveal_reason,
    status_answers,
    status_field,
)
from lantern.foundation.models import Role

from .actions import MentionInput
from .models import EntityKind, Handling, IntelligenceGrade, Location, SourceGrade, Vehicle

PERSON_ROLES = [("suspect", "Suspected of targeting or exploiting the child"),
                ("associated", "Seen with or connected to the child")]
PLACE_ROLES = [("facilitating", "Used to exploit the child or to meet them"),
               ("associated", "The child was seen there or talked about it")]
CONTACT_ROLES = [("contact", "Used to contact or transport the child"),
                 ("associated", "Connected to the child in another way")]
ORGANISATION_ROLES = [("facilitating", "Facilitating or enabling the child's exploitation"),
                      ("associated", "Connected to the child in another way")]

# (kind, prefix, how many rows, legend, fields: name -> (label, required-when-row-used message))
GROUPS = [
    (EntityKind.SUBJECT, "person", 3, "Person"),
    (EntityKind.LOCATION, "place", 2, "Place"),
    (EntityKind.VEHICLE, "vehicle", 2, "Vehicle"),
    (EntityKind.PHONE, "phone", 2, "Phone number"),
    (EntityKind.ONLINE, "online", 2, "Online identity"),
    (EntityKind.ORGANISATION, "organisation", 1, "Organisation"),
]
_BORN = re.compile(r"^\s*(?:(\d{1,2})[/.\- ])?(?:(\d{1,2})[/.\- ])?(\d{4})\s*$", re.ASCII)


def parse_born(text: str) -> tuple[date | None, int | None, int | None]:
    """'14/2/1990' -> a date; '2/1990' -> month and year; '1990' -> the year."""
    match = _BORN.match(text or "")
    if not match:
        raise ValueError(text)
    first, second, year = match.group(1), match.group(2), int(match.group(3))
    if first and second:
        return date(year, int(second), int(first)), None, None
    if first:
        month = int(first)
        if not 1 <= month <= 12:
            raise ValueError(text)
        return None, year, month
    return None, year, None


def _text(label, **kwargs):
    return forms.CharField(label=label, required=False, max_length=kwargs.pop("max_length", 200),
                           **kwargs)


def _role(choices):
    return forms.ChoiceField(label="How are they connected to the child?", choices=choices,
                             widget=forms.RadioSelect, required=False)


def _fields_for(kind: str) -> dict[str, forms.Field]:
    if kind == EntityKind.SUBJECT:
        return {
            "given": _text("First name"),
            "family": _text("Last name"),
            "nickname": _text("Nickname or what they are called"),
            "born": _text("Date of birth or year of birth", max_length=20,
                          help_text="For example, 14/2/1990, or 2/1990, or 1990"),
            "phone": _text("Phone number", max_length=40),
            "description": forms.CharField(label="Description", required=False,
                                           widget=forms.Textarea,
                                           help_text="What they look like, where they are seen"),
            "is_child": forms.BooleanField(label="This person is under 18", required=False,
                                           help_text="A child who may be exploiting others keeps "
                                           "a child's protections; their own needs are "
                                           "considered separately"),
            "role": _role(PERSON_ROLES),
        }
    if kind == EntityKind.LOCATION:
        return {
            "name": _text("Name of the place", help_text="For example, the takeaway on Mill Road"),
            "address": _text("Address"),
            "postcode": _text("Postcode", max_length=10),
            "location_kind": forms.ChoiceField(label="What kind of place", required=False,
                                               choices=Location.Kind.choices),
            "role": _role(PLACE_ROLES),
        }
    if kind == EntityKind.VEHICLE:
        return {
            "registration": _text("Registration", max_length=20,
                                  help_text="All or part of it, for example AB12 CDE"),
            "make": _text("Make and model", max_length=60),
            "colour": _text("Colour", max_length=40),
            "licence": forms.ChoiceField(label="Is it a taxi or private hire vehicle?",
                                         required=False, choices=Vehicle.Licence.choices),
            "licence_number": _text("Taxi or private hire licence number", max_length=40,
                                    help_text="From the plate or the badge, if you know it"),
            "licensing_authority": _text("Licensing authority", max_length=120,
                                         help_text="The council that licensed it, for "
                                         "example Northbridge City Council"),
            "role": _role(CONTACT_ROLES),
        }
    if kind == EntityKind.PHONE:
        return {"number": _text("Phone number", max_length=40), "role": _role(CONTACT_ROLES)}
    if kind == EntityKind.ONLINE:
        return {
            "platform": _text("App or website", max_length=60,
                              help_text="For example, Snapchat"),
            "handle": _text("Username", max_length=120),
            "role": _role(CONTACT_ROLES),
        }
    return {
        "name": _text("Name of the organisation"),
        "business": _text("What it does", max_length=120,
                          help_text="For example, taxi firm, hotel, takeaway"),
        "role": _role(ORGANISATION_ROLES),
    }


class SubmitForm(LanternForm):
    """Share intelligence: what you know, who and what it mentions, which children."""

    mentions: list[MentionInput]  # set by clean()

    text = forms.CharField(
        label="What do you know?", widget=forms.Textarea,
        help_text="Write it as you know it, however insignificant it may seem. Describe what "
        "adults are doing to the child: the child is never the problem.",
        error_messages={"required": "Enter what you know"})
    occurred_on = GovukDateField(subject="the date it happened", not_future=True, required=False,
                                 label="When did it happen? (optional)")
    source_details = forms.CharField(
        label="How do you know? (optional)", widget=forms.Textarea, required=False,
        help_text="Who told you and how. Only police and you will see this.")
    children = forms.MultipleChoiceField(
        label="Which children is this about?", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only children whose records you can see are listed")

    def __init__(self, *args, children_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = list(children_choices)
        self.groups = []
        for kind, prefix, count, legend in GROUPS:
            rows = []
            for n in range(1, count + 1):
                names = []
                for name, field in _fields_for(kind).items():
                    full = f"{prefix}_{n}_{name}"
                    self.fields[full] = field
                    names.append(full)
                rows.append({"legend": f"{legend} {n}" if count > 1 else legend, "names": names,
                             "kind": kind, "prefix": f"{prefix}_{n}"})
            self.groups.append({"kind": kind, "title": EntityKind(kind).label, "rows": rows})

    def bound_groups(self):
        return [{"title": g["title"], "rows": [{"legend": r["legend"],
                                                 "fields": [self[n] for n in r["names"]]}
                                                for r in g["rows"]]} for g in self.groups]

    def clean(self):
        data = super().clean()
        self.mentions = []
        for group in self.groups:
            for row in group["rows"]:
                self._clean_row(data, row)
        return data

    def _clean_row(self, data, row):
        p = row["prefix"]
        values = {n.removeprefix(p + "_"): data.get(n) for n in row["names"]}
        filled = {k: v for k, v in values.items()
                  if k not in ("role", "location_kind", "is_child", "licence") and v}
        if not filled:
            return
        kind = row["kind"]
        m = MentionInput(kind=kind, raw_text="", role=values.get("role") or "associated")
        if kind == EntityKind.SUBJECT:
            if not (values["given"] or values["family"] or values["nickname"]):
                self.add_error(f"{p}_given", "Enter the person's name or what they are called")
                return
            if values["born"]:
                try:
                    m.date_of_birth, m.birth_year, m.birth_month = parse_born(values["born"])
                except ValueError:
                    self.add_error(f"{p}_born", "Enter the date of birth like 14/2/1990, the "
                                   "month and year like 2/1990, or the year like 1990")
                    return
            if values["phone"] and normalise.phone(values["phone"]) is None:
                self.add_error(f"{p}_phone", "Enter a phone number, like 07700 900123")
                return
            m.given, m.family, m.nickname = values["given"], values["family"], values["nickname"]
            m.phone, m.description = values["phone"], values["description"]
            m.is_child = bool(values["is_child"])
            m.raw_text = ", ".join(x for x in (f"{m.given} {m.family}".strip(),
                                               f"'{m.nickname}'" if m.nickname else "",
                                               values["born"], m.phone) if x)
        elif kind == EntityKind.LOCATION:
            if not (values["name"] or values["address"] or values["postcode"]):
                self.add_error(f"{p}_name", "Enter the name, address or postcode of the place")
                return
            if values["postcode"] and normalise.postcode(values["postcode"]) is None:
                self.add_error(f"{p}_postcode", "Enter a real postcode, like NB1 2AB")
                return
            m.name, m.address, m.postcode = values["name"], values["address"], values["postcode"]
            m.location_kind = values["location_kind"] or Location.Kind.ADDRESS
            m.raw_text = ", ".join(x for x in (m.name, m.address, m.postcode) if x)
        elif kind == EntityKind.VEHICLE:
            if not normalise.registration(values["registration"] or ""):
                self.add_error(f"{p}_registration", "Enter the registration, or the part of it "
                               "you know")
                return
            if (values["licence_number"] or values["licensing_authority"]) and not (
                    values["licence"]):
                self.add_error(f"{p}_licence", "Select whether it is a taxi or private hire "
                               "vehicle")
                return
            m.registration, m.make, m.colour = (values["registration"], values["make"],
                                                values["colour"])
            m.licence = values["licence"] or ""
            m.licence_number = (values["licence_number"] or "").strip()
            m.licensing_authority = (values["licensing_authority"] or "").strip()
            m.raw_text = " ".join(x for x in (m.registration, m.colour, m.make) if x)
            if m.licence:
                licence = ", ".join(x for x in (
                    Vehicle.Licence(m.licence).label.lower(),
                    f"licence {m.licence_number}" if m.licence_number else "",
                    m.licensing_authority) if x)
                m.raw_text = f"{m.raw_text} ({licence})"
        elif kind == EntityKind.PHONE:
            if normalise.phone(values["number"] or "") is None:
                self.add_error(f"{p}_number", "Enter a phone number, like 07700 900123")
                return
            m.number = m.raw_text = values["number"]
        elif kind == EntityKind.ONLINE:
            if not normalise.handle(values["handle"] or ""):
                self.add_error(f"{p}_handle", "Enter the username")
                return
            m.platform, m.handle = values["platform"], values["handle"]
            m.raw_text = f"{m.handle} on {m.platform}" if m.platform else m.handle
        else:
            if not values["name"]:
                self.add_error(f"{p}_name", "Enter the name of the organisation")
                return
            m.name, m.business = values["name"], values["business"]
            m.raw_text = f"{m.name} ({m.business})" if m.business else m.name
        self.mentions.append(m)


CONDITION_ROLE_CHOICES = [(r.value, r.label) for r in Role
                          if r not in (Role.POLICE, Role.BOARD, Role.ADMIN)]


class GradeForm(LanternForm):
    source_grade = forms.ChoiceField(label="Source evaluation", choices=SourceGrade.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select the source evaluation"})
    intelligence_grade = forms.ChoiceField(
        label="Intelligence assessment", choices=IntelligenceGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"})
    handling = forms.ChoiceField(label="Handling code", choices=Handling.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select the handling code"})
    handling_conditions = forms.CharField(
        label="Handling conditions", widget=forms.Textarea, required=False,
        help_text="Required for handling code C: what may be shared, with whom, and how")
    condition_roles = forms.MultipleChoiceField(
        label="Under the conditions, who may read the sanitised text?", required=False,
        choices=CONDITION_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text="Handling code C only. They must also be able to see a child it is about.")
    sanitised_text = forms.CharField(
        label="Sanitised text", widget=forms.Textarea,
        help_text="What others may read: remove anything that identifies the source",
        error_messages={"required": "Enter the sanitised text"})
    legacy_source = forms.ChoiceField(
        label="5x5x5 source evaluation (imported reports only)", required=False,
        choices=[("", "None")] + [(c, c) for c in "ABCDE"])
    legacy_intelligence = forms.ChoiceField(
        label="5x5x5 intelligence evaluation", required=False,
        choices=[("", "None")] + [(c, c) for c in "12345"])
    legacy_handling = forms.ChoiceField(
        label="5x5x5 handling code", required=False,
        choices=[("", "None")] + [(c, c) for c in "12345"])

    def clean(self):
        data = super().clean()
        if data.get("handling") == "C":
            if not (data.get("handling_conditions") or "").strip():
                self.add_error("handling_conditions", "Enter the handling conditions")
            if not data.get("condition_roles"):
                self.add_error("condition_roles",
                               "Select who the conditions allow to read the sanitised text")
        legacy = [data.get("legacy_source"), data.get("legacy_intelligence"),
                  data.get("legacy_handling")]
        if any(legacy) and not all(legacy):
            self.add_error("legacy_source", "Enter all three parts of the 5x5x5 grading, or none")
        return data


class ProposalForm(LanternForm):
    action = forms.ChoiceField(
        label="Are these the same?",
        choices=[("merge", "Yes, merge them"), ("reject", "No, they are different")],
        widget=forms.RadioSelect, error_messages={"required": "Select whether they are the same"})
    reason = forms.CharField(label="Why? (optional)", widget=forms.Textarea, required=False)


class UndoForm(LanternForm):
    reason = forms.CharField(label="Why are you undoing this merge?", widget=forms.Textarea,
                             error_messages={"required": "Enter why you are undoing this merge"})


class DismissForm(LanternForm):
    reason = forms.CharField(
        label="Why are you dismissing this trigger?", widget=forms.Textarea,
        help_text="The reason is kept with the trigger and shown to everyone who sees it",
        error_messages={"required": "Enter why you are dismissing this trigger"})


class AcceptForm(LanternForm):
    note = forms.CharField(label="What will happen? (optional)", widget=forms.Textarea,
                           required=False,
                           help_text="For example, the date the meeting is convened")


class ChartFilterForm(LanternForm):
    date_from = GovukDateField(subject="the start date", required=False, label="From")
    date_to = GovukDateField(subject="the end date", required=False, label="To")
    grades = forms.MultipleChoiceField(
        label="Intelligence assessment", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E"),
                 ("U", "Not graded")])


class SubjectRiskForm(LanternForm):
    violence = YesNoField(
        label="Is there intelligence or a record of violence, threats or weapons?",
        required_message="Select yes if there is a record of violence, threats or weapons")
    previous_convictions = forms.IntegerField(
        label="Previous convictions", min_value=0, max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the number of previous convictions, like 2",
                        "invalid": "Enter the number of previous convictions, like 2",
                        "min_value": "Previous convictions must be 0 or more",
                        "max_value": "Previous convictions must be 999 or fewer"})


SUBJECT_NOT_KNOWN_NAMES = {"sex": "the person's sex", "ethnicity": "the person's ethnic group",
                           "nationality": "the person's nationality",
                           "disability": "whether the person has a disability"}


def _reason(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False,
        choices=[("", "Choose a reason"), *demographics.reason_choices()])


SUBJECT_STATUSES = {"ethnicity_status": ("ethnicity", "ethnicity_reason"),
                    "nationality_status": ("nationality", "nationality_reason")}
SUBJECT_MISSING = {"ethnicity": "Select the person's ethnic group",
                   "nationality": "Enter the person's nationality"}


class SubjectDetailsForm(LanternForm):
    """Who the person is, as police know it (issue 16 item 5): each answer, or "not known"
    with the reason, or not yet asked (GOV.UK conditional reveals: lantern.foundation.forms)."""

    sex = reveal_reason(forms.ChoiceField(label="Sex", required=False, widget=forms.RadioSelect,
                                          choices=demographics.sex_choices()), "sex_reason")
    sex_reason = _reason("Why is their sex not known?")
    ethnicity_status = status_field("Ethnic group", answer="ethnicity",
                                    reason="ethnicity_reason")
    ethnicity = forms.ChoiceField(
        label="Their ethnic group", required=False,
        choices=[("", "Choose an ethnic group"), *[
            (code, label) for code, label in demographics.ethnicity_choices()
            if code != demographics.NOT_KNOWN]])
    ethnicity_reason = _reason("Why is their ethnic group not known?")
    nationality_status = status_field("Nationality", answer="nationality",
                                      reason="nationality_reason")
    nationality = forms.CharField(label="Their nationality", max_length=60, required=False)
    nationality_reason = _reason("Why is their nationality not known?")
    disability_status = reveal_reason(forms.ChoiceField(
        label="Do they have a disability?", required=False, widget=forms.RadioSelect,
        choices=demographics.disability_choices()), "disability_reason")
    disability_reason = _reason("Why is it not known?")

    def __init__(self, data=None, *args, initial=None, **kwargs):
        super().__init__(infer_statuses(data, SUBJECT_STATUSES), *args,
                         initial=initial_statuses(initial or {}, SUBJECT_STATUSES), **kwargs)

    def clean(self):
        data = super().clean()
        answers, reasons = status_answers(self, data, SUBJECT_STATUSES, SUBJECT_MISSING)
        values = {"sex": data.get("sex") or "", "ethnicity": answers["ethnicity"],
                  "nationality": answers["nationality"],
                  "disability": data.get("disability_status") or ""}
        reasons.update({f: data.get(f"{f}_reason") or "" for f in ("sex", "disability")})
        checked = demographics.check(values, reasons, SUBJECT_NOT_KNOWN_NAMES)
        for field, problem in checked.problems.items():
            self.add_error(f"{field}_reason", problem)
        if not any(values.values()) and not checked.reasons and not checked.problems:
            self.add_error("sex", "Answer at least one question, or choose why it is not known")
        # A nationality not known is kept empty, with its reason.
        nationality = "" if values["nationality"] == demographics.NOT_KNOWN else values[
            "nationality"]
        self.details = {"sex": values["sex"], "ethnicity": values["ethnicity"],
                        "nationality": nationality,
                        "disability_status": values["disability"],
                        "unknown_reasons": checked.reasons}
        return data


class GroupBasedForm(LanternForm):
    group_based = YesNoField(
        label="Is this network group-based exploitation?",
        help_text="Two or more adults acting together to exploit children",
        required_message="Select yes if this network is group-based exploitation")
    reason = forms.CharField(
        label="Why?", widget=forms.Textarea, max_length=2000,
        help_text="The reason is kept with the network and shown to everyone who sees it",
        error_messages={"required": "Enter why you are recording this",
                        "max_length": "The reason must be 2000 characters or fewer"})

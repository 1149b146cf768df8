from datetime import datetime

from django import forms
from django.utils import timezone

from lantern.foundation.forms import GovukDateField, GovukTimeField, LanternForm, YesNoField
from lantern.foundation.models import Agency, AgencyKind, LegalStatus
from lantern.sharing import actions as sharing_actions
from lantern.sharing.forms import SharingDecisionForm

from . import lists, photos
from .actions import independence_error, interviewer_is_independent
from .models import HowBack, MissingEpisode, MissingFrom, ReturnInterview, YesNoNotKnown

CHILD_CENTRED = "Write about what was done to the child: they are never the problem."


def _date(subject: str, label: str, **kwargs) -> GovukDateField:
    return GovukDateField(subject=subject, label=label, not_future=True, **kwargs)


def _time(subject: str, label: str = "Time", required: bool = True) -> GovukTimeField:
    return GovukTimeField(subject=subject, label=label, required=required,
                          help_text="For example, 21:30",
                          error_messages={"required": f"Enter {subject}"})


def _text(label: str, *, required: bool = False, help_text: str = "", message: str = "",
          area: bool = True, max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, max_length=max_length,
        widget=forms.Textarea if area else forms.TextInput,
        error_messages={"required": message} if message else {},
    )


class MomentForm(LanternForm):
    """A form asking for moments as a date and a time (`<name>_on`, `<name>_time`)."""

    def moment(self, name: str) -> datetime | None:
        day = self.cleaned_data.get(f"{name}_on")
        at = self.cleaned_data.get(f"{name}_time")
        if day is None or at is None:
            return None
        return timezone.make_aware(datetime.combine(day, at))

    def check_past(self, name: str, message: str) -> datetime | None:
        moment = self.moment(name)
        if moment is not None and moment > timezone.now():
            self.add_error(f"{name}_time", message)
            return None
        return moment


class EpisodeForm(MomentForm):
    missing_from = forms.ChoiceField(
        label="Where did the child go missing from?", widget=forms.RadioSelect,
        choices=MissingFrom.choices,
        error_messages={"required": "Select where the child went missing from"},
    )
    placement_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label="Which agency provides the child's care or placement? (optional)",
        queryset=None, required=False, empty_label="None: the child lives with family",
        help_text="For example the fostering agency or children's home. The return home "
        "interview must be done by someone independent of it.",
    )
    went_missing_on = _date("the date the child went missing", "When did the child go missing?",
                            help_text="When they were last seen, for example 27 3 2026")
    went_missing_time = _time("the time they were last seen", "Time they were last seen")
    reported_on = _date("the date they were reported missing",
                        "When were they reported missing to police?")
    reported_time = _time("the time they were reported missing", "Time reported")
    reported_by = _text("Who reported them missing?", required=True, area=False,
                        max_length=200, help_text="Name and role, for example their foster "
                        "carer", message="Enter who reported the child missing")
    police_reference = _text("Police reference (optional)", area=False, max_length=60)
    circumstances = _text("What is known about how they went missing? (optional)",
                          help_text=CHILD_CENTRED)
    still_missing = YesNoField(label="Is the child still missing?",
                               required_message="Select yes if the child is still missing")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement_agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        went = self.check_past("went_missing", "The time they went missing must be in the past")
        reported = self.check_past("reported", "The time they were reported must be in the past")
        if went and reported and reported < went:
            self.add_error("reported_time",
                           "The time they were reported missing must be after they went missing")
        data["went_missing_at"], data["reported_at"] = went, reported
        return data


class ReturnForm(MomentForm):
    returned_on = _date("the date they were found", "When were they found, or when did they "
                        "come back?")
    returned_time = _time("the time they were found")
    found_where = _text("Where were they found?", required=True, area=False, max_length=300,
                        help_text="As exactly as you can: an address, a place or a street",
                        message="Enter where the child was found")
    found_with = _text("Who were they with? (optional)",
                       help_text="Names, nicknames and descriptions of anyone they were with")
    how_back = forms.ChoiceField(label="How did they get back?", widget=forms.RadioSelect,
                                 choices=HowBack.choices,
                                 error_messages={"required": "Select how the child got back"})
    how_back_detail = _text("Anything more about how they got back (optional)", area=False,
                            max_length=300)
    police_protection = YesNoField(
        label="Did police use police protection powers (Children Act 1989 section 46)?",
        required_message="Select yes if police used police protection powers",
    )
    harm = YesNoField(label="Did the child come to harm while missing?",
                      help_text="Include anything they or others have said",
                      required_message="Select yes if the child came to harm while missing")
    harm_detail = _text("What harm came to them?", help_text=CHILD_CENTRED)

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean(self):
        data = super().clean()
        back = self.check_past("returned", "The time they were found must be in the past")
        if back is not None and back <= self.episode.went_missing_at:
            went = timezone.localtime(self.episode.went_missing_at)
            self.add_error("returned_time", "The time they were found must be after they went "
                           f"missing ({went:%-d %B %Y at %H:%M})")
            back = None
        if data.get("harm") and not data.get("harm_detail", "").strip():
            self.add_error("harm_detail", "Enter what harm came to the child")
        data["returned_at"] = back
        return data


def _agency_with_sector(agency: Agency) -> str:
    sector = ("third sector" if agency.kind == AgencyKind.VOLUNTARY
              else agency.get_kind_display().lower())
    return f"{agency.name} ({sector})"


class InterviewForm(MomentForm):
    outcome = forms.ChoiceField(
        label="Was the interview held?", widget=forms.RadioSelect,
        choices=ReturnInterview.Outcome.choices,
        error_messages={"required": "Select whether the interview was held"},
    )
    held_on = _date("the date of the interview", "When was it held, or offered?")
    held_time = _time("the time of the interview")
    venue = _text("Where was it held? (optional)", area=False, max_length=200,
                  help_text="Somewhere the child chose and feels safe, if possible")
    interviewer_name = _text("Who did the interview?", required=True, area=False,
                             max_length=200, message="Enter the interviewer's name")
    interviewer_agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label="Which agency or organisation does the interviewer work for?", queryset=None,
        empty_label="Choose an agency",
        help_text="Home debriefs are best done by the third sector (a voluntary or community "
        "organisation), independent of the child's placement",
        error_messages={"required": "Select the interviewer's agency"},
    )
    independent = forms.BooleanField(
        label="The interviewer is not the child's carer and does not work in their placement",
        error_messages={"required": "Confirm the interviewer is independent of the child's "
                                    "placement"},
    )
    child_words = _text("What did the child say?",
                        help_text="In their own words, without changing them. Do not ask "
                        "leading questions.")
    declined_reason = _text("If the child did not want the interview, what did they say?",
                            help_text="In their own words if they gave a reason; and how it "
                            "will be offered again")
    push_factors = forms.MultipleChoiceField(
        label="Push factors: what made them want to leave? (optional)", required=False,
        widget=forms.CheckboxSelectMultiple)
    pull_factors = forms.MultipleChoiceField(
        label="Pull factors: what drew them away? (optional)", required=False,
        widget=forms.CheckboxSelectMultiple)
    factors_notes = _text("Anything more about why they went missing (optional)",
                          help_text=CHILD_CENTRED)
    people_mentioned = _text("People mentioned (optional)",
                             help_text="Names, nicknames and descriptions, one a line")
    places_mentioned = _text("Places mentioned (optional)",
                             help_text="Addresses, premises and areas, one a line")
    vehicles_mentioned = _text("Vehicles mentioned (optional)",
                               help_text="Registration numbers, makes and colours, one a line")
    actions = _text("What happens next?", required=True,
                    help_text="The actions that follow, who will do them and by when",
                    message="Enter the actions that follow the interview")

    def __init__(self, *args, episode, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.fields["interviewer_agency"].queryset = agencies
        # Third sector shown in the choice itself (seed 001, Figure 2: home debriefs by the
        # third sector).
        self.fields["interviewer_agency"].label_from_instance = _agency_with_sector
        self.fields["push_factors"].choices = lists.push_factors()
        self.fields["pull_factors"].choices = lists.pull_factors()

    def clean(self):
        data = super().clean()
        agency = data.get("interviewer_agency")
        if agency and not interviewer_is_independent(agency, self.episode.placement_agency):
            self.add_error("interviewer_agency",
                           independence_error(self.episode.placement_agency))
        held = self.check_past("held", "The time of the interview must be in the past")
        if held is not None and held < self.episode.returned_at:
            self.add_error("held_time", "The interview must be after the child came back")
            held = None
        outcome = data.get("outcome")
        if outcome == ReturnInterview.Outcome.HELD and not data.get("child_words", "").strip():
            self.add_error("child_words", "Enter what the child said, in their own words")
        if outcome == ReturnInterview.Outcome.DECLINED and not (
                data.get("declined_reason", "").strip()):
            self.add_error("declined_reason", "Enter what the child said about not wanting "
                           "the interview")
        data["held_at"] = held
        return data


class ProfileForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    photo = forms.FileField(label="Photo (optional)", required=False)
    remove_photo = forms.BooleanField(label="Remove the current photo", required=False)
    photo_taken_on = GovukDateField(subject="the date the photo was taken",
                                    label="When was the photo taken? (optional)",
                                    not_future=True, required=False)
    description = _text("What does the child look like?", required=True,
                        help_text="Height, build, hair, eyes, skin, marks or tattoos, glasses, "
                        "and the clothes they usually wear",
                        message="Enter what the child looks like")
    phone_numbers = _text("Phone numbers they use (optional)",
                          help_text="One a line, with whose phone it is if you know")
    places = _text("Places they may go (optional)",
                   help_text="Addresses, areas and places they have been found before, one a "
                   "line")
    people = _text("People they may go to (optional)",
                   help_text="Family, friends and adults of concern, with addresses if known, "
                   "one a line")
    health_needs = _text("Health needs or medication police should know about (optional)")

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return photos.prepare(upload)
        except photos.PhotoError as error:
            raise forms.ValidationError(str(error)) from None


class HandoverForm(SharingDecisionForm):
    """Handing the profile to police is an information-sharing decision (seed 000 appendix 3):
    the sharing decision's questions, with the outcome fixed as shared."""

    episode: "forms.ModelChoiceField[MissingEpisode]" = forms.ModelChoiceField(
        label="Which missing episode is this for? (optional)", queryset=None, required=False,
        empty_label="Not linked to an episode",
    )

    def __init__(self, *args, episodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = False
        self.fields["episode"].queryset = episodes
        self.fields["episode"].label_from_instance = lambda e: (
            f"Missing since {timezone.localtime(e.went_missing_at):%-d %B %Y, %H:%M}")

    def clean_outcome(self):
        return sharing_actions.SHARED


class TransitionForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    adult_safeguarding_notified = YesNoField(
        label="Have adult safeguarding services been notified?", required=False,
        empty_value=None, required_message="",
        help_text="Needed when the Care Act criteria may be met",
    )
    notified_on = GovukDateField(subject="the date they were notified",
                                 label="When? (optional)", not_future=True, required=False)
    notified_to = _text("Who was notified? (optional)", area=False, max_length=200)
    not_notified_reason = _text("If not, why not?")
    pathway_plan_applies = YesNoField(
        label="Is the young person entitled to leaving-care services (a pathway plan)?",
        required_message="Select yes if the young person is entitled to a pathway plan",
    )
    pathway_plan_names_cse = YesNoField(
        label="Does the pathway plan name their vulnerability to sexual exploitation?",
        required=False, empty_value=None, required_message="",
    )
    pathway_plan_note = _text("If not, why not? (and when it will)")
    recovery_factors = forms.MultipleChoiceField(
        label="What does the plan address? (optional)", required=False,
        help_text="The things known to make recovery from exploitation harder",
        widget=forms.CheckboxSelectMultiple)
    screening_continues_to = forms.IntegerField(
        label="Up to what age will screening and support under these procedures continue?",
        min_value=18, max_value=25,
        help_text="21 for young people with additional needs; your area may set a later age "
        "for care leavers",
        error_messages={"required": "Enter the age screening continues to",
                        "min_value": "The age must be 18 or more",
                        "max_value": "The age must be 25 or less",
                        "invalid": "Enter the age as a number, like 21"},
    )
    outcomes = forms.MultipleChoiceField(
        label="What was decided?", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what was decided"},
    )
    outcome_detail = _text("Why, and what happens next", required=True,
                           message="Enter why, and what happens next")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = lists.care_act_criteria()
        for code, wording in self.criteria:
            self.fields[f"care_act_{code}"] = forms.ChoiceField(
                label=wording, widget=forms.RadioSelect, choices=YesNoNotKnown.choices,
                error_messages={"required": "Select yes, no or not known"},
            )
        self.fields["recovery_factors"].choices = lists.recovery_factors()
        self.fields["outcomes"].choices = lists.transition_outcomes()

    def care_act_fields(self):
        return [self[f"care_act_{code}"] for code, _ in self.criteria]

    def clean(self):
        data = super().clean()
        answers = {code: data.get(f"care_act_{code}") for code, _ in self.criteria}
        data["care_act"] = answers
        may_be_met = all(answers.values()) and YesNoNotKnown.NO not in answers.values()
        notified = data.get("adult_safeguarding_notified")
        if may_be_met and notified is None:
            self.add_error("adult_safeguarding_notified", "Select yes if adult safeguarding "
                           "services have been notified: the Care Act criteria may be met")
        if may_be_met and notified is False and not data.get("not_notified_reason", "").strip():
            self.add_error("not_notified_reason",
                           "Enter why adult safeguarding services have not been notified")
        if data.get("pathway_plan_applies") and data.get("pathway_plan_names_cse") is None:
            self.add_error("pathway_plan_names_cse", "Select yes if the pathway plan names "
                           "their vulnerability to sexual exploitation")
        if data.get("pathway_plan_applies") and data.get("pathway_plan_names_cse") is False \
                and not data.get("pathway_plan_note", "").strip():
            self.add_error("pathway_plan_note",
                           "Enter why the pathway plan does not name the risk yet")
        return data

    def plan_values(self) -> dict:
        data = self.cleaned_data
        applies = data["pathway_plan_applies"]
        return {
            "care_act": data["care_act"],
            "adult_safeguarding_notified": data["adult_safeguarding_notified"],
            "notified_on": data["notified_on"],
            "notified_to": data["notified_to"],
            "not_notified_reason": data["not_notified_reason"],
            "pathway_plan_applies": applies,
            "pathway_plan_names_cse": data["pathway_plan_names_cse"] if applies else None,
            "pathway_plan_note": data["pathway_plan_note"] if applies else "",
            "recovery_factors": sorted(data["recovery_factors"]),
            "screening_continues_to": data["screening_continues_to"],
            "outcomes": sorted(data["outcomes"]),
            "outcome_detail": data["outcome_detail"],
        }


# --- Looked-after children (SPEC §13; seed 001, Children Looked After) ----------------------

class LookedAfterStatusForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    looked_after = YesNoField(label="Is the child looked after by the local authority?",
                              required_message="Select yes if the child is looked after")
    legal_status = forms.ChoiceField(
        label="What is the child looked after under?", widget=forms.RadioSelect,
        required=False, choices=LegalStatus.choices,
        help_text="This decides whether the child's parents are told of significant matters",
    )
    reason = _text("Why are you changing this?", required=True,
                   help_text="For example, the court made a care order on 3 March",
                   message="Enter why you are changing the child's looked-after status")

    def clean(self):
        data = super().clean()
        if data.get("looked_after") and not data.get("legal_status"):
            self.add_error("legal_status", "Select what the child is looked after under")
        if data.get("looked_after") is False:
            data["legal_status"] = ""
        return data


class ParentsDecisionForm(LanternForm):
    episode: "forms.ModelChoiceField[MissingEpisode]" = forms.ModelChoiceField(
        label="Which missing episode is this about? (optional)", queryset=None,
        required=False, empty_label="Not a missing episode",
    )
    matter = _text("What is the significant matter?", required=True, area=False,
                   max_length=300, help_text="For example, went missing overnight and was "
                   "found by police", message="Enter the significant matter")
    told = YesNoField(label="Have the child's parents been told?",
                      required_message="Select yes if the child's parents have been told")
    how_told = _text("Who told them, when and how?", area=False, max_length=300)
    reason = _text("If they have not been told, why not?",
                   help_text="The clear justification, with your reasons")

    def __init__(self, *args, episodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].queryset = episodes
        self.fields["episode"].label_from_instance = lambda e: (
            f"Missing from {timezone.localtime(e.went_missing_at):%-d %B %Y, %H:%M}")

    def clean(self):
        data = super().clean()
        if data.get("told") and not data.get("how_told", "").strip():
            self.add_error("how_told", "Enter who told the parents, when and how")
        if data.get("told") is False and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why the child's parents have not been told")
        return data


class MeasureForm(LanternForm):
    kind = forms.ChoiceField(label="What is proposed?", widget=forms.RadioSelect,
                             error_messages={"required": "Select what is proposed"})
    detail = _text("What exactly, and for how long?", required=True,
                   message="Enter what exactly is proposed")
    reason = _text("Why is it needed to keep the child safe?", required=True,
                   message="Enter why it is needed")
    order_in_place = _text("Which order allows it?", required=True, area=False,
                           max_length=300, help_text="The procedure allows it only with the "
                           "appropriate orders in place", message="Enter the order that "
                           "allows it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(m.code, m.label)
                                       for m in lists.looked_after_rules().measures]


class MeasureDecisionForm(LanternForm):
    agreed = YesNoField(label="Do you agree to this?",
                        required_message="Select yes if you agree")
    reason = _text("Your reasons", required=True, message="Enter the reasons for your decision")


class MeasureTakenForm(MomentForm):
    taken_on = _date("the date it was taken", "When was it taken?")
    taken_time = _time("the time it was taken")

    def clean(self):
        data = super().clean()
        data["taken_at"] = self.check_past("taken", "The time it was taken must be in the past")
        return data


class PlacementForm(LanternForm):
    episode: "forms.ModelChoiceField[MissingEpisode]" = forms.ModelChoiceField(
        label="Which missing episode prompted this? (optional)", queryset=None,
        required=False, empty_label="None",
    )

    def __init__(self, *args, episodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].queryset = episodes
        self.fields["episode"].label_from_instance = lambda e: (
            f"Missing from {timezone.localtime(e.went_missing_at):%-d %B %Y, %H:%M}")
        self.questions = lists.looked_after_rules().placement_questions
        for question in self.questions:
            self.fields[f"q_{question.code}"] = _text(
                question.wording, required=True, help_text=question.hint,
                message=f"Answer: {question.wording}")

    def question_fields(self):
        return [self[f"q_{q.code}"] for q in self.questions]

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[f"q_{q.code}"] for q in self.questions}

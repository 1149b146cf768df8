from typing import cast

from django import forms
from django.http import QueryDict

from lantern.domain.frameworks import Framework
from lantern.domain.labels import in_sentence
from lantern.domain.screening import (
    ScreeningInput,
    ScreeningInputError,
    Suggestion,
    evaluate,
    questions,
)
from lantern.foundation.forms import LanternForm, YesNoField
from lantern.foundation.http import parse_id

from . import bichard
from .models import BichardAssessment


class ScreeningForm(LanternForm):
    """A screening is never only ticks (seed 003 §5): indicators with their evidence, any
    checklist the area uses alongside, the professional's own analysis, the child's views and
    protective factors, and the category the professional decides on."""

    indicators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    checklist = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    s47_cse = forms.BooleanField(
        required=False,
        label="This is a section 47 enquiry with child sexual exploitation as the presenting issue",
    )
    additional_needs = forms.BooleanField(
        required=False,
        label="The young person has additional needs (for those aged 18 to 20)",
    )
    partner_age = forms.IntegerField(
        required=False, min_value=0, max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        label="How old is the person described as the child's partner? (optional)",
        help_text="Leave this blank if there is nobody, or you do not know. A gap of five years "
        "or more with a child under 18 is a concern (Stockport CSE procedure §4).",
        error_messages={
            "invalid": "Enter the age as a whole number of years, like 19",
            "min_value": "The age must be 0 or more",
            "max_value": "The age must be 120 or less",
        },
    )
    analysis = forms.CharField(
        label="Your analysis",
        widget=forms.Textarea,
        help_text="What do the indicators mean for this child? What else might be going on? "
        "What is the risk, and from whom?",
        error_messages={"required": "Enter your analysis of the risk to the child"},
    )
    child_views = forms.CharField(
        label="The child's views (optional)", widget=forms.Textarea, required=False,
        help_text="What the child wants and how they see things, in their own words",
    )
    protective_factors = forms.CharField(
        label="Protective factors (optional)", widget=forms.Textarea, required=False,
        help_text="People, places and strengths that keep the child safe",
    )
    final_category = forms.TypedChoiceField(
        label="Your decision: which category is right for this child?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category you have decided on"},
    )
    rationale = forms.CharField(
        label="Why does your category differ from the suggestion?",
        widget=forms.Textarea,
        required=False,
        help_text="Needed only when you choose a category the tool did not suggest",
    )

    def __init__(self, *args, framework: Framework, age: int, learning_disability: bool,
                 screener_role: str, local_settings: dict,
                 checklists: list[Framework] | tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.checklists = list(checklists)
        self.age = age
        self.learning_disability = learning_disability
        self.screener_role = screener_role
        self.local_settings = local_settings
        self.asked = questions(framework, age)
        for name in ("s47_cse", "additional_needs"):
            if name not in self.asked:
                del self.fields[name]
        noun = framework.category_noun
        choice_fields = cast(dict[str, forms.ChoiceField], self.fields)
        choice_fields["indicators"].choices = [
            (i.code, i.wording) for i in framework.indicators
        ]
        choice_fields["checklist"].choices = [
            (i.code, i.wording) for checklist in self.checklists for i in checklist.indicators
        ]
        final = choice_fields["final_category"]
        final.choices = [
            (c.number, f"{noun.capitalize()} {c.number}: {in_sentence(c.label)}")
            for c in framework.categories
        ]
        final.label = f"Your decision: which {noun} is right for this child?"
        final.error_messages["required"] = f"Select the {noun} you have decided on"
        self.fields["rationale"].label = f"Why does your {noun} differ from the suggestion?"
        self.fields["rationale"].help_text = (
            f"Needed only when you choose a {noun} the tool did not suggest"
        )
        for indicator in self.all_indicators():
            self.fields[f"evidence_{indicator.code}"] = forms.CharField(
                required=False, widget=forms.Textarea,
                label=f"Evidence for: {indicator.wording} (optional)",
            )

    def all_indicators(self):
        yield from self.framework.indicators
        for checklist in self.checklists:
            yield from checklist.indicators

    # --- what the suggestion is computed from -----------------------------------------------
    def ticked(self, field: str = "indicators") -> frozenset[str]:
        if self.is_bound and hasattr(self, "cleaned_data") and field in self.cleaned_data:
            return frozenset(self.cleaned_data.get(field) or [])
        raw = cast(QueryDict, self.data).getlist(field) if self.is_bound else []
        choices = cast(list[tuple[str, str]], cast(forms.ChoiceField, self.fields[field]).choices)
        known = {code for code, _label in choices}
        return frozenset(code for code in raw if code in known)

    def _partner_age(self) -> int | None:
        if hasattr(self, "cleaned_data") and "partner_age" in self.cleaned_data:
            return self.cleaned_data["partner_age"]
        raw = (self.data.get("partner_age") or "").strip() if self.is_bound else ""
        age = parse_id(raw)
        return age if age is not None and age <= 120 else None

    def screening_input(self, indicators=None) -> ScreeningInput:
        data = self.data if self.is_bound else {}
        return ScreeningInput(
            age=self.age,
            indicators=frozenset(indicators if indicators is not None else self.ticked()),
            learning_disability=self.learning_disability,
            additional_needs="additional_needs" in self.asked and bool(
                data.get("additional_needs")),
            s47_cse="s47_cse" in self.asked and bool(data.get("s47_cse")),
            screener_role=self.screener_role,
            partner_age=self._partner_age(),
        )

    def suggestion(self) -> tuple[Suggestion | None, str]:
        try:
            return evaluate(self.framework, self.screening_input(), self.local_settings), ""
        except ScreeningInputError as exc:
            return None, str(exc)

    def checklist_items(self) -> list[tuple[Framework, frozenset[str]]]:
        ticked = self.ticked("checklist")
        return [
            (checklist, frozenset(c for c in ticked if checklist.has_indicator(c)))
            for checklist in self.checklists
        ]

    def evidence(self) -> dict[str, str]:
        return {
            i.code: self.cleaned_data.get(f"evidence_{i.code}", "").strip()
            for i in self.all_indicators()
        }

    def clean(self):
        data = super().clean()
        suggestion, problem = self.suggestion()
        if suggestion is None:
            raise forms.ValidationError(f"This child cannot be screened with this tool: {problem}")
        self.computed = suggestion
        final = data.get("final_category")
        if final is None:
            return data
        noun = self.framework.category_noun
        if not suggestion.allows(final):
            self.add_error(
                "final_category",
                f"{noun.capitalize()} {final} is below the lowest {noun} allowed for this "
                f"child ({noun} {suggestion.floor}). {' '.join(suggestion.floor_reasons)}",
            )
        elif not (suggestion.minimum <= final <= suggestion.maximum) and not (
            data.get("rationale") or ""
        ).strip():
            self.add_error(
                "rationale",
                f"Enter why you chose {noun} {final} when the tool suggested "
                f"{self.framework.range_name(suggestion.minimum, suggestion.maximum)}",
            )
        return data


class BichardForm(LanternForm):
    """The Bichard questions (seed 000, appendix 2) and the flowchart's decisions."""

    other_person_age = forms.IntegerField(
        label="Age of the other person, if known (optional)", required=False, min_value=0,
        max_value=120,
        error_messages={"invalid": "Enter the age as a whole number, like 24"},
    )
    discussed_with = forms.CharField(
        label="Who did you discuss this with?", max_length=200,
        help_text="Your line manager or designated safeguarding lead: name and role",
        error_messages={"required": "Enter who you discussed the concerns with"},
    )
    refer_to_social_care = YesNoField(
        label="Are you referring the young person to children's social care?",
        required_message="Select yes if you are referring to children's social care",
    )
    reasons = forms.CharField(
        label="Your reasons", widget=forms.Textarea,
        help_text="Record the reasons for your decision either way",
        error_messages={"required": "Enter the reasons for your decision"},
    )
    consent = forms.ChoiceField(
        label="Consent from the young person and their parents", widget=forms.RadioSelect,
        choices=BichardAssessment.Consent.choices,
        help_text="Seek consent unless it would place the young person at risk or jeopardise "
        "enquiries",
        error_messages={"required": "Select whether consent was sought, given or refused"},
    )
    consent_detail = forms.CharField(
        label="About consent", widget=forms.Textarea, required=False,
        help_text="If consent was refused or not sought, say why and what you are doing",
    )

    def __init__(self, *args, child_age: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.child_age = child_age
        self.questions = bichard.load().questions
        for question in self.questions:
            if question.answer == "text":
                # Their view is in words, never a yes or no (issue 15).
                self.fields[f"n_{question.code}"] = forms.CharField(
                    label=question.wording, widget=forms.Textarea, required=False,
                    help_text="Write what they said without changing it. Leave it empty if "
                    "you have not heard their view yet.",
                )
                continue
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.wording, widget=forms.RadioSelect,
                choices=BichardAssessment.Answer.choices,
                error_messages={"required": f"Answer: {question.wording}"},
            )
            self.fields[f"n_{question.code}"] = forms.CharField(
                label="What you know (optional)", widget=forms.Textarea, required=False,
            )

    def question_fields(self):
        return [(self[f"q_{q.code}"] if q.answer == "yes_no" else None, self[f"n_{q.code}"])
                for q in self.questions]

    def answers(self) -> dict:
        return {
            q.code: {"answer": self.cleaned_data[f"q_{q.code}"] if q.answer == "yes_no"
                     else "text",
                     "note": self.cleaned_data[f"n_{q.code}"].strip()}
            for q in self.questions
        }

    def clean(self):
        data = super().clean()
        # A child under 13 cannot consent to sexual activity in law: always a referral.
        if self.child_age < 13 and data.get("refer_to_social_care") is False:
            self.add_error("refer_to_social_care",
                           "A child under 13 cannot consent to sexual activity in law: refer "
                           "them to children's social care")
        if data.get("consent") in (BichardAssessment.Consent.REFUSED,
                                   BichardAssessment.Consent.NOT_SOUGHT) and not (
                data.get("consent_detail") or "").strip():
            self.add_error("consent_detail", "Enter why consent was refused or not sought, "
                                             "and what you are doing")
        return data

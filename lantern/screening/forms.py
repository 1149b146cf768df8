from django import forms

from lantern.core.forms import LanternForm
from lantern.domain.frameworks import Framework
from lantern.domain.screening import (
    ScreeningInput,
    ScreeningInputError,
    Suggestion,
    evaluate,
)


class ScreeningForm(LanternForm):
    """A screening is never only ticks (seed 003 §5): indicators with their evidence, the
    professional's own analysis, the child's views and protective factors, and the category the
    professional decides on."""

    indicators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    s47_cse = forms.BooleanField(
        required=False,
        label="This is a section 47 enquiry with child sexual exploitation as the presenting issue",
    )
    additional_needs = forms.BooleanField(
        required=False,
        label="The young person has additional needs (for those aged 18 to 20)",
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
                 screener_role: str, local_settings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.age = age
        self.learning_disability = learning_disability
        self.screener_role = screener_role
        self.local_settings = local_settings
        self.fields["indicators"].choices = [(i.code, i.wording) for i in framework.indicators]
        self.fields["final_category"].choices = [
            (c.number, f"Category {c.number}: {c.label.lower()}") for c in framework.categories
        ]
        for indicator in framework.indicators:
            self.fields[f"evidence_{indicator.code}"] = forms.CharField(
                required=False, widget=forms.Textarea,
                label=f"Evidence for: {indicator.wording} (optional)",
            )

    # --- what the suggestion is computed from -----------------------------------------------
    def ticked(self) -> frozenset[str]:
        if self.is_bound and hasattr(self, "cleaned_data"):
            return frozenset(self.cleaned_data.get("indicators") or [])
        raw = self.data.getlist("indicators") if self.is_bound else []
        return frozenset(code for code in raw if self.framework.has_indicator(code))

    def screening_input(self, indicators=None) -> ScreeningInput:
        data = self.data if self.is_bound else {}
        return ScreeningInput(
            age=self.age,
            indicators=frozenset(indicators if indicators is not None else self.ticked()),
            learning_disability=self.learning_disability,
            additional_needs=bool(data.get("additional_needs")),
            s47_cse=bool(data.get("s47_cse")),
            screener_role=self.screener_role,
        )

    def suggestion(self) -> tuple[Suggestion | None, str]:
        try:
            return evaluate(self.framework, self.screening_input(), self.local_settings), ""
        except ScreeningInputError as exc:
            return None, str(exc)

    def evidence(self) -> dict[str, str]:
        return {
            i.code: self.cleaned_data.get(f"evidence_{i.code}", "").strip()
            for i in self.framework.indicators
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
        if not suggestion.allows(final):
            floor_reasons = [r for r in suggestion.reasons if "cannot be" in r or "section 47" in r]
            self.add_error(
                "final_category",
                f"Category {final} is below the lowest category allowed for this child "
                f"(category {suggestion.floor}). {' '.join(floor_reasons)}",
            )
        elif not (suggestion.minimum <= final <= suggestion.maximum) and not (
            data.get("rationale") or ""
        ).strip():
            self.add_error(
                "rationale",
                f"Enter why you chose category {final} when the tool suggested "
                f"{_range(suggestion)}",
            )
        return data


def _range(suggestion: Suggestion) -> str:
    if suggestion.minimum == suggestion.maximum:
        return f"category {suggestion.minimum}"
    return f"categories {suggestion.minimum} to {suggestion.maximum}"

from typing import cast

from django import forms

from lantern.foundation.forms import LanternForm


class WorkFilterForm(LanternForm):
    """The filters of a work tray (GET): what kind of work, the child's category, overdue."""

    kind = forms.ChoiceField(label="Step", required=False)
    category = forms.TypedChoiceField(
        label="Category of risk", required=False, coerce=int, empty_value=None,
        choices=[("", "Any category")] + [(str(n), f"Category {n}") for n in range(1, 5)],
        help_text="The category of the child's latest screening",
    )
    overdue = forms.BooleanField(label="Only overdue work", required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "Any step")] + kinds

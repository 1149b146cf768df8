"""Form building blocks in the GOV.UK pattern: questions are checked on the server with
GOV.UK-worded messages, and what the user typed comes back to them when something is wrong."""

from datetime import date, datetime, time

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.utils import pretty_name
from django.utils import timezone

from .http import parse_id
from .models import Agency, AgencyKind, Area, Role, User

# The largest whole number a form accepts where it says no maximum: 18 digits fit any column.
LARGEST_NUMBER = 10**18 - 1
# The longest text a form accepts where the field says no maximum (docs/conventions.md): a box
# of several lines (a description, a rationale, minutes) takes 20,000 characters, about eight
# printed pages; a one-line answer 500.
LONG_TEXT = 20_000
SHORT_TEXT = 500


class _StrictIdChoice:
    """For a choice of records by id: an id that is not 1 to 18 ASCII digits is not one of
    the choices (the GOV.UK message), rather than a query that overflows the database."""

    def _strict(self, value) -> None:
        if getattr(self, "to_field_name", None) is None and parse_id(str(value)) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],  # type: ignore[attr-defined]
                                        code="invalid_choice", params={"value": value})

    def to_python(self, value):
        if value not in self.empty_values:  # type: ignore[attr-defined]
            self._strict(value)
        return super().to_python(value)  # type: ignore[misc]

    def _check_values(self, value):
        for each in value:
            self._strict(each)
        return super()._check_values(value)  # type: ignore[misc]


_STRICT_CLASSES: dict[type, type] = {}


def _strict_class(cls: type) -> type:
    if cls not in _STRICT_CLASSES:
        _STRICT_CLASSES[cls] = type(f"Strict{cls.__name__}", (_StrictIdChoice, cls), {})
    return _STRICT_CLASSES[cls]


class _StrictInput:
    """Bad input is a validation message, never a server error (issue 13): whole numbers are
    bounded and choices of records take only ids that fit a column. Applied to every field of
    every Lantern form, however the field was declared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
                if field.max_value is None:
                    field.max_value = LARGEST_NUMBER
                    field.validators.append(MaxValueValidator(LARGEST_NUMBER))
                    field.error_messages["max_value"] = "Enter a smaller number"
            # (A field that reads its text into something else, a time, keeps its own rule.)
            if (isinstance(field, forms.CharField) and field.max_length is None
                    and type(field).to_python is forms.CharField.to_python):
                longest = LONG_TEXT if isinstance(field.widget, forms.Textarea) else SHORT_TEXT
                field.max_length = longest
                field.validators.append(MaxLengthValidator(longest))
                field.error_messages["max_length"] = _too_long(
                    str(field.label or pretty_name(name)), longest)
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                    field, _StrictIdChoice):
                field.__class__ = _strict_class(type(field))


def _too_long(label: str, longest: int) -> str:
    """The message for a text over its limit, named by its label: without "(optional)", and a
    question label quoted as what the answer is to ("What happened? must be" is no sentence)."""
    label = label.removesuffix(" (optional)")
    if label.endswith("?"):
        return f"Your answer to ‘{label}’ must be {longest:,} characters or fewer"
    return f"{label} must be {longest:,} characters or fewer"


class LanternForm(_StrictInput, forms.Form):
    # Required questions are checked on the server with a clear message; the browser's own
    # bubble would get there first with different words (GOV.UK validation guidance).
    use_required_attribute = False


# --- Questions that may be "not known" (issue 16 item 5) -------------------------------------
# Each is asked as radios: recorded (revealing the answer), not known (revealing why not: the
# national reviews found these go unrecorded without a reason) or not yet asked. The reveal is
# GOV.UK's conditional reveal: govuk-frontend's radios script hides what is not chosen, and
# without the script everything is shown. `reveals` on a radios field maps a choice to the
# field it reveals; the `field` template tag draws it.
RECORDED, NOT_KNOWN, NOT_ASKED = "recorded", "not_known", "not_asked"


def status_field(label: str, *, answer: str, reason: str) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect, choices=[
        (RECORDED, "Recorded"), (NOT_KNOWN, "Not known"), (NOT_ASKED, "Not yet asked")])
    field.reveals = {RECORDED: answer, NOT_KNOWN: reason}  # type: ignore[attr-defined]
    return field


def reveal_reason(field: forms.Field, reason: str) -> forms.Field:
    """A radios field whose "Not known" reveals the reason field."""
    field.reveals = {NOT_KNOWN: reason}  # type: ignore[attr-defined]
    return field


def infer_statuses(data, statuses: dict[str, tuple[str, str]]):
    """A form sent without a question's status radios (an older page, a test client) is judged
    from its answer: an answer is recorded, "not_known" or a reason is not known, else not yet
    asked. Also moves a posted answer of "not_known" to the status, as the answer list no longer
    offers it. `statuses`: status field -> (answer field, reason field). Returns new data."""
    if data is None:
        return None
    data = data.copy()
    for status, (answer, reason) in statuses.items():
        typed = (data.get(answer) or "").strip()
        if not data.get(status):
            if typed and typed != NOT_KNOWN:
                data[status] = RECORDED
            elif typed == NOT_KNOWN or data.get(reason):
                data[status] = NOT_KNOWN
        if typed == NOT_KNOWN:
            data[answer] = ""
    return data


def initial_statuses(initial: dict, statuses: dict[str, tuple[str, str]]) -> dict:
    """The status radios as a record's answers set them (an answer of "not_known" becomes the
    status, the answer list not offering it)."""
    initial = dict(initial)
    for status, (answer, reason) in statuses.items():
        value = initial.get(answer) or ""
        if value and value != NOT_KNOWN:
            initial[status] = RECORDED
        else:
            initial[status] = NOT_KNOWN if value == NOT_KNOWN or initial.get(reason) else NOT_ASKED
            initial[answer] = ""
    return initial


def status_answers(form: forms.Form, data: dict, statuses: dict[str, tuple[str, str]],
                   missing: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each status question's answer and reason as lantern.domain.demographics.check takes them,
    keyed by its answer field: recorded, the answer (an error on it, worded by `missing`, when
    there is none); not known, "not_known" and the reason; not yet asked, nothing."""
    answers, reasons = {}, {}
    for status, (answer, reason) in statuses.items():
        chosen = data.get(status) or ""
        typed = (data.get(answer) or "").strip()
        if chosen == RECORDED:
            if not typed and answer not in form.errors:
                form.add_error(answer, missing[answer])
            answers[answer], reasons[answer] = typed, ""
        elif chosen == NOT_KNOWN:
            answers[answer], reasons[answer] = NOT_KNOWN, data.get(reason) or ""
        else:
            answers[answer], reasons[answer] = "", ""
    return answers, reasons


class LanternModelForm(_StrictInput, forms.ModelForm):
    use_required_attribute = False


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK date input). The raw parts are kept as typed, so an
    impossible date comes back to the user to correct rather than vanishing."""

    def __init__(self, attrs=None):
        super().__init__(
            widgets={"day": forms.TextInput(), "month": forms.TextInput(),
                     "year": forms.TextInput()},
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    @staticmethod
    def parts(value) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(v or "") for v in (list(value) + ["", "", ""])[:3]]
        return ["", "", ""]


class GovukDateField(forms.MultiValueField):
    """A date asked as day, month and year, with the GOV.UK error messages:
    'Enter the date of birth', 'Date of birth must include a month',
    'Date of birth must be a real date', 'Date of birth must be in the past' (`past`), '... must
    be today or in the past' (`not_future`) or '... must be today or in the future' (`not_past`)."""

    widget = GovukDateInput

    def __init__(self, *, subject: str, past: bool = False, not_future: bool = False,
                 not_past: bool = False, required: bool = True, **kwargs):
        self.subject = subject  # e.g. "the date of birth", used in messages
        self.past = past
        self.not_future = not_future
        self.not_past = not_past
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {subject}")
        super().__init__(fields=fields, require_all_fields=False, required=required, **kwargs)

    @property
    def _Subject(self) -> str:
        words = self.subject.removeprefix("the ")
        return words[:1].upper() + words[1:]

    def clean(self, value):
        parts = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True)
                   if not part]
        if missing:
            raise forms.ValidationError(
                f"{self._Subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        try:
            # ASCII digits only (int() would read other scripts' digits) and a four-digit
            # year, so a 20-digit year is refused here, never an overflow further on.
            if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
                raise ValueError
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            result = date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(
                f"{self._Subject} must be a real date", code="invalid"
            ) from None
        today = timezone.localdate()
        if self.past and result >= today:
            raise forms.ValidationError(f"{self._Subject} must be in the past", code="future")
        if self.not_future and result > today:
            raise forms.ValidationError(
                f"{self._Subject} must be today or in the past", code="future"
            )
        if self.not_past and result < today:
            raise forms.ValidationError(
                f"{self._Subject} must be today or in the future", code="past"
            )
        return result

    def compress(self, data_list):  # pragma: no cover - clean() is overridden
        return data_list


class GovukTimeField(forms.CharField):
    """A time of day typed as hours and minutes (14:30, 2:30pm)."""

    def __init__(self, *, subject: str, **kwargs):
        self.subject = subject
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip().lower().replace(".", ":").replace(" ", "")
        if not text:
            return None
        for fmt in ("%H:%M", "%I:%M%p", "%I%p", "%H%M"):
            try:
                # Only the time of day is kept; no date, so no time zone to attach.
                return datetime.strptime(text, fmt).time()  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(
            f"Enter {self.subject} as hours and minutes, like 14:30", code="invalid"
        )

    def prepare_value(self, value):
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return value


class YesNoField(forms.TypedChoiceField):
    """A yes or no question as two radios; the answer is a bool."""

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": required_message},
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


class SignInForm(AuthenticationForm):
    use_required_attribute = False
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is switched off. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username",
                                                      "spellcheck": "false"})


class ChangePasswordForm(PasswordChangeForm):
    """The password policy: at least 12 characters, not a common password, not all numbers,
    not like the username (AUTH_PASSWORD_VALIDATORS)."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right",
            "password_mismatch": "The two new passwords do not match",
        }
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Three or four random words are easy to remember and hard "
            "to guess."
        )


class CodeForm(LanternForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        help_text="The 6-digit code your app shows now, for example 123456",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code


# --- Administration of accounts (lantern.foundation.accounts) ------------------------------------

class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.area.name})"


class AccountChangeForm(LanternForm):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select a role"})
    agency = AgencyChoiceField(
        queryset=Agency.objects.select_related("area").order_by("area__name", "name"),
        error_messages={"required": "Select an agency",
                        "invalid_choice": "Select an agency from the list"},
        help_text="The agency decides the area whose children the person works with.",
    )
    reason = forms.CharField(
        widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Enter the reason for the change",
                        "max_length": "The reason must be 2000 characters or fewer"},
        help_text="For example, the request from their manager. It is kept in the audit trail.",
    )


class AccountCreateForm(AccountChangeForm):
    username = forms.CharField(
        max_length=150, validators=[UnicodeUsernameValidator()],
        error_messages={"required": "Enter a username",
                        "max_length": "The username must be 150 characters or fewer"},
        help_text="Letters, digits and @ . + - _ only.",
    )
    first_name = forms.CharField(max_length=150,
                                 error_messages={"required": "Enter their first name"})
    last_name = forms.CharField(max_length=150,
                                error_messages={"required": "Enter their last name"})
    email = forms.EmailField(required=False, label="Email address",
                             error_messages={"invalid": "Enter an email address in the "
                                                        "correct format, like name@example.com"})
    job_title = forms.CharField(max_length=120, required=False)
    password = forms.CharField(
        label="First password", widget=forms.PasswordInput(render_value=True),
        error_messages={"required": "Enter a first password"},
        help_text="At least 12 characters. Give it to them in person or by phone; they set up "
                  "their authenticator app when they first sign in.",
    )

    field_order = ["username", "first_name", "last_name", "email", "job_title", "role",
                   "agency", "password", "reason"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Choose another")
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = User(username=cleaned.get("username", ""),
                        first_name=cleaned.get("first_name", ""),
                        last_name=cleaned.get("last_name", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ResetAuthenticatorForm(LanternForm):
    reset_reason = forms.CharField(
        label="Reason", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Enter the reason for resetting the authenticator",
                        "max_length": "The reason must be 2000 characters or fewer"},
        help_text="For example, a lost phone. They set up a new authenticator app at their "
                  "next sign-in.",
    )


class AccountDecisionForm(LanternForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve or refuse the change"},
    )
    note = forms.CharField(widget=forms.Textarea, required=False, max_length=2000,
                           error_messages={"max_length": "The note must be 2000 characters "
                                                         "or fewer"})


class AgencyForm(LanternForm):
    name = forms.CharField(max_length=160,
                           error_messages={"required": "Enter the agency's name",
                                           "max_length": "The name must be 160 characters or "
                                                         "fewer"})
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of agency"})
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"),
                                  error_messages={"required": "Select the area",
                                                  "invalid_choice": "Select an area from the "
                                                                    "list"})
    reason = forms.CharField(widget=forms.Textarea, max_length=2000,
                             error_messages={"required": "Enter the reason for adding it",
                                             "max_length": "The reason must be 2000 "
                                                           "characters or fewer"})

"""Forms: the cost calculator's inputs."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from quizzes import i18n
from quizzes.axis import usd
from quizzes.costs import answers, pricing
from quizzes.costs.usage import PricingError, Usage

ARCH_CHOICES = [("x86_64", "x86_64"), ("arm64", _("arm64 (Graviton)"))]


def _instance_choices() -> list[tuple[str, str]]:
    return [
        (name, _("%(name)s (%(price)s/hour)") % {"name": name, "price": usd(hourly, 4)})
        for name, hourly in pricing.instance_types()
    ]


class _TypedNumber:
    """A number box that reads text as the cost exercises do (`answers.parse_number`), so the
    calculator accepts `5,000,000` and `1,234.5` like an exercise answer; in Spanish `1,5` and
    `1.234,5` too. A whole-number box never reads a decimal: `1,024` is 1024 there."""

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        whole = isinstance(self, WholeNumberField)
        try:
            number = answers.parse_number(str(value), i18n.language(), whole=whole)
        except answers.AnswerFormatError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class WholeNumberField(_TypedNumber, forms.IntegerField):
    def to_python(self, value: object) -> int | None:
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)


class NumberField(_TypedNumber, forms.DecimalField):
    pass


class CostForm(forms.Form):
    """What the AWS pricing calculator asks for a Lambda function, with the same limits."""

    requests = WholeNumberField(
        label=_("Requests per month"), min_value=0, max_value=10**13, initial=5_000_000
    )
    duration_ms = NumberField(
        label=_("Average duration (ms)"),
        min_value=0,
        max_value=900_000,
        decimal_places=3,
        initial=200,
    )
    memory_mb = WholeNumberField(
        label=_("Memory (MB)"), min_value=128, max_value=10_240, initial=512
    )
    arch = forms.ChoiceField(
        label=_("Architecture"), choices=ARCH_CHOICES, initial="x86_64", widget=forms.RadioSelect
    )
    ephemeral_mb = WholeNumberField(
        label=_("Ephemeral storage (MB)"), min_value=512, max_value=10_240, initial=512
    )
    free_tier = forms.BooleanField(
        label=_("Apply the monthly free tier"), required=False, initial=True
    )
    edge = forms.BooleanField(label=_("Lambda@Edge"), required=False)
    provisioned_units = WholeNumberField(
        label=_("Provisioned concurrency"),
        min_value=0,
        max_value=100_000,
        initial=0,
        required=False,
    )
    provisioned_hours = NumberField(
        label=_("Hours it is enabled"), min_value=0, max_value=744, initial=0, required=False
    )
    provisioned_requests = WholeNumberField(
        label=_("Requests it serves (blank: all)"), min_value=0, required=False
    )
    instance = forms.ChoiceField(
        label=_("Compare with an always-on EC2 instance"), initial="t3.small"
    )

    NUMBERS = ("requests", "duration_ms", "memory_mb", "ephemeral_mb", "provisioned_units",
               "provisioned_hours", "provisioned_requests")  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instance"].choices = _instance_choices()
        for name in self.NUMBERS:
            field = self.fields[name]
            # A text box: a number box sends nothing for "abc", which then reads as "required".
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
            example = number_format(field.initial or 0, force_grouping=True)
            whole = isinstance(field, WholeNumberField)  # a DecimalField is an IntegerField too
            if field.initial:
                field.error_messages["required"] = _("Enter a number, for example %(n)s.") % {
                    "n": example
                }
                field.error_messages["invalid"] = (
                    _("Enter a whole number, for example %(n)s.") if whole
                    else _("Enter a number, for example %(n)s.")
                ) % {"n": example}  # fmt: skip
            else:
                field.error_messages["required"] = _("Enter a number.")
                field.error_messages["invalid"] = (
                    _("Enter a whole number.") if whole else _("Enter a number.")
                )

    @classmethod
    def from_query(cls, query: QueryDict) -> CostForm:
        """The form for a shared URL: a number it does not carry takes its default value.

        Check boxes are left alone: an unticked box is simply absent from a submitted form.
        """
        if not any(name in query for name in cls.NUMBERS):
            return cls(cls.defaults())
        data = query.copy()
        for name, value in cls.defaults().items():
            if name in cls.NUMBERS + ("arch", "instance") and name not in data:
                data[name] = value
        return cls(data)

    def clean_duration_ms(self) -> Decimal:
        value = self.cleaned_data["duration_ms"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("A function runs for some time: enter more than 0 ms."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["usage"] = Usage.from_values(
                requests=data["requests"],
                duration_ms=data["duration_ms"],
                memory_mb=data["memory_mb"],
                arch=data["arch"],
                ephemeral_mb=data["ephemeral_mb"],
                free_tier=data["free_tier"],
                edge=data["edge"],
                provisioned_units=data.get("provisioned_units") or 0,
                provisioned_hours=data.get("provisioned_hours") or 0,
                provisioned_requests=data.get("provisioned_requests"),
            )
        except PricingError as error:
            # The engine's words start lower case and name its own inputs: make them a sentence.
            message = i18n.translated(error.message)
            message = message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")
            if error.field in self.fields:
                self.add_error(error.field, message)
            else:
                raise forms.ValidationError(message) from None
        return data

    @classmethod
    def defaults(cls) -> dict[str, str]:
        """The query string of the page as first opened, so an empty URL shows an estimate."""
        form = cls()
        data = {
            name: str(field.initial)
            for name, field in form.fields.items()
            if field.initial is not None
        }
        data["free_tier"] = "on"
        data.pop("edge", None)
        return data


# The certifications whose AWS Lambda questions the course covers, as the exams' tags name them.
CERTIFICATIONS = [
    ("clf-c02", _("Cloud Practitioner (CLF-C02)")),
    ("saa-c03", _("Solutions Architect Associate (SAA-C03)")),
    ("dva-c02", _("Developer Associate (DVA-C02)")),
]


def target_choices(exams: list[tuple[str, str, str]]) -> list:
    """The target exam as a candidate thinks of it: each certification, with the mock exams that
    prepare for it underneath (a blueprint tagged for one certification, or for none: every one).

    `exams` is (slug, title, exam tag) per blueprint; a value is `certification:blueprint`."""
    groups = []
    for code, name in CERTIFICATIONS:
        options = [(f"{code}:{slug}", title) for slug, title, tag in exams if tag in ("", code)]
        if options:
            groups.append((name, options))
    return [("", _("None"))] + groups


class QuizForm(forms.Form):
    """What a learner picks before a practice quiz, as on the big practice-exam sites."""

    topics = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every topic."),
    )
    exam = forms.ChoiceField(
        label=_("Exam"),
        required=False,
        choices=[("", _("Any exam")), *CERTIFICATIONS],
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        required=False,
        choices=[
            ("", _("Any difficulty")),
            ("easy", _("Easy")),
            ("medium", _("Medium")),
            ("hard", _("Hard")),
        ],
    )
    mode = forms.ChoiceField(
        label=_("Which questions"),
        choices=[
            ("all", _("All questions")),
            ("wrong", _("Only ones I got wrong")),
            ("unseen", _("Not seen yet")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(label=_("Questions"), min_value=1, max_value=65, initial=10)

    def __init__(self, *args: object, topics: list[tuple[str, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topics


class LearnerSettingsForm(forms.ModelForm):
    """What the settings page saves; the exam date, target and time zone are checked here so a
    mistake is said on its field instead of saving something the forecast cannot use."""

    class Meta:
        from .models import LearnerSettings

        model = LearnerSettings
        fields = ["desired_retention", "new_per_day", "max_reviews_per_day", "max_interval_days",
                  "time_zone", "exam_date", "target_exam", "language"]  # fmt: skip
        labels = {
            "desired_retention": _("Desired retention"),
            "new_per_day": _("New cards per day"),
            "max_reviews_per_day": _("Maximum reviews per day"),
            "max_interval_days": _("Maximum interval (days)"),
            "time_zone": _("Time zone"),
            "exam_date": _("Exam date"),
            "language": _("Language"),
        }
        widgets = {
            "desired_retention": forms.NumberInput(
                attrs={"step": "0.01", "min": "0.80", "max": "0.97"}
            ),
            "exam_date": forms.DateInput(attrs={"type": "date"}),
            "time_zone": forms.TextInput(
                attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, exams: list[tuple[str, str, str]] = (), **kwargs) -> None:
        """Number boxes carry the model's limits, so the browser says them before the server;
        `exams`: (slug, title, exam tag) of the blueprints the learner can sit (from the view)."""
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.IntegerField):
                continue
            for validator in self.Meta.model._meta.get_field(name).validators:
                if isinstance(validator, MaxValueValidator):
                    field.widget.attrs.setdefault("max", validator.limit_value)
                if isinstance(validator, MinValueValidator):
                    field.widget.attrs.setdefault("min", validator.limit_value)
        self.fields["time_zone"].help_text = _(
            "Type to search the list, for example Europe/Madrid; days start at 4 a.m. there."
        )
        self.fields["target_exam"] = forms.ChoiceField(
            label=_("Target exam"),
            choices=target_choices(list(exams)),
            required=False,
            help_text=_(
                "The certification you prepare for, and the mock exam that stands for it: "
                "new cards lean towards its topics; the home page shows its forecast."
            ),
        )
        instance = self.instance
        if instance.target_exam:
            values = [
                v for _, options in self.fields["target_exam"].choices[1:] for v, _ in options
            ]
            mine = [v for v in values if v.endswith(f":{instance.target_exam}")]
            chosen = [v for v in mine if v.startswith(f"{instance.target_certification}:")]
            self.initial["target_exam"] = (chosen or mine or [""])[0]
        self.certification = instance.target_certification

    def clean_target_exam(self) -> str:
        """`certification:blueprint` from the list; the model keeps the two apart."""
        value = self.cleaned_data.get("target_exam") or ""
        certification, _, slug = value.partition(":")
        self.certification = certification if slug else ""
        return slug

    def clean_exam_date(self):
        """A date already gone cannot be prepared for: the forecast would fall back silently."""
        day = self.cleaned_data.get("exam_date")
        if day is None:
            return day
        zone = self.data.get("time_zone") or self.instance.time_zone
        try:
            today = timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
            today = timezone.now().date()
        if day < today:
            raise forms.ValidationError(
                _("%(day)s has passed: choose today or a later day, or leave it empty.")
                % {"day": date_format(day)}
            )
        return day

    def save(self, commit: bool = True):
        self.instance.target_certification = self.certification
        return super().save(commit=commit)


# A side of a learner's own card (quizzes.study.own_cards.MAX_TEXT says the same).
MAX_CARD_TEXT = 2000


class OwnCardForm(forms.Form):
    """A learner's own flashcard: its topic (and note section), front and back."""

    topic = forms.ChoiceField(label=_("Topic"))
    section = forms.ChoiceField(label=_("About the section"), required=False)
    front = forms.CharField(
        label=_("Front (the question)"), max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Markdown works, as in the notes."),
    )  # fmt: skip
    back = forms.CharField(
        label=_("Back (the answer)"), max_length=MAX_CARD_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(
        self, *args, topics: Iterable[tuple[str, str]], sections: list[tuple[str, str]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = list(topics)  # (slug, title)
        self.fields["section"].choices = [("", _("The whole topic"))] + sections

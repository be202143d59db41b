"""Forms: the cost calculator's inputs."""

from __future__ import annotations

from django import forms

from quizzes.costs import pricing

ARCH_CHOICES = [("x86_64", "x86_64"), ("arm64", "arm64 (Graviton)")]


def _instance_choices() -> list[tuple[str, str]]:
    return [(name, f"{name} (${hourly}/hour)") for name, hourly in pricing.instance_types()]


class CostForm(forms.Form):
    """What the AWS pricing calculator asks for a Lambda function, with the same limits."""

    requests = forms.IntegerField(
        label="Requests per month", min_value=0, max_value=10**13, initial=5_000_000
    )
    duration_ms = forms.DecimalField(
        label="Average duration (ms)", min_value=0, max_value=900_000, decimal_places=3, initial=200
    )
    memory_mb = forms.IntegerField(
        label="Memory (MB)", min_value=128, max_value=10_240, initial=512
    )
    arch = forms.ChoiceField(
        label="Architecture", choices=ARCH_CHOICES, initial="x86_64", widget=forms.RadioSelect
    )
    ephemeral_mb = forms.IntegerField(
        label="Ephemeral storage (MB)", min_value=512, max_value=10_240, initial=512
    )
    free_tier = forms.BooleanField(
        label="Apply the monthly free tier", required=False, initial=True
    )
    edge = forms.BooleanField(label="Lambda@Edge", required=False)
    provisioned_units = forms.IntegerField(
        label="Provisioned concurrency", min_value=0, max_value=100_000, initial=0, required=False
    )
    provisioned_hours = forms.DecimalField(
        label="Hours it is enabled", min_value=0, max_value=744, initial=0, required=False
    )
    provisioned_requests = forms.IntegerField(
        label="Requests it serves (blank: all)", min_value=0, required=False
    )
    instance = forms.ChoiceField(label="Compare with an always-on EC2 instance", initial="t3.small")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instance"].choices = _instance_choices()
        for name in ("requests", "duration_ms", "memory_mb", "ephemeral_mb", "provisioned_units",
                     "provisioned_hours", "provisioned_requests"):  # fmt: skip
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            data["usage"] = pricing.Usage.from_values(
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
        except pricing.PricingError as error:
            raise forms.ValidationError(str(error)) from None
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


class QuizForm(forms.Form):
    """What a learner picks before a practice quiz, as on the big practice-exam sites."""

    topics = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: every topic."
    )
    exam = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any exam"),
            ("clf-c02", "Cloud Practitioner (CLF-C02)"),
            ("saa-c03", "Solutions Architect Associate (SAA-C03)"),
            ("dva-c02", "Developer Associate (DVA-C02)"),
        ],  # fmt: skip
    )
    difficulty = forms.ChoiceField(
        required=False,
        choices=[("", "Any difficulty"), ("easy", "Easy"), ("medium", "Medium"), ("hard", "Hard")],
    )
    mode = forms.ChoiceField(
        choices=[
            ("all", "All questions"),
            ("wrong", "Only ones I got wrong"),
            ("unseen", "Not seen yet"),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(label="Questions", min_value=1, max_value=65, initial=10)

    def __init__(self, *args: object, topics: list[tuple[str, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topics


class LearnerSettingsForm(forms.ModelForm):
    class Meta:
        from .models import LearnerSettings

        model = LearnerSettings
        fields = ["desired_retention", "new_per_day", "max_reviews_per_day", "max_interval_days",
                  "time_zone", "exam_date", "target_exam"]  # fmt: skip
        widgets = {
            "desired_retention": forms.NumberInput(
                attrs={"step": "0.01", "min": "0.80", "max": "0.97"}
            ),
            "exam_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, exams: list[tuple[str, str]] = (), **kwargs) -> None:
        """`exams`: (slug, title) of the blueprints the learner can sit, given by the view."""
        super().__init__(*args, **kwargs)
        self.fields["target_exam"] = forms.ChoiceField(
            label="Target exam",
            choices=[("", "None")] + list(exams),
            required=False,
            help_text="New cards lean towards its topics; the home page shows its forecast.",
        )

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from .models import Blueprint, Team, TeamExam


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]


class JoinForm(forms.Form):
    code = forms.CharField(label="Invite code", max_length=16)

    def clean_code(self) -> Team:
        code = self.cleaned_data["code"].strip()
        team = Team.objects.filter(invite_code=code).first()
        if team is None:
            raise forms.ValidationError(
                "No team has this invite code: check it with your instructor."
            )
        return team


class TeamExamForm(forms.ModelForm):
    """Schedule a mock exam: a window and extra minutes for named members."""

    extra_time = forms.CharField(
        required=False,
        label="Extra time",
        help_text="One per line: username minutes (for example: ada 30).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = TeamExam
        fields = ["blueprint", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {"opens_at": "UTC", "closes_at": "UTC: no attempt can start after this."}

    def __init__(self, *args: object, team: Team, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["blueprint"].queryset = Blueprint.objects.filter(retired_at__isnull=True)

    def clean_extra_time(self) -> dict[str, int]:
        extra: dict[str, int] = {}
        members = {u.username: u.pk for u in User.objects.filter(memberships__team=self.team)}
        for number, line in enumerate(self.cleaned_data["extra_time"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(
                    f"Line {number}: write a username and a number of minutes."
                )
            if parts[0] not in members:
                raise forms.ValidationError(
                    f"Line {number}: {parts[0]} is not a member of this team."
                )
            extra[str(members[parts[0]])] = int(parts[1])
        return extra

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The window must close after it opens.")
        return data

    def save(self, commit: bool = True) -> TeamExam:
        exam = super().save(commit=False)
        exam.team = self.team
        exam.extra_minutes = self.cleaned_data.get("extra_time") or {}
        if commit:
            exam.save()
        return exam

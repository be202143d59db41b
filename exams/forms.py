from __future__ import annotations

import math

from django import forms
from django.contrib.auth.models import User
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts import names

from .models import MAX_EXTRA_MINUTES, Blueprint, Team, TeamExam

MAX_WEIGHT = 1_000_000


class TeamForm(forms.ModelForm):
    """A new team: its name is unique among the instructor's teams, whatever the case."""

    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": _("Name")}

    def __init__(self, *args: object, instructor: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instructor = instructor

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if self.instructor is not None and (
            Team.objects.filter(instructor=self.instructor, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("You already run a team called %(name)s: pick another name.") % {"name": name}
            )
        return name


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Invite code"), max_length=16)

    def clean_code(self) -> Team:
        # Codes are matched ignoring case and the spaces a copy from a slide brings along.
        code = "".join(self.cleaned_data["code"].split())
        team = Team.objects.filter(invite_code__iexact=code).first()
        if team is None:
            raise forms.ValidationError(
                _("No team has this invite code: check it with your instructor.")
            )
        return team


class TeamExamForm(forms.ModelForm):
    """Schedule a mock exam: a window and extra minutes for named members."""

    extra_time = forms.CharField(
        required=False,
        label=_("Extra time"),
        help_text=_("One per line: username minutes (for example: ada 30)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = TeamExam
        fields = ["blueprint", "opens_at", "closes_at"]
        labels = {"blueprint": _("Exam"), "opens_at": _("Opens at"), "closes_at": _("Closes at")}
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args: object, team: Team, zone: str = "UTC", **kwargs: object) -> None:
        """`zone` names the time zone the times are typed in (the view activates it)."""
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["opens_at"].help_text = _("Your time zone: %(zone)s.") % {"zone": zone}
        self.fields["closes_at"].help_text = _(
            "Your time zone: %(zone)s. No attempt can start after this."
        ) % {"zone": zone}
        self.fields["blueprint"].queryset = Blueprint.objects.filter(retired_at__isnull=True)

    def clean_extra_time(self) -> dict[str, int]:
        extra: dict[str, int] = {}
        # Names as sign-in reads them: trimmed, without case (accounts.names.the_one).
        members = list(
            User.objects.filter(memberships__team=self.team).values_list("username", "pk")
        )
        for number, line in enumerate(self.cleaned_data["extra_time"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not (parts[1].isascii() and parts[1].isdigit()):
                raise forms.ValidationError(
                    _("Line %(n)d: write a username and a number of minutes.") % {"n": number}
                )
            if int(parts[1]) > MAX_EXTRA_MINUTES:
                raise forms.ValidationError(
                    _("Line %(n)d: extra time is at most %(max)d minutes.")
                    % {"n": number, "max": MAX_EXTRA_MINUTES}
                )
            member = names.the_one(parts[0], members)
            if member is None:
                raise forms.ValidationError(
                    _("Line %(n)d: %(name)s is not a member of this team.")
                    % {"n": number, "name": parts[0]}
                )
            extra[str(member)] = int(parts[1])
        return extra

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data

    def save(self, commit: bool = True) -> TeamExam:
        exam = super().save(commit=False)
        exam.team = self.team
        exam.extra_minutes = self.cleaned_data.get("extra_time") or {}
        if commit:
            exam.save()
        return exam


def _weights_text(weights: dict) -> str:
    return ", ".join(f"{key}: {value:g}" for key, value in weights.items())


# What each kind of weight says when one is wrong: its own sentences, so each language can
# write them whole ("tema" and "dificultad" do not agree alike in Spanish).
WEIGHT_MESSAGES = {
    "topic": {
        "unknown": _("unknown topic %(name)s: use one of %(known)s"),
        "form": _("%(part)s: write topic: weight, e.g. limits: 3"),
        "none": _("Give at least one topic a weight above 0"),
    },
    "difficulty": {
        "unknown": _("unknown difficulty %(name)s: use one of %(known)s"),
        "form": _("%(part)s: write difficulty: weight, e.g. easy: 30"),
        "none": _("Give at least one difficulty a weight above 0"),
    },
}


def _parse_weights(text: str, known: set[str], what: str) -> dict[str, float]:
    said = WEIGHT_MESSAGES[what]
    weights: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.replace("\n", ",").split(","))):
        name, _colon, value = part.partition(":")
        name = name.strip()
        if name not in known:
            raise forms.ValidationError(
                said["unknown"] % {"name": repr(name), "known": ", ".join(sorted(known))}
            )
        try:
            weights[name] = float(value)
        except ValueError:
            raise forms.ValidationError(said["form"] % {"part": repr(part)}) from None
        if not math.isfinite(weights[name]) or weights[name] > MAX_WEIGHT:
            raise forms.ValidationError(
                _("%(name)s: a weight is a number from 0 to %(max)s")
                % {"name": name, "max": number_format(MAX_WEIGHT, force_grouping=True)}
            )
        if weights[name] < 0:
            raise forms.ValidationError(_("%(name)s: a weight cannot be negative") % {"name": name})
    if not weights or not sum(weights.values()):
        raise forms.ValidationError(said["none"])
    return weights


class BlueprintForm(forms.ModelForm):
    """An exam made in the app; weights typed as `limits: 3, pricing: 2`."""

    topics = forms.CharField(
        label=_("Topics"), help_text=_("Topic weights, e.g. limits: 3, pricing: 3, vpc: 2")
    )
    difficulty = forms.CharField(
        label=_("Difficulty"), help_text=_("Difficulty mix, e.g. easy: 30, medium: 50, hard: 20")
    )

    class Meta:
        model = Blueprint
        fields = [
            "title",
            "slug",
            "description",
            "question_count",
            "scored_count",
            "duration_minutes",
            "exam_tag",
            "scoring",
            "pass_mark",
        ]
        labels = {
            "title": _("Title"),
            "slug": _("Slug"),
            "description": _("Description"),
            "question_count": _("Number of questions"),
            "scored_count": _("Scored questions"),
            "duration_minutes": _("Duration (minutes)"),
            "exam_tag": _("Exam tag"),
            "scoring": _("Scoring"),
            "pass_mark": _("Pass mark"),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk or self.initial.get("topic_weights"):
            self.fields["topics"].initial = _weights_text(
                self.initial.get("topic_weights") or self.instance.topic_weights
            )
            self.fields["difficulty"].initial = _weights_text(
                self.initial.get("difficulty_mix") or self.instance.difficulty_mix
            )

    def clean_topics(self) -> dict[str, float]:
        from quizzes.models import Topic

        return _parse_weights(
            self.cleaned_data["topics"],
            set(Topic.objects.live().values_list("slug", flat=True)),
            "topic",
        )

    def clean_difficulty(self) -> dict[str, float]:
        return _parse_weights(
            self.cleaned_data["difficulty"], {"easy", "medium", "hard"}, "difficulty"
        )

    def clean(self) -> dict:
        data = super().clean()
        questions, scored = data.get("question_count"), data.get("scored_count")
        if questions and scored and scored > questions:
            self.add_error("scored_count", _("Scored questions cannot be more than questions."))
        scoring, mark = data.get("scoring"), data.get("pass_mark")
        if mark is not None and scoring == "percent" and not 1 <= mark <= 100:
            self.add_error("pass_mark", _("A percent pass mark is between 1 and 100."))
        if mark is not None and scoring == "scaled" and not 100 <= mark <= 1000:
            self.add_error("pass_mark", _("A scaled pass mark is between 100 and 1,000."))
        return data

    def save(self, commit: bool = True) -> Blueprint:
        blueprint = super().save(commit=False)
        blueprint.topic_weights = self.cleaned_data["topics"]
        blueprint.difficulty_mix = self.cleaned_data["difficulty"]
        if commit:
            blueprint.save()
        return blueprint

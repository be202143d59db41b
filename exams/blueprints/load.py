"""Writing the blueprints of content/exams to the database (called by `load_content`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from exams.models import Blueprint

from .spec import BlueprintSpec


def blueprints_load(*, specs: list[BlueprintSpec], root: Path, full: bool, now: datetime) -> int:
    """Upsert the blueprints from content/exams by slug; retire file blueprints that are gone."""
    for spec in specs:
        fields = {
            "title": spec.title,
            "description": spec.description,
            "question_count": spec.questions,
            "scored_count": spec.scored,
            "duration_minutes": spec.duration_minutes,
            "topic_weights": spec.topics,
            "difficulty_mix": spec.difficulty,
            "exam_tag": spec.exam_tag,
            "scoring": spec.scoring,
            "pass_mark": spec.pass_mark,
            "source_path": Path(spec.path).name,
            "retired_at": None,
        }
        Blueprint.objects.update_or_create(slug=spec.slug, defaults=fields)
    if full:
        slugs = [spec.slug for spec in specs]
        Blueprint.objects.exclude(source_path="").exclude(slug__in=slugs).update(retired_at=now)
    return len(specs)


def blueprint_translations_load(translations: dict) -> int:
    """Per blueprint, its translated title and description (`translations.read_exams`),
    written where they changed; a translation gone from the files is cleared."""
    wanted: dict[str, dict] = {}
    for language, found in translations.items():
        for slug, exam in found.exams.items():
            texts = {"title": exam.title, "description": exam.description, "stale": exam.stale}
            wanted.setdefault(slug, {})[language] = texts
    changed = [
        Blueprint(id=pk, translations=wanted.get(slug, {}))
        for pk, slug, stored in Blueprint.objects.values_list("id", "slug", "translations")
        if (stored or {}) != wanted.get(slug, {})
    ]
    Blueprint.objects.bulk_update(changed, ["translations"])
    return len(changed)

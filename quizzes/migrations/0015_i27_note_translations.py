"""A topic's translated note (note_html, toc_html per language) moves out of `translations`, which
every join of a question's topic reads for its title, into `note_translations`, which only the
note page reads. Back again on reversal."""

from django.db import migrations, models

NOTE = ("note_html", "toc_html")


def notes_apart(apps, schema_editor):
    Topic = apps.get_model("quizzes", "Topic")
    changed = []
    for topic in Topic.objects.only("id", "translations", "note_translations"):
        texts, notes = {}, {}
        for language, entry in (topic.translations or {}).items():
            texts[language] = {k: v for k, v in entry.items() if k not in NOTE}
            if any(k in entry for k in NOTE):
                notes[language] = {k: entry[k] for k in NOTE if k in entry}
        if texts != (topic.translations or {}):
            topic.translations, topic.note_translations = texts, notes
            changed.append(topic)
    Topic.objects.bulk_update(changed, ["translations", "note_translations"])


def notes_together(apps, schema_editor):
    Topic = apps.get_model("quizzes", "Topic")
    changed = []
    for topic in Topic.objects.only("id", "translations", "note_translations"):
        if not topic.note_translations:
            continue
        texts = {language: dict(entry) for language, entry in (topic.translations or {}).items()}
        for language, note in topic.note_translations.items():
            texts.setdefault(language, {}).update(note)
        topic.translations = texts
        changed.append(topic)
    Topic.objects.bulk_update(changed, ["translations"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0014_i27_import_job_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="note_translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(notes_apart, notes_together),
    ]

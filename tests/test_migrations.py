"""Migrations that move data: forwards and back, on the database the suite runs on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("quizzes", "0014_i27_import_job_language")
NOTES_APART = ("quizzes", "0015_i27_note_translations")

SPANISH = {
    "title": "Límites",
    "summary": "Los números.",
    "untranslated": ["pricing"],
    "stale": False,
}
NOTE = {"note_html": "<h2 id='timeout'>Tiempo de espera</h2>", "toc_html": "<ul><li>…</li></ul>"}


def migrate(target: tuple[str, str]):
    """The database migrated to `target`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def at_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_topics_translated_note_moves_to_its_own_column_and_back(at_the_latest):
    apps = migrate(BEFORE)
    Topic = apps.get_model("quizzes", "Topic")
    Topic.objects.create(slug="limits", title="Limits", translations={"es": SPANISH | NOTE})
    Topic.objects.create(slug="pricing", title="Pricing", translations={})

    Topic = migrate(NOTES_APART).get_model("quizzes", "Topic")
    limits = Topic.objects.get(slug="limits")
    assert limits.translations == {"es": SPANISH}
    assert limits.note_translations == {"es": NOTE}
    assert Topic.objects.get(slug="pricing").note_translations == {}

    Topic = migrate(BEFORE).get_model("quizzes", "Topic")
    assert Topic.objects.get(slug="limits").translations == {"es": SPANISH | NOTE}
    assert Topic.objects.get(slug="pricing").translations == {}

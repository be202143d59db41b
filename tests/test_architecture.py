"""The import rules of docs/architecture.md: pure modules import no Django, imports go downwards.

Each pure module is imported in a fresh interpreter where importing Django raises, so a Django
import anywhere in its import chain (even through a sibling) fails the test with its name.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PURE = [
    "quizzes.charts",
    "quizzes.course.yamlsafe",
    "quizzes.course.textcheck",
    "quizzes.course.markup",
    "quizzes.course.bank",
    "quizzes.course.notes",
    "quizzes.course.check",
    "quizzes.course.itemlint",
    "quizzes.course.awsservices",
    "quizzes.course.importers",
    "quizzes.course.importers.aiken",
    "quizzes.course.importers.gift",
    "quizzes.course.importers.moodle_xml",
    "quizzes.course.importers.core",
    "quizzes.course.importers.cloze",
    "quizzes.course.importers.media",
    "quizzes.course.importers.html",
    "quizzes.course.importers.output",
    "quizzes.course.placeholders",
    "quizzes.course.translations",
    "quizzes.course.glossary",
    "quizzes.study.short_answers",
    "quizzes.costs.pricing",
    "quizzes.costs.calculator",
    "quizzes.costs.exercises",
    "quizzes.costs.expressions",
    "quizzes.costs.answers",
    "quizzes.study.scheduler",
    "quizzes.study.studystats",
    "quizzes.study.newcards",
    "quizzes.study.optimizer",
    "quizzes.study.replay",
    "quizzes.authoring.uploads",
    "quizzes.authoring.itemstats",
    "quizzes.authoring.textdiff",
    "exams.blueprints.spec",
    "exams.sitting.results",
    "exams.readiness.model",
]

BLOCK_DJANGO = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"{name} imported by a pure module")
sys.meta_path.insert(0, Blocker())
import importlib
importlib.import_module(sys.argv[1])
"""


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_django(module):
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_DJANGO, module], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_module_of_the_pure_packages_is_listed_or_named_as_django_glue():
    """A new module in a pure package must be added to PURE, or to DJANGO_MODULES on purpose."""
    django_modules = {
        "quizzes.course.load",
        "quizzes.study.answering",
        "quizzes.study.reviews",
        "quizzes.study.quiz",
        "quizzes.study.practice",
        "quizzes.study.today",
        "quizzes.study.personal",
        "quizzes.study.holds",
        "quizzes.study.offline",
        "quizzes.authoring.changes",
        "quizzes.authoring.media",
        "quizzes.authoring.imports",
        "quizzes.authoring.tasks",
        "quizzes.authoring.preview",
    }
    found = set()
    for package in ("course", "costs", "study", "authoring"):
        for path in (REPO / "quizzes" / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            if name.count(".") >= 2:
                found.add(name)
    assert found - set(PURE) - django_modules == set()


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_concept_packages_never_import_views_forms_or_urls():
    """Views sit on top: the packages below them never reach up into the web layer."""
    upward = ("quizzes.views", "quizzes.forms", "quizzes.urls", "exams.views")
    offenders = []
    for package in ("course", "costs", "study", "authoring"):
        for path in (REPO / "quizzes" / package).rglob("*.py"):
            bad = [name for name in _imports(path) if name.startswith(upward)]
            if bad:
                offenders.append((str(path.relative_to(REPO)), bad))
    assert offenders == []


def test_costs_and_course_do_not_import_each_other_or_study():
    """The two pure pipelines stand alone, so either can be used (and tested) without the other."""
    rules = {"costs": ("quizzes.course", "quizzes.study"), "course": ("quizzes.study",)}
    offenders = []
    for package, forbidden in rules.items():
        for path in (REPO / "quizzes" / package).rglob("*.py"):
            bad = [name for name in _imports(path) if name.startswith(forbidden)]
            if bad:
                offenders.append((str(path.relative_to(REPO)), bad))
    assert offenders == []

"""Messages of the pure modules: English for the commands, the reader's language for the pages."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from quizzes.course.bank import parse_bank
from quizzes.course.importers import gift
from quizzes.course.itemlint import item_cues
from quizzes.i18n import sentence, translated
from quizzes.translatable import Message, figure, gettext_noop

from .conftest import BAD_CONTENT

TYPO = (BAD_CONTENT / "typo_corect.yaml").read_text()


def test_a_message_is_its_english_text():
    message = gettext_noop("unknown key '%(key)s' in %(where)s", key="corect", where="a choice")
    assert message == "unknown key 'corect' in a choice" and isinstance(message, str)
    assert f"x.yaml:3: {message}" == "x.yaml:3: unknown key 'corect' in a choice"
    assert message.template == "unknown key '%(key)s' in %(where)s"
    listed = gettext_noop("known: %(known)s; %(share)s%%", known=["a", "b"], share=figure("0.5"))
    assert listed == "known: a, b; 0.5%"
    assert figure("1e-05") == "1e-05" and figure("12") == Decimal(12)


def test_a_message_keeps_its_parameters_through_the_cache_and_the_database():
    hint = gettext_noop(" (did you mean '%(word)s'?)", word="correct")
    message = gettext_noop(
        "unknown key '%(key)s'%(hint)s; %(grades)s", key="k", hint=hint, grades=[Decimal("0.45")]
    )
    again = pickle.loads(pickle.dumps(message))
    assert again == message and again.params == message.params
    stored = json.loads(json.dumps(message.as_data()))
    assert Message.from_data(stored) == message
    with translation.override("es"):
        assert "¿quiso decir 'correct'?" in translated(stored)


def test_a_bank_problem_reads_in_spanish_on_a_page_and_in_english_anywhere_else():
    problems = parse_bank("typo.yaml", TYPO).problems
    shown = [str(p) for p in problems]
    assert "typo.yaml:10: unknown key 'corect' in a choice (did you mean 'correct'?)" in shown
    with translation.override("es"):
        spanish = [translated(p) for p in problems]
        assert str(problems[0]) == shown[0], "str() stays English whatever the language"
    assert (
        "typo.yaml:10: clave desconocida 'corect' en una opción (¿quiso decir 'correct'?)"
        in spanish
    )
    assert "typo.yaml:8: no hay respuesta correcta: marque una opción con 'correct: true'" in (
        spanish
    )
    with translation.override("en"):
        assert [translated(p) for p in problems] == shown


def test_importer_notes_write_numbers_as_the_reader_does():
    result = gift.convert("::Bad::Pick one. {~%45%a ~%55%b ~c}", topic="limits", id_prefix="t")
    [(line, why)] = result.skipped
    assert why.startswith("grades selected (0.45, 0.55) do not match grade options")
    with translation.override("es"):
        assert translated(why).startswith("las calificaciones elegidas (0,45; 0,55) no coinciden")
        assert sentence(why).startswith("Las calificaciones") and sentence(why).endswith(".")


def test_item_cues_are_stored_as_data_and_shown_translated():
    cues = item_cues(
        {"type": "single", "stem": "Which?", "choices": [
            {"text": "The long and only right answer", "correct": True}, {"text": "No"},
            {"text": "Never"}, {"text": "All of the above"},
        ]}
    )  # fmt: skip
    stored = json.loads(json.dumps([cue.as_data() for cue in cues]))
    with translation.override("es"):
        shown = [translated(cue) for cue in stored]
    assert "la opción 'd' dice 'All of the above'" in shown
    assert any(s.startswith("la clave es la opción más larga") for s in shown)
    assert [translated(cue) for cue in stored] == list(cues)  # English outside a Spanish page


@pytest.mark.django_db
def test_check_content_prints_english_even_where_spanish_is_active(capsys):
    with translation.override("es"), pytest.raises(SystemExit):
        call_command("check_content", str(BAD_CONTENT / "typo_corect.yaml"))
    out = capsys.readouterr().out
    assert "unknown key 'corect' in a choice (did you mean 'correct'?)" in out
    assert "clave" not in out

"""The Spanish glossary: terms AWS does not use are warnings with file and line, AWS names stay."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from quizzes.course import translations as tr
from quizzes.course.check import check_course
from quizzes.course.glossary import parse_glossary

from .conftest import FIXTURE_COURSE
from .test_translations import GOOD_BANK, GOOD_NOTE, check, write

SHIPPED = Path(__file__).resolve().parent.parent / "content"

GLOSSARY = """\
terms:
  - en: reserved concurrency
    use: simultaneidad reservada
    not: [concurrencia reservada]
  - en: timeout
    use: tiempo de espera
    not: [timeout]
  - en: runtime
    use: tiempo de ejecución
    not: [runtime]
    allow: [Runtime API]
keep:
  - ReportBatchItemFailures
  - Task timed out
  - {name: Invoke, code: true}
"""


def shipped_glossary():
    shipped, problems = parse_glossary(
        "glossary.yaml",
        (SHIPPED / "translations" / "es" / "glossary.yaml").read_text(encoding="utf-8"),
        "es",
    )
    assert problems == [] and shipped is not None
    return shipped


def glossary(text: str = GLOSSARY):
    found, problems = parse_glossary("glossary.yaml", text, "es")
    assert problems == [] and found is not None
    return found


def test_a_replaced_term_is_found_with_its_line_even_when_a_line_wraps_it():
    text = "Primera línea.\nConfigure la concurrencia\n  reservada en 10.\n"
    [misuse] = glossary().misuses(text)
    assert misuse.line == 2
    assert (
        "'concurrencia\n  reservada' where the AWS documentation writes 'simultaneidad "
        "reservada'" in misuse.message("es")
    )


def test_terms_are_whole_words_case_insensitive():
    assert [m.found for m in glossary().misuses("El Timeout de la función")] == ["Timeout"]
    assert glossary().misuses("timeouts y runtimes") == []  # other words
    assert glossary().misuses("un Runtime.ExitError en index.handler") == []  # identifiers
    assert [m.found for m in glossary().misuses("el timeout. Luego")] == ["timeout"]


def test_code_urls_glosses_allowed_phrases_and_kept_names_are_not_searched():
    g = glossary()
    assert g.misuses("El parámetro `Timeout` vale 3 segundos.") == []
    assert g.misuses("```\ntimeout = 3\n```\n") == []
    assert g.misuses("Vea https://docs.aws.amazon.com/x/timeout.html") == []
    assert g.misuses("el tiempo de espera (timeout) de la función") == []
    assert g.misuses("la Runtime API de Lambda") == []
    assert [m.found for m in g.misuses("un runtime personalizado")] == ["runtime"]


def test_a_dropped_aws_name_is_reported_and_code_only_names_only_where_the_english_has_code():
    g = glossary()
    english = "Return `ReportBatchItemFailures`; the log says Task timed out."
    assert g.lost_names(english, "Devuelva ReportBatchItemFailures; el registro dice "
                        "Task timed out.") == []  # fmt: skip
    assert g.lost_names(
        english, "Devuelva los fallos del lote; el registro dice «tarea agotada»."
    ) == ["ReportBatchItemFailures", "Task timed out"]
    assert g.lost_names("Invoke the function twice.", "Invoque la función dos veces.") == []
    assert g.lost_names("Call `Invoke` twice.", "Llame a la API dos veces.") == ["Invoke"]


def test_a_malformed_glossary_is_a_problem_with_its_line():
    found, problems = parse_glossary("g.yaml", "terms:\n  - en: x\n    uze: y\n", "es")
    assert found is None
    assert any("uze" in p.message for p in problems)
    found, problems = parse_glossary("g.yaml", "terms:\n  - en: x\n    use: concurrencia\n"
                                     "    not: [concurrencia]\n", "es")  # fmt: skip
    assert found is None and "contains 'concurrencia' from 'not'" in problems[0].message


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    course = check_course([root], root)
    english = {q.uid: q for q in course.questions}
    notes = {n.topic: n for n in course.notes}
    write(root, "banks/limits.yaml", GOOD_BANK.format(
        timeout=tr.source_hash(english["fx-timeout"]),
        card=tr.source_hash(english["fx-timeout-card"]),
    ))  # fmt: skip
    write(root, "notes/limits.md", GOOD_NOTE.format(source=tr.note_source_hash(notes["limits"])))
    write(root, "glossary.yaml", GLOSSARY)
    return root


def test_check_reports_a_replaced_term_in_a_bank_and_a_note_with_file_and_line(course_dir):
    bank = course_dir / "translations/es/banks/limits.yaml"
    bank.write_text(bank.read_text().replace("El tiempo de espera máximo", "El timeout máximo"))
    note = course_dir / "translations/es/notes/limits.md"
    note.write_text(note.read_text() + "\nReserve concurrencia reservada para ella.\n")
    course, es = check(course_dir)
    assert course.problems == []
    found = {(Path(f.path).name, f.line): f.message for f in es.findings}
    assert "'timeout' where the AWS documentation writes 'tiempo de espera'" in found[
        ("limits.yaml", 10)]  # fmt: skip
    note_line = note.read_text().split("\n").index("Reserve concurrencia reservada para ella.") + 1
    assert "'simultaneidad reservada'" in found[("limits.md", note_line)]


def test_comments_and_hashes_of_a_translation_file_are_not_read(course_dir):
    bank = course_dir / "translations/es/banks/limits.yaml"
    bank.write_text("# Nota: no escriba timeout ni concurrencia reservada.\n" + bank.read_text())
    assert check(course_dir)[1].findings == []


def test_check_content_strict_fails_on_a_replaced_term(course_dir, settings, capsys):
    settings.CONTENT_DIR = course_dir
    call_command("check_content", str(course_dir), "--strict")
    bank = course_dir / "translations/es/banks/limits.yaml"
    bank.write_text(bank.read_text().replace("900 segundos es el máximo.",
                                             "900 segundos es el timeout máximo."))  # fmt: skip
    with pytest.raises(SystemExit):
        call_command("check_content", str(course_dir), "--strict")
    out = capsys.readouterr().out
    assert "limits.yaml:6: warning: es: glossary: 'timeout'" in out


def test_a_translation_that_drops_an_aws_name_is_a_warning(course_dir):
    bank = course_dir / "banks/limits.yaml"
    bank.write_text(bank.read_text().replace("The maximum timeout", "The maximum Task timed out"))
    course = check_course([course_dir], course_dir)
    uid_hash = tr.source_hash({q.uid: q for q in course.questions}["fx-timeout"])
    es_bank = course_dir / "translations/es/banks/limits.yaml"
    text = es_bank.read_text()
    old = text.split("\n")[1]
    es_bank.write_text(text.replace(old, f"  source: {uid_hash}", 1))
    _, es = check(course_dir)
    assert any("'fx-timeout' explanation drops the AWS name 'Task timed out'" in f.message
               for f in es.findings), [f.message for f in es.findings]  # fmt: skip


def test_the_shipped_glossary_parses_and_the_shipped_translations_follow_it():
    course = check_course([SHIPPED], SHIPPED)
    es = course.translations["es"]
    assert es.glossary is not None
    assert {"simultaneidad reservada", "cola de mensajes fallidos"} <= {
        t.use for t in es.glossary.terms
    }
    assert "ReportBatchItemFailures" in {n.name for n in es.glossary.keep}
    assert [f for f in es.findings if "glossary" in f.message or "AWS name" in f.message] == []


@pytest.mark.parametrize(
    ("calque", "aws_term"),
    [
        ("el llamador espera la respuesta", "el invocador espera la respuesta"),
        ("los llamadores de otra cuenta", "los invocadores de otra cuenta"),
        ("apunte al endpoint del proxy", "apunte al punto de conexión del proxy"),
        ("la opción de punto de enlace", "la opción de punto de conexión"),
        ("la política de clave de KMS", "la política de claves de KMS"),
        ("el streaming de respuestas", "la transmisión de respuestas"),
        ("lee una secuencia de Kinesis", "lee un flujo de datos de Kinesis"),
        ("un flujo de DynamoDB en la tabla", "una secuencia de DynamoDB en la tabla"),
        ("los orígenes de secuencias ignoran", "los orígenes de flujos ignoran"),
        ("Lambda sondea una cola o una secuencia", "Lambda sondea una cola o un flujo"),
        ("las asignaciones de secuencias y de Kafka", "las asignaciones de flujos y de Kafka"),
        (
            "CloudFront espera a cada función disparada",
            "CloudFront espera a cada función desencadenada",
        ),
        ("¿Qué evento debe disparar la función?", "¿Qué evento debe desencadenar la función?"),
    ],
)
def test_the_shipped_glossary_flags_calques_and_accepts_the_aws_terms(calque, aws_term):
    """Terms checked against the es_es AWS pages named in the glossary's header."""
    shipped = shipped_glossary()
    assert shipped.misuses(calque), calque
    assert shipped.misuses(aws_term) == []


def test_one_warning_per_place_naming_the_widest_term():
    """'concurrencia reservada' is one fault, not also 'concurrencia' for 'concurrency'; a
    'concurrencia' alone elsewhere in the text is still its own warning."""
    text = "Configure una concurrencia reservada de 10.\nLa concurrencia de la cuenta es 1000."
    found = [(m.line, m.found, m.term.use) for m in shipped_glossary().misuses(text)]
    assert found == [
        (1, "concurrencia reservada", "simultaneidad reservada"),
        (2, "concurrencia", "simultaneidad"),
    ]


def test_the_shipped_glossary_keeps_secuencia_for_dynamodb_streams_and_sequence_numbers():
    """The generic stream is "flujo", but DynamoDB's own stream and "número de secuencia" stay."""
    shipped = shipped_glossary()
    for text in (
        "las asignaciones de secuencias de DynamoDB",
        "los lotes de secuencias de DynamoDB",
        "el número de secuencia fallido más bajo",
        "la secuencia de la tabla",
    ):
        assert shipped.misuses(text) == [], text


def test_the_shipped_glossary_flags_a_function_disparada_but_not_an_alarm_that_fires():
    """A function or an event is "desencadenada" (trigger); an alarm or a bill "se dispara"."""
    shipped = shipped_glossary()
    for text in ("si se dispara una alarma de errores", "cuando el tráfico se dispara"):
        assert shipped.misuses(text) == [], text


def test_a_kept_name_may_wrap_across_lines():
    g = glossary(GLOSSARY + "  - Amazon CloudWatch\n")
    assert (
        g.lost_names("Logs go to Amazon CloudWatch.", "Los registros van a Amazon\nCloudWatch.")
        == []
    )
    assert g.lost_names("Logs go to Amazon CloudWatch.", "Los registros van a CloudWatch.") == [
        "Amazon CloudWatch"
    ]

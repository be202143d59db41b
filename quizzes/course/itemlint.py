"""Item-writing lint: cues that let a candidate score without knowing Lambda.

A bank can be valid and still teach a test-taking trick: the right choice is the longest one, the
distractors are the ones that say "never", true/false statements are mostly false. Each cue is
measured per item (shown to instructors at the question) and as a share per topic and for the whole
course, compared with `SHIPPED_LIMITS`, the one place where the shipped course's limits live.

Two kinds of finding:
- a *warning* is a fault: an item that names "all of the above", a stem that nearly repeats another
  item's, or a share over its limit. `check_content --strict` fails on any warning.
- a *cue* is an item that carries one of the length or wording cues; some are unavoidable (a key is
  the longest choice by chance in a quarter of items), so cues only count towards the shares.

Pure Python: no Django import.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quizzes.translatable import Message, Percent, gettext_noop

from .awsservices import is_multi_service
from .bank import Choice, QuestionSpec
from .placeholders import placeholders

EXAM_STYLE = ("single", "multiple")

# Words that make a statement sweeping; test-wise candidates learn that they mark wrong choices.
ABSOLUTE = re.compile(r"\b(never|always|only|cannot|can't|must|all|none)\b", re.I)
ABOVE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these|those)\b", re.I)

# A scenario, as on the SAA-C03 and DVA-C02 exams: someone, what they need, what limits them.
ACTOR = re.compile(
    r"\b(a|an|the|your|their|its)\s+([\w-]+\s){0,3}?(company|team|developer|developers|startup|"
    r"organi[sz]ation|architect|engineer|retailer|bank|business|customer|application|app|website|"
    r"site|game|platform|service|insurer|hospital|school|publisher|agency|analyst|operator|"
    r"administrator|group|workload|function|pipeline|api|system|store|firm)\b",
    re.I,
)
REQUIREMENT = re.compile(
    r"\b(must|needs?|wants?|requires?|required|has to|have to|should|goal|expects?|plans?|"
    r"aims?|would like|is looking|tries|is building|is designing|is migrating|"
    r"fails?|failed|errors?|times? out|timed out|throttled|missing|slow|never|spikes?)\b",
    re.I,
)
CONSTRAINT = re.compile(
    r"\b(without|while|at least|at most|no more than|within|under|least|lowest|minimal|"
    r"minimi[sz]e|fewest|only|cannot|can't|before|after|every|each|per|but|however|already|"
    r"cost-effective|operational overhead|limit|quota)\b|\d",
    re.I,
)

# A choice that alone repeats this many of the stem's content words "echoes" the stem.
ECHO_WORDS = 2

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "does",
        "do",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "lambda",
        "function",
        "functions",
        "aws",
        "amazon",
        "true",
        "false",
        "following",
    ]
)


# Words too common in this course's stems and choices to give a key away when only it repeats one.
COMMON = frozenset(
    """
    about after again against also another any back because been before being best between
    both call called calls change changes check choice code come configure configured could
    create created data default does done down each else enough even every fail fails few
    first from give good help here high into just keep know last least less like long low
    make many more most much must need needed needs next none not now number only other
    over part per right same second seconds see send sent service services set setting
    settings should since small some still such take than then they thing through time times
    too under until used uses using value values very want wants way well what when which
    while will without work works write yes your application applications request requests
    invocation invocations invoke invoked invokes team company developer developers user
    users event events run runs running option options change new use does instead itself
    return returns error errors account accounts
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

NOT_GERUNDS = frozenset(
    ["nothing", "something", "anything", "everything", "during", "string", "thing"]
)

# A figure in a choice ("512 MB", "$0.20", "15 minutes") or code (`inline`); "S3", "EC2" and
# "arm64" are names, not figures.
FIGURE = re.compile(r"(?<![A-Za-z_\d])\d|`")

# First words that mark a choice's grammatical form, when they differ from the other choices'.
DETERMINERS = frozenset(
    ["a", "an", "the", "its", "their", "each", "every", "one", "some", "any", "this", "that"]
)


@dataclass(frozen=True)
class Lexicon:
    """The words the cues read, for one language: the checks are the same in every language."""

    absolute: re.Pattern
    above: re.Pattern
    actor: re.Pattern
    requirement: re.Pattern
    constraint: re.Pattern
    stopwords: frozenset[str]
    common: frozenset[str]
    determiners: frozenset[str]
    gerund_endings: tuple[str, ...]
    not_gerunds: frozenset[str]
    word: re.Pattern  # a word, lower-cased text


ENGLISH = Lexicon(
    absolute=ABSOLUTE, above=ABOVE, actor=ACTOR, requirement=REQUIREMENT, constraint=CONSTRAINT,
    stopwords=STOPWORDS, common=COMMON, determiners=DETERMINERS, gerund_endings=("ing",),
    not_gerunds=NOT_GERUNDS, word=re.compile(r"[a-z0-9@$][a-z0-9@$'-]*"),
)  # fmt: skip

# Spanish (Latin America): the same cues in the words a Spanish item uses. "solo" is an adverb
# ("only") far more often than an adjective in exam choices, so it counts, as "only" does.
SPANISH = Lexicon(
    absolute=re.compile(
        r"\b(siempre|nunca|jamás|solo|sólo|solamente|únicamente|todos|todas|ninguno|ninguna|"
        r"ningún|nada|debe|deben|no puede|no pueden|imposible)\b",
        re.I,
    ),
    above=re.compile(
        r"\b(todas|todos|ninguna|ninguno|ambas|ambos)\s+(de\s+)?(las|los|estas|estos)?\s*"
        r"(opciones\s+|respuestas\s+)?(anteriores|mencionad[oa]s)\b",
        re.I,
    ),
    actor=re.compile(
        r"\b(un|una|el|la|los|las|su|sus)\s+([\w-]+\s){0,3}?(empresa|compañía|equipo|"
        r"desarrollador|desarrolladora|desarrolladores|startup|organización|arquitecto|arquitecta|"
        r"ingeniero|ingeniera|minorista|banco|negocio|cliente|aplicación|app|sitio|juego|"
        r"plataforma|servicio|aseguradora|hospital|escuela|editorial|agencia|analista|operador|"
        r"administrador|administradora|grupo|carga de trabajo|función|canalización|api|sistema|"
        r"tienda|firma)\b",
        re.I,
    ),
    requirement=re.compile(
        r"\b(debe|deben|necesita|necesitan|quiere|quieren|requiere|requieren|requisito|"
        r"tiene que|tienen que|debería|deberían|objetivo|espera|planea|pretende|busca|desea|"
        r"está creando|está diseñando|está migrando|falla|fallan|falló|error|errores|"
        r"se agota|agota|limitad[oa]s?|falta|lent[oa]s?|nunca|picos?)\b",
        re.I,
    ),
    constraint=re.compile(
        r"\b(sin|mientras|al menos|como máximo|no más de|dentro de|menor|mínim[oa]|minimizar|"
        r"menos|solo|únicamente|no puede|antes|después|cada|por|pero|sin embargo|ya|rentable|"
        r"económic[oa]|sobrecarga operativa|esfuerzo operativo|límite|cuota)\b|\d",
        re.I,
    ),
    stopwords=frozenset(
        """a al algo como con cual cuál cuales cuáles cuando cuándo de del desde donde dónde e el
        en entre es esa ese eso esta está este esto estas estos están hay la las le les lo los
        más muy no o para pero por qué que se sea ser si sí sin sobre son su sus también u un una
        unos unas usted y ya lambda función funciones aws amazon verdadero falso siguiente
        siguientes""".split()  # noqa: SIM905
    ),
    common=frozenset(
        """además antes después otra otro otros otras cada cambio cambiar configurar configura
        configuración cuenta cuentas datos desarrollador desarrolladores empresa equipo error
        errores evento eventos invocación invocaciones invocar invoca nueva nuevo número opción
        opciones puede pueden servicio servicios solicitud solicitudes tiempo usar usa uso
        usuario usuarios valor valores código aplicación aplicaciones debe deben necesita hace
        hacer mismo misma menos mayor primero segundo segundos todas todos""".split()  # noqa: SIM905
    ),
    determiners=frozenset(
        "el la los las un una unos unas su sus cada todo toda este esta ese esa cualquier".split()  # noqa: SIM905
    ),
    gerund_endings=("ando", "iendo", "yendo"),
    not_gerunds=frozenset(["cuando", "mando", "comando", "fondo", "segundo", "mundo", "grande"]),
    word=re.compile(r"[^\W_][\w@$'-]*"),
)
LEXICONS = {"en": ENGLISH, "es": SPANISH}


@dataclass(frozen=True)
class Limits:
    """Shares the course must stay within, per topic (with enough items) and for the course."""

    longest_key: float = 0.30  # the key is the uniquely longest choice (chance: 1 in 4)
    long_margin: float = 0.30  # ... and at least this much longer than every other choice
    long_margin_share: float = 0.10
    longest_set: float = 0.15  # a multiple-answer key set that is exactly the longest choices
    true_low: float = 0.40  # true/false answers that are True
    true_high: float = 0.60
    scenarios: float = 0.60  # single and multiple questions that are scenarios
    position_high: float = 0.40  # no authored key position holds more than this share
    cue_excess: float = 0.10  # a wording cue marks keys (or distractors) this much more than chance
    term_key: float = 0.35  # a distinctive stem term that only the key repeats (chance: about 1
    # in 4, since a scenario's key must address the stem; judged also against the distractors')
    odd_form_key: float = 0.08  # the key is the one choice whose first word or form differs
    figures_key: float = 0.08  # the key alone has figures or code
    near_duplicate: float = 0.6  # content-word Jaccard similarity of two stems
    min_items: int = 10  # a share is judged only from this many items of its kind


SHIPPED_LIMITS = Limits()


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: Message  # English here, translated by the pages that show it
    uid: str = ""
    kind: str = "warning"  # "warning" or "cue"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


@dataclass
class Tally:
    """Counts behind the shares of one topic or of the whole course."""

    single: int = 0
    longest: int = 0
    long_margin: int = 0
    multiple: int = 0
    longest_set: int = 0
    true_false: int = 0
    true: int = 0
    exam_style: int = 0
    scenarios: int = 0
    positions: Counter = field(default_factory=Counter)
    keys: int = 0  # key choices of single questions
    key_absolute: int = 0
    distractors: int = 0
    distractor_absolute: int = 0
    key_echo: int = 0  # two stem words appear in the key and in no distractor
    distractor_echo: int = 0  # ... in one distractor and in no other choice
    key_term: int = 0  # a distinctive stem term (camelCase and hyphens split) only the key repeats
    distractor_term: int = 0  # ... that one distractor alone repeats
    key_odd: int = 0  # the key is the one choice whose first word or form differs
    distractor_odd: int = 0  # ... a distractor is
    key_figures: int = 0  # the key alone carries figures or code
    distractor_figures: int = 0  # ... one distractor alone does
    multi_service: int = 0  # single and multiple items naming two or more services besides Lambda
    slots: int = 0  # ordering and matching items (counted, not judged)

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, mine + theirs)

    def shares(self) -> dict[str, float | None]:
        def share(part: int, whole: int) -> float | None:
            return part / whole if whole else None

        return {
            "longest_key": share(self.longest, self.single),
            "long_margin": share(self.long_margin, self.single),
            "longest_set": share(self.longest_set, self.multiple),
            "true": share(self.true, self.true_false),
            "scenarios": share(self.scenarios, self.exam_style),
            "key_absolute": share(self.key_absolute, self.keys),
            "distractor_absolute": share(self.distractor_absolute, self.distractors),
            "key_echo": share(self.key_echo, self.keys),
            "distractor_echo": share(self.distractor_echo, self.distractors),
            "key_term": share(self.key_term, self.keys),
            "distractor_term": share(self.distractor_term, self.distractors),
            "key_odd": share(self.key_odd, self.keys),
            "distractor_odd": share(self.distractor_odd, self.distractors),
            "key_figures": share(self.key_figures, self.keys),
            "distractor_figures": share(self.distractor_figures, self.distractors),
            "multi_service": share(self.multi_service, self.exam_style),
        }


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    topics: dict[str, Tally] = field(default_factory=dict)
    banks: dict[str, Tally] = field(default_factory=dict)
    course: Tally = field(default_factory=Tally)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "warning"]

    def for_item(self, uid: str) -> list[Finding]:
        return [f for f in self.findings if f.uid == uid]

    def topic_summaries(self) -> list[Message]:
        """The cue shares of each topic, one line each."""
        return [_summary(topic, tally) for topic, tally in sorted(self.topics.items())]

    def bank_summaries(self, name: str = "") -> list[Message]:
        """The cue shares of each bank that has single, multiple or true/false items; `name`
        stands for the path (a page that checked one bank names it as the course does)."""
        return [
            _summary(name or path, tally)
            for path, tally in sorted(self.banks.items())
            if tally.exam_style or tally.true_false
        ]

    def course_summary(self) -> Message:
        return _summary("course", self.course)

    def summary_lines(self) -> list[str]:
        topics = [f"  {line}" for line in self.topic_summaries()]
        banks = [f"  {line}" for line in self.bank_summaries()]
        return [
            "item-writing cues by topic:", *topics, f"  {self.course_summary()}",
            "item-writing cues by bank:", *banks,
        ]  # fmt: skip


def _pct(value: float | None) -> Percent | str:
    return "-" if value is None else Percent(value)


def _summary(name: str, tally: Tally) -> Message:
    s = tally.shares()
    return gettext_noop(
        "%(name)s: longest key %(longest_key)s (%(long_margin)s by 30%%+), "
        "longest set %(longest_set)s, true/false True %(true)s, scenarios %(scenarios)s, "
        "absolute words keys %(key_absolute)s vs distractors %(distractor_absolute)s, "
        "stem echo keys %(key_echo)s vs distractors %(distractor_echo)s, "
        "stem term keys %(key_term)s vs distractors %(distractor_term)s, "
        "odd one out keys %(key_odd)s vs distractors %(distractor_odd)s, "
        "figures or code alone keys %(key_figures)s vs distractors %(distractor_figures)s, "
        "multi-service %(multi_service)s (%(services)s of %(exam_style)s), "
        "ordering and matching %(slots)s",
        name=name,
        **{key: _pct(share) for key, share in s.items()},
        services=tally.multi_service,
        exam_style=tally.exam_style,
        slots=tally.slots,
    )


def words(text: str, lexicon: Lexicon = ENGLISH) -> set[str]:
    """Content words, lower-cased, with a plural 's' dropped, for echoes and similarity."""
    found = set()
    for word in lexicon.word.findall(text.lower()):
        word = word.strip("'-")
        if len(word) < 3 or word in lexicon.stopwords:
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return found


def terms(text: str, lexicon: Lexicon = ENGLISH) -> set[str]:
    """Distinctive words: camelCase and hyphenated names split into their parts
    (`DeadLetterErrors` -> dead, letter, error), without stop words and common words."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    found = set()
    for word in re.findall(r"[^\W_]+|[@$]+", spaced.lower()):
        if len(word) < 4 or word in lexicon.stopwords or word in lexicon.common or word.isdigit():
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return found


def form(text: str, lexicon: Lexicon = ENGLISH) -> str:
    """A choice's form, from its first word: code, a figure, a determiner, a gerund, or the word
    itself ("yes", "no", "use", ...)."""
    plain = text.lstrip(" *_\"'(")
    if plain.startswith("`"):
        return "code"
    first = re.match(r"[\w@$.-]+", plain)
    if not first:
        return "other"
    word = first[0].lower().rstrip(".,")
    if FIGURE.match(plain) or word[:1].isdigit() or word.startswith("$"):
        return "figure"
    if word in lexicon.determiners:
        return "determiner"
    if len(word) > 4 and word.endswith(lexicon.gerund_endings) and word not in lexicon.not_gerunds:
        return "gerund"
    return word


def odd_one_out(texts: Sequence[str], lexicon: Lexicon = ENGLISH) -> int | None:
    """The index of the one choice whose form differs from all the others, which share one form
    (four choices or more; with three, one of three differing is common and tells nothing)."""
    if len(texts) < 4:
        return None
    forms = [form(t, lexicon) for t in texts]
    counts = Counter(forms)
    if len(counts) != 2:
        return None
    lone = [f for f, n in counts.items() if n == 1]
    return forms.index(lone[0]) if lone else None


def has_figures(text: str) -> bool:
    """Figures ("512 MB", "$0.20") or code (backticks); names such as S3, EC2 or arm64 are not."""
    return bool(FIGURE.search(text))


def is_scenario(stem: str, lexicon: Lexicon = ENGLISH) -> bool:
    """Someone in a situation, then a question: an actor, and what they need, what goes wrong or
    what limits them, told in at least one sentence before the question itself."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", " ".join(stem.split())) if s]
    return (
        len(sentences) >= 2
        and len(stem) >= 100
        and bool(lexicon.actor.search(stem))
        and bool(lexicon.requirement.search(stem) or lexicon.constraint.search(stem))
    )


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two stems' content words (0 = nothing shared, 1 = the same words)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _length(choice: Choice) -> int:
    return len(" ".join(choice.text.split()))


def lint_item(
    spec: QuestionSpec, limits: Limits = SHIPPED_LIMITS, lexicon: Lexicon = ENGLISH
) -> tuple[list[Finding], Tally]:
    """The cues and faults of one item, and its counts towards the shares."""
    tally, found = Tally(), []

    def note(message: Message, kind: str = "cue") -> None:
        found.append(Finding(spec.path, spec.line, message, spec.uid, kind))

    for what in placeholders(spec.spec):
        note(what, "warning")  # an importer's placeholder: fails --strict until replaced
    if spec.type == "true_false":
        tally.true_false = 1
        tally.true = int(any(c.correct and c.text.lower().startswith("true") for c in spec.choices))
        return found, tally
    if spec.type in ("ordering", "matching"):
        tally.slots = 1
    if spec.type not in EXAM_STYLE:
        return found, tally
    tally.exam_style = 1
    tally.scenarios = int(is_scenario(spec.stem, lexicon))
    tally.multi_service = int(is_multi_service(spec.stem, *(c.text for c in spec.choices)))
    for choice in spec.choices:
        if lexicon.above.search(choice.text):
            said = lexicon.above.search(choice.text)[0]
            note(
                gettext_noop("choice '%(key)s' says '%(said)s'", key=choice.key, said=said),
                "warning",
            )
    keys = [c for c in spec.choices if c.correct]
    others = [c for c in spec.choices if not c.correct]
    if not keys or not others:
        return found, tally
    if spec.type == "single":
        _lint_single(spec, keys[0], others, tally, note, limits, lexicon)
    else:
        by_length = sorted(spec.choices, key=_length, reverse=True)
        top, rest = by_length[: len(keys)], by_length[len(keys) :]
        tally.multiple = 1
        if all(c.correct for c in top) and _length(top[-1]) > _length(rest[0]):
            tally.longest_set = 1
            note(gettext_noop("the %(n)s keys are the %(n)s longest choices", n=len(keys)))
    return found, tally


def _lint_single(spec, key, others, tally, note, limits, lexicon) -> None:
    tally.single = tally.keys = 1
    tally.distractors = len(others)
    tally.positions[spec.choices.index(key)] += 1
    longest_other = max(_length(c) for c in others)
    if _length(key) > longest_other:
        tally.longest = 1
        margin = _length(key) / max(longest_other, 1) - 1
        if margin >= limits.long_margin:
            tally.long_margin = 1
        note(
            gettext_noop(
                "the key is the longest choice, %(margin)s longer than the next",
                margin=Percent(margin),
            )
        )
    tally.key_absolute = int(bool(lexicon.absolute.search(key.text)))
    tally.distractor_absolute = sum(bool(lexicon.absolute.search(c.text)) for c in others)
    if tally.distractor_absolute and not tally.key_absolute:
        note(gettext_noop("absolute words ('never', 'only', ...) appear in distractors only"))
    stem = words(spec.stem, lexicon)
    choice_words = {c.key: words(c.text, lexicon) & stem for c in spec.choices}

    def echoes_alone(choice: Choice) -> bool:
        """Two or more stem words that this choice alone repeats (one shared term is normal)."""
        elsewhere = set().union(*(w for k, w in choice_words.items() if k != choice.key))
        return len(choice_words[choice.key] - elsewhere) >= ECHO_WORDS

    if echoes_alone(key):
        tally.key_echo = 1
        note(gettext_noop("the key alone repeats words of the stem"))
    tally.distractor_echo = sum(echoes_alone(c) for c in others)
    _lint_form(spec, key, others, tally, note, lexicon)


def _lint_form(spec, key, others, tally, note, lexicon) -> None:
    """The three cues of form: a distinctive stem term, an odd first word, figures or code, each
    on the key alone (a cue) or on one distractor alone (its counterpart, for the comparison)."""
    stem_terms = terms(spec.stem, lexicon)
    shared = {c.key: terms(c.text, lexicon) & stem_terms for c in spec.choices}

    def repeats_alone(choice: Choice) -> set[str]:
        elsewhere = set().union(*(w for k, w in shared.items() if k != choice.key))
        return shared[choice.key] - elsewhere

    alone = repeats_alone(key)
    if alone:
        tally.key_term = 1
        note(gettext_noop("only the key repeats the stem's term '%(term)s'", term=sorted(alone)[0]))
    tally.distractor_term = sum(bool(repeats_alone(c)) for c in others)
    odd = odd_one_out([c.text for c in spec.choices], lexicon)
    if odd is not None:
        if spec.choices[odd].correct:
            tally.key_odd = 1
            note(
                gettext_noop(
                    "the key is the odd one out: it starts '%(form)s', the others do not",
                    form=form(key.text, lexicon),
                )
            )
        else:
            tally.distractor_odd = 1
    figures = [has_figures(c.text) for c in spec.choices]
    if sum(figures) == 1:
        if has_figures(key.text):
            tally.key_figures = 1
            note(ONLY_KEY_FIGURES)
        else:
            tally.distractor_figures = 1


def lint(
    questions: Sequence[QuestionSpec], limits: Limits = SHIPPED_LIMITS, language: str = "en"
) -> Report:
    """Lint every item, find near-duplicate stems across all of them, and judge the shares.
    `language`: the items' texts are in this language (its `LEXICONS` entry)."""
    lexicon = LEXICONS[language]
    report = Report()
    for spec in questions:
        found, tally = lint_item(spec, limits, lexicon)
        report.findings.extend(found)
        report.topics.setdefault(spec.topic, Tally()).add(tally)
        report.banks.setdefault(spec.path, Tally()).add(tally)
        report.course.add(tally)
    report.findings.extend(_near_duplicates(questions, limits, lexicon))
    first = _first_file_by_topic(questions)
    for topic, tally in sorted(report.topics.items()):
        path = first.get(topic, ("", 1))
        name = gettext_noop("topic '%(topic)s'", topic=topic)
        report.findings.extend(_judge(name, tally, limits, *path))
    if questions:
        path = min((q.path, q.line) for q in questions)
        report.findings.extend(_judge(gettext_noop("the course"), report.course, limits, *path))
    return report


def _first_file_by_topic(questions: Iterable[QuestionSpec]) -> dict[str, tuple[str, int]]:
    first: dict[str, tuple[str, int]] = {}
    for spec in questions:
        if spec.type in EXAM_STYLE or spec.type == "true_false":
            first[spec.topic] = min(first.get(spec.topic, (spec.path, 1)), (spec.path, 1))
    return first


ONLY_KEY_FIGURES = gettext_noop("only the key has figures or code")
ODD_FORM = gettext_noop("the key is the odd one out in form (its first word)")


def _judge(name: Message, tally: Tally, limits: Limits, path: str, line: int):
    """Warnings for the shares of one topic (or the course) that are over their limits."""
    s = tally.shares()

    def enough(count: int) -> bool:
        return count >= limits.min_items

    def warn(template: str, **params: object) -> Finding:
        message = Message(template, params)
        return Finding(
            path, line, gettext_noop("%(scope)s: %(warning)s", scope=name, warning=message)
        )

    if enough(tally.single):
        if s["longest_key"] > limits.longest_key:
            yield warn(
                gettext_noop(
                    "the key is the uniquely longest choice in %(count)s of %(whole)s "
                    "single-answer questions (%(share)s; limit %(limit)s)"
                ),
                count=tally.longest, whole=tally.single, share=_pct(s["longest_key"]),
                limit=_pct(limits.longest_key),
            )  # fmt: skip
        if s["long_margin"] > limits.long_margin_share:
            yield warn(
                gettext_noop(
                    "the key is %(margin)s+ longer than every other choice in %(count)s of "
                    "%(whole)s (%(share)s; limit %(limit)s)"
                ),
                margin=_pct(limits.long_margin), count=tally.long_margin, whole=tally.single,
                share=_pct(s["long_margin"]), limit=_pct(limits.long_margin_share),
            )  # fmt: skip
        top_position, top_count = tally.positions.most_common(1)[0]
        if top_count / tally.single > limits.position_high:
            yield warn(
                gettext_noop(
                    "the key is choice %(key)s in %(count)s of %(whole)s single-answer questions "
                    "(limit %(limit)s)"
                ),
                key="abcdef"[top_position], count=top_count, whole=tally.single,
                limit=_pct(limits.position_high),
            )  # fmt: skip
        yield from _cue_marks(warn, ABSOLUTE_WORDS, DISTRACTORS, s["distractor_absolute"],
                              s["key_absolute"], limits)  # fmt: skip
        yield from _cue_marks(warn, gettext_noop("stem words"), KEYS, s["key_echo"],
                              s["distractor_echo"], limits)  # fmt: skip
        yield from _cue_marks(warn,
                              gettext_noop("a distinctive stem term repeated by one choice alone"),
                              KEYS, s["key_term"], s["distractor_term"], limits)  # fmt: skip
        yield from _over(warn, tally.key_term, tally.single, limits.term_key,
                         gettext_noop("only the key repeats a distinctive stem term"))  # fmt: skip
        yield from _over(warn, tally.key_odd, tally.single, limits.odd_form_key, ODD_FORM)
        yield from _over(warn, tally.key_figures, tally.single, limits.figures_key,
                         ONLY_KEY_FIGURES)  # fmt: skip
    if enough(tally.multiple) and s["longest_set"] > limits.longest_set:
        yield warn(
            gettext_noop(
                "the keys are the longest choices in %(count)s of %(whole)s multiple-answer "
                "questions (%(share)s; limit %(limit)s)"
            ),
            count=tally.longest_set, whole=tally.multiple, share=_pct(s["longest_set"]),
            limit=_pct(limits.longest_set),
        )  # fmt: skip
    if enough(tally.true_false) and not limits.true_low <= s["true"] <= limits.true_high:
        yield warn(
            gettext_noop(
                "%(count)s of %(whole)s true/false answers are True (%(share)s; "
                "keep between %(low)s and %(high)s)"
            ),
            count=tally.true, whole=tally.true_false, share=_pct(s["true"]),
            low=_pct(limits.true_low), high=_pct(limits.true_high),
        )  # fmt: skip
    if enough(tally.exam_style) and s["scenarios"] < limits.scenarios:
        yield warn(
            gettext_noop(
                "%(count)s of %(whole)s single and multiple questions are scenarios (%(share)s; "
                "at least %(limit)s: an actor with a need, a symptom or a constraint, before the "
                "question)"
            ),
            count=tally.scenarios, whole=tally.exam_style, share=_pct(s["scenarios"]),
            limit=_pct(limits.scenarios),
        )  # fmt: skip


ABSOLUTE_WORDS = gettext_noop("absolute words")
KEYS = gettext_noop("keys")
DISTRACTORS = gettext_noop("distractors")


def _over(warn, count: int, whole: int, limit: float, what: Message):
    """A warning when a cue's share of single-answer questions is over its limit."""
    if count / whole > limit:
        yield warn(
            gettext_noop(
                "%(what)s in %(count)s of %(whole)s single-answer questions "
                "(%(share)s; limit %(limit)s)"
            ),
            what=what, count=count, whole=whole, share=_pct(count / whole), limit=_pct(limit),
        )  # fmt: skip


def _cue_marks(warn, cue: Message, marked: Message, marked_share, other_share, limits: Limits):
    """A wording cue found on `marked` choices (keys or distractors) more than on the others."""
    if marked_share is None or other_share is None:
        return
    if marked_share - other_share > limits.cue_excess:
        yield warn(
            gettext_noop(
                "%(cue)s mark the %(marked)s: %(share)s of %(marked)s against %(other)s "
                "of the other choices (limit %(limit)s apart)"
            ),
            cue=cue, marked=marked, share=_pct(marked_share), other=_pct(other_share),
            limit=_pct(limits.cue_excess),
        )  # fmt: skip


def _near_duplicates(
    questions: Sequence[QuestionSpec], limits: Limits, lexicon: Lexicon = ENGLISH
) -> list[Finding]:
    """Items whose stems share most of their content words with an earlier item's (one each).

    Prefix filtering, as in set-similarity joins: with each stem's words sorted rarest first, two
    stems with a Jaccard similarity of at least t share a word among the first
    len - ceil(t * len) + 1 of each, so only those words are indexed and looked up. Exact, and
    about linear in the number of items, since rare words have short lists.
    """
    items = [q for q in questions if q.type in (*EXAM_STYLE, "true_false")]
    bags = [words(q.stem, lexicon) for q in items]
    frequency = Counter(word for bag in bags for word in bag)
    threshold = limits.near_duplicate
    by_word: dict[str, list[int]] = defaultdict(list)
    found = []
    for index, bag in enumerate(bags):
        ordered = sorted(bag, key=lambda word: (frequency[word], word))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        for j in sorted({j for word in prefix for j in by_word[word]}):
            score = similarity(bag, bags[j])
            if score >= threshold:
                spec, other = items[index], items[j]
                found.append(
                    Finding(
                        spec.path,
                        spec.line,
                        gettext_noop(
                            "stem nearly repeats '%(id)s' (%(path)s:%(line)s; %(share)s of "
                            "content words shared)",
                            id=other.uid,
                            path=other.path,
                            line=other.line,
                            share=Percent(score),
                        ),
                        spec.uid,
                    )
                )
                break
        for word in prefix:
            by_word[word].append(index)
    return found


def item_cues(authored: Mapping) -> list[Message]:
    """The cues and faults of one stored question, from the dict it was authored as (its `spec`).

    Pages that list questions from the database (the item analysis) show the same cues as
    `check_content` without re-reading the bank files.
    """
    qtype = str(authored.get("type", ""))
    if qtype == "true_false":
        answer = authored.get("answer")
        choices = (
            Choice("true", "True", answer is True),
            Choice("false", "False", answer is False),
        )
    else:
        raw = [c for c in authored.get("choices") or [] if isinstance(c, Mapping)]
        choices = tuple(
            Choice("abcdefgh"[i % 8], str(c.get("text", "")), c.get("correct") is True)
            for i, c in enumerate(raw)
        )
    spec = QuestionSpec(
        uid=str(authored.get("id", "")), type=qtype, topic=str(authored.get("topic", "")),
        difficulty="", tags=(), stem=str(authored.get("stem", "")), back="", choices=choices,
        choose=int(authored.get("choose") or 1), explanation="", references=(), exercise=None,
        path="", line=0,
    )  # fmt: skip
    return [finding.message for finding in lint_item(spec)[0]]

"""The shipped course: counts per topic, unique stems, no leaning answer position, AWS sources."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from quizzes.course import itemlint
from quizzes.course.check import check_course

from .conftest import REPO

TOPICS = (
    "limits", "pricing", "triggers", "vpc", "edge", "rds-proxy",
    "deployment", "observability", "security", "performance", "orchestration", "apis",
    "development",
)  # fmt: skip
EXAM_STYLE = ("single", "multiple")
AWS_DOMAINS = ("docs.aws.amazon.com", "aws.amazon.com")
SCENARIO = re.compile(
    r"\b(a|an|the|your)\s+(\w+[- ])?(company|team|developer|startup|organization|organisation|"
    r"architect|engineer|retailer|bank|business|customer|application|app|website|site|game|"
    r"solutions architect|data team|media|news|ticketing|school|hospital|insurer|platform|"
    r"service)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def course():
    course = check_course([REPO / "content"], context_dir=REPO / "content")
    assert course.ok, [str(p) for p in course.problems]
    return course


def by_topic(course, types):
    return Counter(q.topic for q in course.questions if q.type in types)


def test_every_topic_has_forty_exam_style_questions(course):
    counts = by_topic(course, EXAM_STYLE)
    assert all(counts[t] >= 40 for t in TOPICS), counts
    assert sum(counts.values()) >= 240


def test_every_topic_has_twenty_five_flashcards_and_there_are_twenty_cost_exercises(course):
    cards = by_topic(course, ("flashcard",))
    assert all(cards[t] >= 25 for t in TOPICS), cards
    assert sum(by_topic(course, ("numeric",)).values()) >= 20


def test_issue_22_targets_hold_for_the_shipped_course(course):
    """The exam-realism targets of issue 22, so a later edit cannot undo them quietly: each new
    topic has 45 exam-style questions and 25 flashcards, 30 ordering or matching items ship, and
    at least 40% of single/multiple items name two or more AWS services besides Lambda."""
    exam_style, cards = by_topic(course, EXAM_STYLE), by_topic(course, ("flashcard",))
    for topic in ("orchestration", "apis", "development"):
        assert exam_style[topic] >= 45 and cards[topic] >= 25, (topic, exam_style, cards)
    assert sum(by_topic(course, ("ordering", "matching")).values()) >= 30
    tally = itemlint.lint(course.questions).course
    assert tally.multi_service / tally.exam_style >= 0.40, (tally.multi_service, tally.exam_style)


def test_at_least_a_quarter_of_each_topics_questions_are_scenarios(course):
    for topic in TOPICS:
        stems = [q.stem for q in course.questions if q.topic == topic and q.type in EXAM_STYLE]
        scenarios = sum(bool(SCENARIO.search(stem)) for stem in stems)
        assert scenarios >= len(stems) / 4, (topic, scenarios, len(stems))


def test_no_two_questions_share_a_stem(course):
    normal = Counter(re.sub(r"\W+", " ", q.stem).strip().lower() for q in course.questions)
    assert [stem for stem, n in normal.items() if n > 1] == []


def test_the_right_answer_does_not_lean_on_one_position(course):
    positions = Counter(
        next(i for i, c in enumerate(q.choices) if c.correct)
        for q in course.questions
        if q.type == "single"
    )
    total = sum(positions.values())
    assert len(positions) >= 4, positions
    assert max(positions.values()) / total < 0.4, positions


def test_every_choice_has_a_rationale_and_every_item_an_explanation(course):
    for q in course.questions:
        if q.type in EXAM_STYLE:
            assert all(c.rationale for c in q.choices), q.uid
        if q.type != "flashcard":
            assert q.explanation, q.uid


def test_every_reference_is_an_https_aws_documentation_url(course):
    for q in course.questions:
        assert q.references, q.uid
        for url in q.references:
            parts = urlsplit(url)
            assert parts.scheme == "https" and parts.netloc in AWS_DOMAINS, (q.uid, url)


def test_difficulties_are_spread_and_every_item_serves_an_exam(course):
    for topic in TOPICS:
        levels = Counter(q.difficulty for q in course.questions if q.topic == topic)
        assert all(levels[level] >= 5 for level in ("easy", "medium", "hard")), (topic, levels)
    assert all({"clf-c02", "saa-c03", "dva-c02"} & set(q.tags) for q in course.questions)


def test_seed_errors_became_misconception_items(course):
    uids = {q.uid for q in course.questions}
    for uid in ("pricing-five-million-requests", "pricing-seed-duration-calculation",
                "limits-tmp-max-misconception", "vpc-eni-cold-start-myth",
                "limits-scaling-rate-misconception", "limits-vcpu-1769-misconception",
                "limits-async-payload-1mb-misconception"):  # fmt: skip
        assert uid in uids


@pytest.mark.django_db
def test_every_note_renders_with_its_table_of_contents_and_diagrams(client, settings):
    from .shipped import load_shipped_course

    load_shipped_course(settings)
    for slug in ("overview", *TOPICS):
        page = client.get(f"/notes/{slug}/").content.decode()
        assert 'aria-label="On this page"' in page, slug
        for src in re.findall(r'<img [^>]*src="([^"]+)"', page):
            assert (REPO / src.lstrip("/")).exists(), src
            assert re.search(
                rf'src="{re.escape(src)}"[^>]*alt="[^"]+"|alt="[^"]+"[^>]*src="{re.escape(src)}"',
                page,
            )
    pricing = client.get("/notes/pricing/").content.decode()
    assert pricing.count('class="exercise"') >= 3

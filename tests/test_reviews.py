"""Reviews: the queue, grading once per showing, undo, leeches, and queries that do not grow."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.utils import timezone

from quizzes.models import Card, LearnerSettings, Question, ReviewLog, Topic
from quizzes.study import newcards, reviews
from quizzes.study.answering import public_key

from .factories import QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


@pytest.fixture
def learner(client, loaded_course, monkeypatch):
    """A signed-in learner whose new cards come first question first, in file order.

    The interleaving draw (tested in test_readiness.py) depends on the learner's id and the day;
    these tests are about showing and grading one known question.
    """

    def first_question(unseen, weights, seed):
        groups = sorted(unseen, key=lambda key: (key[1] != newcards.QUESTIONS, key))
        return (*groups[0], 0) if groups else None

    monkeypatch.setattr(newcards, "new_card_pick", first_question)
    user = UserFactory()
    client.force_login(user)
    return user


def first_card(client, topic="limits") -> tuple[str, str]:
    page = client.get(f"/review/?topic={topic}").content.decode()
    if 'name="token"' in page:
        return page, token_of(page)
    return page, unquote(re.search(r"token=([^&\"]+)", page).group(1))


def test_review_needs_login(client, loaded_course):
    response = client.get("/review/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_question_shows_no_answer_key(client, learner):
    page, _ = first_card(client)
    question = Question.objects.get(uid="fx-timeout")
    assert "What is the longest a Lambda invocation can run?" in page
    assert "900 seconds is the maximum." not in page, "a rationale before answering"
    assert "The maximum timeout is" not in page, "the explanation before answering"
    assert "correct" not in re.sub(r"csrf\w*", "", page.split('id="review-session"')[1]).lower()
    assert question.choices[0]["correct"]


def test_answering_shows_feedback_and_suggests_a_grade_without_recording_it(client, learner):
    page, token = first_card(client)
    question = Question.objects.get(uid="fx-timeout")
    right = next(c["key"] for c in question.choices if c["correct"])
    page = client.post(
        "/review/answer/",
        {"token": token, "choice": public_key(reviews.read_token(token).nonce, right)},
        headers=HTMX,
    ).content.decode()
    assert "Right." in page and "900 seconds is the maximum." in page
    assert re.search(r'class="grade grade-4 suggested"', page), "right and fast: Easy"
    assert ReviewLog.objects.count() == 0


def test_a_wrong_answer_suggests_again(client, learner):
    _, token = first_card(client)
    question = Question.objects.get(uid="fx-timeout")
    wrong = next(c["key"] for c in question.choices if not c["correct"])
    page = client.post(
        "/review/answer/",
        {"token": token, "choice": public_key(reviews.read_token(token).nonce, wrong)},
        headers=HTMX,
    ).content.decode()
    assert "Not quite." in page and 'class="grade grade-1 suggested"' in page


def test_checking_with_nothing_chosen_says_so_and_records_nothing(client, learner):
    _, token = first_card(client)
    page = client.post("/review/answer/", {"token": token}, headers=HTMX).content.decode()
    assert "Choose an answer first." in page
    assert ReviewLog.objects.count() == 0


def test_a_grade_is_recorded_once_however_often_it_is_sent(client, learner):
    _, token = first_card(client)
    for _ in range(3):
        client.post("/review/grade/", {"token": token, "rating": "3"}, headers=HTMX)
    assert ReviewLog.objects.filter(user=learner).count() == 1
    card = Card.objects.get(user=learner, question__uid="fx-timeout")
    assert card.reps == 1 and card.state == Card.State.LEARNING


def test_a_forged_or_bad_token_or_rating_changes_nothing(client, learner):
    assert client.post("/review/grade/", {"token": "forged", "rating": "3"}).status_code == 404
    _, token = first_card(client)
    client.post("/review/grade/", {"token": token, "rating": "9"})
    assert ReviewLog.objects.count() == 0


def test_grading_shows_the_next_card_and_progress(client, learner):
    _, token = first_card(client)
    page = client.post(
        "/review/grade/", {"token": token, "rating": "4"}, headers=HTMX
    ).content.decode()
    assert "1 done" in page
    assert 'id="review-session"' in page and "<html" not in page


def test_without_javascript_a_grade_redirects_to_the_next_card(client, learner):
    _, token = first_card(client)
    response = client.post("/review/grade/", {"token": token, "rating": "3", "topic": "limits"})
    assert response.status_code == 302 and response.url == "/review/?topic=limits"


def test_undo_puts_the_card_back_and_forgets_the_review(client, learner):
    _, token = first_card(client)
    client.post("/review/grade/", {"token": token, "rating": "4"}, headers=HTMX)
    card = Card.objects.get(user=learner, question__uid="fx-timeout")
    assert card.state != Card.State.NEW
    page = client.post("/review/undo/", headers=HTMX).content.decode()
    assert "Undone." in page and "What is the longest" in page
    card.refresh_from_db()
    assert card.state == Card.State.NEW and card.reps == 0
    assert ReviewLog.objects.count() == 0
    page = client.post("/review/undo/", headers=HTMX).content.decode()
    assert "There is no review to undo." in page


def test_a_flashcard_back_is_only_sent_after_reveal(client, learner):
    Question.objects.exclude(type="flashcard").update(retired_at=timezone.now())
    page, token = first_card(client)
    assert "Maximum timeout?" in page and "900 seconds." not in page
    revealed = client.get("/review/reveal/", {"token": token}, headers=HTMX).content.decode()
    assert "900 seconds." in revealed and 'data-rating="1"' in revealed
    assert re.search(r"Again</span> <span class=\"grade-interval\">1m", revealed)


@pytest.mark.parametrize(
    ("delta", "english", "spanish"),
    [
        (timedelta(seconds=20), "<1m", "<1 min"),
        (timedelta(minutes=10), "10m", "10 min"),
        (timedelta(hours=1), "1h", "1 h"),
        (timedelta(days=3), "3d", "3 d"),
        (timedelta(days=30), "1mo", "1 mes"),
        (timedelta(days=45), "1.5mo", "1,5 meses"),
        (timedelta(days=60), "2mo", "2 meses"),
        (timedelta(days=365), "1y", "1 año"),
        (timedelta(days=548), "1.5y", "1,5 años"),
    ],
)
def test_answer_buttons_say_their_interval_in_the_learners_language(delta, english, spanish):
    from django.utils import translation

    with translation.override("en"):
        assert reviews.interval_text(delta) == english
    with translation.override("es"):
        assert reviews.interval_text(delta) == spanish


def test_a_spanish_learner_sees_spanish_intervals_on_the_buttons(client, learner):
    Question.objects.exclude(type="flashcard").update(retired_at=timezone.now())
    _, token = first_card(client)
    revealed = client.get(
        "/review/reveal/", {"token": token}, headers=HTMX, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert re.search(r"Otra vez</span> <span class=\"grade-interval\">1 min<", revealed)
    assert not re.search(r'class="grade-interval">\d+[mhdy]<', revealed)


def test_the_new_card_limit_holds(client, learner):
    settings = reviews.learner_settings(learner)
    settings.new_per_day = 1
    settings.save()
    _, token = first_card(client)
    page = client.post(
        "/review/grade/", {"token": token, "rating": "4"}, headers=HTMX
    ).content.decode()
    assert "Done for today" in page


def test_due_cards_come_before_new_ones_lowest_retrievability_first(client, learner):
    now = timezone.now()
    topic = TopicFactory(slug="zz")
    fresh = QuestionFactory(topic=topic, stem_html="<p>recently seen</p>")
    stale = QuestionFactory(topic=topic, stem_html="<p>long forgotten</p>")
    for question, days in ((fresh, 3), (stale, 40)):
        Card.objects.create(
            user=learner, question=question, state=Card.State.REVIEW, stability=5, difficulty=5,
            last_review=now - timedelta(days=days), due=now - timedelta(hours=1), reps=3,
        )  # fmt: skip
    page = client.get("/review/").content.decode()
    assert "long forgotten" in page


@pytest.mark.parametrize(("seed", "decay"), [(1, None), (2, None), (3, 0.6), (4, 0.1)])
def test_the_next_card_is_the_least_retrievable_of_every_due_card(learner, seed, decay):
    """Ranked in SQL, it is the card scheduler.retrievability rates lowest (ties: due, then id),
    with the learner's own FSRS parameters too (`decay`, the last one, sets the curve's shape)."""
    import random

    from quizzes.study import scheduler

    parameters = None
    if decay is not None:
        parameters = (*scheduler.DEFAULT_PARAMETERS[:-1], decay)
        LearnerSettings.objects.update_or_create(
            user=learner, defaults={"fsrs_parameters": list(parameters)}
        )
    rng = random.Random(seed)
    now = timezone.now()
    topic = TopicFactory(slug=f"rank{seed}")
    cards = []
    for n in range(60):
        question = QuestionFactory(topic=topic, uid=f"rank{seed}-{n}")
        state = rng.choice((Card.State.REVIEW, Card.State.REVIEW, Card.State.RELEARNING))
        cards.append(
            Card.objects.create(
                user=learner,
                question=question,
                state=state,
                stability=rng.choice((0.4, 1.0, 2.5, 7.0, 30.0, rng.uniform(0.1, 90))),
                difficulty=5,
                last_review=now - timedelta(days=rng.uniform(0, 50)),
                due=now - timedelta(hours=rng.uniform(0.1, 300)),
                reps=3,
            )  # fmt: skip
        )
    settings = reviews.learner_settings(learner)
    assert settings.scheduler_settings().parameters == parameters
    queue = reviews.review_queue(user=learner, settings=settings, now=now, topic=topic.slug)
    expected = min(
        cards,
        key=lambda c: (scheduler.retrievability(c.state_tuple(), now, parameters), c.due, c.pk),
    )
    assert queue.card.pk == expected.pk
    assert queue.due_today == 60


def test_learning_steps_due_later_today_are_counted_and_shown_within_the_learn_ahead_limit(
    learner,
):
    now = timezone.now()
    topic = TopicFactory(slug="ahead")
    soon, later = (QuestionFactory(topic=topic, uid=f"ahead-{n}") for n in range(2))
    for question, minutes in ((soon, 15), (later, 90)):
        Card.objects.create(
            user=learner, question=question, state=Card.State.LEARNING, step=1, stability=1,
            difficulty=5, last_review=now, due=now + timedelta(minutes=minutes), reps=1,
        )  # fmt: skip
    settings = reviews.learner_settings(learner)
    settings.new_per_day = 0
    queue = reviews.review_queue(user=learner, settings=settings, now=now, topic="ahead")
    assert queue.card.question_id == soon.pk
    later_on = now + timedelta(minutes=80)
    Card.objects.filter(question=soon).update(due=later_on + timedelta(days=3))
    queue = reviews.review_queue(user=learner, settings=settings, now=later_on, topic="ahead")
    assert queue.card.question_id == later.pk


def test_the_count_of_new_cards_drops_when_a_card_is_started_anywhere(client, learner):
    """The count is cached for the day, keyed by the cards started today (review, quiz, exam)."""
    settings = reviews.learner_settings(learner)
    now = timezone.now()
    before = reviews.review_queue(user=learner, settings=settings, now=now).new_left
    assert before > 1
    question = Question.objects.live().exclude(type=Question.Type.FLASHCARD).last()
    reviews.review_grade(
        user=learner, question=question, rating=3, nonce="quiz-1", now=now, settings=settings,
        source=ReviewLog.Source.QUIZ,
    )  # fmt: skip
    assert reviews.review_queue(user=learner, settings=settings, now=now).new_left == before - 1


def test_grading_a_question_that_is_gone_is_a_404_and_records_nothing(client, learner):
    _, token = first_card(client)
    Question.objects.all().update(retired_at=timezone.now())
    Card.objects.all().delete()
    Question.objects.filter(pk__in=Question.objects.values("pk")).delete()
    response = client.post("/review/grade/", {"token": token, "rating": "3"}, headers=HTMX)
    assert response.status_code == 404
    assert not ReviewLog.objects.exists()


def test_eight_lapses_make_a_leech_that_leaves_reviews_until_reset(client, learner):
    question = Question.objects.get(uid="fx-timeout")
    now = timezone.now()
    settings = reviews.learner_settings(learner)
    for lapse in range(8):
        for rating in (4, 1):  # reach Review, then forget it
            reviews.review_grade(
                user=learner, question=question, rating=rating, nonce=f"n{lapse}-{rating}",
                now=now + timedelta(days=lapse * 40 + (rating == 1) * 30), settings=settings,
            )  # fmt: skip
    card = Card.objects.get(user=learner, question=question)
    assert card.lapses == 8 and card.is_leech and card.suspended
    page = client.get("/leeches/").content.decode()
    assert "What is the longest" in page and "forgotten 8 times" in page
    client.post(f"/leeches/{card.pk}/reset/")
    card.refresh_from_db()
    assert card.state == Card.State.NEW and not card.suspended and not card.is_leech


def test_another_learners_leech_cannot_be_touched(client, learner):
    other = UserFactory()
    card = Card.objects.create(
        user=other, question=Question.objects.first(), is_leech=True, suspended=True
    )
    assert client.post(f"/leeches/{card.pk}/unsuspend/").status_code == 404
    card.refresh_from_db()
    assert card.suspended


def _deck(user, size: int) -> None:
    topic = TopicFactory(slug=f"deck{size}")
    now = timezone.now()
    questions = Question.objects.bulk_create(
        [QuestionFactory.build(topic=topic, uid=f"d{size}-{i}") for i in range(size)]
    )
    Card.objects.bulk_create(
        [
            Card(
                user=user,
                question=q,
                state=Card.State.REVIEW,
                stability=10,
                difficulty=5,
                reps=2,
                last_review=now - timedelta(days=12),
                due=now - timedelta(days=i % 3 - 1),
            )
            for i, q in enumerate(questions)
        ]  # fmt: skip
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_queries_per_review_request_do_not_grow_with_the_deck(
    client, learner, size, django_assert_num_queries
):
    """The same for 10 and 1,000 cards: 6 to show a card, 8 to grade it and show the next.

    Showing: session, user with settings, the due card with its question, its topic's table of
    contents (the "Read more" link), today's counts and the team-exam holds, two for the menu's
    permissions, the topics. Grading: session, user with settings, savepoint, lock the card,
    insert the log, update the card, release, the next due card with today's counts and holds.
    """
    _deck(learner, size)
    client.get("/review/")  # creates the learner's settings row
    with django_assert_num_queries(6):
        page = client.get("/review/").content.decode()
    with django_assert_num_queries(8):
        client.post("/review/grade/", {"token": token_of(page), "rating": "3"}, headers=HTMX)


@pytest.mark.parametrize("size", [10, 1000])
def test_a_spanish_learners_review_takes_as_many_queries_and_reads_no_note(
    client, learner, size, django_assert_num_queries
):
    """In Spanish the card shows its topic's title from the light `translations` column, and no
    query reads a topic's note in any language (`note_html`, `note_translations`)."""
    _deck(learner, size)
    Topic.objects.filter(slug=f"deck{size}").update(
        translations={"es": {"title": "Mazo", "summary": "", "untranslated": [], "stale": False}},
        note_translations={"es": {"note_html": "<p>Nota.</p>" * 1000, "toc_html": "<ul></ul>"}},
    )
    LearnerSettings.objects.update_or_create(user=learner, defaults={"language": "es"})
    client.force_login(learner)  # the saved language goes in the session
    client.get("/review/")
    with django_assert_num_queries(6) as queries:
        page = client.get("/review/").content.decode()
    assert re.search(r'class="meta card-meta">\s*Mazo ·', page)
    with django_assert_num_queries(8) as graded:
        client.post("/review/grade/", {"token": token_of(page), "rating": "3"}, headers=HTMX)
    captured = queries.captured_queries + graded.captured_queries
    assert not [q["sql"] for q in captured if "note_" in q["sql"]]


def _choice_order(page: str) -> list[str]:
    return re.findall(r'name="choice" value="([^"]+)"', page)


def test_undo_brings_the_card_back_with_its_choices_in_the_order_seen(client, learner):
    for attempt in range(3):
        page, token = first_card(client)
        seen = _choice_order(page)
        assert len(seen) > 1
        client.post("/review/grade/", {"token": token, "rating": "3"}, headers=HTMX)
        back = client.post("/review/undo/", headers=HTMX).content.decode()
        assert "Undone." in back and _choice_order(back) == seen, attempt
        # And without JavaScript: undo redirects to the review page, which shows the same order.
        again = client.get("/review/").content.decode()
        token = re.search(r'name="token" value="([^"]+)"', again).group(1)
        client.post("/review/grade/", {"token": token, "rating": "3"})
        response = client.post("/review/undo/")
        assert response.status_code == 302
        assert _choice_order(client.get("/review/").content.decode()) == _choice_order(again)
        client.post("/review/undo/")  # nothing left: the session starts again

"""Mock exams: the draw, the server's clock, autosave ordering, grading, and no answer key leaks."""

from __future__ import annotations

import random
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from exams.blueprints import spec as blueprints
from exams.models import GRACE, Blueprint, ExamAttempt, ExamItem
from exams.sitting import selectors, services
from quizzes.models import Question, ReviewLog
from quizzes.study.answering import public_key

from .factories import (
    BlueprintFactory,
    ExamAttemptFactory,
    QuestionFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def make_blueprint(**fields) -> Blueprint:
    defaults = {"title": "Mini exam", "difficulty_mix": {"easy": 1, "medium": 1, "hard": 1}}
    return BlueprintFactory(**{**defaults, **fields})


@pytest.fixture
def candidate(client, loaded_course):
    user = UserFactory()
    client.force_login(user)
    return user


def start(user, blueprint=None, now=T0, **kwargs) -> ExamAttempt:
    return services.attempt_start(
        user=user, blueprint=blueprint or make_blueprint(), now=now, **kwargs
    )


def right(item: ExamItem) -> list[str]:
    return [c["key"] for c in item.question.choices if c["correct"]]


# The draw


def test_apportion_splits_exactly_by_largest_remainder():
    assert blueprints.apportion(20, {"a": 3, "b": 3, "c": 3, "d": 2, "e": 2, "f": 2}) == {
        "a": 4,
        "b": 4,
        "c": 4,
        "d": 3,
        "e": 3,
        "f": 2,
    }
    assert sum(blueprints.apportion(65, {"x": 1, "y": 1, "z": 1}).values()) == 65


def test_a_draw_respects_topic_weights_and_difficulty_mix():
    pool = [
        blueprints.Candidate(i, topic, level)
        for i, (topic, level) in enumerate(
            (t, lv) for t in ("a", "b") for lv in ("easy", "medium", "hard") for _ in range(20)
        )
    ]
    spec = blueprints.BlueprintSpec(
        slug="s",
        title="t",
        description="",
        questions=30,
        scored=30,
        duration_minutes=10,
        topics={"a": 2, "b": 1},
        difficulty={"easy": 1, "medium": 2, "hard": 1},
    )
    ids = blueprints.draw(spec, pool, random.Random(1))
    chosen = [pool[i] for i in ids]
    assert len(set(ids)) == 30
    assert sum(c.topic == "a" for c in chosen) == 20
    assert sum(c.difficulty == "medium" for c in chosen if c.topic == "a") == 10


def test_a_short_bucket_borrows_instead_of_drawing_fewer():
    pool = [blueprints.Candidate(i, "a", "easy") for i in range(5)] + [
        blueprints.Candidate(10 + i, "b", "hard") for i in range(5)
    ]
    spec = blueprints.BlueprintSpec(
        slug="s",
        title="t",
        description="",
        questions=8,
        scored=8,
        duration_minutes=5,
        topics={"a": 1},
        difficulty={"hard": 1},
    )
    assert len(blueprints.draw(spec, pool, random.Random(2))) == 8


def test_the_shipped_blueprints_are_valid(settings):
    from quizzes.management.commands.check_content import check_paths

    from .conftest import REPO

    settings.CONTENT_DIR = REPO / "content"
    course = check_paths([])
    assert course.ok
    assert {b.slug for b in course.exams} == {"lambda-sprint", "lambda-practice-exam"}


def test_a_bad_blueprint_gives_lines():
    spec, problems = blueprints.parse_blueprint(
        "x.yaml",
        "slug: x\ntitle: X\nquestions: 10\nscored: 12\nduration_minutes: 30\n"
        "topics: {limitz: 1}\ndifficulty: {easy: 1}\nscoring: scaled\npass_mark: 720\n",
        known_topics=["limits"],
    )
    assert spec is None
    messages = [str(p) for p in problems]
    assert "x.yaml:4: scored (12) cannot exceed questions (10)" in messages
    assert "x.yaml:6: unknown topic 'limitz' (did you mean 'limits'?)" in messages


def test_a_blueprint_with_the_retired_explanations_key_says_to_delete_it():
    spec, problems = blueprints.parse_blueprint(
        "old.yaml",
        "slug: old\ntitle: Old\nquestions: 10\nscored: 10\nduration_minutes: 30\n"
        "topics: {limits: 1}\ndifficulty: {easy: 1}\nscoring: scaled\npass_mark: 720\n"
        "explanations_after_submit: false\n",
        known_topics=["limits"],
    )
    assert spec is None
    assert [str(p) for p in problems] == [
        "old.yaml:10: explanations_after_submit is no longer used: delete it (results show "
        "explanations after submit, except questions held by an open team exam window, until it "
        "closes for everyone)"
    ]


# The attempt


def test_an_attempt_keeps_its_draw_and_a_second_start_resumes_it(candidate):
    attempt = start(candidate)
    items = list(attempt.items.values_list("question_id", "choice_order"))
    again = start(candidate, blueprint=attempt.blueprint, now=T0 + timedelta(minutes=3))
    assert again.pk == attempt.pk
    assert list(again.items.values_list("question_id", "choice_order")) == items
    assert {q.type for q in Question.objects.filter(exam_items__attempt=attempt)} <= {
        "single",
        "multiple",
    }


def test_the_deadline_is_set_by_the_server_with_team_extra_time(candidate):
    attempt = start(candidate)
    assert attempt.deadline == T0 + timedelta(minutes=10)


def test_saves_are_accepted_until_the_deadline_plus_grace_then_refused(candidate):
    attempt = start(candidate)
    item = attempt.items.first()
    in_grace = attempt.deadline + GRACE - timedelta(milliseconds=1)
    assert services.attempt_save_authored(
        attempt=attempt, position=1, selected=right(item), flagged=False, seq=1, now=in_grace
    ).updated
    with pytest.raises(services.TooLate):
        services.attempt_save_authored(
            attempt=attempt,
            position=1,
            selected=[],
            flagged=False,
            seq=2,
            now=attempt.deadline + GRACE + timedelta(milliseconds=1),
        )
    item.refresh_from_db()
    assert item.selected == right(item)


def test_an_older_save_of_the_same_page_never_overwrites_a_newer_one(candidate):
    attempt = start(candidate)
    item = attempt.items.first()
    keys = [c["key"] for c in item.question.choices]
    services.attempt_save_authored(
        attempt=attempt, position=1, selected=[keys[1]], flagged=True, seq=20, now=T0
    )
    late = services.attempt_save_authored(
        attempt=attempt, position=1, selected=[keys[0]], flagged=False, seq=10, now=T0
    )
    assert not late.updated and not late.kept and late.selected == [keys[1]]
    item.refresh_from_db()
    assert item.selected == [keys[1]] and item.flagged and item.seq == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("submitted", [True, False])
def test_a_save_waits_for_a_submit_holding_the_attempt_and_lands_only_if_it_did_not_submit(
    submitted,
):
    """A save that arrives while `attempt_submit` grades waits for its lock, then sees the
    attempt submitted and is refused: no answer changes after grading."""

    user = UserFactory()
    QuestionFactory.create_batch(2, topic=TopicFactory(slug="locks"))
    blueprint = make_blueprint(slug="locks", topic_weights={"locks": 1})
    attempt = start(user, blueprint, now=timezone.now())
    item = attempt.items.get(position=1)
    outcome = {}

    def save() -> None:
        try:
            outcome["saved"] = services.attempt_save(
                attempt_id=attempt.pk, user=user, position=1,
                posted=[public_key(item.seed, item.choice_order[0])],
                flagged=False, page=1, seq=1, now=timezone.now(),
            ).updated  # fmt: skip
        except services.TooLate:
            outcome["saved"] = False
        finally:
            connection.close()

    with transaction.atomic():
        ExamAttempt.objects.select_for_update().get(pk=attempt.pk)  # as attempt_submit locks it
        saving = threading.Thread(target=save)
        saving.start()
        saving.join(0.5)
        assert saving.is_alive(), "the save waits for the attempt's lock"
        if submitted:
            ExamAttempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now())
    saving.join(10)
    assert outcome == {"saved": not submitted}
    item.refresh_from_db()
    assert item.selected == ([] if submitted else item.choice_order[:1])


def test_submitting_grades_what_was_saved_and_feeds_wrong_answers_to_reviews(candidate):
    attempt = start(candidate)
    first, second = attempt.items.select_related("question")
    services.attempt_save_authored(
        attempt=attempt, position=1, selected=right(first), flagged=False, seq=1, now=T0
    )
    wrong = [c["key"] for c in second.question.choices if not c["correct"]][
        : second.question.choose
    ]
    services.attempt_save_authored(
        attempt=attempt, position=2, selected=wrong, flagged=False, seq=1, now=T0
    )
    done = services.attempt_submit(attempt=attempt, now=T0 + timedelta(minutes=4))
    assert (done.correct_count, done.scored_count, done.score, done.passed) == (1, 2, 50, True)
    assert ReviewLog.objects.filter(
        user=candidate, source="exam", card__question=second.question
    ).exists()
    assert (
        services.attempt_submit(attempt=attempt, now=T0 + timedelta(minutes=5)).submitted_at
        == done.submitted_at
    )


def test_scaled_scores_run_from_100_to_1000():
    assert blueprints.scaled_score(0, 50) == 100
    assert blueprints.scaled_score(50, 50) == 1000
    assert blueprints.scaled_score(35, 50) == 730


def test_unscored_questions_do_not_count(candidate):
    attempt = start(candidate, make_blueprint(question_count=2, scored_count=1))
    assert attempt.items.filter(scored=False).count() == 1
    for item in attempt.items.select_related("question"):
        services.attempt_save_authored(
            attempt=attempt,
            position=item.position,
            selected=right(item) if item.scored else [],
            flagged=False,
            seq=1,
            now=T0,
        )
    assert services.attempt_submit(attempt=attempt, now=T0).score == 100


def test_an_expired_attempt_is_submitted_automatically_when_anyone_looks(client, candidate):
    attempt = start(candidate, now=timezone.now() - timedelta(minutes=30))
    response = client.get(f"/exams/attempt/{attempt.pk}/")
    assert response.status_code == 302 and response.url.endswith(
        f"/exams/attempt/{attempt.pk}/results/"
    )
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.submitted_at <= attempt.deadline + GRACE


def test_a_save_after_time_is_up_is_refused_with_a_redirect_to_the_results(client, candidate):
    attempt = start(candidate, now=timezone.now() - timedelta(minutes=30))
    response = client.post(
        f"/exams/attempt/{attempt.pk}/save/1/", {"choice": "a", "seq": "5"}, headers=HTMX
    )
    assert response.status_code == 409
    assert response.headers["HX-Redirect"] == f"/exams/attempt/{attempt.pk}/results/"


def test_resume_after_refresh_shows_saved_answers_and_flags(client, candidate):
    attempt = start(candidate, now=timezone.now())
    item = attempt.items.get(position=1)
    client.post(
        f"/exams/attempt/{attempt.pk}/save/1/",
        {"choice": [public_key(item.seed, k) for k in right(item)], "flagged": "on", "seq": "3"},
        headers=HTMX,
    )
    page = client.get(f"/exams/attempt/{attempt.pk}/?q=1").content.decode()
    for key in right(item):
        assert re.search(rf'value="{public_key(item.seed, key)}"[^>]*checked', page)
    assert re.search(r'name="flagged"[^>]*checked', page)
    assert "1 answered · 1 flagged" in page


def test_without_javascript_save_and_next_works(client, candidate):
    attempt = start(candidate, now=timezone.now())
    response = client.post(f"/exams/attempt/{attempt.pk}/save/1/", {"choice": "a", "go": "next"})
    assert response.status_code == 302 and response.url.endswith("?q=2")


def test_one_open_attempt_per_exam_even_when_two_starts_race(candidate):
    blueprint = make_blueprint()
    first = start(candidate, blueprint)
    second = start(candidate, blueprint)
    assert first.pk == second.pk
    assert ExamAttempt.objects.filter(user=candidate, submitted_at__isnull=True).count() == 1


def test_no_page_or_fragment_contains_the_answer_key_before_submission(client, candidate):
    blueprint = make_blueprint()
    client.post(f"/exams/{blueprint.slug}/start/")
    attempt = ExamAttempt.objects.get(user=candidate)
    secrets = []
    for item in attempt.items.select_related("question"):
        secrets.append(re.sub(r"<[^>]+>", "", item.question.explanation_html).strip())
        secrets += [
            re.sub(r"<[^>]+>", "", c["rationale_html"]).strip()
            for c in item.question.choices
            if c["rationale_html"]
        ]
    urls = [f"/exams/attempt/{attempt.pk}/?q={n}" for n in (1, 2)] + [
        f"/exams/attempt/{attempt.pk}/review/"
    ]
    pages = [client.get(url).content.decode() for url in urls]
    pages += [client.get(url, headers=HTMX).content.decode() for url in urls[:2]]
    pages.append(
        client.post(
            f"/exams/attempt/{attempt.pk}/save/1/", {"choice": "a", "seq": "1"}, headers=HTMX
        ).content.decode()
    )
    pages.append(client.get(f"/exams/attempt/{attempt.pk}/results/", follow=True).content.decode())
    for page in pages:
        assert "is-correct" not in page and "rationale" not in page
        for secret in filter(None, secrets):
            assert secret[:60] not in page


def test_a_post_without_javascript_after_an_autosave_still_counts(client, candidate):
    """A post without the script is a page of its own: it lands over the autosaves before it."""
    attempt = start(candidate, now=timezone.now())
    item = attempt.items.select_related("question").get(position=1)
    keys = [c["key"] for c in item.question.choices]
    client.post(
        f"/exams/attempt/{attempt.pk}/save/1/",
        {"choice": public_key(item.seed, keys[0]), "page": "9", "seq": "99"},
        headers=HTMX,
    )
    client.post(
        f"/exams/attempt/{attempt.pk}/save/1/",
        {"choice": public_key(item.seed, keys[1]), "go": "next"},
    )
    item.refresh_from_db()
    assert item.selected == [keys[1]]


def test_a_countdown_submit_at_the_deadline_is_marked_automatic(client, candidate):
    attempt = start(candidate, now=timezone.now() - timedelta(minutes=10))
    client.post(f"/exams/attempt/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.auto_submitted


@pytest.mark.parametrize("size", [3, 30])
def test_autosave_and_a_question_page_take_a_fixed_number_of_queries(
    client, candidate, size, django_assert_num_queries
):

    topic = TopicFactory(slug="sized")
    QuestionFactory.create_batch(size, topic=topic)
    blueprint = make_blueprint(slug=f"s{size}", question_count=size, scored_count=size,
                               topic_weights={"sized": 1})  # fmt: skip
    attempt = start(candidate, blueprint, now=timezone.now())
    assert attempt.items.count() == size
    url = f"/exams/attempt/{attempt.pk}/"
    # Session, user, and one update that locks the attempt while it checks it is open; the
    # first save of an item also reads its keys and type (then cached: they never change).
    item = attempt.items.get(position=1)
    first, second = (public_key(item.seed, key) for key in item.choice_order[:2])
    with django_assert_num_queries(4):
        client.post(f"{url}save/1/", {"choice": first, "seq": "1"}, headers=HTMX)
    with django_assert_num_queries(3):
        client.post(f"{url}save/1/", {"choice": second, "seq": "2"}, headers=HTMX)
    item.refresh_from_db()
    assert item.selected == [item.choice_order[1]]
    with django_assert_num_queries(5):
        client.get(f"{url}?q=2", headers=HTMX)


def test_the_first_save_reads_nothing_when_the_attempt_was_drawn_here(
    client, candidate, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The items' facts are cached when the attempt is drawn (once committed)."""
    with django_capture_on_commit_callbacks(execute=True):
        attempt = start(candidate, now=timezone.now())
    item = attempt.items.get(position=2)
    with django_assert_num_queries(3):  # session, user, the update
        client.post(f"/exams/attempt/{attempt.pk}/save/2/",
                    {"choice": public_key(item.seed, item.choice_order[0]), "seq": "1"},
                    headers=HTMX)  # fmt: skip
    item.refresh_from_db()
    assert item.selected == item.choice_order[:1]


def test_wrong_cached_facts_are_read_again_and_never_write_another_item(candidate):
    """Cached facts may outlive their attempt (SQLite reuses the ids of deleted rows): a save
    whose facts name another seed, another owner or another attempt's item reads them again."""
    from django.core.cache import cache

    attempt = start(candidate, now=timezone.now())
    other = start(UserFactory(), make_blueprint(slug="other"), now=timezone.now())
    item, foreign = attempt.items.get(position=1), other.items.get(position=1)
    foreign_before = (foreign.selected, foreign.seq)
    services.attempt_save_authored(attempt=attempt, position=1, selected=[], flagged=False,
                                   seq=1, now=timezone.now())  # fmt: skip
    key = f"exam:items:{attempt.pk}"
    true_facts = cache.get(key)[1]
    wrong = [
        {**true_facts, "seed": "0" * 16},
        {**true_facts, "user_id": candidate.pk + 1000},
        {**true_facts, "pk": foreign.pk, "seed": foreign.seed},
    ]
    for seq, facts in enumerate(wrong, start=2):
        cache.set(key, {1: facts})
        saved = services.attempt_save(
            attempt_id=attempt.pk, user=candidate, position=1,
            posted=[public_key(item.seed, item.choice_order[0])],
            flagged=False, page=7, seq=seq, now=timezone.now(),
        )  # fmt: skip
        item.refresh_from_db()
        assert saved.updated and item.selected == item.choice_order[:1] and item.seq == seq
        assert cache.get(key)[1] == true_facts
    foreign.refresh_from_db()
    assert (foreign.selected, foreign.seq) == foreign_before


def test_a_save_sends_back_only_its_own_navigator_cell(client, candidate):
    attempt = start(candidate, now=timezone.now())
    item = attempt.items.get(position=2)
    # Pages post opaque per-attempt keys; the item stores the authored ones.
    authored = item.choice_order[:2]
    first, second = (public_key(item.seed, key) for key in authored)
    url = f"/exams/attempt/{attempt.pk}/save/2/"
    on = {"page": "5"}

    page = client.post(url, {**on, "choice": first, "seq": "1"}, headers=HTMX).content.decode()
    assert 'id="save-status"' in page and 'id="navigator"' not in page
    cells = re.findall(r'<a id="nav-cell-(\d+)"[^>]*hx-swap-oob="true"', page)
    assert cells == ["2"] and "nav-cell answered current" in page

    page = client.post(url, {**on, "choice": second, "seq": "2"}, headers=HTMX).content.decode()
    cells = re.findall(r'<a id="nav-cell-(\d+)"[^>]*hx-swap-oob="true"', page)
    assert cells == ["2"] and 'id="navigator"' not in page

    page = client.post(
        url, {**on, "choice": second, "flagged": "on", "seq": "3"}, headers=HTMX
    ).content.decode()
    assert "nav-cell answered flagged current" in page

    page = client.post(url, {**on, "choice": first, "seq": "2"}, headers=HTMX).content.decode()
    # A late, older save changes nothing, and the page is told what is kept.
    assert "Not kept" in page and "nav-cell answered flagged current" in page
    item.refresh_from_db()
    assert item.selected == [authored[1]] and item.flagged and item.seq == 3


def test_saving_into_another_candidates_attempt_is_a_404_and_changes_nothing(client, candidate):
    other = UserFactory()
    attempt = start(other, now=timezone.now())
    item = attempt.items.get(position=1)
    url = f"/exams/attempt/{attempt.pk}/save/1/"
    choice = public_key(item.seed, item.choice_order[0])
    response = client.post(url, {"choice": choice, "seq": "5"}, headers=HTMX)
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.selected == [] and item.seq == 0


def test_one_score_format_for_scaled_and_percent_exams():
    from exams.blueprints.spec import score_text

    assert score_text(640, "scaled") == "640 / 1,000"
    assert score_text(1000, "scaled") == "1,000 / 1,000"
    assert score_text(72, "percent") == "72%"
    assert score_text(71.6, "percent") == "72%"
    assert score_text(None, "percent") == "–"


# Choose N, and keys that tell nothing


def _choose_two_attempt(candidate):

    choices = [
        {"key": key, "html": f"<p>Choice {key}</p>", "correct": key in "ab", "rationale_html": ""}
        for key in "abcd"
    ]
    QuestionFactory(topic=TopicFactory(slug="two"), type="multiple", choose=2, choices=choices)
    blueprint = make_blueprint(slug="two", question_count=1, scored_count=1,
                               topic_weights={"two": 1})  # fmt: skip
    attempt = start(candidate, blueprint, now=timezone.now())
    return attempt, attempt.items.select_related("question").get(position=1)


def test_an_exam_refuses_more_boxes_than_choose_allows_and_keeps_the_saved_answer(
    client, candidate
):
    attempt, item = _choose_two_attempt(candidate)
    url = f"/exams/attempt/{attempt.pk}/save/1/"
    two = [public_key(item.seed, key) for key in "ab"]
    client.post(url, {"choice": two, "seq": "1"}, headers=HTMX)
    four = [public_key(item.seed, key) for key in "abcd"]
    page = client.post(url, {"choice": four, "seq": "2"}, headers=HTMX).content.decode()
    assert "Not saved: Choose two: you ticked 4." in page
    item.refresh_from_db()
    assert item.selected == ["a", "b"] and item.seq == 1
    response = client.post(url, {"choice": four, "go": "next"}, follow=True)
    assert "Choose two: you ticked 4." in response.content.decode()
    item.refresh_from_db()
    assert item.selected == ["a", "b"]
    with pytest.raises(services.TooManyChoices):
        services.attempt_save_authored(attempt=attempt, position=1, selected=list("abc"),
                                       flagged=False, seq=9, now=timezone.now())  # fmt: skip
    page = client.get(f"/exams/attempt/{attempt.pk}/?q=1").content.decode()
    assert 'data-choose="2"' in page and "js/choose.js" in page


def test_choice_values_on_an_exam_page_are_opaque_and_differ_per_attempt(client, candidate):
    attempt, item = _choose_two_attempt(candidate)
    page = client.get(f"/exams/attempt/{attempt.pk}/?q=1").content.decode()
    values = re.findall(r'name="choice" value="([^"]+)"', page)
    assert len(values) == 4 and all(re.fullmatch(r"[0-9a-f]{12}", v) for v in values)
    assert not set(values) & set("abcd")
    other = start(UserFactory(), attempt.blueprint, now=timezone.now())
    other_item = other.items.get(position=1)
    assert public_key(other_item.seed, "a") != public_key(item.seed, "a")
    client.post(f"/exams/attempt/{attempt.pk}/save/1/", {"choice": values[0], "seq": "1"},
                headers=HTMX)  # fmt: skip
    item.refresh_from_db()
    assert item.selected and item.selected[0] in "abcd"


def test_the_exams_page_lists_the_learners_own_last_twenty_attempts(candidate):
    blueprint = make_blueprint()
    now = timezone.now()

    def sat(user, hours_ago: int) -> ExamAttempt:
        started = now - timedelta(hours=hours_ago)
        return ExamAttemptFactory(user=user, blueprint=blueprint, started_at=started,
                                  submitted_at=started + timedelta(minutes=5))  # fmt: skip

    mine = [sat(candidate, hours) for hours in range(25)]
    sat(UserFactory(), 0)  # another learner's, the newest
    listed = list(selectors.exam_list_for(user=candidate, now=now)["attempts"])
    assert listed == mine[:20]

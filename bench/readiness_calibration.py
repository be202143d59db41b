"""Check the exam forecast against simulated learners whose memory is not the forecast's model.

    .venv/bin/python bench/readiness_calibration.py [--learners 500] [--workers 2] [--seed 11]
        [--site-learners 4]

Each simulated learner is a knowledge-tracing learner with forgetting, which the forecast does
not assume: an item not known is learned at each exposure with a chance set by the learner's
ability and the item's difficulty; a known item is forgotten along the learner's own exponential
curve (not FSRS's power curve), whose stability multiplies by the learner's own growth factor at
each exposure while known; an item not known is answered by guessing (1/k for single answers,
1/10 for choose-2-of-5), a known one right unless it slips (5%).

Learners differ in ability, forgetting, new cards a day (6 to 30), how many days they study
before the exam (3 to 21), how often they skip a day, whether they stop a few days early, and
whether they take practice quizzes. The course is generated: 6 topics, 78 exam-style questions,
24 flashcards; two blueprints (40 questions of which 30 scored, pass at 720 scaled; 20 questions,
pass at 70%). Each learner's target is one of them.

The 500 learners study in memory through the site's own pure functions, so the bench runs in
minutes: the queue does what `reviews.review_queue` does (due cards, least retrievable first;
then a new card by `readiness.new_card_pick` with the topic weights a dashboard visit sets; then
learning steps within the learn-ahead limit), each grade is `scheduler.review` as in
`reviews.review_grade` with the same log rows, and quizzes feed cards as `quiz._feed_card` does.
The forecast is the site's: `readiness_queries.build_histories` and `recall_from`,
`readiness.fit` on at most 20,000 answers of the site's learners (as `site_fit`), and
`exams.readiness.forecast.predict`. `--site-learners` more learners study through the database
functions themselves (`review_queue`, `review_grade`, `quiz_start`, `quiz_answer`, `readiness_for`,
`predictions_for`); they are printed apart, as a check that the two paths agree.

The evening before the exam the forecast predicts the learner's score on their target; then
they sit a draw of it (`exams.blueprints.spec.draw`) answered from their true memory at the exam.

Prints the mean absolute error of the predicted score in percentage points, against the
learner's true expected score (what a forecast can know) and against the single sitting (which
adds the luck of one draw: the error a perfect forecast would still make is printed beside it),
the share of sittings inside the 80% range, the Brier score of the pass prediction against the
sittings, and a 10-bin calibration table. Each worker process is its own site (its own fit); the
figures pool them.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = {"limits": 3, "pricing": 3, "triggers": 3, "vpc": 2, "edge": 2, "rds-proxy": 2}
SINGLE, MULTIPLE, CARDS = 10, 3, 4  # per topic
SLIP = 0.05
EPOCH = datetime(2026, 3, 2, tzinfo=UTC)
BLUEPRINTS = (
    # slug, questions, scored, scoring, pass mark
    ("bench-full", 40, 30, "scaled", 720),
    ("bench-sprint", 20, 20, "percent", 70),
)


def setup_django(work: Path) -> None:
    """Django for the model classes the forecast uses; the simulation itself needs no database."""
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "studyapp.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    import django

    django.setup()


class Learner:
    """The true memory of one simulated learner (the forecast never sees any of this)."""

    def __init__(self, rng: random.Random, truth: dict[int, dict]) -> None:
        self.rng = rng
        self.truth = truth
        self.ability = rng.gauss(1.0, 1.0)
        self.stability0 = math.exp(rng.gauss(math.log(4.0), 0.6))  # days
        self.growth = rng.uniform(1.6, 3.5)
        self.known: dict[int, tuple[datetime, float]] = {}  # item -> (last checked, stability)

    def _still_known(self, item: int, now: datetime) -> bool:
        if item not in self.known:
            return False
        since, stability = self.known[item]
        days = (now - since).total_seconds() / 86400
        if self.rng.random() < math.exp(-days / stability):
            return True
        del self.known[item]
        return False

    def p_known(self, item: int, at: datetime) -> float:
        if item not in self.known:
            return 0.0
        since, stability = self.known[item]
        return math.exp(-(at - since).total_seconds() / 86400 / stability)

    def answer(self, item: int, now: datetime) -> bool:
        """Answer, then learn from the feedback (the exposure)."""
        known = self._still_known(item, now)
        floor = self.truth[item]["floor"]
        correct = self.rng.random() < (1 - SLIP if known else floor)
        if known:
            _, stability = self.known[item]
            self.known[item] = (now, stability * self.growth)
        else:
            learn = 1 / (1 + math.exp(-(self.ability - self.truth[item]["difficulty"] - 0.3)))
            if self.rng.random() < learn:
                self.known[item] = (now, self.stability0)
        return correct


def _scratch() -> str | None:
    """RAM-backed scratch space when there is some: SQLite's syncs would otherwise dominate."""
    return "/dev/shm" if Path("/dev/shm").is_dir() else None


def simulate(args: tuple[int, int, int, int]) -> list[dict]:
    """One site: its learners study, then the forecast is made and they sit their exams."""
    worker, learners, seed, site_learners = args
    work = Path(tempfile.mkdtemp(prefix=f"readiness-bench-{worker}-", dir=_scratch()))
    try:
        setup_django(work)
        return _run(worker, learners, seed, site_learners)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(work, ignore_errors=True)


def _card_json(state) -> dict:
    """A card's columns as review_grade stores them in ReviewLog.card_before."""
    data = {name: getattr(state, name) for name in state.__dataclass_fields__}
    for name in ("due", "last_review"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


class Memory:
    """What the site stores for one learner, kept in memory: cards, review log, answers.

    Each step does what `reviews.review_queue` and `reviews.review_grade` do (due cards, lowest
    retrievability first; then a new card by `readiness.new_card_pick`; learning steps within
    the learn-ahead limit), through the same pure functions: `scheduler.review`,
    `scheduler.retrievability`, `readiness.new_card_pick`.
    """

    def __init__(self, items: list, settings) -> None:
        self.items = items  # in the site's order: topic, file, line
        self.settings = settings
        self.cards: dict[int, object] = {}
        self.logs: list[tuple] = []
        self.answers: list[tuple] = []
        self.new_by_day: dict = {}

    def next_card(self, now: datetime, uid: int, weights: dict) -> int | None:
        from quizzes.study import newcards, reviews, scheduler

        sched = self.settings
        tomorrow = scheduler.next_day_start(now, sched)
        learning = (scheduler.LEARNING, scheduler.RELEARNING)
        due = [
            (pk, state)
            for pk, state in self.cards.items()
            if (state.state == scheduler.REVIEW and state.due < tomorrow)
            or (state.state in learning and state.due <= now)
        ]
        if due:
            return min(due, key=lambda row: scheduler.retrievability(row[1], now))[0]
        day = scheduler.local_day(now, sched)
        done = self.new_by_day.get(day, 0)
        if done < self.new_per_day:
            groups: dict = {}
            members: dict = {}
            for item in self.items:
                if item.id in self.cards:
                    continue
                key = (item.topic, newcards.kind_of(item.kind))
                groups[key] = groups.get(key, 0) + 1
                members.setdefault(key, []).append(item.id)
            pick = newcards.new_card_pick(groups, weights, f"{uid}:{day}:{done}")
            if pick is not None:
                topic, kind, position = pick
                return members[(topic, kind)][position]
        ahead = [
            (state.due, pk)
            for pk, state in self.cards.items()
            if state.state in learning and state.due <= now + reviews.LEARN_AHEAD
        ]
        return min(ahead)[1] if ahead else None

    def grade(self, pk: int, rating: int, now: datetime, source: str) -> None:
        from quizzes.study import scheduler

        before = self.cards.get(pk) or scheduler.CardState.new()
        if before.state == scheduler.NEW and source == "review":
            day = scheduler.local_day(now, self.settings)
            self.new_by_day[day] = self.new_by_day.get(day, 0) + 1
        outcome = scheduler.review(before, rating, now, self.settings, card_id=pk)
        self.logs.append((pk, now, source, _card_json(before)))
        self.cards[pk] = outcome.card

    def histories(self):
        from exams.readiness import queries as readiness_queries

        return readiness_queries.build_histories(self.logs, self.answers, self.cards)


def _run(worker: int, learners: int, seed: int, site_learners: int = 0) -> list[dict]:
    from exams.blueprints import spec as blueprints
    from exams.models import Blueprint
    from exams.readiness import forecast as readiness
    from exams.readiness import model
    from exams.readiness import queries as readiness_queries
    from quizzes.study import scheduler

    rng = random.Random(seed * 1000 + worker)
    items_by_id, truth = build_items(random.Random(seed))  # the same course on every site
    items = list(items_by_id.values())
    pool = [blueprints.Candidate(i.id, i.topic, i.difficulty) for i in items
            if i.kind in ("single", "multiple")]  # fmt: skip
    plans = []
    for n in range(learners):
        days = rng.randint(3, 21)
        spec = rng.choice(BLUEPRINTS)
        settings = scheduler.Settings(exam_date=(EPOCH + timedelta(days=days)).date())
        memory = Memory(items, settings)
        memory.new_per_day = rng.choice((6, 10, 15, 20, 30))
        plans.append(
            {
                "uid": worker * 100_000 + n,
                "memory": memory,
                "learner": Learner(random.Random(rng.random()), truth),
                "days": days,
                "blueprint": _blueprint(spec, Blueprint),
                "attendance": rng.uniform(0.4, 1.0),
                "stop_early": rng.choice((0, 0, 0, 1, 2, 4)),
                "quizzes": rng.random() < 0.5,
                "session": rng.randint(20, 80),
            }
        )
    prior = model.Params()
    for plan in plans:
        study(plan, rng, items, items_by_id, prior)
    # The site's fit: every learner's answers, at most FIT_LOGS of them as on the site.
    histories = []
    for plan in rng.sample(plans, len(plans)):
        memory = plan["memory"]
        histories += [(h.answers, items_by_id[pk].floor) for pk, h in memory.histories().items()]
        if sum(len(a) for a, _ in histories) > readiness_queries.FIT_LOGS:
            break
    params = model.fit(histories)
    results = []
    for plan in plans:
        memory = plan["memory"]
        predicted_at = EPOCH + timedelta(days=plan["days"] - 1, hours=20)
        recall = readiness_queries.recall_from(
            histories=memory.histories(), items=items_by_id, now=predicted_at,
            sched=memory.settings, params=params,
        )  # fmt: skip
        prediction = readiness.predict(plan["blueprint"], recall, pool)
        results.append(_sit(plan, prediction, pool, truth, items_by_id, rng))
    if site_learners:
        results += _through_site(worker, site_learners, rng, params, items_by_id, truth, pool)
    results.append({"params": params.as_dict()})
    return results


def _sit(plan: dict, prediction, pool: list, truth: dict, items_by_id: dict, rng) -> dict:
    """The learner sits a draw of the blueprint at the exam moment, answering from true memory."""
    from exams.blueprints import spec as blueprints
    from exams.readiness import forecast as readiness
    from exams.readiness import queries as readiness_queries

    learner, blueprint = plan["learner"], plan["blueprint"]
    exam_at = prediction.at
    true_p = {c.id: _true_right(learner, c.id, exam_at, truth[c.id]["floor"]) for c in pool}
    # The truth's expected score: the same slots, each at its bucket's true mean.
    truth_recall = readiness_queries.Recall(
        at=exam_at, items=items_by_id, probability=true_p, studied=frozenset()
    )
    truth_forecast = readiness.predict(blueprint, truth_recall, pool).forecast
    ids = blueprints.draw(blueprint.as_spec(), pool, random.Random(rng.random()))
    scored = ids[: blueprint.scored_count]
    right = sum(learner.answer(item, exam_at) for item in scored)
    return {
        "predicted": prediction.percent,
        "p_pass": prediction.forecast.p_pass,
        "true_expected": truth_forecast.percent,
        "noise": _mean_abs_deviation(truth_forecast, len(scored)),
        "actual": 100 * right / len(scored),
        "passed": right >= readiness.pass_correct(blueprint, len(scored)),
        "inside": prediction.forecast.low <= right <= prediction.forecast.high,
        "through_site": plan.get("through_site", False),
    }


def _through_site(worker: int, count: int, rng, params, items_by_id, truth, pool) -> list[dict]:
    """A few learners who study through the site's database functions: `reviews.review_queue`
    and `reviews.review_grade` (the review page), `quiz.quiz_start` and `quiz.quiz_answer`, a
    dashboard visit a study day (`exams.readiness.forecast.readiness_for`, which sets the new-card
    weights), then `exams.readiness.forecast.predictions_for`. Slower, so only a few."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command

    from exams.models import Blueprint
    from exams.readiness import forecast as readiness
    from exams.readiness import queries as readiness_queries
    from quizzes.models import LearnerSettings, Question, QuizItem, Topic
    from quizzes.study import quiz, reviews

    call_command("migrate", verbosity=0)
    topics = {slug: Topic.objects.create(slug=slug, title=slug, order=n)
              for n, slug in enumerate(TOPICS)}  # fmt: skip
    for pk, item in items_by_id.items():  # the same ids as the memory learners' course
        k = {"single": 4, "multiple": 5}.get(item.kind, 0)
        correct = {"single": "a", "multiple": "ab"}.get(item.kind, "")
        Question.objects.create(
            pk=pk, uid=f"q{pk}", topic=topics[item.topic], type=item.kind,
            difficulty=item.difficulty, stem_html=f"<p>q{pk}</p>", back_html="<p>back</p>",
            choices=[{"key": key, "html": key, "correct": key in correct, "rationale_html": ""}
                     for key in "abcde"[:k]],
            choose=2 if item.kind == "multiple" else 1, references=["https://docs.aws.amazon.com/"],
            source_path=f"banks/{item.topic}.yaml", source_line=pk, fingerprint=str(pk),
        )  # fmt: skip
    rows = {spec[0]: _blueprint(spec, Blueprint) for spec in BLUEPRINTS}
    for row in rows.values():
        row.save()
    cache.set(readiness_queries.PARAMS_CACHE_KEY, params.as_dict(), 24 * 3600)  # the site's fit
    results = []
    for n in range(count):
        days = rng.randint(3, 21)
        slug = rng.choice(BLUEPRINTS)[0]
        user = User.objects.create(username=f"site{worker}-{n}")
        settings = LearnerSettings.objects.create(
            user=user, new_per_day=rng.choice((6, 10, 15, 20, 30)), target_exam=slug,
            exam_date=(EPOCH + timedelta(days=days)).date(),
        )  # fmt: skip
        plan = {"learner": Learner(random.Random(rng.random()), truth), "blueprint": rows[slug],
                "through_site": True}  # fmt: skip
        learner, attendance = plan["learner"], rng.uniform(0.4, 1.0)
        stop_early, session = rng.choice((0, 0, 0, 1, 2, 4)), rng.randint(20, 80)
        quizzes = rng.random() < 0.5
        for day in range(days - stop_early):
            if rng.random() > attendance:
                continue
            now = EPOCH + timedelta(days=day, hours=9)
            readiness.readiness_for(user, now=now, settings=settings)
            for _ in range(session):
                card = reviews.review_queue(user=user, settings=settings, now=now).card
                if card is None:
                    break
                correct = learner.answer(card.question_id, now)
                if card.question.type == "flashcard":
                    rating = reviews.GOOD if correct else reviews.AGAIN
                else:
                    rating = reviews.derived_rating(correct=correct, seconds=rng.uniform(5, 60))
                reviews.review_grade(user=user, question=card.question, rating=rating,
                                     nonce=f"{card.pk}-{now.timestamp()}", now=now,
                                     settings=settings)  # fmt: skip
                now += timedelta(seconds=rng.uniform(20, 90))
            if quizzes and rng.random() < 0.4:
                attempt = quiz.quiz_start(user=user, filters=quiz.Filters(count=10),
                                          rng=random.Random(rng.random()))  # fmt: skip
                for item in QuizItem.objects.filter(attempt=attempt).select_related(
                    "question", "attempt__user"
                ):
                    now += timedelta(seconds=40)
                    correct = learner.answer(item.question_id, now)
                    keys = [c["key"] for c in item.question.choices if c["correct"]]
                    if not correct:
                        keys = ["e", "c"][: len(keys)] if len(keys) > 1 else ["c"]
                    quiz.quiz_answer(item=item, selected=keys, typed="", now=now)
        predicted_at = EPOCH + timedelta(days=days - 1, hours=20)
        prediction = readiness.predictions_for(user, now=predicted_at, blueprint_list=[rows[slug]])[
            0
        ]
        results.append(_sit(plan, prediction, pool, truth, items_by_id, rng))
    return results


def _blueprint(spec: tuple, model):
    slug, questions, scored, scoring, pass_mark = spec
    return model(
        slug=slug,
        title=slug,
        question_count=questions,
        scored_count=scored,
        duration_minutes=60,
        topic_weights=TOPICS,
        difficulty_mix={"easy": 30, "medium": 50, "hard": 20},
        scoring=scoring,
        pass_mark=pass_mark,
    )


def _true_right(learner: Learner, item: int, at: datetime, floor: float) -> float:
    known = learner.p_known(item, at)
    return known * (1 - SLIP) + (1 - known) * floor


def _mean_abs_deviation(forecast, items: int) -> float:
    """E|X - E X| in percentage points for the truth's score distribution: a perfect forecast's
    error against one sitting."""
    return 100 * forecast.mad / items if items else 0.0


def study(plan: dict, rng: random.Random, items: list, items_by_id: dict, prior) -> None:
    """Study day by day until the exam (or a few days before); the dashboard's topic weights are
    refreshed at the start of each study day, as a visit to the dashboard does on the site."""
    from exams.readiness import model
    from exams.readiness import queries as readiness_queries
    from quizzes.study import reviews

    learner, memory = plan["learner"], plan["memory"]
    quiz_items = [i.id for i in items if i.kind in ("single", "multiple")]
    for day in range(plan["days"] - plan["stop_early"]):
        if rng.random() > plan["attendance"]:
            continue
        now = EPOCH + timedelta(days=day, hours=9)
        recall = readiness_queries.recall_from(
            histories=memory.histories(), items=items_by_id, now=now, sched=memory.settings,
            params=prior,
        )  # fmt: skip
        weights = model.points_lost(plan["blueprint"].topic_weights, recall.topic_mastery())
        for _ in range(plan["session"]):
            pk = memory.next_card(now, plan["uid"], weights)
            if pk is None:
                break
            correct = learner.answer(pk, now)
            if items_by_id[pk].kind == "flashcard":
                rating = reviews.GOOD if correct else reviews.AGAIN
            else:
                rating = reviews.derived_rating(correct=correct, seconds=rng.uniform(5, 60))
            memory.answers.append((pk, now, rating > 1))
            memory.grade(pk, rating, now, "review")
            now += timedelta(seconds=rng.uniform(20, 90))
        if plan["quizzes"] and rng.random() < 0.4:
            for pk in rng.sample(quiz_items, 10):
                now += timedelta(seconds=40)
                correct = learner.answer(pk, now)
                memory.answers.append((pk, now, correct))
                card = memory.cards.get(pk)
                # As quiz._feed_card: a right answer only reschedules a card that is due.
                if correct and card is not None and card.state != 0 and card.due > now:
                    continue
                memory.grade(pk, reviews.GOOD if correct else reviews.AGAIN, now, "quiz")


def build_items(rng: random.Random) -> tuple[dict, dict]:
    """The generated course as the forecast sees it (readiness_queries.Item) and the truth."""
    from exams.readiness import model
    from exams.readiness.queries import Item

    items, truth = {}, {}
    pk = 0
    for slug in TOPICS:
        kinds = ["single"] * SINGLE + ["multiple"] * MULTIPLE + ["flashcard"] * CARDS
        for n, kind in enumerate(kinds):
            pk += 1
            level = ("easy", "medium", "hard")[n % 3]
            floor = model.guess_floor(kind, {"single": 4, "multiple": 5}.get(kind, 0), 2
                                      if kind == "multiple" else 1)  # fmt: skip
            items[pk] = Item(pk, slug, kind, level, floor)
            shift = {"easy": -0.8, "medium": 0.0, "hard": 0.8}[level]
            truth[pk] = {"difficulty": shift + rng.gauss(0, 0.6), "floor": floor}
    return items, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--site-learners", type=int, default=4,
        help="learners (besides --learners) who study through the site's database functions",
    )  # fmt: skip
    args = parser.parse_args()
    started = time.perf_counter()
    share = [args.learners // args.workers + (w < args.learners % args.workers)
             for w in range(args.workers)]  # fmt: skip
    site = [args.site_learners // args.workers + (w < args.site_learners % args.workers)
            for w in range(args.workers)]  # fmt: skip
    jobs = [(w, n, args.seed, site[w]) for w, n in enumerate(share)]
    if args.workers == 1:
        parts = [simulate(jobs[0])]
    else:
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(pool.map(simulate, jobs))
    site_rows = [row for part in parts for row in part if row.get("through_site")]
    rows = [row for part in parts for row in part
            if "params" not in row and not row.get("through_site")]  # fmt: skip
    fits = [row["params"] for part in parts for row in part if "params" in row]

    sys.path.insert(0, str(ROOT))
    from exams.readiness import model as readiness

    n = len(rows)
    mae_truth = sum(abs(r["predicted"] - r["true_expected"]) for r in rows) / n
    mae_sitting = sum(abs(r["predicted"] - r["actual"]) for r in rows) / n
    noise = sum(r["noise"] for r in rows) / n
    bias = sum(r["predicted"] - r["true_expected"] for r in rows) / n
    brier = readiness.brier((r["p_pass"], r["passed"]) for r in rows)
    base = sum(r["passed"] for r in rows) / n
    inside = sum(r["inside"] for r in rows) / n
    print(f"learners: {n} in {args.workers} sites, seed {args.seed}")
    for index, fit in enumerate(fits):
        print(f"site {index} fit: " + ", ".join(f"{k}={v:.3f}" for k, v in fit.items()))
    print(f"mean true expected score: {sum(r['true_expected'] for r in rows) / n:.1f}%, "
          f"passed: {100 * base:.1f}%")  # fmt: skip
    print(f"MAE predicted score vs true expected score: {mae_truth:.2f} points (bias {bias:+.2f})")
    print(f"MAE predicted score vs the sitting: {mae_sitting:.2f} points "
          f"(a perfect forecast: {noise:.2f})")  # fmt: skip
    print(f"sittings inside the 80% interval: {100 * inside:.1f}%")
    print(f"Brier score of the pass prediction: {brier:.4f} "
          f"(always saying the base rate: {base * (1 - base):.4f})")  # fmt: skip
    print("calibration of P(pass):")
    print("  bin          n  predicted  observed")
    for b in readiness.calibration_table((r["p_pass"], r["passed"]) for r in rows):
        predicted = f"{b.mean_predicted:9.3f}" if b.count else "        -"
        observed = f"{b.observed:9.3f}" if b.count else "        -"
        print(f"  {b.low:.1f}-{b.high:.1f}  {b.count:5d}  {predicted}  {observed}")
    if site_rows:
        print(f"through the site's database functions ({len(site_rows)} more learners, not in "
              "the figures above): predicted / true expected / sitting, in % right")  # fmt: skip
        for r in site_rows:
            verdict = "yes" if r["passed"] else "no"
            print(f"  {r['predicted']:5.1f} / {r['true_expected']:5.1f} / {r['actual']:5.1f}   "
                  f"P(pass) {r['p_pass']:.2f}, passed: {verdict}")  # fmt: skip
        errors = [abs(r["predicted"] - r["true_expected"]) for r in site_rows]
        print(f"  MAE vs true expected score: {sum(errors) / len(errors):.2f} points")
    print(f"seconds: {time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
